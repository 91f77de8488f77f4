# The trained model alone, as an OCI image (a KServe "modelcar"): no base image, no shell,
# just /models/iris/model.json. Build it from the directory train.py wrote:
#   python train.py --out build/model
#   docker build -f model.Dockerfile build/model -t ghcr.io/octo-org/iris-model:v1
# and point an InferenceService at it with storageUri: oci://ghcr.io/octo-org/iris-model@sha256:…
FROM scratch
COPY model.json /models/iris/
