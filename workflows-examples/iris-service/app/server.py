"""HTTP server for the iris classifier. Standard library only.

    POST /predict                    {"instances": [[5.1, 3.5, 1.4, 0.2], ...]}
                                     -> {"predictions": ["setosa", ...]}
    POST /v1/models/<name>:predict   the same, KServe v1 protocol path
                                     (an instance may also be a map by feature name)
    GET  /v1/models/<name>        {"name": ..., "ready": true|false}  (KServe v1 model readiness)
    GET  /live_check              200 while the process serves (liveness)
    GET  /ready_check             200 once the model is loaded, 503 before (readiness)
    GET  /metrics                 Prometheus metrics (see app/metrics.py)

Environment:
    PORT        port to listen on (default 8080); HOST (default 0.0.0.0)
    MODEL_PATH  model.json, or a directory holding it
    MODEL_URI   where the model comes from: a local path or file:// URI is loaded; a remote
                URI (gs://, s3://, oci://…) is fetched by the platform (KServe's storage
                initializer or a modelcar) to /mnt/models, which is tried next
    MODEL_NAME  the model's name in KServe paths (default iris)
    INJECT_LATENCY_MS, INJECT_ERROR_RATE, INJECT_FLIP_RATE, INJECT_SKEW_RATE,
    INJECT_SKEW_CLASS   fault switches (app/metrics.py)

Without MODEL_PATH and with nothing at MODEL_URI or /mnt/models, the model baked into the
image at /models/iris/model.json is served.
"""

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from app import metrics as prom
from app import model as iris

BAKED = "/models/iris/model.json"
MAX_BODY = 1 << 20
USAGE = '{"instances": [[sepal_length, sepal_width, petal_length, petal_width], ...]}'


def log(message):
    print(f"iris-server: {message}", file=sys.stderr, flush=True)


def candidates(env):
    """Where to look for the model, in order."""
    paths = []
    if env.get("MODEL_PATH"):
        return [env["MODEL_PATH"]]
    uri = env.get("MODEL_URI", "")
    parsed = urlparse(uri)
    if uri and parsed.scheme in ("", "file"):
        paths.append(parsed.path if parsed.scheme == "file" else uri)
    paths += ["/mnt/models", BAKED]
    return paths


def resolve(path):
    return os.path.join(path, "model.json") if os.path.isdir(path) else path


class State:
    def __init__(self, name):
        self.name = name
        self.model = None
        self.source = None
        self.error = "loading"
        self.metrics = prom.Metrics()
        self.switches = prom.Switches(os.environ)


def load_forever(state, paths, stop, interval=1.0):
    """Loads the first model that exists; retries until one loads (readiness stays 503)."""
    reported = None
    while not stop.is_set():
        problems = []
        for p in paths:
            f = resolve(p)
            if not os.path.exists(f):
                problems.append(f"{f}: not found")
                continue
            try:
                state.model = iris.load(f)
            except (OSError, ValueError, KeyError, TypeError) as e:
                problems.append(f"{f}: {e}")
                continue
            state.source, state.error = f, None
            state.metrics.set_training_share(prom.training_share(state.model))
            log(f"model loaded from {f} (classes: {', '.join(state.model['classes'])})")
            return
        state.error = "; ".join(problems)
        if state.error != reported:
            log(f"no model yet, retrying: {state.error}")
            reported = state.error
        stop.wait(interval)


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        server_version = "iris-server/1"

        def log_message(self, fmt, *args):  # one short line per request, on stderr
            log(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}")

        def send(self, status, doc):
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = urlparse(self.path).path
            if path == "/metrics":
                body = state.metrics.text().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
            if path in ("/live_check", "/v2/health/live"):
                return self.send(200, {"status": "alive"})
            if path in ("/ready_check", "/v2/health/ready"):
                if state.model is None:
                    return self.send(503, {"status": "loading", "detail": state.error})
                return self.send(200, {"status": "ready", "model": state.source})
            if path == f"/v1/models/{state.name}":
                ready = state.model is not None
                return self.send(200 if ready else 503, {"name": state.name, "ready": ready})
            if path == "/predict" or path == f"/v1/models/{state.name}:predict":
                return self.send(405, {"error": "use POST"})
            return self.send(404, {"error": f"no route {path}"})

        def do_POST(self):
            path = urlparse(self.path).path
            if path not in ("/predict", f"/v1/models/{state.name}:predict"):
                return self.send(404, {"error": f"no route {path}"})
            started = time.monotonic()
            status, doc = self.predict()
            seconds = time.monotonic() - started
            state.metrics.observe(status, seconds, doc.get("predictions", ()) if status == 200 else ())
            return self.send(status, doc)

        def predict(self):
            n = state.metrics.next_request()
            switches = state.switches
            if switches.latency_s:
                time.sleep(switches.latency_s)
            status, doc = self.answer()  # reads the body in every case
            if switches.error_every and n % switches.error_every == 0:
                return 503, {"error": "injected error (INJECT_ERROR_RATE)"}
            if status == 200 and switches.flip_every and n % switches.flip_every == 0:
                doc = {"predictions": [prom.flip(p) for p in doc["predictions"]]}
            if status == 200 and switches.skew_every and n % switches.skew_every == 0:
                skewed = switches.skew_class or state.model["classes"][0]
                doc = {"predictions": [skewed for _ in doc["predictions"]]}
            return status, doc

        def answer(self):
            if state.model is None:
                return (503, {"error": "model not loaded yet", "detail": state.error})
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length <= 0 or length > MAX_BODY:
                return (400, {"error": f"a JSON body of 1 to {MAX_BODY} bytes is needed"})
            try:
                body = json.loads(self.rfile.read(length))
            except ValueError as e:
                return (400, {"error": f"body is not JSON: {e}"})
            if not isinstance(body, dict) or "instances" not in body:
                return (400, {"error": f"expected {USAGE}"})
            try:
                return (200, {"predictions": iris.predict(state.model, body["instances"])})
            except iris.ModelError as e:
                return (400, {"error": str(e)})

    return Handler


def main():
    state = State(os.environ.get("MODEL_NAME", "iris"))
    stop = threading.Event()
    address = (os.environ.get("HOST", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    server = ThreadingHTTPServer(address, make_handler(state))
    server.daemon_threads = True

    def shutdown(signum, _frame):
        log(f"signal {signum}: shutting down")
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    loader = threading.Thread(
        target=load_forever, args=(state, candidates(os.environ), stop), daemon=True
    )
    loader.start()
    host, port = server.server_address[:2]
    log(f"listening on {host}:{port}")
    started = time.monotonic()
    server.serve_forever()
    server.server_close()
    log(f"stopped after {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
