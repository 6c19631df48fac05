#!/bin/bash
# Access control and the hardened surface (issue 5), three boxes: the LAN
# host at .10 (a plain control point), .11 (another one), .20 (a configured
# manager), the gateway, and the WAN host.
set -u
. "$(dirname "$0")/lib.sh"

lab_require socat
lab_setup
CP1=$LAN_IP
CP2=$LAN_NET.11
MGR=$LAN_NET.20
lan_add_ip "$CP2"
lan_add_ip "$MGR"
cat >"$WORK/igd2d.conf" <<EOF
manager $MGR/32
# A rule a user would write to open a low port for one host.
allow 80 $CP1/32 80
allow 1024-65535 $LAN_NET.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
max_mappings_per_client = 3
EOF
daemon_start -f "$WORK/igd2d.conf"
CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn
EVT=http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn
ST=urn:schemas-upnp-org:service:WANIPConnection:2
R=$WORK/r.json

soap() {	# FROM ACTION ARGS...
	local from=$1
	shift
	in_lan $PY "$HERE/ssdp.py" soap "$CTL" "$ST" "$@" --from "$from" >"$R"
}
add() {	# FROM EXT INT CLIENT [PROTO]
	soap "$1" AddPortMapping NewRemoteHost= NewExternalPort="$2" \
	    NewProtocol="${5-TCP}" NewInternalPort="$3" NewInternalClient="$4" \
	    NewEnabled=1 NewPortMappingDescription=p NewLeaseDuration=600
}
del() { soap "$1" DeletePortMapping NewRemoteHost= NewExternalPort="$2" \
    NewProtocol="${3-TCP}"; }
spec() { soap "$1" GetSpecificPortMappingEntry NewRemoteHost= \
    NewExternalPort="$2" NewProtocol=TCP; }
is() {	# python-expression what
	$PY -c "import json,sys; r=json.load(open('$R')); a=dict(r.get('args',[])); \
sys.exit(0 if ($1) else 1)" || fail "$2: $(cat "$R")"
}
ok() { is "r.get('status') == 200" "$1"; }
code() { is "r.get('code') == $1" "$2"; }

# Two boxes: .10 maps for itself.
add "$CP1" 5000 5000 "$CP1"
ok "CP .10 maps for itself"
pass "a control point maps a port to itself (WIC-111)"

# .11 may neither add for, delete, nor read .10's mapping (state unchanged).
add "$CP2" 5001 5001 "$CP1"
code 606 ".11 adding for .10"
del "$CP2" 5000
code 606 ".11 deleting .10's mapping"
spec "$CP2" 5000
code 606 ".11 reading .10's mapping"
soap "$CP2" GetGenericPortMappingEntry NewPortMappingIndex=0
code 606 ".11 reading .10's entry by index (VC-03)"
spec "$CP1" 5000
ok ".10's mapping is still there"
add "$CP2" 5000 5000 "$CP2"
code 718 ".11 taking .10's port"
pass "another LAN host gets 606 for add/delete/read of .10's mapping, and nothing changes (WIC-108, WIC-140, WIC-146, WIC-158, WIC-180, VC-03, VC-04, SEC-01)"

# Ports below 1024: refused unless a rule allows them.
add "$CP2" 80 80 "$CP2"
code 606 ".11 mapping port 80"
add "$CP1" 81 81 "$CP1"
code 606 ".10 mapping port 81 (no rule)"
add "$CP1" 80 80 "$CP1"
ok ".10 mapping port 80, allowed by 'allow 80 $CP1/32 80'"
in_gw iptables-legacy-save -t nat | grep -q -- "--dport 80 -j DNAT --to-destination $CP1:80" ||
    fail "no DNAT for the rule-allowed port 80"
pass "ports < 1024 refused by default, allowed by an allow rule for that host (WIC-112, WIC-159, SEC-02)"

# A manager does 3-box mappings and lists with NewManage=1.
add "$MGR" 6000 6000 "$CP2"
ok "the manager maps for .11"
spec "$CP2" 6000
ok ".11 reads the mapping the manager made for it"
soap "$MGR" GetListOfPortMappings NewStartPort=1 NewEndPort=65535 \
    NewProtocol=TCP NewManage=1 NewNumberOfPorts=0
