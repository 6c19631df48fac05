#!/bin/bash
# Port mappings end to end (issues 3 and 4): upnpc and raw SOAP from two
# control points on the LAN host (192.168.77.10 and .11), real TCP and UDP
# traffic from the WAN host (203.0.113.2 and .3), GENA events, lease
# expiry, and the kernel rules seen with iptables-legacy-save in the
# gateway namespace.
set -u
. "$(dirname "$0")/lib.sh"

lab_require upnpc socat iptables-legacy iptables-legacy-save
lab_setup
SSDP="$PY $HERE/ssdp.py"
ST=urn:schemas-upnp-org:service:WANIPConnection:2
CP1=$LAN_IP			# 192.168.77.10
CP2=$LAN_NET.11
WAN_IP2=$WAN_NET.3
lan_add_ip "$CP2"
wan_add_ip "$WAN_IP2"
# The gateway forwards from the WAN only what a rule lets through, so the
# daemon's FORWARD rules are exercised too; replies and LAN traffic pass.
in_gw iptables-legacy -w -P FORWARD DROP
in_gw iptables-legacy -w -A FORWARD -m conntrack \
    --ctstate ESTABLISHED,RELATED -j ACCEPT
in_gw iptables-legacy -w -A FORWARD -i "$GW_LAN_IF" -j ACCEPT
T0=$(date +%s%N)
# VC-10: host names resolve through the gateway's own /etc/hosts (ip netns
# exec bind-mounts /etc/netns/NS/hosts there); lib.sh removes it.
# Its resolver asks only the gateway's own loopback, where nothing answers,
# so no lookup leaves the lab.
mkdir -p "/etc/netns/$NS_GW"
printf '127.0.0.1 localhost\n192.168.77.10 lanhost.test\n203.0.113.2 wanhost.test\n' \
    >"/etc/netns/$NS_GW/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' \
    >"/etc/netns/$NS_GW/resolv.conf"
daemon_start
CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn
EVT=http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn
R=$WORK/soap.json

# --- helpers -----------------------------------------------------------

# soap FROM ACTION [NAME=VALUE ...] [--body]: one call from control point
# FROM (its source address); the JSON answer goes to $R.
soap() {
	local from=$1
	shift
	in_lan $SSDP soap "$CTL" "$ST" "$@" --from "$from" >"$R" ||
	    fail "no answer to $1 from $from: $(cat "$R")"
}

# The checker: r is the answer, a its OUT arguments as a dict; a listing
# (NewPortListing) is parsed with a standard XML parser into L, a list of
# dicts, after checking the PortMappingList namespace and that every
# entry has exactly the eight fields in the order of WIC-207 (VC-24).
cat >"$WORK/check.py" <<'EOF'
import json, os, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
a = dict(r.get("args") or [])
W = os.environ.get("WANT", "")
NS = "{urn:schemas-upnp-org:gw:WANIPConnection}"
FIELDS = ["NewRemoteHost", "NewExternalPort", "NewProtocol",
          "NewInternalPort", "NewInternalClient", "NewEnabled",
          "NewDescription", "NewLeaseTime"]
L, ports = None, None
if "NewPortListing" in a:
    root = ET.fromstring(a["NewPortListing"])
    if root.tag != NS + "PortMappingList":
        sys.exit("listing root %r" % root.tag)
    L = []
    for e in root:
        if e.tag != NS + "PortMappingEntry":
            sys.exit("listing entry %r" % e.tag)
        tags = [c.tag for c in e]
        if tags != [NS + f for f in FIELDS]:
            sys.exit("listing fields %r" % tags)
        d = {c.tag[len(NS):]: c.text or "" for c in e}
        if d["NewEnabled"] not in ("0", "1"):
            sys.exit("listing boolean %r" % d["NewEnabled"])
        L.append(d)
    ports = [int(d["NewExternalPort"]) for d in L]
if "NewEnabled" in a and a["NewEnabled"] not in ("0", "1"):
    sys.exit("boolean sent as %r" % a["NewEnabled"])
sys.exit(0 if eval(sys.argv[2]) else "want %s" % sys.argv[2])
EOF
# ok PYEXPR WHAT: the last answer satisfies PYEXPR.
ok() {
	$PY "$WORK/check.py" "$R" "$1" ||
	    fail "$2: got $(cut -c1-1500 "$R")"
}
# code N WHAT: the last answer is SOAP error N.
code() { ok "r.get('status') == 500 and r.get('code') == $1" "$2"; }
# good WHAT: the last answer is a success.
good() { ok "r.get('status') == 200 and 'code' not in r" "$1"; }

# add FROM EXT PROTO INT CLIENT [LEASE [DESC [ENABLED [REMOTE]]]]
add() {
	soap "$1" AddPortMapping NewRemoteHost="${9-}" NewExternalPort="$2" \
	    NewProtocol="$3" NewInternalPort="$4" NewInternalClient="$5" \
	    NewEnabled="${8-1}" NewPortMappingDescription="${7-pm}" \
	    NewLeaseDuration="${6-600}"
}
addany() {
	soap "$1" AddAnyPortMapping NewRemoteHost="${9-}" NewExternalPort="$2" \
	    NewProtocol="$3" NewInternalPort="$4" NewInternalClient="$5" \
	    NewEnabled="${8-1}" NewPortMappingDescription="${7-pm}" \
	    NewLeaseDuration="${6-600}"
}
# spec FROM EXT PROTO [REMOTE]: GetSpecificPortMappingEntry.
spec() {
	soap "$1" GetSpecificPortMappingEntry NewRemoteHost="${4-}" \
	    NewExternalPort="$2" NewProtocol="$3"
}
generic() { soap "$1" GetGenericPortMappingEntry NewPortMappingIndex="$2"; }
# delete FROM EXT PROTO [REMOTE]: DeletePortMapping.
delete() {
	soap "$1" DeletePortMapping NewRemoteHost="${4-}" NewExternalPort="$2" \
	    NewProtocol="$3"
}
# list FROM START END PROTO MANAGE N: GetListOfPortMappings, raw body kept.
list() {
	soap "$1" GetListOfPortMappings NewStartPort="$2" NewEndPort="$3" \
	    NewProtocol="$4" NewManage="$5" NewNumberOfPorts="$6" --body
}
delrange() {
	soap "$1" DeletePortMappingRange NewStartPort="$2" NewEndPort="$3" \
	    NewProtocol="$4" NewManage="$5"
}
# entries FROM: PortMappingNumberOfEntries as GetGeneric... sees it (the
# first index answered 713; 606 entries count, VC-03).
entries() {
	local i=0
	while [ $i -lt 50 ]; do
		generic "$1" $i
		grep -q '"code": 713' "$R" && { echo $i; return; }
		i=$((i + 1))
	done
	fail "more than 50 entries"
}

