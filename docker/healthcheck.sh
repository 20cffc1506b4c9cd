#!/usr/bin/env bash
# The image's HEALTHCHECK, also run by scripts/docker-check: GET /healthz on the admin API and
# succeed on a 200. Plain bash (/dev/tcp), so the runtime image needs no curl binary.
#
#   sidecache-healthcheck [HOST [PORT]]     (default 127.0.0.1 8080, the admin API in the image)
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8080}
exec 3<>"/dev/tcp/$host/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
read -r -t 3 status <&3
exec 3<&-
case "$status" in
    HTTP/1.[01]\ 200*) exit 0 ;;
    *) echo "sidecache-healthcheck: /healthz answered: ${status:-nothing}" >&2; exit 1 ;;
esac
