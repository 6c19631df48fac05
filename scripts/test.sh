#!/bin/bash
# Quick start 2: install what is missing, build, run the whole test suite
# (unit, conformance and, as root, the network-namespace integration
# tests), run it again on an ASan+UBSan build, run every libFuzzer target
# for 60 s, then check the distribution tarball (make distcheck).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
scripts/deps.sh
scripts/build.sh

check() {	# build-dir
	if ! make -C "$1" -j"$(nproc)" check; then
		for t in $(find "$1" -name '*.trs'); do
			grep -q '^:test-result: \(FAIL\|ERROR\)' "$t" &&
			    { echo "=== ${t%.trs}.log"; tail -n 60 "${t%.trs}.log"; }
		done
		exit 1
	fi
	grep -h '^# \(TOTAL\|PASS\|SKIP\|FAIL\|ERROR\)' "$1/test-suite.log" || true
}

check build
echo "== again under AddressSanitizer and UndefinedBehaviorSanitizer"
mkdir -p build-sanitizers
[ -f build-sanitizers/Makefile ] ||
    (cd build-sanitizers && "$top/configure" --enable-werror --enable-sanitizers >/dev/null)
make -C build-sanitizers -j"$(nproc)" >/dev/null
check build-sanitizers
echo "== fuzz targets, 60 s each"
FUZZ_SECONDS=${FUZZ_SECONDS:-60} FUZZ_JOBS=2 tests/fuzz/run.sh "$top/build/fuzz"
echo "== make distcheck"
make -C build -j"$(nproc)" distcheck