# Kernel rules: is there a DNAT for this protocol and external port?
rules() { in_gw iptables-legacy-save; }
dnat_for() {	# proto ext [to]
	rules | grep -q -- "-p $1 -m $1 --dport $2 -j DNAT --to-destination ${3-}"
}

mono() { $PY -c 'import time; print("%.3f" % time.monotonic())'; }

# Real traffic.  Echo servers on the LAN host (TCP 8080, UDP 9000); from
# the WAN host the payload must come back intact.  Every try is bounded.
PAYLOAD="igd2d-$$-$(head -c 30 /dev/urandom | base64 -w0)-end"
# (The teardown kills them with the namespace; disowned, quietly.)
ip netns exec "$NS_LAN" timeout 200 socat "TCP-LISTEN:8080,bind=$CP1,reuseaddr,fork" PIPE &
disown
ip netns exec "$NS_LAN" timeout 200 socat "UDP-RECVFROM:9000,bind=$CP1,fork" PIPE &
disown
wait_until 5 sh -c "ip netns exec $NS_LAN ss -Hltn 'sport = :8080' | grep -q ." ||
    fail "TCP echo server"
wait_until 5 sh -c "ip netns exec $NS_LAN ss -Hlun 'sport = :9000' | grep -q ." ||
    fail "UDP echo server"
tcp_ok() {	# ext-port [source address on the WAN host]
	local got
	got=$(printf '%s\n' "$PAYLOAD" | in_wan timeout 4 socat -t 1 - \
	    "TCP:$GW_WAN_IP:$1,connect-timeout=2,bind=${2-$WAN_IP}" \
	    2>/dev/null) || true
	[ "$got" = "$PAYLOAD" ]
}
udp_ok() {
	local got
	got=$(printf '%s\n' "$PAYLOAD" | in_wan timeout 4 socat -t 1 - \
	    "UDP:$GW_WAN_IP:$1,bind=${2-$WAN_IP}" 2>/dev/null) || true
	[ "$got" = "$PAYLOAD" ]
}
UPNPC() { in_lan timeout 15 upnpc -i -u "$DESC_URL" "$@"; }

# --- 1. upnpc, TCP and UDP, different external and internal ports ------
tcp_ok 18080 && fail "TCP 18080 reaches the LAN before any mapping"
UPNPC -a "$CP1" 8080 18080 TCP 600 >"$WORK/upnpc.out" 2>&1 ||
    { cat "$WORK/upnpc.out"; fail "upnpc -a TCP"; }
UPNPC -a "$CP1" 9000 19000 UDP 600 >"$WORK/upnpc.out" 2>&1 ||
    { cat "$WORK/upnpc.out"; fail "upnpc -a UDP"; }
tcp_ok 18080 || fail "TCP $GW_WAN_IP:18080 does not reach $CP1:8080"
udp_ok 19000 || fail "UDP $GW_WAN_IP:19000 does not reach $CP1:9000"
for opt in -l -L; do
	UPNPC $opt >"$WORK/upnpc.out" 2>&1 || true
	grep -q "TCP 18080->$CP1:8080 " "$WORK/upnpc.out" &&
	    grep -q "UDP 19000->$CP1:9000 " "$WORK/upnpc.out" ||
	    { cat "$WORK/upnpc.out"; fail "upnpc $opt does not list both"; }
done
UPNPC -d 18080 TCP >"$WORK/upnpc.out" 2>&1 || fail "upnpc -d TCP"
UPNPC -d 19000 UDP >"$WORK/upnpc.out" 2>&1 || fail "upnpc -d UDP"
UPNPC -l >"$WORK/upnpc.out" 2>&1 || true
grep -Eq '^ *[0-9]+ (TCP|UDP) ' "$WORK/upnpc.out" &&
    { cat "$WORK/upnpc.out"; fail "upnpc -l still lists a mapping"; }
tcp_ok 18080 && fail "TCP 18080 still reaches the LAN after upnpc -d"
udp_ok 19000 && fail "UDP 19000 still reaches the LAN after upnpc -d"
pass "upnpc -a TCP 18080->:8080, UDP 19000->:9000: WAN payload echoed intact; -l/-L list both; -d deletes and the traffic stops (WIC-160, WIC-161, WIC-176, WIC-179, WIC-094, WIC-095, WIC-098, LEG-14)"

# --- 2. two control points: conflicts, policy, AddAny, overwrite -------
add "$CP1" 20000 TCP 20000 "$CP1"
good "AddPortMapping 20000 from $CP1"
add "$CP2" 20000 TCP 20000 "$CP2"
code 718 "AddPortMapping from $CP2 on $CP1's 20000 (row 15)"
pass "AddPortMapping on another client's (port, protocol): 718 (WIC-155, row 15)"
add "$CP1" 20001 TCP 20001 "$CP2"
code 606 "AddPortMapping from $CP1 for InternalClient $CP2"
add "$CP1" 80 TCP 20001 "$CP1"
code 606 "AddPortMapping external port 80"
add "$CP1" 20001 TCP 80 "$CP1"
code 606 "AddPortMapping internal port 80"
addany "$CP1" 1023 TCP 20001 "$CP1"
code 606 "AddAnyPortMapping external port 1023"
pass "foreign InternalClient and ports < 1024: 606, never 718 (VC-04, WIC-111, WIC-112, WIC-159, VC-18, SEC-01)"
nb=$(entries "$CP1")
addany "$CP1" 20002 TCP 20002 "$CP2"
code 606 "AddAnyPortMapping from $CP1 for InternalClient $CP2"
na=$(entries "$CP1")
[ "$na" = "$nb" ] || fail "a refused AddAnyPortMapping changed the count: $nb -> $na"
rules | grep -q -- "--dport 20002 " && { rules; fail "a refused AddAnyPortMapping made a rule"; }
pass "AddAnyPortMapping for another InternalClient: 606, nothing added, no rule (WIC-171)"
addany "$CP2" 20000 TCP 20000 "$CP2"
ok "r['status'] == 200 and a == {'NewReservedPort': '20001'}" \
    "AddAnyPortMapping from $CP2 on $CP1's 20000"
