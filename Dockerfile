# syntax=docker/dockerfile:1

# Build a static pactledger binary.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="-s -w" -o /out/pactledger ./cmd/pactledger \
 && mkdir -p /out/data

# Run it on distroless: no shell, no package manager, non-root (uid 65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pactledger /pactledger
# Data directory of the embedded JetStream store (--store jetstream without --nats-url).
COPY --from=build --chown=65532:65532 /out/data /data
ENV PACTLEDGER_DATA_DIR=/data
WORKDIR /data
USER 65532:65532
EXPOSE 9292
ENTRYPOINT ["/pactledger"]
# serve listens on 127.0.0.1 unless told otherwise, and refuses a public
# address without authentication; docker-compose.yml passes
# "serve --listen 0.0.0.0:9292 ... --insecure-no-auth".
CMD ["serve"]
