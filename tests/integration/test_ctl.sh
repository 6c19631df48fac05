#!/bin/bash
# Out-of-band management (issue 6): the control socket and igd2ctl, static
# mappings from igd2ctl and from the configuration file, and a reload that
# changes the policy.  Boxes: the LAN host at .10 and .11 (two control
# points), the gateway, the WAN host.
set -u
. "$(dirname "$0")/lib.sh"

lab_require upnpc socat iptables-legacy-save setpriv
lab_setup
CP1=$LAN_IP
CP2=$LAN_NET.11
lan_add_ip "$CP2"
# .10 is a manager (a 3-box tool like upnpc -l may read every entry,
# WIC-141 keeps ports below 1024 from others); .11 is a plain CP.
cat >"$WORK/igd2d.conf" <<EOF
manager $CP1/32
static = TCP 2222 $CP2 2222 game from the configuration
EOF
daemon_start -f "$WORK/igd2d.conf" -o hairpin=no
SOCK=$WORK/run/igd2d.sock
CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn
EVT=http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn
ST=urn:schemas-upnp-org:service:WANIPConnection:2
R=$WORK/r.json

ctl() { in_gw "$IGD2CTL" -s "$SOCK" "$@"; }
soap() {	# FROM ACTION ARGS...
	local from=$1
	shift
	in_lan $PY "$HERE/ssdp.py" soap "$CTL" "$ST" "$@" --from "$from" >"$R"
}
is() {	# python-expression what
	$PY -c "import json,sys; r=json.load(open('$R')); a=dict(r.get('args',[])); \
sys.exit(0 if ($1) else 1)" || fail "$2: $(cat "$R")"
}
cp_add() {	# FROM PORT
	soap "$1" AddPortMapping NewRemoteHost= NewExternalPort="$2" \
	    NewProtocol=TCP NewInternalPort="$2" NewInternalClient="$1" \
	    NewEnabled=1 NewPortMappingDescription=cp NewLeaseDuration=600
	is "r.get('status') == 200" "$1 adds $2"
}
UPNPC() { in_lan timeout 15 upnpc -i -u "$DESC_URL" "$@"; }
kernel() { in_gw iptables-legacy-save; }
rss() { awk '/VmRSS/ {print $2}' /proc/"$DAEMON_PID"/status; }
reach() { wan_reaches "$CP1" "$1" "$2"; }	# EXTPORT LANPORT
# ids FILE: the SystemUpdateID values of a GENA capture, in order.
ids() {
	$PY -c "import json,sys
for e in map(json.loads, open(sys.argv[1])):
    v = e.get('vars', {})
    if 'SystemUpdateID' in v: print(v['SystemUpdateID'])" "$1"
}

# --- the socket: mode, owner, peers ----------------------------------------
mode=$(stat -c %a "$SOCK")
[ "$mode" = 600 ] || fail "socket mode is $mode, not 600"
in_gw setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IGD2CTL" -s "$SOCK" status >"$WORK/nobody.out" 2>&1 &&
    fail "an unprivileged user got an answer"
grep -q "Permission denied" "$WORK/nobody.out" ||
    fail "unprivileged user: $(cat "$WORK/nobody.out")"
# With the file opened to all, the daemon's own check (SO_PEERCRED) still
# refuses a user that is neither root nor in ctl_group.
wmode=$(stat -c %a "$WORK")
rmode=$(stat -c %a "$WORK/run")
chmod 711 "$WORK" "$WORK/run"
chmod 666 "$SOCK"
in_gw setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IGD2CTL" -s "$SOCK" status >"$WORK/nobody.out" 2>&1 &&
    fail "an unprivileged user got an answer through a 0666 socket"
grep -q "igd2ctl: permission denied" "$WORK/nobody.out" ||
    fail "SO_PEERCRED: $(cat "$WORK/nobody.out")"
grep -q "ctl: refused uid 65534" "$WORK/daemon.log" || fail "refusal not logged"
chmod 600 "$SOCK"
chmod "$wmode" "$WORK"
chmod "$rmode" "$WORK/run"
pass "the socket is root's, mode 0600; another user is refused by the mode and by SO_PEERCRED"

ctl status >"$WORK/status.out" || fail "igd2ctl status"
for k in version uptime lan wan connection external_ip mappings \
    system_update_id lease_file; do
	grep -q "^$k: " "$WORK/status.out" || fail "status lacks $k"
done
grep -q "^mappings: 1$" "$WORK/status.out" ||
    fail "status: $(cat "$WORK/status.out")"
ctl -j status | $PY -c "import json,sys; s=json.load(sys.stdin); \
sys.exit(0 if s['mappings'] == 1 and s['lan'] == '$GW_LAN_IF' else 1)" ||
    fail "status --json"
pass "igd2ctl status, as text and JSON"

# --- the configuration's static mapping (WIC-063) ---------------------------
UPNPC -l >"$WORK/l.out" 2>&1
grep -Eq "TCP +2222->$CP2:2222 .*'game from the configuration'.* 0\$" \
    "$WORK/l.out" || { cat "$WORK/l.out"; fail "upnpc -l: the static"; }
