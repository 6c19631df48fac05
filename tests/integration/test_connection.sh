#!/bin/bash
# The connection (issue 9): monitor mode on a real link, emulate mode for
# labs, and WANCommonInterfaceConfig's counters from the real interface.
set -u
. "$(dirname "$0")/lib.sh"

lab_require socat
lab_setup
ST=urn:schemas-upnp-org:service:WANIPConnection:2
CST=urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1
R=$WORK/r.json
soap() { in_lan $PY "$HERE/ssdp.py" soap "$CTL" "$ST" "$@" >"$R"; }
csoap() { in_lan $PY "$HERE/ssdp.py" soap "$CCTL" "$CST" "$@" >"$R"; }
is() {
	$PY -c "import json,sys; r=json.load(open('$R')); a=dict(r.get('args',[])); \
sys.exit(0 if ($1) else 1)" || fail "$2: $(cat "$R")"
}
status_is() {
	in_lan $PY "$HERE/ssdp.py" soap "$CTL" "$ST" GetStatusInfo |
	    grep -q "\"$1\""
}
start() {
	daemon_start "$@"
	CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn
	CCTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/CmnIfCfg
}

# --- monitor mode ---------------------------------------------------------
start
soap RequestTermination
is "r.get('code') == 606" "RequestTermination from a plain CP (VC-02)"
soap SetConnectionType NewConnectionType=Bogus
is "r.get('code') == 601" "SetConnectionType with an unknown value"
soap GetWarnDisconnectDelay
is "r.get('status') == 200 and a['NewWarnDisconnectDelay'] == '0'" "GetWarnDisconnectDelay"
pass "monitor mode: termination is for managers (606), an unknown type 601 before policy, the timers read back (VC-02, VC-30, VC-37)"
# WIC-109: the IGD2 default access levels: every action that changes the
# connection is a manager's; the reads are open to any LAN control point.
for act in "ForceTermination" "SetConnectionType NewConnectionType=IP_Routed" \
    "SetAutoDisconnectTime NewAutoDisconnectTime=10" \
    "SetIdleDisconnectTime NewIdleDisconnectTime=10" \
    "SetWarnDisconnectDelay NewWarnDisconnectDelay=10"; do
	# shellcheck disable=SC2086
	soap $act
	is "r.get('code') == 606" "${act%% *} from a plain CP"
done
for t in Auto Idle; do
	soap Get${t}DisconnectTime
	is "r.get('status') == 200 and a['New${t}DisconnectTime'] == '0'" \
	    "Get${t}DisconnectTime from a plain CP, unchanged"
done
soap GetStatusInfo
is "a.get('NewConnectionStatus') == 'Connected'" "still Connected after the refusals"
pass "a plain CP: ForceTermination, SetConnectionType and the three timer setters 606, nothing changed; the getters open (WIC-109)"
daemon_stop || fail "stop"

start -o open_connection_control=yes
soap RequestTermination
is "r.get('code') == 501" "RequestTermination of an always-on link"
soap ForceTermination
is "r.get('code') == 501" "ForceTermination of an always-on link"
soap SetConnectionType NewConnectionType=IP_Routed
is "r.get('code') == 731" "SetConnectionType in monitor mode"
soap SetAutoDisconnectTime NewAutoDisconnectTime=3600
is "r.get('status') == 200" "SetAutoDisconnectTime"
soap GetAutoDisconnectTime
is "a.get('NewAutoDisconnectTime') == '3600'" "GetAutoDisconnectTime"
soap SetIdleDisconnectTime NewIdleDisconnectTime=120
is "r.get('status') == 200" "SetIdleDisconnectTime"
soap GetIdleDisconnectTime
is "a.get('NewIdleDisconnectTime') == '120'" "GetIdleDisconnectTime"
soap SetWarnDisconnectDelay NewWarnDisconnectDelay=5
is "r.get('status') == 200" "SetWarnDisconnectDelay"
soap GetWarnDisconnectDelay
is "a.get('NewWarnDisconnectDelay') == '5'" "GetWarnDisconnectDelay"
soap GetStatusInfo
is "a.get('NewConnectionStatus') == 'Connected'" "still connected"
pass "monitor mode: terminating a real link is refused with 501, SetConnectionType 731, no fake success; the optional timer actions set and read back (VC-38, VC-37, WIC-134, WIC-117, WIC-129, VC-36)"

# Counters: GetTotalBytesReceived grows by at least what crosses the WAN.
csoap GetTotalBytesReceived
before=$($PY -c "import json; print(dict(json.load(open('$R'))['args'])['NewTotalBytesReceived'])")
# 200 datagrams of 1400 bytes from an unconnected socket (an ICMP port
# unreachable in return does not stop it).
in_wan $PY -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(200):
    s.sendto(b'x' * 1400, ('$GW_WAN_IP', 9))
