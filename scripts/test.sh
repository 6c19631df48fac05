#!/bin/bash
# Quick start 2: install what is missing, build, run the whole test suite
# (unit, conformance and, as root, the network-namespace integration
# tests), then check the distribution tarball (make distcheck).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
cd build
if ! make -j"$(nproc)" check; then
	for f in $(find . -name '*.log' ! -name config.log ! -name test-suite.log); do
		grep -q '^:test-result: \(FAIL\|ERROR\)' "${f%.log}.trs" 2>/dev/null &&
		    { echo "=== $f"; tail -n 60 "$f"; }
	done
	exit 1
fi
grep -h '^# \(TOTAL\|PASS\|SKIP\|FAIL\|ERROR\)' test-suite.log || true
make -j"$(nproc)" distcheck
