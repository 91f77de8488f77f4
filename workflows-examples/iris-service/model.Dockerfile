FROM scratch
COPY model/ /models/iris/
