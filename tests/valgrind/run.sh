#!/bin/bash
# Valgrind run (issue 8; `make valgrind`, not part of make check): the real
# daemon under memcheck in the namespace lab, driven through a scripted
# run: start (restoring a lease file, with a static mapping), 200 mixed
# actions (upnpc and raw SOAP, from two LAN
# addresses), GENA subscribe/receive/renew/unsubscribe, expiry of short
# leases, listings to readers that stop or read slowly, every igd2ctl
# command and a reload, SIGTERM.  Fails on any
# definite or indirect leak, any invalid
# read or write, any other memcheck error and on a non-zero exit.
# tests/valgrind/igd2d.supp suppresses only what is proven to be inside
# libupnp/libixml/libc.  The log is kept in VALGRIND_LOG if set.  Needs
# root.
set -u
. "$(dirname "$0")/../integration/lib.sh"

lab_require valgrind upnpc iptables-legacy-save socat
REAL=$IGD2D
SUPP=$(cd "$(dirname "$0")" && pwd)/igd2d.supp
lab_setup
lan_add_ip "$LAN_NET.11"
CP1=$LAN_IP
CP2=$LAN_NET.11
VG_LOG=$WORK/valgrind.log
cat >"$WORK/igd2d-vg" <<WRAP
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full \\
    --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \\
    --num-callers=30 --gen-suppressions=all --suppressions="$SUPP" \\
    --log-file="$VG_LOG" "$REAL" "\$@"
WRAP
chmod +x "$WORK/igd2d-vg"
IGD2D=$WORK/igd2d-vg
# Under memcheck start-up and the exit's leak search take seconds.
DAEMON_START_WAIT=120
DAEMON_STOP_WAIT=1200
# The restore at start and the configuration's statics run under memcheck
# too: a lease file of three entries (one expired, one bad line) and a
# static mapping.
mkdir -p "$WORK/state"
now=$(date +%s)
cat >"$WORK/state/leases" <<LEASES
# igd2d lease file
map proto=TCP eport=30001 remote= client=$CP1 iport=30001 enabled=1 origin=upnp creator=$CP1 expires=$((now + 600)) desc=restored
map proto=UDP eport=30002 remote= client=$CP2 iport=30002 enabled=1 origin=admin creator=0.0.0.0 expires=0 desc=static%20admin
map proto=TCP eport=30003 remote= client=$CP1 iport=30003 enabled=1 origin=upnp creator=$CP1 expires=$((now - 5)) desc=expired
map proto=XTP eport=30004
LEASES
printf 'static = TCP 2222 %s 22 from the configuration\n' "$CP1" \
    >"$WORK/igd2d.conf"
t0=$(date +%s)
daemon_start -f "$WORK/igd2d.conf" -o http_conn_rate=0 -o http_conn_limit=0 \
    -o max_mappings_per_client=1000
echo "valgrind: daemon started in $(( $(date +%s) - t0 )) s"
grep -q "persist: .* 2 mappings restored, 1 expired, 0 dropped, 1 bad lines" \
    "$WORK/daemon.log" || fail "restore: $(grep persist: "$WORK/daemon.log")"

# --- 20 upnpc runs (each several SOAP actions) ---------------------------
UPNPC() {
	in_lan timeout 60 upnpc -m "$1" -u "$DESC_URL" "${@:2}" \
	    >>"$WORK/upnpc.out" 2>&1
}
n=0
for args in "-s" "-l" "-a $CP1 8080 18080 TCP 600" "-a $CP1 9000 19000 UDP 600" \
    "-a $CP1 8081 18081 TCP 3" "-n $CP1 8082 18080 TCP 600" \
    "-e desc -a $CP1 8083 18083 UDP 600" "-L" "-l" "-d 18080 TCP" \
    "-d 19000 UDP" "-N 18000 18099 TCP" "-N 18000 18099 UDP" "-s" \
    "-r 8084 18084 TCP 8085 UDP" "-l" "-d 18084 TCP" "-d 8085 UDP" \
    "-P" "-L"; do
	# shellcheck disable=SC2086
	UPNPC "$CP1" $args || fail "upnpc $args: $(tail -n 5 "$WORK/upnpc.out")"
	n=$((n + 1))