" || fail "sending through the WAN"
csoap GetTotalBytesReceived
after=$($PY -c "import json; print(dict(json.load(open('$R'))['args'])['NewTotalBytesReceived'])")
[ $(( (after - before) & 0xffffffff )) -ge 280000 ] ||
    fail "GetTotalBytesReceived grew by $((after - before)), sent 280000"
csoap GetCommonLinkProperties
is "a.get('NewPhysicalLinkStatus') == 'Up' and a.get('NewWANAccessType') == 'Ethernet'" \
    "GetCommonLinkProperties"
# rtnetlink: a new WAN address is evented within 1 s; PhysicalLinkStatus
# follows the link.
in_lan $PY "$HERE/ssdp.py" gena "http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn" \
    "$LAN_IP" 6 "$WORK/ip-events.json" &
G1=$!
in_lan $PY "$HERE/ssdp.py" gena "http://$GW_LAN_IP:$HTTP_PORT/evt/CmnIfCfg" \
    "$LAN_IP" 6 "$WORK/link-events.json" &
G2=$!
wait_until 5 grep -qs '"vars"' "$WORK/ip-events.json" || fail "no initial event"
wait_until 5 grep -qs '"vars"' "$WORK/link-events.json" ||
    fail "no initial WANCommonInterfaceConfig event"
in_gw sysctl -qw "net.ipv4.conf.$GW_WAN_IF.promote_secondaries=1"
t0=$($PY -c 'import time; print(time.monotonic())')
in_gw ip addr add "$WAN_NET.7/24" dev "$GW_WAN_IF"
in_gw ip addr del "$GW_WAN_IP/24" dev "$GW_WAN_IF"
wait_until 3 grep -q "\"ExternalIPAddress\": \"$WAN_NET.7\"" "$WORK/ip-events.json" ||
    fail "address change not evented"
in_gw ip link set "$GW_WAN_IF" down
sleep 0.5
in_gw ip link set "$GW_WAN_IF" up
wait "$G1" "$G2"
$PY - "$WORK/ip-events.json" "$WORK/link-events.json" "$t0" "$WAN_NET.7" <<'EOF' ||
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"vars"' in l]
t = [e["t"] for e in ev if e["vars"].get("ExternalIPAddress") == sys.argv[4]]
late = t[0] - float(sys.argv[3])
if late > 1.0:
    sys.exit("ExternalIPAddress evented %.2f s after the change" % late)
link = [json.loads(l)["vars"].get("PhysicalLinkStatus")
        for l in open(sys.argv[2]) if '"vars"' in l]
link = [x for x in link if x]
if link[:1] != ["Up"] or "Down" not in link or link[-1] != "Up":
    sys.exit("PhysicalLinkStatus events %r" % link)
print("ok - ExternalIPAddress evented %.2f s after the change; "
      "PhysicalLinkStatus %s" % (late, " -> ".join(link)))
EOF
    fail "WAN events"
pass "rtnetlink: ExternalIPAddress evented within 1 s of the change, PhysicalLinkStatus Down/Up evented (WIC-045)"
in_gw ip addr add "$GW_WAN_IP/24" dev "$GW_WAN_IF"

pass "WANCommonInterfaceConfig: GetTotalBytesReceived grew by $(( (after - before) & 0xffffffff )) for 280000 bytes sent through the WAN; link Up"
daemon_stop || fail "stop"

# external_ip: reported instead of the interface's address (double NAT).
start -o external_ip=198.51.100.7
soap GetExternalIPAddress
is "a.get('NewExternalIPAddress') == '198.51.100.7'" "external_ip override"
daemon_stop || fail "stop"
pass "external_ip overrides the address reported to control points"

# --- emulate mode: a port forward follows the emulated connection ----------
start -o wan_mode=emulate -o open_connection_control=yes \
    -o connect_delay=1 -o disconnect_delay=0
wait_until 5 status_is Connected || fail "emulate mode did not reach Connected"
ip netns exec "$NS_LAN" timeout 60 socat TCP-LISTEN:8080,reuseaddr,fork \
    SYSTEM:'echo through' &
disown
wait_until 5 sh -c "ip netns exec $NS_LAN ss -Hltn 'sport = :8080' | grep -q ." ||
    fail "listener"
reach() { [ "$(in_wan timeout 3 socat -t 1 - TCP:$GW_WAN_IP:18080,connect-timeout=2 \
    </dev/null 2>/dev/null)" = through ]; }
soap AddPortMapping NewRemoteHost= NewExternalPort=18080 NewProtocol=TCP \
    NewInternalPort=8080 NewInternalClient="$LAN_IP" NewEnabled=1 \
    NewPortMappingDescription=emu NewLeaseDuration=600
