#!/bin/sh
# Install, from Debian's archive, the packages entente needs that are missing.
# Idempotent: a package already installed is not touched. Works as root or via sudo.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also what `make bench` compares with (wrk, nginx)
#   scripts/install-deps.sh --check    list what is missing, install nothing (exit 1 if any)
set -eu

# The compiler and the libraries entente links (design s.11); Open MPI for the
# simulator's processes (openmpi-bin has mpirun); SimPy 3 for the simulator's
# benchmark peer (bench/peers/, run by /usr/bin/python3). Later parts add
# theirs (libmicrohttpd for the server).
PKGS="build-essential pkg-config libsqlite3-dev libsodium-dev libjansson-dev libopenmpi-dev openmpi-bin python3-simpy3"
# Chromium for the browser tests of the crisis room's page (tests/browser, playwright-core).
PKGS="$PKGS chromium"
# the crisis room's server (entente serve, src/server/)
PKGS="$PKGS libmicrohttpd-dev"
# clang and its runtime for libFuzzer (tests/fuzz, make fuzz; make test runs each target briefly)
PKGS="$PKGS clang libclang-rt-14-dev"
# valgrind: make test runs the golden tests under memcheck
PKGS="$PKGS valgrind"
# Node.js runs the server's API tests, the crash harness and the browser tests (npm packages
# pinned in web/ and tests/browser/); a machine that has node from elsewhere keeps it
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
# make bench: wrk drives entente serve and Debian's nginx (the peer) on loopback
for a in "$@"; do
    [ "$a" = "--bench" ] && PKGS="$PKGS wrk nginx-light"
done

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi
if [ "${1:-}" = "--check" ] || [ "${2:-}" = "--check" ]; then
    echo "missing:$missing"
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: need root or sudo to install:$missing" >&2
    exit 77
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
