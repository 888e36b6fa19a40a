# The kms53 image: the statically linked binary and nothing else. No base image is pulled: build
# the binary on the host first, then the image (scripts/build-image.sh does both):
#
#	CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o bin/kms53 ./cmd/kms53
#	docker build -t kms53:dev .
#
# .dockerignore sends only bin/kms53 as the build context.
FROM scratch

COPY bin/kms53 /kms53

# Not root: a numeric user needs no /etc/passwd in the image.
USER 65532:65532

# HTTP (KMS, Route 53 and the admin API); DNS over UDP and TCP.
EXPOSE 4566/tcp 1053/udp 1053/tcp

# "kms53 health" asks GET /_kms53/health on 127.0.0.1:4566 and exits 0 on a 200.
HEALTHCHECK --interval=2s --timeout=3s --start-period=5s --retries=3 CMD ["/kms53", "health"]

ENTRYPOINT ["/kms53"]
CMD ["-addr", "0.0.0.0:4566", "-dns-addr", "0.0.0.0:1053"]