spec "$CP2" 20001 TCP
ok "a.get('NewInternalClient') == '$CP2'" "the reserved 20001 is $CP2's"
addany "$CP2" 21000 TCP 21000 "$CP2"
ok "r['status'] == 200 and a == {'NewReservedPort': '21000'}" \
    "AddAnyPortMapping on a free port"
pass "AddAnyPortMapping: taken port -> next free above (20001), free port -> the same port (WIC-164, WIC-165, VC-17)"
n0=$(entries "$CP1")
add "$CP1" 20000 TCP 20500 "$CP1" 900 over
good "overwrite 20000"
spec "$CP1" 20000 TCP
ok "a.get('NewInternalPort') == '20500' and \
a.get('NewPortMappingDescription') == 'over' and \
898 <= int(a.get('NewLeaseDuration')) <= 900" "overwritten entry"
addany "$CP1" 20000 TCP 20500 "$CP1" 900 over
ok "a == {'NewReservedPort': '20000'}" "AddAny overwrite of own 20000"
n1=$(entries "$CP1")
[ "$n0" = 3 ] && [ "$n1" = "$n0" ] ||
    fail "overwrite changed the entry count: $n0 -> $n1 (want 3)"
dnat_for tcp 20000 "$CP1:20500" && ! dnat_for tcp 20000 "$CP1:20000" ||
    { rules; fail "overwrite: the kernel DNAT does not follow"; }
pass "same client, same key: overwrite (row 16), count stays $n1, the DNAT follows the new InternalPort (WIC-148, WIC-166, LEG-16)"

# --- 3. GetListOfPortMappings over raw SOAP ------------------------------
SPECIAL="a<&>\"'z"
add "$CP1" 22003 TCP 22003 "$CP1"
add "$CP1" 22001 TCP 22001 "$CP1" 700 \
    "a&lt;&amp;&gt;&quot;&apos;z"
good "add with description <&>\"'"
add "$CP1" 22002 TCP 22002 "$CP1"
add "$CP2" 22004 TCP 22004 "$CP2"
list "$CP1" 22000 22999 TCP 1 0
ok "'<![CDATA[<p:PortMappingList' in r['raw'] and ports == [22001, 22002, 22003]" \
    "GetListOfPortMappings 22000-22999"
WANT=$SPECIAL ok "L[0]['NewDescription'] == W and \
L[0]['NewRemoteHost'] == '' and L[0]['NewProtocol'] == 'TCP' and \
L[0]['NewInternalPort'] == '22001' and L[0]['NewInternalClient'] == '$CP1' \
and L[0]['NewEnabled'] == '1' and 690 <= int(L[0]['NewLeaseTime']) <= 700" \
    "listing entry values"
spec "$CP1" 22001 TCP
WANT=$SPECIAL ok "a['NewPortMappingDescription'] == W" \
    "GetSpecific description round trip"
pass "GetListOfPortMappings: CDATA fragment, PortMappingList namespace, 8 fields in order (NewDescription, NewLeaseTime), ExternalPort order, <&>\"' round-trips (WIC-194, WIC-205, WIC-207, WIC-208, WIC-210, VC-23, VC-24, WIC-031, WIC-058)"
list "$CP1" 22000 22999 TCP 1 2
ok "ports == [22001, 22002]" "NewNumberOfPorts=2"
list "$CP2" 22000 22999 TCP 0 0
ok "ports == [22004]" "list from $CP2"
pass "NewNumberOfPorts=2 keeps the first 2; NewManage=1 from an unauthenticated CP lists only its own entries (WIC-195, WIC-196, WIC-197, WIC-114)"
list "$CP1" 23000 23999 TCP 0 0
code 730 "empty range"
list "$CP1" 22999 22000 TCP 0 0
code 733 "start > end"
list "$CP1" 1 1023 TCP 0 0
code 606 "range below 1024"
list "$CP1" 22000 22999 tcp 0 0
code 601 "GetListOfPortMappings NewProtocol tcp (WIC-201)"
list "$CP1" 22000 22999 UDP 0 0
code 730 "no UDP entries"
list "$CP1" 1 65535 TCP 0 0
ok "ports == [20000, 22001, 22002, 22003]" "1-65535 narrowed to 1024-65535"
pass "GetListOfPortMappings: empty 730, start>end 733, range below 1024 606, 1-65535 lists own entries (WIC-199, WIC-200, WIC-203, VC-23, WIC-202)"

# --- 4. DeletePortMappingRange -----------------------------------------
delrange "$CP1" 22004 22004 TCP 1
code 730 "range holding only $CP2's entry"
delrange "$CP1" 22000 22999 TCP 1
good "DeletePortMappingRange 22000-22999"
for p in 22001 22002 22003; do
	spec "$CP1" $p TCP
	code 714 "$p after the range delete"
done
spec "$CP2" 22004 TCP
good "$CP2's 22004 survives $CP1's range delete"
spec "$CP1" 20000 TCP
good "20000 outside the range survives"
delrange "$CP1" 22000 22999 TCP 0
code 730 "range delete with nothing left"
delrange "$CP1" 22999 22000 TCP 0
code 733 "range delete start > end"
pass "DeletePortMappingRange: only the caller's entries in range go, others stay; nothing deletable 730; start>end 733 (WIC-182..WIC-187, WIC-183, WIC-114)"
delrange "$CP1" 22000 22999 tcp 0
code 601 "DeletePortMappingRange NewProtocol tcp"
delrange "$CP1" 1 1023 TCP 0
code 606 "DeletePortMappingRange below 1024"
spec "$CP1" 20000 TCP
good "20000 survives the refused range deletes"
pass "DeletePortMappingRange: NewProtocol tcp 601 (WIC-189); a range with no port the caller may use, 606 for the whole call (WIC-190)"

# --- 5. GetGeneric / GetSpecific -----------------------------------------
for cp in "$CP1" "$CP2"; do
	delrange "$cp" 1024 65535 TCP 0
	good "clearing $cp's entries"
