#!/bin/bash
# Leases that survive a restart (issue 6): the lease file is written before
# each success answer, so after a kill -9 in the middle of a burst of
# changes every acknowledged mapping comes back with its remaining lease,
# rules and all; a damaged lease file costs only its bad lines.
set -u
. "$(dirname "$0")/lib.sh"

lab_require upnpc socat iptables-legacy-save
lab_setup
CP=$LAN_IP
LEASES=$WORK/state/leases
ACKS=$WORK/acks
daemon_start -o hairpin=no
CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn
UPNPC() { in_lan timeout 15 upnpc -i -u "$DESC_URL" "$@"; }
check() {
	in_lan $PY "$HERE/persist.py" check "$CTL" "$CP" "$ACKS" "$GW_WAN_IF" \
	    ip netns exec "$NS_GW" iptables-legacy-save
}
reach() { wan_reaches "$CP" "$1" "$1"; }	# PORT, the same on both sides

# --- 50 mappings by upnpc ------------------------------------------------------
: >"$ACKS"
for i in $(seq 0 49); do
	p=$((40000 + i))
	sent=$(date +%s.%N)
	UPNPC -e "upnpc $i" -a "$CP" $p $p TCP 600 >"$WORK/upnpc.out" 2>&1 ||
	    { cat "$WORK/upnpc.out"; fail "upnpc -a $p"; }
	grep -q "is redirected to internal" "$WORK/upnpc.out" ||
	    { cat "$WORK/upnpc.out"; fail "upnpc -a $p: no success"; }
	echo "add $p $sent $(date +%s.%N)" >>"$ACKS"
done
[ "$(grep -c '^map ' "$LEASES")" = 50 ] || fail "the lease file does not hold 50 mappings"
pass "50 mappings by upnpc, each in the lease file"

# --- kill -9 in the middle of a burst ------------------------------------------
in_lan $PY "$HERE/persist.py" burst "$CTL" "$CP" "$ACKS" 20 &
BURST=$!
wait_until 10 sh -c "[ \$(grep -c '^add 41' '$ACKS') -ge 20 ]" ||
    fail "the burst does not get going"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
wait $BURST
acked=$(grep -c '^add 41\|^del ' "$ACKS")
[ -e "$LEASES.tmp" ] && echo "# a temporary file was left by the crash (ignored)"
daemon_start -o hairpin=no
grep "persist: " "$WORK/daemon.log" | head -n 3
check >"$WORK/check.out" || { cat "$WORK/check.out"; fail "after kill -9"; }
cat "$WORK/check.out"
reach 40049 || fail "an upnpc mapping does not forward after the restart"
in_lan $PY "$HERE/ssdp.py" gena "http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn" \
    "$CP" 2 "$WORK/ev.json"
grep -q '"SystemUpdateID": "0"' "$WORK/ev.json" ||
    fail "SystemUpdateID after a restore: $(cat "$WORK/ev.json")"
reach 41003 || fail "a burst mapping does not forward after the restart"
pass "kill -9 during a burst ($acked changes acknowledged): every acknowledged mapping is back with its lease (+-2 s), forwarding, and the kernel matches the table; SystemUpdateID starts at 0 (WIC-060, VC-13)"

# --- a damaged lease file ----------------------------------------------------------
daemon_stop || fail "daemon exit status"
total=$(grep -c '^map ' "$LEASES")
[ "$total" -ge 50 ] || fail "only $total mappings in the file after a stop"
# Line 3 gets a bad protocol; the file loses the end of its last line.
sed -i '3s/proto=TCP/proto=XTP/' "$LEASES"
size=$(stat -c %s "$LEASES")
truncate -s $((size - 25)) "$LEASES"
lines=$(wc -l <"$LEASES")
daemon_start -o hairpin=no
grep -q "leases:3: proto: expected TCP or UDP; line skipped" "$WORK/daemon.log" ||
    fail "no file:line for the bad line: $(grep leases "$WORK/daemon.log")"
grep -q "leases:$((lines + 1)): truncated line" "$WORK/daemon.log" ||
    fail "no file:line for the truncated line: $(grep leases "$WORK/daemon.log")"
grep -q "persist: .* $((total - 2)) mappings restored, 0 expired, 0 dropped, 2 bad lines" \
    "$WORK/daemon.log" || fail "restore counts: $(grep 'persist: ' "$WORK/daemon.log")"
in_lan $PY "$HERE/consistency.py" "$CTL" "$CP" "$CP" "$GW_WAN_IF" 0 1 \
    ip netns exec "$NS_GW" iptables-legacy-save >"$WORK/c.out" ||
    { cat "$WORK/c.out"; fail "table and kernel differ after a damaged file"; }
in_gw "$IGD2CTL" -s "$WORK/run/igd2d.sock" status |
    grep -q "^mappings: $((total - 2))$" || fail "not $((total - 2)) mappings"
pass "a damaged lease file: both bad lines reported as file:line, the other $((total - 2)) restored, rules in step"

# The daemon rewrote a clean file (the bad lines are gone with the next write).
wait_until 5 sh -c "[ \$(grep -c '^map ' '$LEASES') = $((total - 2)) ] && ! grep -q XTP '$LEASES'" ||
    fail "the lease file was not rewritten"
pass "the lease file is rewritten without the bad lines"

# --- leases that ran out while the daemon was down ---------------------------------
daemon_stop || fail "daemon exit status"
now=$(date +%s)
sed -i "1,5s/expires=[0-9]*/expires=$((now - 1))/" "$LEASES"
n=$(grep -c '^map ' "$LEASES")
expired=$(head -n 5 "$LEASES" | grep -c '^map ')
daemon_start -o hairpin=no
grep -q "persist: .* $((n - expired)) mappings restored, $expired expired" \
    "$WORK/daemon.log" || fail "expiry at restore: $(grep 'persist: ' "$WORK/daemon.log")"
pass "mappings whose lease ran out while the daemon was down are not restored ($expired)"

# --- persist = no ------------------------------------------------------------------
daemon_stop || fail "daemon exit status"
cp "$LEASES" "$WORK/leases.before"
daemon_start -o hairpin=no -o persist=no
UPNPC -a "$CP" 45000 45000 TCP 600 >/dev/null 2>&1 || fail "upnpc -a"
in_gw "$IGD2CTL" -s "$WORK/run/igd2d.sock" status | grep -q "^mappings: 1$" ||
    fail "persist = no restored mappings"
cmp -s "$LEASES" "$WORK/leases.before" || fail "persist = no wrote the lease file"
pass "persist = no: nothing restored, nothing written"
daemon_stop || fail "daemon exit status"
