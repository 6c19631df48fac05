#!/bin/bash
# Line and branch coverage of src/ reached by the fuzz corpora.
#
#   tests/fuzz/coverage.sh [OUTDIR]     (default /tmp/igd2d-fuzz)
#
# OUTDIR is the directory a run.sh run used: its corpus/TARGET/ (the seeds
# plus what the fuzzer found) is replayed once by a build of each target
# with clang's source-based coverage, and llvm-cov reports the src/ files
# the target links.  Writes under OUTDIR/cov/ only.  Needs clang and
# llvm-cov / llvm-profdata (Debian: llvm).
set -eu

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(cd "${1:-/tmp/igd2d-fuzz}" && pwd)
TARGETS=${FUZZ_TARGETS:-"fuzz_config fuzz_soap fuzz_pmlist fuzz_portmap fuzz_ctl fuzz_lease"}

pick() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 && { echo "$c"; return 0; }
	done
	echo "coverage.sh: none of $* found" >&2
	return 1
}
CC=$(pick ${FUZZ_CC:+"$FUZZ_CC"} clang clang-14)
PROFDATA=$(pick llvm-profdata llvm-profdata-14)
COV=$(pick llvm-cov llvm-cov-14)
UPNP=$(pkg-config --cflags --libs libupnp)

sources() {			# as in run.sh
	case "$1" in
	fuzz_config)	echo "src/config.c src/acl.c" ;;
	fuzz_soap)	echo "src/soap.c src/portmap.c src/pmlist.c src/strbuf.c" ;;
	fuzz_pmlist)	echo "src/pmlist.c src/soap.c src/strbuf.c" ;;
	fuzz_portmap)	echo "src/portmap.c" ;;
	fuzz_ctl)	echo "src/ctlproto.c src/portmap.c" ;;
	fuzz_lease)	echo "src/lease.c src/ctlproto.c src/portmap.c" ;;
	esac
}

mkdir -p "$OUT/cov"
export LSAN_OPTIONS=suppressions=$SRC/tests/fuzz/lsan.supp:print_suppressions=0
for t in $TARGETS; do
	files=""
	for s in $(sources "$t"); do
		files="$files $SRC/$s"
	done
	# shellcheck disable=SC2086
	$CC -std=c11 -g -O0 -D_GNU_SOURCE -fsanitize=fuzzer \
	    -fprofile-instr-generate -fcoverage-mapping \
	    -I"$SRC/src" -I"$SRC/tests/fuzz" "$SRC/tests/fuzz/$t.c" $files \
	    $UPNP -o "$OUT/cov/$t"
	mkdir -p "$OUT/corpus/$t"
	cp -n "$SRC/tests/fuzz/corpus/$t"/* "$OUT/corpus/$t/" 2>/dev/null || :
	rm -f "$OUT/cov/$t".profraw
	LLVM_PROFILE_FILE="$OUT/cov/$t.profraw" "$OUT/cov/$t" -runs=0 \
	    "$OUT/corpus/$t" >"$OUT/cov/$t.log" 2>&1
	"$PROFDATA" merge -sparse "$OUT/cov/$t.profraw" \
	    -o "$OUT/cov/$t.profdata"
	echo "== $t ($(find "$OUT/corpus/$t" -type f | wc -l) inputs)"
	# shellcheck disable=SC2086
	"$COV" report "$OUT/cov/$t" -instr-profile="$OUT/cov/$t.profdata" \
	    $files | sed 's|'"$SRC"'/||'
done
