#!/bin/bash
# Starvation (issue 8). libupnp 1.8.4 served HTTP from a fixed pool of
# worker threads and tied one to each connection until the client sent
# its request (30 s per read), so a LAN host holding connections open
# stalled every other control point. The daemon's own HTTP server (the
# front, src/front.c, issue 7) reads requests without blocking, so idle
# and half-sent connections hold no thread; its firewall chain also limits
# the connections one LAN source may open at once (http_conn_limit) and
# how fast (http_conn_rate). Measured here: the attack without the
# limits, then with them, then honest clients under the limits.
set -u
. "$(dirname "$0")/lib.sh"

lab_require upnpc iptables-legacy-save
lab_setup
ST=urn:schemas-upnp-org:service:WANIPConnection:2
ATK=$LAN_NET.20			# the attacker; the victim is $LAN_IP
ATK2=$LAN_NET.21		# a second attacking address
lan_add_ip "$ATK"
lan_add_ip "$ATK2"
IDLE=20
PARTIAL=5
R=$WORK/r.json

start() {
	daemon_start "$@"
	CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn
}
# attack PROBES TIMEOUT [ATTACKERS]: the attack from each of ATTACKERS
# (comma-separated, default $ATK), the probes from $LAN_IP.
attack() {
	in_lan timeout 120 $PY "$HERE/starve.py" attack "$CTL" "$ST" \
	    "${3:-$ATK}" "$LAN_IP" $IDLE $PARTIAL "$1" "$2" >"$R" ||
	    fail "starve.py attack failed: $(cat "$R")"
	echo "attack: $(cat "$R")"
}
is() {
	$PY -c "import json,sys; r=json.load(open('$R')); \
sys.exit(0 if ($1) else 1)" || fail "$2: $(cat "$R")"
}
# The guard's rules as iptables-legacy-save prints them, with counters.
guard_rules() {
	in_gw iptables-legacy-save -c -t filter | grep -e "-A IGD2D-INPUT "
}
CONNLIMIT="-i $GW_LAN_IF -p tcp -m tcp --dport PORT --tcp-flags FIN,SYN,RST,ACK SYN -m connlimit --connlimit-above 4 --connlimit-mask 32 --connlimit-saddr -j DROP"
SYNRATE="-i $GW_LAN_IF -p tcp -m tcp --dport PORT --tcp-flags FIN,SYN,RST,ACK SYN -m hashlimit --hashlimit-above 50/sec --hashlimit-burst 100 --hashlimit-mode srcip --hashlimit-name IGD2D-http -j DROP"

# --- 1. without the limits the attack holds no thread ------------------
# (With libupnp's server this attack left every probe unanswered.)
start -o http_conn_limit=0 -o http_conn_rate=0
guard_rules | grep -q -e "connlimit\|IGD2D-http" &&
    fail "http_conn_limit=0, http_conn_rate=0: HTTP limit rules installed"
attack 3 3
is "r['partial'] == $PARTIAL and r['idle'] == $IDLE" \
    "without limits every attacker connection is accepted"
is "r['held'] == $IDLE + $PARTIAL" \
    "the attacker's connections should be held throughout"
is "all(p is not None and p < 1.0 for p in r['probes'])" \
    "without limits, GetExternalIPAddress under attack should answer within 1 s"
is "r['after'] is not None" "the attacker, once it closed, was not served"
pass "without limits: $IDLE idle + $PARTIAL partial connections from one address held open, GetExternalIPAddress from another answered in $($PY -c "import json; print(max(json.load(open('$R'))['probes']))") s at worst (3 calls)"
daemon_stop || fail "stop after the unprotected attack"

