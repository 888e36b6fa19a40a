#!/usr/bin/env bash
# Builds the statically linked kms53 binary into bin/ and the FROM-scratch image from it (see
# Dockerfile); no base image is pulled.
#
#	scripts/build-image.sh [TAG]
#
# TAG defaults to $KMS53_IMAGE, then kms53:dev. Prints the tag, the image id and its size.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"

tag=${1:-${KMS53_IMAGE:-kms53:dev}}

mkdir -p bin
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o bin/kms53 ./cmd/kms53

old=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
# The classic builder: FROM scratch needs neither a pulled image nor BuildKit. Its output (a
# deprecation notice among it) is shown only when the build fails.
if ! out=$(DOCKER_BUILDKIT=0 docker build --quiet --tag "$tag" . 2>&1); then
	printf '%s\n' "$out" >&2
	exit 1
fi
read -r id size < <(docker image inspect --format '{{.Id}} {{.Size}}' "$tag")
# The image this tag named before, now untagged, goes unless something still uses it.
if [[ -n "$old" && "$old" != "$id" ]]; then
	docker image rm "$old" >/dev/null 2>&1 || true
fi
printf '%s %s %d bytes (%d KiB)\n' "$tag" "$id" "$size" $((size / 1024))