done
generic "$CP1" 0
code 713 "index 0 of an empty table"
for p in 24001 24002 24003; do add "$CP1" $p TCP $p "$CP1"; done
add "$CP2" 24004 TCP 24004 "$CP2"
for i in 0 1 2; do
	generic "$CP1" $i
	ok "a['NewExternalPort'] == '2400$((i + 1))' and a['NewProtocol'] == 'TCP' \
and a['NewRemoteHost'] == '' and a['NewInternalClient'] == '$CP1'" "index $i"
done
generic "$CP1" 3
code 606 "index 3 ($CP2's entry) from $CP1"
generic "$CP1" 4
code 713 "index 4 (= count)"
delete "$CP1" 24002 TCP
good "delete 24002"
generic "$CP1" 1
ok "a['NewExternalPort'] == '24003'" "index 1 after deleting index 1"
generic "$CP1" 2
code 606 "index 2 ($CP2's entry, moved down)"
generic "$CP1" 3
code 713 "index 3 after the delete"
# WIC-139: GetGeneric reports an entry's own values, its Enabled flag and
# remaining lease among them (the new entry is the fourth).
add "$CP1" 24005 TCP 24006 "$CP1" 500 off 0
good "a disabled entry"
generic "$CP1" 3
ok "a['NewExternalPort'] == '24005' and a['NewInternalPort'] == '24006' and \
a['NewEnabled'] == '0' and a['NewPortMappingDescription'] == 'off' and \
490 <= int(a['NewLeaseDuration']) <= 500" "GetGeneric of a disabled entry (WIC-139)"
delete "$CP1" 24005 TCP
good "delete 24005"
generic "$CP1" 65536
code 402 "index 65536"
pass "GetGenericPortMappingEntry: indexes 0..N-1 in creation order, compaction after a middle delete, N -> 713, another client's entry -> 606 (WIC-055, WIC-138, WIC-140, VC-03, VC-22)"
add "$CP1" 24010 TCP 8080 "$CP1"
add "$CP1" 24011 TCP 8080 "$CP1" 600 pm 1 "$WAN_IP"
good "add 24011 for RemoteHost $WAN_IP"
spec "$CP1" 24010 TCP "$WAN_IP"
code 714 "specific RemoteHost vs a wildcard entry"
spec "$CP1" 24011 TCP
code 714 "wildcard vs a specific-RemoteHost entry"
spec "$CP1" 24011 TCP "$WAN_IP"
good "exact specific lookup"
add "$CP1" 24010 TCP 8080 "$CP1" 600 narrow 1 "$WAN_IP"
good "row 14: same client, port, protocol, other RemoteHost"
spec "$CP1" 24010 TCP "$WAN_IP"
ok "a['NewPortMappingDescription'] == 'narrow'" "coexisting narrow entry"
spec "$CP1" 24010 TCP
ok "a['NewPortMappingDescription'] == 'pm'" "wildcard entry kept"
# LEG-10: <NewRemoteHost/> is the empty string too, so the wildcard.
printf '%s' '<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:GetSpecificPortMappingEntry xmlns:u="'"$ST"'"><NewRemoteHost/><NewExternalPort>24010</NewExternalPort><NewProtocol>TCP</NewProtocol></u:GetSpecificPortMappingEntry></s:Body></s:Envelope>' \
    >"$WORK/empty.xml"
soap "$CP1" GetSpecificPortMappingEntry --raw-body "$WORK/empty.xml"
ok "r['status'] == 200 and a.get('NewPortMappingDescription') == 'pm'" \
    "<NewRemoteHost/> is the wildcard (LEG-10)"
delete "$CP1" 24010 TCP
good "delete the wildcard 24010"
spec "$CP1" 24010 TCP "$WAN_IP"
good "the narrow 24010 survives the wildcard's delete"
spec "$CP1" 24099 TCP
code 714 "no such entry"
delete "$CP1" 24099 TCP
code 714 "delete of no such entry"
pass "GetSpecific/Delete: wildcard and specific RemoteHost never match each other, coexisting entries (row 14), 714 (WIC-143, WIC-145, WIC-177, VC-07, VC-08, WIC-092, WIC-142)"

# --- 6. malformed requests -----------------------------------------------
A8=(NewRemoteHost= NewExternalPort=25000 NewProtocol=TCP NewInternalPort=8080
    "NewInternalClient=$CP1" NewEnabled=1 NewPortMappingDescription=e
    NewLeaseDuration=600)
soap "$CP1" AddPortMapping "${A8[@]:0:7}"
code 402 "missing NewLeaseDuration"
soap "$CP1" AddPortMapping "${A8[@]:0:4}" "${A8[@]:5}"
code 402 "missing NewInternalClient (LEG-13)"
spec "$CP1" 25000 TCP
code 714 "no mapping made with a guessed InternalClient (LEG-13)"
soap "$CP1" AddPortMapping "${A8[@]}" NewExternalPort=25001
code 402 "duplicated NewExternalPort"
soap "$CP1" AddPortMapping "${A8[@]}" NewFoo=1
code 402 "unknown argument"
for v in 65536 -1 1e3 0x10 ' 80' '' +80; do
	add "$CP1" "$v" TCP 8080 "$CP1"
	code 402 "NewExternalPort '$v'"