# --- 2. with the default limits the victim is served -------------------
start
rules=$(guard_rules)
for want in "$CONNLIMIT" "$SYNRATE"; do
	want=${want//PORT/$HTTP_PORT}
	grep -qF -e "$want" <<<"$rules" ||
	    { echo "$rules"; fail "missing guard rule: $want"; }
done
attack 5 5
is "r['partial'] + r['idle'] == 4 and r['pending'] == $IDLE + $PARTIAL - 4" \
    "the attacker should get exactly 4 connections"
is "r['held'] == 4" "the attacker's 4 connections should be held throughout"
is "all(p is not None and p < 1.0 for p in r['probes'])" \
    "GetExternalIPAddress under attack should answer within 1 s each time"
is "r['after'] is not None" "the attacker, once it closed, was not served"
dropped=$(guard_rules | grep -F -e "${CONNLIMIT//PORT/$HTTP_PORT}" |
    sed 's/^\[\([0-9]*\):.*/\1/')
[ "${dropped:-0}" -gt 0 ] || fail "the connlimit rule dropped nothing"
pass "with http_conn_limit=4: the attacker gets 4 connections ($dropped SYNs dropped), GetExternalIPAddress from another address answered in $($PY -c "import json; print(max(json.load(open('$R'))['probes']))") s at worst (5 calls, each < 1 s); the attacker is served once it closes"

# Two attacking addresses, 4 connections each: still served.
attack 5 5 "$ATK,$ATK2"
is "r['partial'] + r['idle'] == 8 and r['held'] == 8" \
    "two attackers should get and hold 4 connections each"
is "all(p is not None and p < 1.0 for p in r['probes'])" \
    "GetExternalIPAddress under attack from two addresses, within 1 s"
pass "two attacking addresses, 4 connections each: GetExternalIPAddress answered in $($PY -c "import json; print(max(json.load(open('$R'))['probes']))") s at worst (5 calls)"

# --- 3. honest clients under the limits --------------------------------
in_lan timeout 30 $PY "$HERE/starve.py" parallel "$DESC_URL" "$LAN_IP" 4 5 \
    >"$R" || fail "starve.py parallel failed"
is "all(p is not None and p < 1.0 for p in r)" \
    "4 parallel GETs from one address, each within 1 s"
four=$(cat "$R")
# Above the limit a SYN is dropped and retried by the client (1 s later),
# so a client opening more at once is slowed down, not refused.
in_lan timeout 30 $PY "$HERE/starve.py" parallel "$DESC_URL" "$LAN_IP" 8 10 \
    >"$R" || fail "starve.py parallel failed"
is "all(p is not None for p in r)" "8 parallel GETs from one address"
pass "parallel fetches from one address: 4 at once take $four s; 8 at once all succeed, $(cat "$R") s"

UPNPC() { in_lan timeout 15 upnpc -i -u "$DESC_URL" "$@"; }
UPNPC -a "$LAN_IP" 8080 18080 TCP 600 >"$WORK/upnpc.out" 2>&1 ||
    { cat "$WORK/upnpc.out"; fail "upnpc -a TCP"; }
UPNPC -a "$LAN_IP" 9000 19000 UDP 600 >"$WORK/upnpc.out" 2>&1 ||
    { cat "$WORK/upnpc.out"; fail "upnpc -a UDP"; }
UPNPC -l >"$WORK/upnpc.out" 2>&1 || true
grep -q "TCP 18080->$LAN_IP:8080 " "$WORK/upnpc.out" &&
    grep -q "UDP 19000->$LAN_IP:9000 " "$WORK/upnpc.out" ||
    { cat "$WORK/upnpc.out"; fail "upnpc -l does not list both"; }
UPNPC -d 18080 TCP >"$WORK/upnpc.out" 2>&1 || fail "upnpc -d TCP"
UPNPC -d 19000 UDP >"$WORK/upnpc.out" 2>&1 || fail "upnpc -d UDP"
UPNPC -l >"$WORK/upnpc.out" 2>&1 || true
grep -Eq '^ *[0-9]+ (TCP|UDP) ' "$WORK/upnpc.out" &&
    { cat "$WORK/upnpc.out"; fail "upnpc -l still lists a mapping"; }
pass "upnpc -a, -l, -d work under the default limits"

daemon_stop || fail "daemon did not stop cleanly"

# --- 4. the rate limit alone: a burst above it is delayed, not refused --
start -o http_conn_limit=0 -o http_conn_rate=10 -o http_conn_burst=10
in_lan timeout 60 $PY "$HERE/starve.py" parallel "$DESC_URL" "$LAN_IP" 30 \
    20 >"$R" || fail "starve.py parallel failed"
is "all(p is not None for p in r)" "30 parallel GETs at 10/s, burst 10"
is "sum(1 for p in r if p >= 1.0) > 0" \
    "30 GETs at once above a burst of 10 should be delayed (SYN retry)"
want=${SYNRATE//PORT/$HTTP_PORT}
want=${want/above 50\/sec --hashlimit-burst 100/above 10\/sec --hashlimit-burst 10}
dropped=$(guard_rules | grep -F -e "$want" | sed 's/^\[\([0-9]*\):.*/\1/')
[ "${dropped:-0}" -gt 0 ] || fail "the connection rate rule dropped nothing"
pass "http_conn_rate=10, burst 10: 30 GETs at once all answered, $($PY -c "import json; print(sum(1 for p in json.load(open('$R')) if p >= 1.0))") of them after a retry ($dropped SYNs dropped), slowest $($PY -c "import json; print(max(json.load(open('$R'))))") s"
daemon_stop || fail "daemon did not stop cleanly"
# --- 5. slow readers: an answer nobody reads holds no thread -----------
# A listing larger than the socket buffers, asked for on more connections
# than the front has threads, none read. Each thread used to wait for its
# reader for up to 5 s (FRONT_WRITE_MS), so the probes waited too; the
# rest of each answer now waits in the connection, and the connection is
# reset when its reader has not taken it within those 5 s.
start -o http_conn_limit=0 -o http_conn_rate=0 -o max_mappings_per_client=1000
in_lan timeout 120 $PY "$HERE/starve.py" slowread "$CTL" "$ST" "$ATK" \
    "$LAN_IP" 600 6 5 3 >"$R" || fail "starve.py slowread failed: $(cat "$R")"
echo "slowread: $(cat "$R")"
is "r['size'] is not None and r['size'] > 150000" \
    "the listing of 600 mappings should be larger than the socket buffers"
is "all(p is not None and p < 1.0 for p in r['probes'])" \
    "GetExternalIPAddress while 6 answers are not read, within 1 s"
is "all(t is not None and 4.5 <= t <= 8 for t in r['closed'])" \
    "each unread answer's connection should end 5 s after its request"
is "all(g < r['size'] for g in r['got'])" \
    "a reader that stopped reading cannot have had the whole answer"
is "r['after']" "the listing afterwards should be whole"
is "r['steady'] and r['steady_s'] >= 0.5" \
    "a listing read 2 KB at a time should come whole (in over 0.5 s)"
pass "6 listings of $($PY -c "import json; print(json.load(open('$R'))['size'])") bytes not read: GetExternalIPAddress answered in $($PY -c "import json; print(max(json.load(open('$R'))['probes']))") s at worst (5 calls); each reset $($PY -c "import json; r=json.load(open('$R')); print(min(r['closed']), '-', max(r['closed']))") s after its request; a whole listing afterwards, and read 2 KB at a time in $($PY -c "import json; print(json.load(open('$R'))['steady_s'])") s"
daemon_stop || fail "daemon did not stop cleanly"
exit 0