is "r.get('status') == 200 and a['NewPortListing'].count('<p:PortMappingEntry>') == 3" \
    "manager listing with NewManage=1 (3 entries)"
soap "$MGR" GetListOfPortMappings NewStartPort=1 NewEndPort=65535 \
    NewProtocol=TCP NewManage=0 NewNumberOfPorts=0
code 730 "manager listing with NewManage=0 (none of its own)"
soap "$CP2" GetListOfPortMappings NewStartPort=1 NewEndPort=65535 \
    NewProtocol=TCP NewManage=1 NewNumberOfPorts=0
is "r.get('status') == 200 and a['NewPortListing'].count('<p:PortMappingEntry>') == 1" \
    ".11's NewManage=1 is ignored: only its own entry"
del "$MGR" 6000
ok "the manager deletes .11's mapping"
pass "a configured manager maps for another host and lists everything with NewManage=1; NewManage from others is ignored (VC-01, WIC-110, WIC-114, WIC-185, WIC-196)"

# Quota: max_mappings_per_client = 3.
add "$CP2" 7001 7001 "$CP2"
add "$CP2" 7002 7002 "$CP2"
add "$CP2" 7003 7003 "$CP2"
ok "third mapping of .11"
add "$CP2" 7004 7004 "$CP2"
code 728 ".11's fourth mapping"
add "$CP2" 7003 7003 "$CP2"
ok "refreshing an existing mapping at the quota"
pass "max_mappings_per_client: the fourth mapping of a client gets 728, a refresh still works (VC-21, WIC-157)"

# The WAN host: SOAP and SUBSCRIBE get nothing, to either address.
in_wan ip route add "$LAN_NET.0/24" via "$GW_WAN_IP"
for host in "$GW_WAN_IP" "$GW_LAN_IP"; do
	if in_wan $PY "$HERE/ssdp.py" soap "http://$host:$HTTP_PORT/ctl/IPConn" \
	    "$ST" GetExternalIPAddress >"$R"; then
		fail "SOAP from the WAN to $host answered: $(cat "$R")"
	fi
	if in_wan $PY "$HERE/ssdp.py" subscribe \
	    "http://$host:$HTTP_PORT/evt/IPConn" "http://$WAN_IP:8999/" >"$R"; then
		fail "SUBSCRIBE from the WAN to $host answered: $(cat "$R")"
	fi
done
pass "SOAP and SUBSCRIBE from the WAN host get no answer (WIC-088, VC-47)"

# answered NS FROM PORT: whether a description GET sent from address FROM
# in namespace NS to the gateway's LAN address and PORT gets any answer.
answered() {
	ip netns exec "$1" $PY - "$2" "$GW_LAN_IP" "$3" <<'EOF'
import socket, sys
s = socket.socket()
s.bind((sys.argv[1], 0))
s.settimeout(2)
try:
    s.connect((sys.argv[2], int(sys.argv[3])))
    s.sendall(b"GET /rootDesc2.xml HTTP/1.1\r\nHost: x\r\n\r\n")
    sys.exit(0 if s.recv(100) else 1)
except OSError:
    sys.exit(1)
EOF
}
# drops FIELD VALUE PORT: the packet count of the guard's DROP rule for
# PORT whose FIELD (of iptables -L -v) is VALUE.
drops() {
	in_gw iptables-legacy -w -L IGD2D-INPUT -n -v -x |
	    awk -v f="$1" -v v="$2" '$3 == "DROP" && $f == v && /dpt:'"$3"'$/ {print $1}'
}

# A source outside the LAN subnet on the LAN link: the description GET is
# dropped by the daemon's guard (its counter moves) and never answered.
in_lan ip addr add 198.51.100.7/32 dev lan0
in_gw ip route add 198.51.100.7/32 dev "$GW_LAN_IF"
before=$(drops 8 "!$LAN_NET.0/24" "$HTTP_PORT")
answered "$NS_LAN" 198.51.100.7 "$HTTP_PORT" &&
    fail "description served to a source outside the LAN subnet"
