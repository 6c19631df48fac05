#!/bin/bash
# make check: every requirement ID a test cites exists in the checklist,
# and doc/CONFORMANCE.md is what scripts/conformance.py generates from the
# tests today (run `make conformance` after changing tests).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
exec "${PYTHON3:-/usr/bin/python3}" "$top_srcdir/scripts/conformance.py" \
    --srcdir "$top_srcdir" --check "$top_srcdir/doc/CONFORMANCE.md"