is "r.get('status') == 200" "AddPortMapping"
reach || fail "the mapping does not forward while Connected"
in_lan $PY "$HERE/ssdp.py" gena "http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn" \
    "$LAN_IP" 8 "$WORK/events.json" &
GENA=$!
wait_until 5 grep -qs '"vars"' "$WORK/events.json" || fail "no initial event"
soap ForceTermination
is "r.get('status') == 200" "ForceTermination"
wait_until 3 status_is Disconnected ||
    fail "not Disconnected after ForceTermination"
reach && fail "still forwarding while Disconnected"
soap GetSpecificPortMappingEntry NewRemoteHost= NewExternalPort=18080 NewProtocol=TCP
is "r.get('status') == 200" "the mapping stays in the table while Disconnected (VC-45)"
soap GetStatusInfo
is "a.get('NewLastConnectionError') == 'ERROR_FORCED_DISCONNECT' and a.get('NewUptime') == '0'" \
    "LastConnectionError/Uptime after ForceTermination"
# WIC-119: GetConnectionTypeInfo reads the current type, changing nothing.
soap GetConnectionTypeInfo
is "a == {'NewConnectionType': 'IP_Routed', 'NewPossibleConnectionTypes': 'IP_Routed,IP_Bridged'}" \
    "GetConnectionTypeInfo in emulate mode"
soap SetConnectionType NewConnectionType=IP_Bridged
is "r.get('status') == 200" "SetConnectionType IP_Bridged while Disconnected"
soap GetConnectionTypeInfo
is "a == {'NewConnectionType': 'IP_Bridged', 'NewPossibleConnectionTypes': 'IP_Routed,IP_Bridged'}" \
    "GetConnectionTypeInfo after SetConnectionType"
soap GetStatusInfo
is "a.get('NewConnectionStatus') == 'Disconnected'" "GetConnectionTypeInfo changed the status"
soap SetConnectionType NewConnectionType=IP_Routed
is "r.get('status') == 200" "SetConnectionType IP_Routed"
pass "GetConnectionTypeInfo returns the current type and the possible ones, and changes nothing (WIC-119)"
soap RequestConnection
is "r.get('status') == 200" "RequestConnection"
wait_until 5 status_is Connected || fail "not Connected again"
wait_until 3 reach || fail "forwarding not restored after RequestConnection"
wait "$GENA"
$PY - "$WORK/events.json" <<'EOF' || fail "connection events"
import json, sys
seq = [json.loads(l)["vars"].get("ConnectionStatus") for l in open(sys.argv[1])
       if '"vars"' in l]
seq = [s for s in seq if s]
want = ["Connected", "Disconnecting", "Disconnected", "Connecting", "Connected"]
if seq != want:
    sys.exit("ConnectionStatus events %r, want %r" % (seq, want))
EOF
# SetEnabledForInternet 0 ends the emulated connection; RequestConnection
# then gets 709 until it is enabled again.
csoap SetEnabledForInternet NewEnabledForInternet=0
is "r.get('status') == 200" "SetEnabledForInternet 0"
csoap GetEnabledForInternet
is "a.get('NewEnabledForInternet') == '0'" "GetEnabledForInternet after 0"
wait_until 3 status_is Disconnected || fail "not Disconnected after SetEnabledForInternet 0"
soap RequestConnection
is "r.get('code') == 709" "RequestConnection while disabled"
csoap SetEnabledForInternet NewEnabledForInternet=1
is "r.get('status') == 200" "SetEnabledForInternet 1"
pass "SetEnabledForInternet 0 disconnects the emulated link, RequestConnection then gets 709 InternetAccessDisabled"

pass "emulate mode: ForceTermination stops a working port forward (the mapping stays listed), RequestConnection restores it; every transition evented, Connected again at the end (VC-45, VC-39, WIC-043, WIC-082, WIC-044, WIC-122)"
daemon_stop || fail "stop"

# WIC-073: RequestConnection answers at once, even when setting the
# connection up takes longer than UDA's 30 s: the outcome comes later.
start -o wan_mode=emulate -o open_connection_control=yes \
    -o connect_delay=45 -o disconnect_delay=0
wait_until 3 status_is Connecting || fail "emulate mode did not start Connecting"
soap ForceTermination
is "r.get('status') == 200" "ForceTermination while Connecting"
wait_until 3 status_is Disconnected || fail "not Disconnected after ForceTermination"
t0=$(date +%s%N)
soap RequestConnection
t1=$(date +%s%N)
is "r.get('status') == 200" "RequestConnection with a 45 s setup"
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 5000 ] || fail "RequestConnection took $ms ms to answer"
soap GetStatusInfo
is "a.get('NewConnectionStatus') == 'Connecting'" "Connecting after the answer"
pass "RequestConnection with a 45 s setup answers 200 in $ms ms; the status is Connecting (WIC-073)"
daemon_stop || fail "stop"
exit 0