done
add "$CP1" 25000 TCP 8080 "$CP1" 4294967296
code 402 "lease 4294967296 (ui4 overflow)"
add "$CP1" 25000 TCP 8080 "$CP1" 600 e maybe
code 402 "NewEnabled 'maybe'"
pass "missing, duplicated, unknown arguments and bad ui2/ui4/boolean literals (65536 -1 1e3 0x10 ' 80' '' +80): 402 (WIC-039, VC-26, VC-27, VC-29)"
add "$CP1" 25000 tcp 8080 "$CP1"
code 601 "NewProtocol tcp"
add "$CP1" 25000 TCP 8080 "$CP1" 604801
code 601 "lease 604801"
spec "$CP1" 25000 tcp
code 601 "GetSpecific NewProtocol tcp"
addany "$CP1" 25000 tcp 8080 "$CP1"
code 601 "AddAny NewProtocol tcp (WIC-169)"
addany "$CP1" 25000 ICMP 8080 "$CP1"
code 601 "AddAny NewProtocol ICMP (WIC-169)"
delete "$CP1" 25000 tcp
code 601 "DeletePortMapping NewProtocol tcp (WIC-178)"
add "$CP1" 25000 TCP 8080 "$CP1" 4294967295
code 601 "lease 4294967295, the largest ui4 (WIC-069)"
addany "$CP1" 25004 TCP 8080 "$CP1" 604801
code 601 "AddAny lease 604801 (WIC-168)"
addany "$CP1" 25004 TCP 8080 "$CP1" 4294967295
code 601 "AddAny lease 4294967295 (WIC-069)"
addany "$CP1" 25004 TCP 8080 "$CP1" 0
ok "r['status'] == 200 and a == {'NewReservedPort': '25004'}" "AddAny lease 0"
spec "$CP1" 25004 TCP
ok "604798 <= int(a['NewLeaseDuration']) <= 604800" "AddAny lease 0 stored as"
delete "$CP1" 25004 TCP
good "delete 25004"
pass "AddAnyPortMapping and DeletePortMapping: NewProtocol outside TCP/UDP 601 (WIC-169, WIC-178); AddAny leases as AddPortMapping's: 604801 and 4294967295 601, 0 -> 604800 (WIC-168, WIC-069)"
add "$CP1" 25000 TCP 8080 "$CP1" 0
good "lease 0"
spec "$CP1" 25000 TCP
ok "604798 <= int(a['NewLeaseDuration']) <= 604800" "lease 0 stored as"
pass "NewProtocol 'tcp' 601; lease 604801 601; lease 0 -> 604800 (VC-28, WIC-151, WIC-144, VC-14, WIC-061, WIC-150, LEG-11)"
add "$CP1" 25001 TCP 8080 ""
code 715 "empty InternalClient"
add "$CP1" 0 TCP 8080 "$CP1"
code 716 "ExternalPort 0"
addany "$CP1" 0 TCP 8080 "$CP1"
code 716 "AddAny ExternalPort 0"
add "$CP1" 25001 TCP 0 "$CP1"
code 732 "InternalPort 0"
D256=$(printf '%0256d' 0 | tr 0 d)
add "$CP1" 25001 TCP 8080 "$CP1" 600 "${D256}x"
code 605 "257-byte description"
add "$CP1" 25001 TCP 8080 "$CP1" 600 "$D256"
good "256-byte description"
spec "$CP1" 25001 TCP
WANT=$D256 ok "a['NewPortMappingDescription'] == W" "256-byte description kept"
LEGDESC='msmsgs (192.168.77.10:8615) 27360 UDP
second line'
add "$CP1" 25007 TCP 8080 "$CP1" 0 "$LEGDESC" 1
good "an XP-style description"
spec "$CP1" 25007 TCP
WANT=$LEGDESC ok "a['NewPortMappingDescription'] == W and a['NewEnabled'] == '1'" \
    "spaces, parentheses, colons and a line break round-trip (LEG-12)"
delete "$CP1" 25007 TCP
good "delete 25007"
add "$CP1" 25002 TCP 8080 "$WAN_IP"
code 600 "InternalClient $WAN_IP outside the LAN"
add "$CP1" 25002 TCP 8080 "$GW_LAN_IP"
code 600 "InternalClient = the gateway"
add "$CP1" 80 tcp 8080 ""
code 601 "601 before 715"
add "$CP1" 80 TCP 8080 ""
code 715 "715 before 606"
add "$CP1" 80 TCP 8080 "$WAN_IP"
code 600 "600 before 606"
add "$CP1" 65536 tcp 8080 ""
code 402 "402 before 601 (WIC-104)"
add "$CP1" 0 TCP 8080 "$WAN_IP"
code 716 "716 before 600 (WIC-104)"
pass "empty InternalClient 715, ExternalPort 0 716, InternalPort 0 732, 257-byte description 605 (256 kept), InternalClient off the LAN 600, precedence 601>715>606, 600>606 (WIC-152, WIC-153, WIC-154, VC-16, VC-25, VC-05, VC-30)"
for b in yes:1 no:0 true:1 false:0 YES:1; do
	add "$CP1" 25003 TCP 8080 "$CP1" 600 b "${b%:*}"
	good "NewEnabled=${b%:*}"
	spec "$CP1" 25003 TCP
	ok "a['NewEnabled'] == '${b#*:}'" "NewEnabled=${b%:*} read back"
done
list "$CP1" 25003 25003 TCP yes 0
ok "ports == [25003] and L[0]['NewEnabled'] == '1'" "NewManage=yes"
pass "booleans yes/no/true/false accepted on input, sent only as 0/1 (WIC-037, WIC-035, WIC-036, VC-26)"
add "$CP1" 25100 TCP 8080 "$CP1" 600 off 0
good "NewEnabled=0"
list "$CP1" 25100 25100 TCP 0 0
ok "ports == [25100] and L[0]['NewEnabled'] == '0'" "disabled entry listed"
rules | grep -q -- '--dport 25100' && { rules; fail "disabled entry has kernel rules"; }
tcp_ok 25100 && fail "disabled entry forwards traffic"
add "$CP1" 25100 TCP 8080 "$CP1" 600 off 1
good "re-add with NewEnabled=1"
dnat_for tcp 25100 "$CP1:8080" || { rules; fail "enabled entry: no DNAT"; }
tcp_ok 25100 || fail "enabled entry forwards no traffic"
add "$CP1" 25100 TCP 8080 "$CP1" 600 off 0
rules | grep -q -- '--dport 25100' && { rules; fail "disabling kept the rules"; }
tcp_ok 25100 && fail "disabled again, still forwards"
pass "NewEnabled=0: listed with NewEnabled 0, no kernel rule, no traffic; enabling installs it and traffic flows; disabling removes it (WIC-059)"
add "$CP1" 25101 TCP 8080 "$CP1"
good "an enabled entry beside the disabled 25100"
tcp_ok 25101 || fail "25101 does not forward"
tcp_ok 25100 && fail "enabling 25101 enabled 25100"
list "$CP1" 25100 25101 TCP 0 0
ok "[d['NewEnabled'] for d in L] == ['0', '1']" "per-entry flags"
delete "$CP1" 25101 TCP
good "delete 25101"
pass "Enabled is per entry: an enabled mapping beside a disabled one forwards, the disabled one does not (VC-20)"
soap "$CP1" GetExternalIPAddress
ok "a == {'NewExternalIPAddress': '$GW_WAN_IP'}" "serving after the errors"
kill -0 "$DAEMON_PID" || fail "the daemon died"
pass "the daemon still answers after every malformed request"

