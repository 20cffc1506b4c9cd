#!/usr/bin/env bash
# Installs what Sidecache needs to build, run and test, when it is missing (Debian).
# Sourced or run by scripts/run and scripts/test; safe to run again.
set -euo pipefail

packages=(redis-server redis-tools nutcracker libsqlite3-dev libcurl4-openssl-dev curl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts a redis-server service on 6379 when it can; the project never uses it.
fi
if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    else
        echo "setup: Swift 6.x toolchain not found (expected 'swift' on PATH or /opt/swift)" >&2
        exit 1
    fi
fi
