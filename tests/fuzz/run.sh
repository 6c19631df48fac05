#!/bin/bash
# Builds the libFuzzer targets of tests/fuzz/ with clang and runs each for
# a while (doc/FUZZING.md).
#
#   tests/fuzz/run.sh [OUTDIR]          (default /tmp/igd2d-fuzz)
#
# Environment:
#   FUZZ_SECONDS   seconds per target (60)
#   FUZZ_TARGETS   which targets (all: "fuzz_config fuzz_soap fuzz_pmlist
#                  fuzz_portmap fuzz_ctl fuzz_lease fuzz_http fuzz_ssdp")
#   FUZZ_JOBS      targets run at the same time (1)
#   FUZZ_CC        the compiler (clang, else clang-14)
#   FUZZ_BUILD_ONLY=1  build, do not run
#
# Everything goes under OUTDIR, never into the source tree: bin/ (the
# targets), corpus/TARGET/ (the seeds of tests/fuzz/corpus/TARGET, copied
# in, plus what the runs found; kept from run to run), artifacts/TARGET/
# (crash-*, leak-*, timeout-*, oom-* reproducers of this run; older ones
# are moved to artifacts/old/), logs/TARGET.log.  tests/fuzz/TARGET.dict
# is passed as -dict; tests/fuzz/asan.supp and lsan.supp hold libixml's
# own faults.  The
# source directory is taken from this script's location, so it works from
# a VPATH build.  Prints per target the executions, the final cov:/ft:
# and the crashes, then "fuzz: N passed, N failed".  Exits 1 if any target
# crashed (or failed to build), 2 if clang with libFuzzer or libupnp-dev
# is missing.
# Started by sh (make's $(SHELL)): go on in bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-/tmp/igd2d-fuzz}
SECONDS_PER=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
ALL="fuzz_config fuzz_soap fuzz_pmlist fuzz_portmap fuzz_ctl fuzz_lease
    fuzz_http fuzz_ssdp"
TARGETS=${FUZZ_TARGETS:-$ALL}

