#!/bin/bash
# make check: the description documents in xml/ against the WANIPConnection:2
# reference model (tests/check_scpd.py).
#
# The spec text lives outside the repository (../shared/spec).  When it is
# there, the checks run against the spec itself and the committed model
# tests/data/wanipconnection2-model.json must be exactly what the spec yields;
# otherwise (clean checkout, CI, make distcheck) they run against that model.
# Regenerate the model after changing the extraction or the errata:
#   tests/check_scpd.py --spec ../shared/spec/WANIPConnection-2-2010.txt \
#       --export tests/data/wanipconnection2-model.json
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
python=${PYTHON3:-/usr/bin/python3}
model=$top_srcdir/tests/data/wanipconnection2-model.json
spec=$top_srcdir/../shared/spec/WANIPConnection-2-2010.txt

if [ -f "$spec" ]; then
	echo "check_scpd.sh: mode: spec ($spec) + model drift check"
	exec "$python" "$top_srcdir/tests/check_scpd.py" \
	    --spec "$spec" --model "$model" "$top_srcdir/xml"
fi
echo "check_scpd.sh: mode: model only ($model; spec not found at $spec)"
exec "$python" "$top_srcdir/tests/check_scpd.py" --model "$model" "$top_srcdir/xml"
