#!/bin/bash
# Table and kernel agree (issue 4): 300 random add/overwrite/delete/
# disable/enable operations from two LAN control points, while an
# administrator's `iptables -w` loop adds rules of its own; afterwards the
# kernel holds exactly the rules the daemon's table implies and every
# administrator rule, and after the daemon stops none of its chains.
set -u
. "$(dirname "$0")/lib.sh"

lab_require iptables-legacy iptables-legacy-save
lab_setup
lan_add_ip "$LAN_NET.11"
# The table/kernel comparison covers the WAN rules; hairpin is tested in
# test_portmap.sh and test_fw_map.sh.
daemon_start -o hairpin=no
CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn

# The administrator's loop: 100 rules, each with `iptables -w`.
(
	for i in $(seq 1 100); do
		ip netns exec "$NS_GW" iptables-legacy -w -A INPUT \
		    -s "10.99.$((i / 250)).$((i % 250 + 1))" -j ACCEPT || exit 1
	done
) &
ADMIN=$!
in_lan $PY "$HERE/consistency.py" "$CTL" "$LAN_IP" "$LAN_NET.11" \
    "$GW_WAN_IF" 300 "$$" ip netns exec "$NS_GW" iptables-legacy-save \
    >"$WORK/consistency.out" 2>&1
rc=$?
wait "$ADMIN" || fail "the administrator's iptables -w loop failed"
cat "$WORK/consistency.out"
[ $rc -eq 0 ] || fail "kernel rules differ from the table"
n=$(in_gw iptables-legacy-save -t filter | grep -c -- '-A INPUT -s 10\.99\.')
[ "$n" -eq 100 ] || fail "$n of the administrator's 100 rules are left"
pass "300 random operations from two control points while iptables -w adds 100 rules: kernel = table, no administrator rule lost"

# The kernel refuses (our FORWARD chain was removed behind the daemon's
# back): the control point gets 501, the table is unchanged and no nat rule
# of the refused mapping stays (issue 4: atomic, never disagree).
in_gw iptables-legacy -w -D FORWARD -j IGD2D-FORWARD
in_gw iptables-legacy -w -F IGD2D-FORWARD
in_gw iptables-legacy -w -X IGD2D-FORWARD
SOAP="$PY $HERE/ssdp.py soap $CTL urn:schemas-upnp-org:service:WANIPConnection:2"
in_lan $SOAP AddPortMapping NewRemoteHost= NewExternalPort=31000 \
    NewProtocol=TCP NewInternalPort=5000 NewInternalClient="$LAN_IP" \
    NewEnabled=1 NewPortMappingDescription=refused NewLeaseDuration=600 \
    --from "$LAN_IP" >"$WORK/r.json"
grep -q '"code": 501' "$WORK/r.json" || fail "refused commit: $(cat "$WORK/r.json")"
in_lan $SOAP GetSpecificPortMappingEntry NewRemoteHost= NewExternalPort=31000 \
    NewProtocol=TCP --from "$LAN_IP" >"$WORK/r.json"
grep -q '"code": 714' "$WORK/r.json" || fail "refused mapping is in the table"
if in_gw iptables-legacy-save -t nat | grep -q -- '--dport 31000'; then
	fail "nat rules of the refused mapping were left"
fi
grep -q "nat: add TCP 31000: filter/IGD2D-FORWARD" "$WORK/daemon.log" ||
    fail "no log line saying why the kernel refused"
pass "kernel refuses a change: 501, table unchanged, no half-installed rule, a log line says why"

daemon_stop || fail "daemon did not exit 0"
if in_gw iptables-legacy-save | grep -q IGD2D; then
	fail "daemon chains or rules left after stop"
fi
n=$(in_gw iptables-legacy-save -t filter | grep -c -- '-A INPUT -s 10\.99\.')
[ "$n" -eq 100 ] || fail "stop removed administrator rules ($n left)"
pass "after stop: no IGD2D chain, jump or rule; the administrator's rules stay"
exit 0