after=$(drops 8 "!$LAN_NET.0/24" "$HTTP_PORT")
[ -n "$before" ] && [ "$after" -gt "$before" ] ||
    fail "the LAN-source guard did not drop it (counter $before -> $after)"
pass "a request from outside the LAN subnet, on the LAN link, is dropped by the guard and never answered (WIC-088, VC-47)"

# libupnp's internal port is for the front alone (it relays SUBSCRIBE
# there over lo): it answers on the gateway itself, but a LAN host inside
# the subnet gets nothing, and the guard's "! -i lo" rule is what drops
# it. The SUBSCRIBE below still works through the front.
UPNP_PORT=$(sed -n 's/.*fw: tcp \([0-9]*\) (libupnp) dropped but on lo.*/\1/p' \
    "$WORK/daemon.log" | head -n 1)
[ -n "$UPNP_PORT" ] && [ "$UPNP_PORT" != "$HTTP_PORT" ] ||
    fail "no internal libupnp port in the daemon log"
answered "$NS_GW" "$GW_LAN_IP" "$UPNP_PORT" ||
    fail "libupnp's internal port $UPNP_PORT does not answer on the gateway"
before=$(drops 6 '!lo' "$UPNP_PORT")
answered "$NS_LAN" "$CP1" "$UPNP_PORT" &&
    fail "a LAN host got an answer from libupnp's internal port $UPNP_PORT"
after=$(drops 6 '!lo' "$UPNP_PORT")
[ -n "$before" ] && [ "$after" -gt "$before" ] ||
    fail "the internal-port guard did not drop it (counter $before -> $after)"
pass "libupnp's internal port $UPNP_PORT answers on the gateway; a LAN host's connection is dropped by the guard"

# CallStranger: a LAN SUBSCRIBE with a CALLBACK on the WAN host; after a
# mapping change nothing reaches a listener there within 5 s.
in_wan $PY "$HERE/ssdp.py" httplisten "$WAN_IP" 8999 8 >"$WORK/listen.json" &
LISTENER=$!
wait_until 3 grep -qs listening "$WORK/listen.json" || fail "WAN listener"
in_lan $PY "$HERE/ssdp.py" subscribe "$EVT" "http://$WAN_IP:8999/" \
    --from "$CP1" >"$R"
add "$CP1" 5005 5005 "$CP1"
ok "a mapping change after the subscription"
wait "$LISTENER"
grep -q '"connections": 0' "$WORK/listen.json" ||
    fail "CallStranger: NOTIFY reached the WAN host: $(cat "$WORK/listen.json")"
wait_until 3 grep -q "refused .* event deliveries" "$WORK/daemon.log" ||
    fail "no log line about the refused deliveries"
pass "SUBSCRIBE with a WAN CALLBACK: no NOTIFY reaches the WAN host (CallStranger, CVE-2020-12695, SEC-05)"

# SSDP amplification: 1000 M-SEARCHes in about a second from one source
# are answered at most ssdp_burst + ssdp_rate x seconds times (20 + 10 x 1,
# plus 2 for the second's edges: 32 answers for upnp:rootdevice, one
# advertisement each); another source is still answered.
in_lan $PY "$HERE/ssdp.py" flood "$CP1" "$GW_LAN_IP" 1000 upnp:rootdevice 3 \
    >"$R" || fail "flood"
$PY -c "import json,sys; r=json.load(open('$R')); \
sys.exit(0 if 1 <= r['answers'] <= 20 + 10 * r['seconds'] + 2 else 1)" ||
    fail "SSDP flood: $(cat "$R")"
n=$($PY -c "import json; print(json.load(open('$R'))['answers'])")
in_lan $PY "$HERE/ssdp.py" flood "$CP2" "$GW_LAN_IP" 1 upnp:rootdevice 2 \
    >"$R" || fail "second source"
grep -q '"answers": 1' "$R" || fail "another source was not answered: $(cat "$R")"
pass "1000 M-SEARCHes in one second from one LAN source: $n answers (at most 32); another source is still answered (SEC-06)"

# The daemon still serves the LAN.
soap "$CP1" GetExternalIPAddress
ok "still serving"
daemon_stop || fail "daemon did not exit 0"
exit 0
