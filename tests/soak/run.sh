#!/bin/bash
# Soak (issue 8; `make soak`, not part of make check): 8 concurrent clients
# from two LAN addresses doing random add/any-add/delete/range-delete/get/
# list with short leases for SOAK_SECONDS (600 unless set), plus a GENA
# subscriber.  tests/soak/soak.py checks table = kernel rules =
# PortMappingNumberOfEntries, SystemUpdateID rising strictly from event to
# event and VmRSS after the first minute within 10 %.  The figures go to
# stdout and, as JSON, to SOAK_OUT if set.  Needs root.
set -u
. "$(dirname "$0")/../integration/lib.sh"

SECONDS_RUN=${SOAK_SECONDS:-600}
lab_require iptables-legacy-save
lab_setup
lan_add_ip "$LAN_NET.11"
# The table/kernel comparison covers the WAN rules only (as
# test_consistency.sh does).
# The per-source HTTP limits (test_starvation.sh) would throttle 4 clients
# per address at 1000 actions/s: the soak measures the daemon behind them.
daemon_start -o hairpin=no -o http_conn_limit=0 -o http_conn_rate=0
echo "soak: $SECONDS_RUN s, daemon pid $DAEMON_PID"
in_lan "$PY" "$(dirname "$0")/soak.py" soak \
    "http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn" \
    "http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn" "$LAN_IP" "$LAN_NET.11" \
    "$GW_WAN_IF" "$DAEMON_PID" "$SECONDS_RUN" "${SOAK_SEED:-$$}" \
    "$WORK/soak.json" ip netns exec "$NS_GW" iptables-legacy-save
rc=$?
[ -n "${SOAK_OUT:-}" ] && cp "$WORK/soak.json" "$SOAK_OUT"
echo "soak: daemon warnings and errors, by kind:"
grep -E '^igd2d: (warning|error|crit)' "$WORK/daemon.log" |
    sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn | head -n 10
daemon_stop || fail "daemon did not exit 0 after the soak"
if in_gw iptables-legacy-save | grep -q IGD2D; then
	fail "daemon chains left after stop"
fi
[ $rc -eq 0 ] || fail "soak conditions (above)"
pass "soak: $SECONDS_RUN s of 8 clients: table = kernel = count, SystemUpdateID rising, VmRSS within 10 %"