# --- 7. GENA -------------------------------------------------------------
ip netns exec "$NS_LAN" $SSDP gena "$EVT" "$CP1" 40 "$WORK/ev.json" &
GENA=$!
wait_until 5 grep -qs '"vars"' "$WORK/ev.json" || fail "no initial event"
nev() { grep -c '"vars"' "$WORK/ev.json"; }
# last_event: the vars of the newest event, JSON.
ev_check() {	# python-expression (e: list of event var dicts) what
	$PY - "$WORK/ev.json" "$1" <<'EOF' || fail "$2: $(cat "$WORK/ev.json")"
import json, sys
e = [json.loads(l)["vars"] for l in open(sys.argv[1]) if '"vars"' in l]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}
N0=$(entries "$CP1")
ev_check "set(e[0]) == {'PossibleConnectionTypes', 'ConnectionStatus', \
'ExternalIPAddress', 'PortMappingNumberOfEntries', 'SystemUpdateID'} and \
e[0]['PortMappingNumberOfEntries'] == '$N0'" "initial event"
U0=$($PY -c "import json; print([json.loads(l) for l in open('$WORK/ev.json') if '\"vars\"' in l][0]['vars']['SystemUpdateID'])")
# change N(entries) U(id): one more event, exactly these two variables.
expect_event() {
	local want=$1 n=$2 u=$3
	wait_until 3 test "$(nev)" -ge "$want" ||
	    fail "no event for change to SystemUpdateID $u"
	ev_check "len(e) == $want and e[-1] == {'PortMappingNumberOfEntries': \
'$n', 'SystemUpdateID': '$u'}" "event $want (want $n entries, id $u)"
}
add "$CP1" 26001 TCP 8080 "$CP1"
expect_event 2 $((N0 + 1)) $((U0 + 1))
add "$CP1" 26002 TCP 8080 "$CP1"
expect_event 3 $((N0 + 2)) $((U0 + 2))
pass "GENA: initial event with the five variables; each add one NOTIFY with PortMappingNumberOfEntries and SystemUpdateID, +1 each (WIC-046, WIC-047, WIC-048, WIC-051); the count is the number of entries GetGeneric sees (WIC-024)"
add "$CP1" 26001 TCP 8080 "$CP1" 900
good "refresh 26001"
add "$CP1" 26003 TCP 8080 "$CP1"
expect_event 4 $((N0 + 3)) $((U0 + 3))
pass "a pure lease refresh sends no event and does not bump SystemUpdateID (VC-12)"
add "$CP1" 26001 TCP 8081 "$CP1" 900
expect_event 5 $((N0 + 3)) $((U0 + 4))
delete "$CP1" 26001 TCP
expect_event 6 $((N0 + 2)) $((U0 + 5))
delrange "$CP1" 26000 26999 TCP 0
good "range delete of 26002, 26003"
expect_event 7 "$N0" $((U0 + 6))
sleep 0.5
ev_check "len(e) == 7" "an extra event after the range delete"
pass "an overwrite changing InternalPort, a delete: one event each; a range delete of 2 entries: one event, one increment (WIC-049, WIC-179, WIC-188, VC-12)"

# --- 8. lease expiry -----------------------------------------------------
add "$CP1" 27001 TCP 8080 "$CP1" 1000
good "a 1000 s lease"
L0=$(mono)
# Send the Add just before a whole second of CLOCK_MONOTONIC, so that a
# lease end rounded down to whole seconds would show: the mapping must
# live its 3 s (WIC-065, WIC-067), then go within 4 s of the Add.
$PY -c 'import time; time.sleep((0.85 - time.monotonic() % 1) % 1)'
tA=$(mono)
add "$CP1" 27000 TCP 8080 "$CP1" 3
good "a 3 s lease"
tcp_ok 27000 || fail "the 3 s mapping forwards no traffic"
expect_event 9 $((N0 + 2)) $((U0 + 8))
$PY -c "import time; time.sleep(max(0, $tA + 2.5 - time.monotonic()))"
spec "$CP1" 27000 TCP
ok "r['status'] == 200" "a 3 s lease cut short: gone 2.5 s after the Add was sent"
gone() { spec "$CP1" 27000 TCP; grep -q '"code": 714' "$R"; }
wait_until 6 gone || fail "the 3 s mapping is still there after 6 s"
tG=$(mono)
wait_until 2 sh -c "! ip netns exec $NS_GW iptables-legacy-save | grep -q -- '--dport 27000'" ||
    { rules; fail "expired mapping: rules left"; }
tR=$(mono)
wait_until 2 test "$(nev)" -ge 10 || fail "expiry not evented"
ev_check "len(e) == 10 and e[-1] == {'PortMappingNumberOfEntries': \
'$((N0 + 1))', 'SystemUpdateID': '$((U0 + 9))'}" "expiry event"
tE=$($PY -c "import json; print([json.loads(l) for l in open('$WORK/ev.json') if '\"vars\"' in l][-1]['t'])")
EXP=$($PY -c "print('%.2f %.2f %.2f' % ($tG - $tA, $tR - $tA, $tE - $tA))")
$PY -c "import sys; g, r, e = map(float, '$EXP'.split()); \
sys.exit(0 if max(g, r, e) <= 4.0 else 1)" ||
    fail "3 s lease: gone/rules/event after $EXP s (want <= 4 s after the Add)"
tcp_ok 27000 && fail "traffic still reaches the expired mapping"
spec "$CP1" 27001 TCP
el=$($PY -c "print(int($(mono) - $L0))")
ok "1000 - $el - 2 <= int(a['NewLeaseDuration']) <= 1000 - $el + 1 and \
int(a['NewLeaseDuration']) < 1000" "remaining lease after ${el} s"
pass "3 s lease: still there at 2.5 s, then gone (714), rules removed and evented within 4 s of the Add (gone/rules/event at $EXP s), traffic stops; another lease counts down ($el s elapsed) (WIC-067, WIC-066, WIC-055, LEG-18)"
# WIC-174: an AddAnyPortMapping that succeeds puts the forwarding rule in
# place and is evented as an AddPortMapping is (27001 is still there).
tcp_ok 27500 && fail "TCP 27500 reaches the LAN before the AddAny"
addany "$CP1" 27500 TCP 8080 "$CP1"
ok "r['status'] == 200 and a == {'NewReservedPort': '27500'}" "AddAny 27500"
expect_event 11 $((N0 + 2)) $((U0 + 10))
dnat_for tcp 27500 "$CP1:8080" || { rules; fail "AddAny 27500: no DNAT"; }
tcp_ok 27500 || fail "the AddAny mapping forwards no traffic"
delete "$CP1" 27500 TCP
good "delete 27500"
expect_event 12 $((N0 + 1)) $((U0 + 11))
tcp_ok 27500 && fail "TCP 27500 still reaches the LAN after the delete"
pass "AddAnyPortMapping: DNAT in place, WAN traffic forwarded, one event (+1 entry, +1 SystemUpdateID), and gone after the delete (WIC-174)"
kill "$GENA" 2>/dev/null
wait "$GENA" 2>/dev/null