# .11 may read its own static entry, but neither delete nor replace it.
soap "$CP2" GetSpecificPortMappingEntry NewRemoteHost= NewExternalPort=2222 \
    NewProtocol=TCP
is "a.get('NewLeaseDuration') == '0'" "static: GetSpecific lease"
soap "$CP2" DeletePortMapping NewRemoteHost= NewExternalPort=2222 \
    NewProtocol=TCP
is "r.get('code') == 606" "a CP deleting its configured static mapping"
soap "$CP2" AddPortMapping NewRemoteHost= NewExternalPort=2222 \
    NewProtocol=TCP NewInternalPort=2222 NewInternalClient="$CP2" \
    NewEnabled=1 NewPortMappingDescription=x NewLeaseDuration=60
is "r.get('code') == 729" "a CP overwriting a static mapping"
pass "a configured static mapping: lease 0; a CP's delete gets 606, its add 729 (WIC-056, WIC-063, WIC-156)"

# --- igd2ctl add: a static mapping below 1024, with real traffic ----------
in_lan $PY "$HERE/ssdp.py" gena "$EVT" "$CP1" 20 "$WORK/ev.json" &
GENA=$!
wait_until 5 grep -qs subscribed "$WORK/ev.json" || fail "no subscription"
sleep 0.5
ctl add TCP 80 "$CP1" 8080 -d "web server" >"$WORK/add.out" ||
    fail "igd2ctl add: $(cat "$WORK/add.out")"
reach 80 8080 || fail "WAN -> :80 does not reach $CP1:8080"
UPNPC -l >"$WORK/l.out" 2>&1
grep -Eq "TCP +80->$CP1:8080 .*'web server'.* 0\$" "$WORK/l.out" ||
    { cat "$WORK/l.out"; fail "upnpc -l: the igd2ctl mapping"; }
soap "$CP2" DeletePortMapping NewRemoteHost= NewExternalPort=80 NewProtocol=TCP
is "r.get('code') == 606" "a CP deleting the administrator's mapping"
reach 80 8080 || fail "the mapping stopped forwarding after a refused delete"
pass "igd2ctl add TCP 80 (lease 0): forwards, upnpc -l shows lease 0, a CP's delete gets 606"

wait_until 5 grep -q '"PortMappingNumberOfEntries": "2"' "$WORK/ev.json" ||
    { cat "$WORK/ev.json"; fail "no event for the igd2ctl add"; }
ctl delete TCP 80 || fail "igd2ctl delete"
reach 80 8080 && fail "traffic still reaches after igd2ctl delete"
kernel | grep -q -- "--dport 80 " && fail "a rule for port 80 is left"
wait_until 5 grep -q '"PortMappingNumberOfEntries": "1"' "$WORK/ev.json" ||
    { cat "$WORK/ev.json"; fail "no event for the igd2ctl delete"; }
kill $GENA 2>/dev/null
wait $GENA 2>/dev/null
ids "$WORK/ev.json" >"$WORK/ids"
[ "$(wc -l <"$WORK/ids")" -ge 3 ] && sort -n -c -u "$WORK/ids" ||
    fail "SystemUpdateID did not move with igd2ctl: $(tr '\n' ' ' <"$WORK/ids")"
pass "igd2ctl add and delete go through table, kernel and events (SystemUpdateID $(tr '\n' ' ' <"$WORK/ids"))"

# --- list, errors ------------------------------------------------------------
ctl add UDP 5353 "$CP2" 5353 -l 120 -d "lease=120 % 100" ||
    fail "add with a lease"
ctl list >"$WORK/list.out" || fail "igd2ctl list"
grep -Eq "^UDP +5353 .* admin .*lease=120 % 100\$" "$WORK/list.out" ||
    { cat "$WORK/list.out"; fail "list: the leased admin mapping"; }
ctl -j list | $PY -c "import json,sys; l=json.load(sys.stdin); \
m={(x['proto'],x['eport']):x for x in l}; u=m[('UDP',5353)]; \
c=m[('TCP',2222)]; sys.exit(0 if len(l)==2 and 115<=u['lease']<=120 and \
u['desc']=='lease=120 % 100' and c['origin']=='config' and c['lease']==0 \
else 1)" || fail "list --json: $(ctl -j list)"
ctl add TCP 2222 "$CP1" 22 >"$WORK/e.out" 2>&1 &&
    fail "add over another client's port"
grep -q "another client" "$WORK/e.out" ||
    fail "conflict message: $(cat "$WORK/e.out")"
ctl delete TCP 4444 >"$WORK/e.out" 2>&1
[ $? = 1 ] && grep -q "no such mapping" "$WORK/e.out" ||
    fail "delete of nothing: $(cat "$WORK/e.out")"
