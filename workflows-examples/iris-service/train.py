"""Trains the iris classifier: a softmax regression fitted by gradient descent.

Standard library only. Reads iris.csv (the 150-row iris dataset, public domain), holds out
every fifth row for evaluation, and writes model.json (with `class_share`, the share of each
class among the training rows) and metrics.json (accuracy on the
held-out rows) into --out. The result is deterministic: the same data gives the same bytes,
so an image that packages it gets the same digest.

    python train.py --out build/model
"""

import argparse
import csv
import json
import math
import os
import sys

from app import model as iris

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows")
    return [[float(r[c]) for c in iris.FEATURES] for r in rows], [r["species"] for r in rows]


def fit(xs, ys, classes, epochs, rate):
    n = len(iris.FEATURES)
    mean = [sum(x[j] for x in xs) / len(xs) for j in range(n)]
    scale = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in xs) / len(xs)) or 1.0 for j in range(n)]
    model = {
        "format": iris.FORMAT,
        "features": iris.FEATURES,
        "classes": classes,
        "mean": mean,
        "scale": scale,
        "weights": [[0.0] * n for _ in classes],
        "bias": [0.0] * len(classes),
    }
    std = [[(v - m) / s for v, m, s in zip(x, mean, scale)] for x in xs]
    for _ in range(epochs):
        gw = [[0.0] * n for _ in classes]
        gb = [0.0] * len(classes)
        for x, xstd, y in zip(xs, std, ys):
            p = iris.probabilities(model, x)
            for k, c in enumerate(classes):
                err = p[k] - (1.0 if c == y else 0.0)
                gb[k] += err
                for j in range(n):
                    gw[k][j] += err * xstd[j]
        for k in range(len(classes)):
            model["bias"][k] -= rate * gb[k] / len(xs)
            for j in range(n):
                model["weights"][k][j] -= rate * gw[k][j] / len(xs)
    return model


def accuracy(model, xs, ys):
    return sum(p == y for p, y in zip(iris.predict(model, xs), ys)) / len(ys)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join(HERE, "iris.csv"))
    parser.add_argument("--out", default=os.path.join(HERE, "build", "model"))
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--learning-rate", type=float, default=0.5)
    args = parser.parse_args(argv)

    xs, ys = read(args.data)
    classes = sorted(set(ys))
    test = [i for i in range(len(xs)) if i % 5 == 4]
    train = [i for i in range(len(xs)) if i % 5 != 4]
    train_x, train_y = [xs[i] for i in train], [ys[i] for i in train]
    model = fit(train_x, train_y, classes, args.epochs, args.learning_rate)
    metrics = {
        "accuracy": round(accuracy(model, [xs[i] for i in test], [ys[i] for i in test]), 4),
        "train_accuracy": round(accuracy(model, train_x, train_y), 4),
        "test_rows": len(test),
        "train_rows": len(train),
        "epochs": args.epochs,
    }
    # The training distribution, baked with the model: the service exports it so Prometheus
    # can compare what it predicts with it (the drift figure).
    model["class_share"] = {c: round(train_y.count(c) / len(train_y), 6) for c in classes}
    model["weights"] = [[round(w, 6) for w in row] for row in model["weights"]]
    model["bias"] = [round(b, 6) for b in model["bias"]]
    model["mean"] = [round(v, 6) for v in model["mean"]]
    model["scale"] = [round(v, 6) for v in model["scale"]]

    os.makedirs(args.out, exist_ok=True)
    for name, doc in (("model.json", model), ("metrics.json", metrics)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, sort_keys=True)
            f.write("\n")
    print(f"wrote {os.path.join(args.out, 'model.json')}; held-out accuracy {metrics['accuracy']}")


if __name__ == "__main__":
    main()