# --- 9. RemoteHost -------------------------------------------------------
add "$CP1" 28000 TCP 8080 "$CP1" 600 rh 1 "$WAN_IP"
good "RemoteHost mapping"
tcp_ok 28000 "$WAN_IP" || fail "RemoteHost $WAN_IP does not get through"
tcp_ok 28000 "$WAN_IP2" && fail "$WAN_IP2 gets through a mapping for $WAN_IP"
pass "NewRemoteHost $WAN_IP: $WAN_IP gets through, $WAN_IP2 does not (WIC-093, WIC-095)"

# --- 10. outbound --------------------------------------------------------
add "$CP1" 29000 UDP 9100 "$CP1"
good "UDP 29000 -> 9100"
RECV='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(4)
print("ready", flush=True)
data, peer = s.recvfrom(4096)
print("%s:%d %s" % (peer[0], peer[1], data.decode()), flush=True)'
# outbound_udp FROM SPORT: how the WAN host sees a datagram from FROM:SPORT
outbound_udp() {
	local p
	ip netns exec "$NS_WAN" timeout 6 $PY -c "$RECV" "$WAN_IP" 5555 \
	    >"$WORK/recv" &
	p=$!
	wait_until 3 grep -qs ready "$WORK/recv" || fail "UDP receiver on the WAN"
	in_lan timeout 3 $PY -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(sys.argv[4].encode(), (sys.argv[3], 5555))' "$1" "$2" "$WAN_IP" "$PAYLOAD"
	wait "$p"
	sed -n 2p "$WORK/recv"
}
got=$(outbound_udp "$CP1" 9100)
[ "$got" = "$GW_WAN_IP:29000 $PAYLOAD" ] ||
    fail "outbound from $CP1:9100 seen as \"$got\", want $GW_WAN_IP:29000"
pass "outbound UDP from $CP1:9100 is seen on the WAN as $GW_WAN_IP:29000 (VC-49, WIC-162)"
# The same for the port AddAnyPortMapping reserved, and for TCP.
addany "$CP2" 29000 UDP 9101 "$CP2"
ok "r['status'] == 200 and a == {'NewReservedPort': '29001'}" "AddAny moved to 29001"
got=$(outbound_udp "$CP2" 9101)
[ "$got" = "$GW_WAN_IP:29001 $PAYLOAD" ] ||
    fail "outbound from $CP2:9101 seen as \"$got\", want $GW_WAN_IP:29001 (the reserved port)"
add "$CP1" 29010 TCP 9110 "$CP1"
good "TCP 29010 -> 9110"
ip netns exec "$NS_WAN" timeout 6 $PY -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5556))
s.listen(1)
s.settimeout(4)
print("ready", flush=True)
c, peer = s.accept()
print("%s:%d" % peer, flush=True)' "$WAN_IP" >"$WORK/trecv" &
RECVP=$!
wait_until 3 grep -qs ready "$WORK/trecv" || fail "TCP listener on the WAN"
in_lan timeout 3 $PY -c 'import socket, sys
s = socket.create_connection((sys.argv[2], 5556), timeout=2,
                             source_address=(sys.argv[1], 9110))
s.close()' "$CP1" "$WAN_IP" || fail "TCP connect from $CP1:9110"
wait "$RECVP"
got=$(sed -n 2p "$WORK/trecv")
[ "$got" = "$GW_WAN_IP:29010" ] ||
    fail "outbound TCP from $CP1:9110 seen as \"$got\", want $GW_WAN_IP:29010"
pass "outbound from the reserved port of an AddAnyPortMapping leaves with that port, and TCP from a mapped port with its ExternalPort (WIC-091, WIC-173, VC-49)"

# --- 10b. InternalClient 255.255.255.255 (WIC-097, VC-06) ---------------
# Several receivers on one well-known port: two sockets on the LAN host
# bound to 0.0.0.0:9300 both get a datagram sent from the WAN to the
# mapping; the gateway must not keep it for itself.
BRECV='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 9300))
s.settimeout(3)
print("ready", flush=True)
data, peer = s.recvfrom(4096)
print(data.decode(), flush=True)'
bcast() {	# 0 when both receivers get the datagram
	local i pids=
	rm -f "$WORK/bc0" "$WORK/bc1"
	for i in 0 1; do
		in_lan timeout 5 $PY -c "$BRECV" >"$WORK/bc$i" 2>/dev/null &
		pids="$pids $!"
	done
	wait_until 3 grep -qs ready "$WORK/bc0" &&
	    wait_until 3 grep -qs ready "$WORK/bc1" ||
	    fail "broadcast receivers on the LAN"
	in_wan $PY -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(sys.argv[2].encode(), (sys.argv[1], 29300))' "$GW_WAN_IP" "$PAYLOAD"
	wait $pids
	grep -qx "$PAYLOAD" "$WORK/bc0" && grep -qx "$PAYLOAD" "$WORK/bc1"
}
add "$CP1" 29301 TCP 9300 255.255.255.255
code 600 "TCP to 255.255.255.255"
add "$CP1" 29300 UDP 9300 255.255.255.255 600 bcast
good "UDP 29300 -> 255.255.255.255:9300"
spec "$CP1" 29300 UDP
ok "a.get('NewInternalClient') == '255.255.255.255'" "the entry keeps 255.255.255.255"
bcast || fail "a datagram to the 255.255.255.255 mapping did not reach both LAN receivers"
delete "$CP1" 29300 UDP
good "delete 29300"
bcast && fail "the broadcast mapping still delivers after its delete"
pass "UDP mapping to 255.255.255.255: two receivers on the LAN's port 9300 both get the WAN's datagram, none after the delete; TCP 600 (WIC-097, VC-06)"

