"""The iris model: a softmax regression over the four standardized measurements.

Pure standard library, shared by train.py (which fits it) and the server (which loads it).
A model is a JSON document (model.json) so any image or storage can carry it.
"""

import json
import math

FORMAT = "iris-softmax/v1"
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


class ModelError(ValueError):
    """The model file or a request does not have the expected shape."""


def load(path):
    """Reads and checks a model.json written by train.py."""
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    if not isinstance(model, dict) or model.get("format") != FORMAT:
        raise ModelError(f"{path}: not an {FORMAT} model (format {model.get('format')!r})")
    n = len(model["features"])
    if len(model["mean"]) != n or len(model["scale"]) != n:
        raise ModelError(f"{path}: mean/scale do not match the {n} features")
    classes = len(model["classes"])
    if len(model["weights"]) != classes or len(model["bias"]) != classes:
        raise ModelError(f"{path}: weights/bias do not match the classes")
    if any(len(row) != n for row in model["weights"]):
        raise ModelError(f"{path}: a weight row does not have {n} values")
    shares = model.get("class_share")
    if shares is not None and not (
        isinstance(shares, dict)
        and set(shares) == set(model["classes"])
        and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in shares.values())
    ):
        raise ModelError(f"{path}: class_share must map each class to a share from 0 to 1")
    return model


def row_of(instance, features):
    """One instance as a list of floats: a list in feature order, or a map by feature name."""
    if isinstance(instance, dict):
        missing = [f for f in features if f not in instance]
        if missing:
            raise ModelError(f"instance is missing {', '.join(missing)}")
        instance = [instance[f] for f in features]
    if not isinstance(instance, list) or len(instance) != len(features):
        raise ModelError(
            f"each instance must be {len(features)} numbers ({', '.join(features)})"
            " or a map of them"
        )
    row = []
    for v in instance:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ModelError(f"not a finite number: {v!r}")
        row.append(float(v))
    return row


def probabilities(model, row):
    """Class probabilities (softmax) for one standardized row."""
    x = [(v - m) / s for v, m, s in zip(row, model["mean"], model["scale"])]
    logits = [
        sum(w * xi for w, xi in zip(ws, x)) + b for ws, b in zip(model["weights"], model["bias"])
    ]
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


def predict(model, instances):
    """Class names for a list of instances (lists or maps); ModelError on a bad instance."""
    if not isinstance(instances, list) or not instances:
        raise ModelError("`instances` must be a non-empty list")
    out = []
    for instance in instances:
        p = probabilities(model, row_of(instance, model["features"]))
        out.append(model["classes"][p.index(max(p))])
    return out
