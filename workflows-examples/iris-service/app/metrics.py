"""Prometheus metrics and fault switches of the iris server. Standard library only.

    GET /metrics   text exposition format 0.0.4:
        iris_requests_total{code="200"}            prediction requests by status code
        iris_request_duration_seconds_bucket{le=…}  prediction latency histogram (+ _sum, _count)
        iris_predictions_total{class="setosa"}     predictions by class (every class of the
                                                   model, 0 until predicted)
        iris_training_class_share{class="setosa"}  the share of each class in the training
                                                   data (model.json `class_share`, else equal)

The two give the drift figure: the share of each predicted class over a window against its
training share (PromQL in workflows-examples/drift/rules.yml).

Switches (environment), so one image serves as a good candidate, a bad one and a baseline:
    INJECT_LATENCY_MS   extra milliseconds before each prediction answers
    INJECT_ERROR_RATE   share of prediction requests answered 503 (every n-th, deterministic)
    INJECT_FLIP_RATE    share of predictions changed to the next class (every n-th)
    INJECT_SKEW_RATE    share of prediction requests whose predictions are all
                        INJECT_SKEW_CLASS (default: the model's first class), every n-th:
                        drift in what the model predicts, as a shift in its inputs would cause
"""

import threading

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CLASSES = ("setosa", "versicolor", "virginica")


def _every(share):
    """A share such as 0.02 as 'every 50th' (0: never)."""
    return round(1 / share) if share > 0 else 0


class Switches:
    def __init__(self, env):
        self.latency_s = max(0.0, float(env.get("INJECT_LATENCY_MS") or 0)) / 1000
        self.error_every = _every(float(env.get("INJECT_ERROR_RATE") or 0))
        self.flip_every = _every(float(env.get("INJECT_FLIP_RATE") or 0))
        self.skew_every = _every(float(env.get("INJECT_SKEW_RATE") or 0))
        self.skew_class = env.get("INJECT_SKEW_CLASS") or None


class Metrics:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_code = {}
        self.by_class = {}
        self.buckets = [0] * len(BUCKETS)
        self.sum = 0.0
        self.count = 0
        self.requests = 0
        self.training_share = {}

    def set_training_share(self, shares):
        """The model's training distribution: {class: share}; its classes start at 0."""
        with self.lock:
            self.training_share = dict(shares)
            for c in shares:
                self.by_class.setdefault(c, 0)

    def next_request(self):
        """The number of this prediction request (1, 2, …)."""
        with self.lock:
            self.requests += 1
            return self.requests

    def observe(self, code, seconds, predictions=()):
        with self.lock:
            self.by_code[code] = self.by_code.get(code, 0) + 1
            for i, le in enumerate(BUCKETS):
                if seconds <= le:
                    self.buckets[i] += 1
            self.sum += seconds
            self.count += 1
            for p in predictions:
                self.by_class[p] = self.by_class.get(p, 0) + 1

    def text(self):
        with self.lock:
            lines = ["# TYPE iris_requests_total counter"]
            lines += [f'iris_requests_total{{code="{c}"}} {n}' for c, n in sorted(self.by_code.items())]
            lines.append("# TYPE iris_request_duration_seconds histogram")
            lines += [
                f'iris_request_duration_seconds_bucket{{le="{le}"}} {n}'
                for le, n in zip(BUCKETS, self.buckets)
            ]
            lines.append(f'iris_request_duration_seconds_bucket{{le="+Inf"}} {self.count}')
            lines.append(f"iris_request_duration_seconds_sum {self.sum}")
            lines.append(f"iris_request_duration_seconds_count {self.count}")
            lines.append("# TYPE iris_predictions_total counter")
            lines += [f'iris_predictions_total{{class="{c}"}} {n}' for c, n in sorted(self.by_class.items())]
            if self.training_share:
                lines.append("# TYPE iris_training_class_share gauge")
                lines += [
                    f'iris_training_class_share{{class="{c}"}} {share}'
                    for c, share in sorted(self.training_share.items())
                ]
            return "\n".join(lines) + "\n"


def training_share(model):
    """The share of each class in the training data: model.json `class_share`, else equal."""
    classes = model["classes"]
    shares = model.get("class_share")
    if isinstance(shares, dict) and set(shares) == set(classes):
        return {c: float(shares[c]) for c in classes}
    return {c: 1 / len(classes) for c in classes}


def flip(prediction):
    """The next class: a changed prediction."""
    if prediction in CLASSES:
        return CLASSES[(CLASSES.index(prediction) + 1) % len(CLASSES)]
    return prediction