OUT=$(realpath -m "$OUT")
case "$OUT/" in
"$SRC"/tests/*|"$SRC"/src/*)
	echo "run.sh: $OUT is inside the source tree; use another directory" >&2
	exit 2 ;;
esac
mkdir -p "$OUT" || exit 1

# Sources of each target (the pure parts of src/; no desc.c, no xmldata.c)
# and its -max_len.
sources() {
	case "$1" in
	fuzz_config)	echo "src/config.c src/acl.c" ;;
	fuzz_soap)	echo "src/soap.c src/soapmsg.c src/portmap.c src/pmlist.c src/strbuf.c src/upnperr.c" ;;
	fuzz_pmlist)	echo "src/pmlist.c src/soap.c src/soapmsg.c src/strbuf.c" ;;
	fuzz_portmap)	echo "src/portmap.c" ;;
	fuzz_ctl)	echo "src/ctlproto.c src/portmap.c" ;;
	fuzz_lease)	echo "src/lease.c src/ctlproto.c src/portmap.c" ;;
	fuzz_http)	echo "src/httpreq.c" ;;
	fuzz_ssdp)	echo "src/msearch.c src/httpreq.c" ;;
	*)		return 1 ;;
	esac
}
needs_upnp() { [ "$1" = fuzz_pmlist ]; }
max_len() {
	case "$1" in
	fuzz_config)	echo 8192 ;;	# etc/igd2d.conf is ~5 KB
	fuzz_soap)	echo 4096 ;;	# a request body, long arguments
	fuzz_pmlist)	echo 4096 ;;	# up to 15 entries of 4 strings
	fuzz_portmap)	echo 2048 ;;	# up to 400 operations
	fuzz_ctl)	echo 4096 ;;	# a few request lines
	fuzz_lease)	echo 16384 ;;	# a lease file of ~20 mappings
	fuzz_http)	echo 20480 ;;	# a head up to HTTPREQ_HEAD_MAX, a body
	fuzz_ssdp)	echo 4096 ;;	# a datagram and a description
	esac
}

find_cc() {
	local cc
	for cc in ${FUZZ_CC:-} clang clang-14; do
		command -v "$cc" >/dev/null 2>&1 || continue
		printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)'\
'{ (void)d; (void)n; return 0; }\n' >"$OUT/probe.c"
		if "$cc" -fsanitize=fuzzer "$OUT/probe.c" -o "$OUT/probe" \
		    2>/dev/null; then
			rm -f "$OUT/probe" "$OUT/probe.c"
			echo "$cc"
			return 0
		fi
	done
	rm -f "$OUT/probe" "$OUT/probe.c"
	return 1
}

if ! CC=$(find_cc); then
	echo "run.sh: no clang with libFuzzer (Debian: apt-get install clang)" >&2
	exit 2
fi
if ! UPNP_FLAGS=$(pkg-config --cflags --libs libupnp 2>/dev/null); then
	echo "run.sh: libupnp not found by pkg-config (libupnp-dev)" >&2
	exit 2
fi

CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -Wall -Wextra
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-I$SRC/src -I$SRC/tests/fuzz"

mkdir -p "$OUT/bin" "$OUT/logs"
failed=0
built=""
for t in $TARGETS; do
	if ! srcs=$(sources "$t"); then
		echo "run.sh: unknown target $t" >&2
		failed=1
		continue
	fi
	files="$SRC/tests/fuzz/$t.c"
	for s in $srcs; do
		files="$files $SRC/$s"
	done
	extra=""
	needs_upnp "$t" && extra=$UPNP_FLAGS
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS $files $extra -o "$OUT/bin/$t" \
	    >"$OUT/logs/$t.build" 2>&1; then
		echo "$t: BUILD FAILED" >&2
		cat "$OUT/logs/$t.build" >&2
		failed=1
		continue
	fi
	built="$built $t"
done
echo "built:$built (with $CC, in $OUT/bin)"
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit $failed

# libixml's own faults (asan.supp, lsan.supp: doc/FUZZING.md); not
# tests/lsan.supp, which hides all of libixml's allocations and so a
# document the targets forget to free.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:suppressions=$SRC/tests/fuzz/asan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SRC/tests/fuzz/lsan.supp:print_suppressions=0}

run_one() {
	local t=$1 log="$OUT/logs/$1.log" art="$OUT/artifacts/$1" rc
	mkdir -p "$OUT/corpus/$t" "$art"
	# Seeds in; what earlier runs found stays.
	if [ -d "$SRC/tests/fuzz/corpus/$t" ]; then
		cp -n "$SRC/tests/fuzz/corpus/$t"/* "$OUT/corpus/$t/" 2>/dev/null
	fi
	dict=""
	[ -f "$SRC/tests/fuzz/$t.dict" ] && dict="-dict=$SRC/tests/fuzz/$t.dict"
	# shellcheck disable=SC2086
	"$OUT/bin/$t" "$OUT/corpus/$t" $dict \
	    -max_total_time="$SECONDS_PER" -max_len="$(max_len "$t")" \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$art/" >"$log" 2>&1
	rc=$?
	echo "$rc" >"$OUT/logs/$t.rc"
}

# True when the sanitizer report's innermost frame is inside libixml.so.
in_libixml() {
	grep -A 3 -E 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer' "$1" |
	    grep -m 1 -E '^ +#0 ' | grep -q 'libixml\.so'
}

summary() {
	local t=$1 log="$OUT/logs/$1.log" rc execs last cov ft crashes
	rc=$(cat "$OUT/logs/$t.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	crashes=$(find "$OUT/artifacts/$t" -type f | wc -l)
	printf '%-13s %10s execs  cov: %-5s ft: %-6s crashes: %s' "$t" \
	    "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
	if { [ "$rc" != 0 ] || [ "$crashes" != 0 ]; } &&
	    [ "${FUZZ_STRICT:-0}" != 1 ] && in_libixml "$log"; then
		# Debian's libixml 1.8.4 has parser faults of its own (doc/
		# FUZZING.md, findings); they stop a run, but they are not
		# igd2d's: reported, kept, not a failure (FUZZ_STRICT=1: fail).
		printf '  KNOWN libixml 1.8.4 fault, not igd2d (log %s)\n' "$log"
		find "$OUT/artifacts/$t" -type f -printf '    reproducer: %p\n'
		grep -m 2 -E 'ERROR|SUMMARY' "$log" | sed 's/^/    /'
		return 0
	fi
	if [ "$rc" != 0 ] || [ "$crashes" != 0 ]; then
		printf '  FAILED (exit %s, log %s)\n' "$rc" "$log"
		find "$OUT/artifacts/$t" -type f -printf '    reproducer: %p\n'
		printf '    replay: %s %s\n' "$OUT/bin/$t" \
		    "$OUT/artifacts/$t/<file>"
		grep -m 5 -E 'ERROR|check failed|SUMMARY' "$log" |
		    sed 's/^/    /'
		return 1
	fi
	printf '\n'
}

echo "running each target for ${SECONDS_PER}s, $JOBS at a time"
running=0
for t in $built; do
	# This run's findings only: earlier ones go to artifacts/old/.
	if [ -n "$(ls -A "$OUT/artifacts/$t" 2>/dev/null)" ]; then
		mkdir -p "$OUT/artifacts/old"
		mv "$OUT/artifacts/$t"/* "$OUT/artifacts/old/"
	fi
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

ok=0
bad=0
for t in $built; do
	if summary "$t"; then
		ok=$((ok + 1))
	else
		bad=$((bad + 1))
	fi
done
[ "$failed" != 0 ] && bad=$((bad + 1))
echo "fuzz: $ok passed, $bad failed"
[ "$bad" = 0 ]
