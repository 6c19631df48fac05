#!/bin/bash
# Self-test of scripts/conformance.py --check: it passes on a consistent copy
# of the inputs and fails, with the expected message, on each injected fault.
# Works from a VPATH build: everything is found from this script's location,
# and the source tree is only read.
#
# The requirement IDs used below are assembled at run time: this file sits in
# tests/, which the real --check scans, so it must not cite anything itself.

set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(dirname "$here")
script=$srcdir/scripts/conformance.py
python=${PYTHON3:-/usr/bin/python3}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# A private source tree: the real ID index, status file and tests (read in
# place through a symlink), and a table generated from them.
mkdir -p "$tmp/src/doc" "$tmp/src/extra" || exit 1
cp "$srcdir/doc/checklist-ids.txt" "$srcdir/doc/conformance-status.txt" \
    "$tmp/src/doc/" || exit 1
ln -s "$srcdir/tests" "$tmp/src/tests" || exit 1

conformance() {
	"$python" "$script" --srcdir "$tmp/src" "$@" >"$tmp/out" 2>&1
}

sums() { (cd "$tmp/src/doc" && cksum ./*); }

# run_check NAME WANT-STATUS PATTERN [TREES...]: --check must exit with
# WANT-STATUS (0 or 1), print PATTERN when it is not empty, and write
# nothing (make distcheck runs it on a read-only tree).
run_check() {
	local name=$1 want=$2 pattern=$3 rc before
	shift 3
	before=$(sums)
	conformance --check doc/CONFORMANCE.md "$@"
	rc=$?
	if [ "$(sums)" != "$before" ]; then
		fail "$name: --check changed files in doc/"
	elif [ "$rc" -ne "$want" ]; then
		fail "$name: exit $rc, want $want"
		sed 's/^/	/' "$tmp/out"
	elif [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$tmp/out"; then
		fail "$name: no \"$pattern\" in the output"
		sed 's/^/	/' "$tmp/out"
	else
		echo "ok: $name"
	fi
}

if ! conformance --write doc/CONFORMANCE.md; then
	echo "FAIL: --write on a copy of the real inputs:"
	cat "$tmp/out"
	exit 1
fi
cp "$tmp/src/doc/CONFORMANCE.md" "$tmp/good.md"

run_check "consistent copy passes" 0 ""

# (a) a test citing an ID the checklist does not define.
unknown="WIC-""999"
printf '#include <check.h>\n\n/* %s */\nSTART_TEST(bogus)\n{\n}\nEND_TEST\n' \
    "$unknown" >"$tmp/src/extra/check_bogus.c"
run_check "test citing $unknown fails" 1 \
    "extra/check_bogus.c:3: cites $unknown, which the checklist does not" \
    tests extra
rm -f "$tmp/src/extra/check_bogus.c"

# The lower-case test-name form counts too.
printf 'START_TEST(%s_bogus)\n{\n}\nEND_TEST\n' "wic""999" \
    >"$tmp/src/extra/check_bogus2.c"
run_check "test named after $unknown fails" 1 \
    "extra/check_bogus2.c:1: cites $unknown" tests extra
rm -f "$tmp/src/extra/check_bogus2.c"

# Hex strings and words that merely contain the letters are not citations.
printf 'static const char *h = "deadbeefwic0610aavc12";\nint usec10;\n' \
    >"$tmp/src/extra/check_hex.c"
run_check "hex strings are not citations" 0 "" tests extra
rm -f "$tmp/src/extra/check_hex.c"

# (b) an out-of-date table.
printf '| stale | row |\n' >>"$tmp/src/doc/CONFORMANCE.md"
run_check "out-of-date table fails" 1 \
    "doc/CONFORMANCE.md is out of date: run make conformance"
if ! grep -q '^-| stale | row |' "$tmp/out"; then
	fail "out-of-date table: the diff does not show the stale line"
fi
cp "$tmp/good.md" "$tmp/src/doc/CONFORMANCE.md"

# A malformed status line.
cp "$tmp/src/doc/conformance-status.txt" "$tmp/status.orig"
printf 'not a status line\n' >>"$tmp/src/doc/conformance-status.txt"
line=$(wc -l <"$tmp/src/doc/conformance-status.txt")
run_check "malformed status line fails" 1 \
    "doc/conformance-status.txt:$line: malformed line"
cp "$tmp/status.orig" "$tmp/src/doc/conformance-status.txt"

# A status line naming an unknown ID.
printf '%s\ttodo\tselftest\n' "$unknown" \
    >>"$tmp/src/doc/conformance-status.txt"
run_check "unknown ID in the status file fails" 1 \
    "doc/conformance-status.txt:$line: unknown ID $unknown"
cp "$tmp/status.orig" "$tmp/src/doc/conformance-status.txt"

# A test citing an ID marked n/a (the first n/a in the status file).
na=$(awk -F'\t' '!/^#/ && $2 == "n/a" {
    sub(/\.\..*/, "", $1); print $1; exit }' \
    "$tmp/src/doc/conformance-status.txt")
if [ -n "$na" ]; then
	printf '# %s\n' "$na" >"$tmp/src/extra/na.sh"
	run_check "test citing an n/a ID fails" 1 \
	    "extra/na.sh:1: cites $na, which doc/conformance-status.txt" \
	    tests extra
	rm -f "$tmp/src/extra/na.sh"
fi

run_check "restored copy passes again" 0 ""

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
exit 0
