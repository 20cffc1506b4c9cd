#!/usr/bin/env bash
# The image's build step, also run natively by scripts/docker-check: a release build of the
# sidecache executable with the Swift runtime linked in (--static-swift-stdlib), installed with
# the image's configuration and health check under OUT as the runtime image's file tree.
#
#   docker/build.sh OUT [SCRATCH]     (SCRATCH: the build folder, default .build)
set -euo pipefail
out=${1:?usage: docker/build.sh OUT [SCRATCH]}
scratch=${2:-.build}
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product sidecache --scratch-path "$scratch"
bin=$(swift build -c release --static-swift-stdlib --product sidecache --scratch-path "$scratch" --show-bin-path)
install -D -m 0755 "$bin/sidecache" "$out/usr/local/bin/sidecache"
install -D -m 0755 docker/healthcheck.sh "$out/usr/local/bin/sidecache-healthcheck"
install -D -m 0644 config/docker.yaml "$out/etc/sidecache/sidecache.yaml"
