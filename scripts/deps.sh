#!/bin/bash
# Installs the Debian 12 packages igd2d needs to build and test, if missing.
set -eu
PKGS="gcc make autoconf automake pkg-config libupnp-dev libiptc-dev iptables
check miniupnpc socat iproute2 python3 procps clang libclang-rt-14-dev
valgrind"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	[ "$(id -u)" = 0 ] || { echo "deps: run as root to install:$missing" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing
fi