done
grep -q "ExternalIPAddress = $GW_WAN_IP" "$WORK/upnpc.out" ||
    fail "upnpc -s did not read the WAN address"
echo "valgrind: $n upnpc runs"

# --- 180 raw SOAP actions, GENA, leases of 3 s expiring -----------------
in_lan "$PY" "$(dirname "$0")/../soak/soak.py" script \
    "http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn" \
    "http://$GW_LAN_IP:$HTTP_PORT/ctl/CmnIfCfg" \
    "http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn" \
    "http://$GW_LAN_IP:$HTTP_PORT/evt/CmnIfCfg" "$CP1" "$CP2" 180 \
    "${VALGRIND_SEED:-8}" || fail "scripted actions"
expired=$(grep -c "nat: expired" "$WORK/daemon.log")
echo "valgrind: $expired leases expired"
[ "$expired" -gt 0 ] || fail "no lease expired during the run"

# --- slow readers: answers kept for them, reset, or read 2 KB at a time
# (the front's EPOLLOUT path; test_starvation.sh checks its timing).
in_lan timeout 600 "$PY" "$(dirname "$0")/../integration/starve.py" slowread \
    "http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn" \
    urn:schemas-upnp-org:service:WANIPConnection:2 "$CP2" "$CP1" 500 4 2 60 \
    >"$WORK/slow.json" || fail "starve.py slowread: $(cat "$WORK/slow.json")"
"$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); \
sys.exit(0 if r['after'] and r['steady'] else 1)" "$WORK/slow.json" ||
    fail "slow readers: $(cat "$WORK/slow.json")"
echo "valgrind: slow readers: $(cat "$WORK/slow.json")"

# --- igd2ctl: every command, a malformed line, a reload -----------------
SOCK=$WORK/run/igd2d.sock
ctl() { in_gw "$IGD2CTL" -s "$SOCK" "$@" >>"$WORK/ctl.out" 2>&1; }
ctl status || fail "igd2ctl status"
ctl -j list || fail "igd2ctl list"
ctl add TCP 80 "$CP1" 8080 -d "valgrind" || fail "igd2ctl add"
ctl add UDP 5353 "$CP2" 5353 -l 60 || fail "igd2ctl add with a lease"
ctl delete TCP 80 || fail "igd2ctl delete"
ctl delete TCP 81 && fail "igd2ctl delete of nothing"
printf 'frob\nadd desc=%%zz\nstatus\n' |
    in_gw timeout 10 socat - UNIX-CONNECT:"$SOCK" >>"$WORK/ctl.out"
printf 'deny 0-65535 %s/32 0-65535\nallow 1024-65535 %s.0/24 1024-65535\n' \
    "$CP2" "$LAN_NET" >>"$WORK/igd2d.conf"
ctl reload || fail "igd2ctl reload"
ctl flush || fail "igd2ctl flush"
echo "valgrind: igd2ctl status, list, add, delete, flush, reload, malformed lines"

# --- SIGTERM, then memcheck's verdict ------------------------------------
t0=$(date +%s)
daemon_stop
rc=$?
echo "valgrind: stopped in $(( $(date +%s) - t0 )) s, exit status $rc"
[ -n "${VALGRIND_LOG:-}" ] && cp "$VG_LOG" "$VALGRIND_LOG"
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|suppressed:" \
    "$VG_LOG" | sed 's/^==[0-9]*== */valgrind: /'
grep -E "Invalid (read|write)|uninitialised|Mismatched free|Invalid free" \
    "$VG_LOG" && fail "memcheck found invalid accesses (log above)"
grep -q "ERROR SUMMARY: 0 errors" "$VG_LOG" || fail "memcheck reported errors"
grep -Eq "definitely lost: [1-9]|indirectly lost: [1-9]" "$VG_LOG" &&
    fail "definite or indirect leaks"
[ $rc -eq 0 ] || fail "daemon exit status $rc under valgrind"
pass "valgrind: lease restore, $n upnpc runs, 180 SOAP actions, GENA, $expired expiries, 500 mappings and their listing to slow readers, igd2ctl, reload, SIGTERM: no leak, no invalid access"