# --- 11. other mechanisms (729) ------------------------------------------
in_gw iptables-legacy -w -t nat -A PREROUTING -i "$GW_WAN_IF" -p tcp \
    --dport 7000 -j DNAT --to-destination "$CP1:7000"
add "$CP1" 7000 TCP 7000 "$CP1"
code 729 "AddPortMapping on an administrator's DNAT port"
addany "$CP1" 7000 TCP 7000 "$CP1"
ok "r['status'] == 200 and a == {'NewReservedPort': '7001'}" \
    "AddAnyPortMapping on an administrator's DNAT port"
add "$CP1" 7000 TCP 7000 "$CP1" 600 pm 0
code 729 "AddPortMapping of a disabled entry on an administrator's DNAT port"
add "$CP1" 7000 UDP 7000 "$CP1" 600 first
good "UDP 7000 is not claimed by a TCP rule"
# The same request again once a rule claims UDP 7000 too: 729, and the
# entry stays as it was (no refresh: its description is still "first").
in_gw iptables-legacy -w -t nat -A PREROUTING -i "$GW_WAN_IF" -p udp \
    --dport 7000 -j DNAT --to-destination "$CP1:7001"
add "$CP1" 7000 UDP 7000 "$CP1" 600 second
code 729 "a refresh of a mapping whose port a rule now claims"
spec "$CP1" 7000 UDP
ok "a['NewPortMappingDescription'] == 'first'" "the refused refresh left the entry"
add "$CP1" 7000 UDP 7001 "$CP1" 600 third
code 729 "an overwrite of a mapping whose port a rule now claims"
spec "$CP1" 7000 UDP
ok "a['NewPortMappingDescription'] == 'first' and a['NewInternalPort'] == '7000'" \
    "the refused overwrite left the entry"
rules | grep -q -- "-A IGD2D-DNAT -p udp -m udp --dport 7000 -j DNAT --to-destination $CP1:7000" ||
    fail "the refused overwrite took the mapping's rules"
in_gw iptables-legacy -w -t nat -D PREROUTING -i "$GW_WAN_IF" -p udp \
    --dport 7000 -j DNAT --to-destination "$CP1:7001"
ip netns exec "$NS_GW" timeout 60 socat "TCP-LISTEN:7100,bind=$GW_WAN_IP,reuseaddr" - \
    </dev/null >/dev/null 2>&1 &
GWL=$!
wait_until 3 sh -c "ip netns exec $NS_GW ss -Hltn 'sport = :7100' | grep -q ." ||
    fail "listener on the gateway's WAN address"
add "$CP1" 7100 TCP 7100 "$CP1"
code 729 "AddPortMapping on a port the gateway listens on"
kill "$GWL" 2>/dev/null
wait "$GWL" 2>/dev/null
pass "a port claimed by an administrator DNAT rule or a gateway socket: AddPortMapping 729 (enabled or not, new, refresh or overwrite, the entry kept), AddAnyPortMapping picks 7001 (VC-11, WIC-100, WIC-156, WIC-170)"

# --- 11b. hairpin (RFC 4787 REQ-9) ---------------------------------------
# A LAN host reaches a mapping at the external address and port, its own
# included (hairpin = yes, the default).
add "$CP1" 18090 TCP 8080 "$CP1" 600 hairpin
good "hairpin mapping"
got=$(printf '%s\n' "$PAYLOAD" | in_lan timeout 4 socat -t 1 - \
    "TCP:$GW_WAN_IP:18090,connect-timeout=2,bind=$CP1" 2>/dev/null) || true
[ "$got" = "$PAYLOAD" ] || fail "hairpin: LAN host could not reach $GW_WAN_IP:18090"
delete "$CP1" 18090 TCP
good "delete the hairpin mapping"
got=$(printf '%s\n' "$PAYLOAD" | in_lan timeout 4 socat -t 1 - \
    "TCP:$GW_WAN_IP:18090,connect-timeout=2,bind=$CP1" 2>/dev/null) || true
[ "$got" != "$PAYLOAD" ] || fail "hairpin: still reachable after delete"
pass "hairpin: the LAN host reaches its own mapping at $GW_WAN_IP:18090, and no longer after the delete"

# --- 11c. host names (VC-10) --------------------------------------------
add "$CP1" 18095 TCP 8080 lanhost.test 600 named 1 wanhost.test
good "Add with host names"
spec "$CP1" 18095 TCP 203.0.113.2
ok "r.get('status') == 200 and a.get('NewInternalClient') == '192.168.77.10'" \
    "the resolved address is stored and reported"
add "$CP1" 18096 TCP 8080 no-such-host.test
code 600 "a name that does not resolve"
delete "$CP1" 18095 TCP 203.0.113.2
good "delete the named mapping"
pass "host names in InternalClient and RemoteHost are resolved once and stored as addresses; an unknown name gets 600 (VC-10, WIC-099, WIC-026, WIC-030)"

# --- 12. SIGTERM ---------------------------------------------------------
add "$CP1" 18080 TCP 8080 "$CP1"
good "re-add 18080"
tcp_ok 18080 || fail "18080 before the stop"
daemon_stop || fail "daemon did not exit 0 on SIGTERM"
[ "$(in_gw sysctl -n net.ipv4.conf.all.bc_forwarding)" = 0 ] &&
    [ "$(in_gw sysctl -n "net.ipv4.conf.$GW_WAN_IF.bc_forwarding")" = 0 ] ||
    fail "directed-broadcast forwarding left on after the stop (VC-06)"
if rules | grep -q IGD2D; then
	rules
	fail "IGD2D chains or rules left after SIGTERM"
fi
rules | grep -q -- "--dport 7000 -j DNAT --to-destination $CP1:7000" ||
    fail "the administrator's DNAT rule was removed"
rules | grep -q -- "-A FORWARD -i $GW_LAN_IF -j ACCEPT" ||
    fail "the administrator's FORWARD rule was removed"
tcp_ok 18080 && fail "18080 still reaches the LAN after the daemon stopped"
pass "SIGTERM: exit 0, no IGD2D chain or rule left, the administrator's rules kept, the mapped connection fails"

T1=$(date +%s%N)
echo "# runtime $(( (T1 - T0) / 1000000 )) ms"
exit 0