ctl add TCP 0 "$CP1" 1 >"$WORK/e.out" 2>&1 && fail "port 0 accepted"
grep -q "eport" "$WORK/e.out" || fail "port 0: $(cat "$WORK/e.out")"
ctl bogus >/dev/null 2>&1
[ $? = 2 ] || fail "unknown command: exit status"
ctl wan up >"$WORK/e.out" 2>&1 && fail "wan up in monitor mode"
grep -q "emulate" "$WORK/e.out" || fail "wan up: $(cat "$WORK/e.out")"
pass "list (table and JSON); conflicts, unknown mappings and commands get errors"

# Malformed lines straight on the socket: an error line each, serving on.
printf '%s\n' frobnicate 'add proto=TCP eport=99999 client=1.2.3.4 iport=1' \
    'add proto=TCP proto=UDP' 'status x=1' 'add desc=%zz' list |
    in_gw timeout 5 socat - UNIX-CONNECT:"$SOCK" >"$WORK/raw.out"
[ "$(grep -c '^error ' "$WORK/raw.out")" = 5 ] &&
    tail -n 1 "$WORK/raw.out" | grep -q '^ok$' ||
    { cat "$WORK/raw.out"; fail "malformed lines"; }
# A client that connects and sends nothing; one that sends 10 MB, no newline.
in_gw timeout 20 socat -u /dev/zero,readbytes=0 UNIX-CONNECT:"$SOCK" &
IDLE=$!
sleep 0.3
rss0=$(rss)
t0=$(date +%s%N)
ctl status >/dev/null || fail "status while a client idles"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 1000 ] || fail "status took $ms ms beside an idle client"
head -c 10485760 /dev/zero | tr '\0' a |
    in_gw timeout 10 socat - UNIX-CONNECT:"$SOCK" >"$WORK/big.out" 2>/dev/null
grep -q "^error line too long" "$WORK/big.out" ||
    fail "10 MB line: $(head -c 200 "$WORK/big.out")"
ctl status >/dev/null || fail "status after 10 MB"
rss1=$(rss)
# ASan keeps freed memory in quarantine: RSS says nothing there.
if ldd "$IGD2D" | grep -q libasan; then
	echo "note: ASan build, RSS not asserted ($rss0 -> $rss1 kB)"
else
	[ $((rss1 - rss0)) -lt 2048 ] || fail "RSS grew from $rss0 to $rss1 kB"
fi
wait_until 8 sh -c "! kill -0 $IDLE 2>/dev/null" ||
    fail "the idle client was not closed"
pass "malformed lines get errors; status answers in $ms ms beside an idle client, which is closed after 5 s; a 10 MB line is refused (RSS $rss0 -> $rss1 kB)"

# --- reload: a rule now denies .11 -----------------------------------------
cp_add "$CP2" 6001
cp_add "$CP2" 6002
cp_add "$CP1" 6003
in_lan $PY "$HERE/ssdp.py" gena "$EVT" "$CP1" 6 "$WORK/ev2.json" &
GENA=$!
wait_until 5 grep -qs subscribed "$WORK/ev2.json" || fail "no subscription"
sleep 1		# the initial event
cat >"$WORK/igd2d.conf" <<EOF
manager $CP1/32
static = TCP 2222 $CP2 2222 game from the configuration
static = UDP 6000 $CP1 6000
deny 0-65535 $CP2/32 0-65535
allow 1024-65535 $LAN_NET.0/24 1024-65535
EOF
ctl reload || fail "igd2ctl reload"
wait $GENA
ctl list >"$WORK/list.out"
grep -Eq "^TCP +600[12] " "$WORK/list.out" &&
    { cat "$WORK/list.out"; fail ".11's mappings survived the reload"; }
grep -Eq "^UDP +6000 .* config " "$WORK/list.out" ||
    { cat "$WORK/list.out"; fail "the new static is missing"; }
grep -Eq "^TCP +6003 " "$WORK/list.out" || fail ".10's mapping was lost"
grep -Eq "^UDP +5353 .* admin " "$WORK/list.out" ||
    fail "the administrator's mapping was lost"
kernel | grep -Eq -- "--dport 600[12] " && fail ".11's rules are left"
ids "$WORK/ev2.json" >"$WORK/ids"
[ "$(wc -l <"$WORK/ids")" = 2 ] ||
    { cat "$WORK/ev2.json"; fail "expected the initial event and one more"; }
reach 6003 6003 || fail ".10's mapping does not forward after the reload"
pass "reload: .11's mappings leave table and kernel, a new static comes, with one event (SystemUpdateID $(tr '\n' ' ' <"$WORK/ids")); .10's and the administrator's stay"

# A bad file is refused with file:line and changes nothing.
echo "max_mappings = lots" >>"$WORK/igd2d.conf"
ctl reload >"$WORK/e.out" 2>&1 && fail "reload of a bad file succeeded"
grep -q "igd2d.conf:6: max_mappings" "$WORK/e.out" ||
    fail "reload error: $(cat "$WORK/e.out")"
ctl status | grep -q "^mappings: 4$" || fail "a bad reload changed the table"
pass "reload of a bad file answers file:line and keeps the running configuration"

daemon_stop || fail "daemon exit status"
[ -e "$SOCK" ] && fail "the socket is left after stop"
pass "the socket is removed at stop"
