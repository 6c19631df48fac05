#!/bin/bash
# test_fw_map.sh: the iptc backend's port mappings against a real kernel,
# with real traffic, in scratch network namespaces so the host's tables
# and networks are never touched:
#
#   lan  192.168.78.10 -- br-lan  gw  203.0.113.1 -- br0 -- A 203.0.113.2
#   lan2 192.168.78.11 -/  192.168.78.1   (gwwan)          \-- B 203.0.113.3
#           (gwlan, gwlan2 in br-lan)
#
# Drives fw_map_test (built by make, path in $FW_MAP_TEST) in the gateway
# namespace; one fw_map_test process runs a whole sequence of steps, and
# its "hold" step lets this script look at the kernel and send traffic
# while the rules are in place. Traffic only goes to addresses of the
# namespaces made here. Every wait is bounded.
# Exit 0 pass, 1 fail, 77 skip (not root, no netns, no legacy ip_tables,
# no socat or /usr/bin/python3), 99 hard error (test binary missing).

set -eu

BIN=${FW_MAP_TEST:-./tests/integration/fw_map_test}
SEED=${FW_MAP_SEED:-20240521}
LAN=igd2d-mlan-$$
LAN2=igd2d-mlan2-$$
GW=igd2d-mgw-$$
SW=igd2d-msw-$$
WA=igd2d-mwa-$$
WB=igd2d-mwb-$$
WAN=gwwan
LANIF=br-lan
LANADDR=192.168.78.1
LANNET=192.168.78.0/24
PY=/usr/bin/python3
C10=192.168.78.10
C11=192.168.78.11
HA=203.0.113.2
HB=203.0.113.3
TMP=
HOLD_PID=
HOLD_OUT=
PIDS=()

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
	local p n
	exec 3>&- 2>/dev/null || true
	for p in ${HOLD_PID:+"$HOLD_PID"} ${PIDS[@]+"${PIDS[@]}"}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	# Stragglers (socat's forked children) live in our namespaces only.
	for n in "$LAN" "$LAN2" "$GW" "$SW" "$WA" "$WB"; do
		for p in $(ip netns pids "$n" 2>/dev/null); do
			kill "$p" 2>/dev/null || true
		done
		ip netns del "$n" 2>/dev/null || true
	done
	if [ -n "$TMP" ]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || skip "needs root"
for cmd in ip iptables-legacy iptables-legacy-save socat ss timeout; do
	command -v "$cmd" >/dev/null || skip "$cmd not found"
done
[ -x "$PY" ] || skip "$PY not found"
if [ ! -x "$BIN" ]; then
	echo "ERROR: test binary $BIN not found (set FW_MAP_TEST)" >&2
	exit 99
fi
ip netns add "$GW" 2>/dev/null || skip "ip netns unusable"
TMP=$(mktemp -d)

in_ns() { local n=$1; shift; ip netns exec "$n" "$@"; }
gw() { ip netns exec "$GW" "$@"; }
# Bounded: a wedged lock or kernel must fail the test, not hang it.
fwt() { gw env FW_MAP_LOCK_MS=3000 timeout 60 "$BIN" "$WAN" "$@"; }

if ! gw iptables-legacy -w -t nat -L PREROUTING -n >/dev/null 2>&1; then
	skip "legacy nat table unusable in a network namespace here"
fi

# --- topology ---------------------------------------------------------
for n in "$LAN" "$LAN2" "$SW" "$WA" "$WB"; do ip netns add "$n"; done
for n in "$LAN" "$LAN2" "$GW" "$SW" "$WA" "$WB"; do
	ip -n "$n" link set lo up
done
ip -n "$GW" link add gwlan type veth peer name lan0 netns "$LAN"
ip -n "$GW" link add gwlan2 type veth peer name lan0 netns "$LAN2"
ip -n "$GW" link add "$WAN" type veth peer name swgw netns "$SW"
ip -n "$WA" link add wan0 type veth peer name swa netns "$SW"
ip -n "$WB" link add wan0 type veth peer name swb netns "$SW"
ip -n "$SW" link add br0 type bridge || skip "no bridge support"
for p in swgw swa swb; do
	ip -n "$SW" link set "$p" master br0
	ip -n "$SW" link set "$p" up
done
ip -n "$SW" link set br0 up
for h in "$LAN:$C10" "$LAN2:$C11"; do
	ip -n "${h%%:*}" addr add "${h#*:}/24" dev lan0
	ip -n "${h%%:*}" link set lan0 up
	ip -n "${h%%:*}" route add default via "$LANADDR"
done
ip -n "$GW" link add "$LANIF" type bridge
for p in gwlan gwlan2; do
	ip -n "$GW" link set "$p" master "$LANIF"
	ip -n "$GW" link set "$p" up
done
ip -n "$GW" addr add "$LANADDR/24" dev "$LANIF"
ip -n "$GW" addr add 203.0.113.1/24 dev "$WAN"
ip -n "$GW" link set "$LANIF" up
ip -n "$GW" link set "$WAN" up
gw sysctl -qw net.ipv4.ip_forward=1
# A plain router. With br_netfilter loaded on the host, a DNAT back into
# the LAN bridge would be bridged rather than routed, and a bridge never
# sends a frame back out of the port it came in by: (10) looks at that.
BRNF=/proc/sys/net/bridge/bridge-nf-call-iptables
if gw test -e "$BRNF"; then
	gw sysctl -qw net.bridge.bridge-nf-call-iptables=0
fi
ip -n "$WA" addr add "$HA/24" dev wan0
ip -n "$WB" addr add "$HB/24" dev wan0
ip -n "$WA" link set wan0 up
ip -n "$WB" link set wan0 up

# The gateway forwards nothing from the WAN, nor from the LAN back to
# the LAN, unless a rule says so: our FORWARD rules (hairpin too) must do
# their job. Replies and LAN-to-WAN pass.
gw iptables-legacy -w -P FORWARD DROP
gw iptables-legacy -w -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED \
    -j ACCEPT
gw iptables-legacy -w -A FORWARD -i "$LANIF" -o "$WAN" -j ACCEPT

# --- helpers ----------------------------------------------------------
PAYLOAD="igd2d $$ $(head -c 60 /dev/urandom | base64 -w0) end"

# wait_for DESC CMD...: poll CMD up to 5 s.
wait_for() {
	local desc=$1 i
	shift
	for i in $(seq 50); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	fail "timed out waiting for $desc"
}

has_listener() { [ -n "$(in_ns "$1" ss -H "$2" "sport = :$3")" ]; }

start_bg() {
	"$@" &
	PIDS+=($!)
}

# tcp_ask NS PORT [ADDR]: what the LAN host answers to PAYLOAD sent from
# NS to ADDR (203.0.113.1):PORT; empty when nothing gets through.
tcp_ask() {
	printf '%s\n' "$PAYLOAD" | in_ns "$1" timeout 3 socat -t 1 - \
	    "TCP:${3:-203.0.113.1}:$2,connect-timeout=2" 2>/dev/null || true
}

# tcp_ok NS PORT [ADDR]: the echo on port 80 answers intact.
tcp_ok() { [ "$(tcp_ask "$@")" = "$PAYLOAD" ]; }

udp_ok() {
	local got
	got=$(printf '%s\n' "$PAYLOAD" | in_ns "$1" timeout 3 socat -t 1 - \
	    "UDP:203.0.113.1:$2" 2>/dev/null) || true
	[ "$got" = "$PAYLOAD" ]
}

expect_tcp() {	# yes|no NS PORT WHY [ADDR]
	if tcp_ok "$2" "$3" ${5:+"$5"}; then
		[ "$1" = yes ] ||
		    fail "$4: tcp ${5:-203.0.113.1}:$3 from $2 got through"
	else
		[ "$1" = no ] || fail "$4: tcp ${5:-203.0.113.1}:$3 from $2 failed"
	fi
}

expect_udp() {
	if udp_ok "$2" "$3"; then
		[ "$1" = yes ] || fail "$4: udp $3 from $2 got through"
	else
		[ "$1" = no ] || fail "$4: udp $3 from $2 failed"
	fi
}

# hold_start OUT STEP...: run fw_map_test in the background; each "hold"
# step waits for a line from hold_next.
mkfifo "$TMP/ctl"
exec 3<>"$TMP/ctl"
hold_start() {
	HOLD_OUT=$1
	shift
	: >"$HOLD_OUT"
	fwt "$@" <"$TMP/ctl" >"$HOLD_OUT" 2>&1 &
	HOLD_PID=$!
}

# hold_wait N: until fw_map_test has printed its Nth "hold".
hold_wait() {
	local i
	for i in $(seq 100); do
		if [ "$(grep -c '^hold$' "$HOLD_OUT")" -ge "$1" ]; then
			return 0
		fi
		if ! kill -0 "$HOLD_PID" 2>/dev/null; then
			cat "$HOLD_OUT" >&2
			fail "fw_map_test ended before hold $1"
		fi
		sleep 0.05
	done
	fail "fw_map_test did not reach hold $1"
}

hold_next() { echo go >&3; }

hold_end() {
	local rc=0
	wait "$HOLD_PID" || rc=$?
	HOLD_PID=
	if [ "$rc" != 0 ]; then
		cat "$HOLD_OUT" >&2
		fail "fw_map_test exited $rc"
	fi
}

# The three rules of a mapping SPEC (tcp|udp,REMOTE,EPORT,IADDR,IPORT) as
# iptables-legacy-save prints them, each after its table's name. Hairpin
# adds none (fw.h).
rule_lines() {
	local p r e i ip src= m
	IFS=, read -r p r e i ip <<<"$1"
	[ "$r" = 0.0.0.0 ] || src="-s $r/32 "
	m="-p $p -m $p"
	echo "nat -A IGD2D-DNAT ${src}$m --dport $e" \
	    "-j DNAT --to-destination $i:$ip"
	echo "nat -A IGD2D-POSTROUTING -s $i/32 -o $WAN $m --sport $ip" \
	    "-j MASQUERADE --to-ports $e"
	echo "filter -A IGD2D-FORWARD ${src}-d $i/32 -i $WAN $m --dport $ip" \
	    "-j ACCEPT"
}

# The rules of our chains that are there whatever the mappings (fw.h),
# without and with hairpin.
FIXED="nat -A IGD2D-PREROUTING -i $WAN -j IGD2D-DNAT"
FIXED_HP="$FIXED
nat -A IGD2D-PREROUTING ! -d $LANADDR/32 -i $LANIF -m addrtype --dst-type LOCAL -j IGD2D-DNAT
nat -A IGD2D-POSTROUTING -s $LANNET -o $LANIF -m conntrack --ctstate DNAT -j MASQUERADE
filter -A IGD2D-FORWARD -i $LANIF -o $LANIF -m conntrack --ctstate DNAT -j ACCEPT"

# All the rules of our chains but the guard's, in the order the kernel
# has them, each after its table's name.
chain_rules() {
	gw iptables-legacy-save -t nat |
	    grep -E '^-A IGD2D-(PREROUTING|DNAT|POSTROUTING) ' |
	    sed 's/^/nat /'
	gw iptables-legacy-save -t filter | grep -E '^-A IGD2D-FORWARD ' |
	    sed 's/^/filter /'
}

# Our mapping rules in the kernel, sorted, duplicates kept.
actual_rules() {
	chain_rules | grep -vxF -e "$FIXED_HP" | sort
}

# check_fixed WHY FIXED: the fixed rules are FIXED, each once.
check_fixed() {
	local got
	got=$(chain_rules | grep -xF -e "$FIXED_HP" | sort)
	if [ "$got" != "$(echo "$2" | sort)" ]; then
		diff <(echo "$2" | sort) <(echo "$got") >&2 || true
		fail "$1: the fixed rules differ (< want, > got)"
	fi
}

# EXP: the mappings that should be installed, as SPEC keys.
declare -A EXP=()

exp_specs() {
	local s
	for s in "${!EXP[@]}"; do echo "$s"; done | sort
}

exp_rules() {
	local s
	for s in "${!EXP[@]}"; do rule_lines "$s"; done | sort -u
}

# check_set WHY OUT: kernel rules and OUT's "map" lines equal EXP.
check_set() {
	local want got
	want=$(exp_rules)
	got=$(actual_rules)
	if [ "$want" != "$got" ]; then
		diff <(echo "$want") <(echo "$got") >&2 || true
		fail "$1: kernel rules differ from the expected set"
	fi
	want=$(exp_specs)
	got=$(sed -n 's/^map //p' "$2" | sort)
	if [ "$want" != "$got" ]; then
		diff <(echo "$want") <(echo "$got") >&2 || true
		fail "$1: fw_map_list differs from the expected set"
	fi
	echo "$1: $(echo "$want" | grep -c . || true) mappings," \
	    "$(echo "$got" | grep -c . || true) listed," \
	    "$(actual_rules | grep -c . || true) rules: as expected"
}

# list_at OUT N FILE: the "map" lines OUT got between hold N-1 and hold N.
list_at() {
	awk -v n="$2" '/^hold$/ { h++; next } h == n - 1 && /^map /' \
	    "$1" >"$3"
}

no_igd2d_left() {
	if gw iptables-legacy-save | grep -e IGD2D >&2; then
		fail "$1: IGD2D chains or jumps remain"
	fi
}

# gen_ops N: N random add/del steps into OPS from a small pool, so that
# re-adds, deletes of absent mappings and shared rules happen; EXP
# follows. Not in a subshell: EXP must survive.
PROTOS=(tcp udp)
REMOTES=(0.0.0.0 "$HA")
EPORTS=(8100 8101 8102)
CLIENTS=("$C10" "$C11")
IPORTS=(80 81 82)
gen_ops() {
	local i spec
	OPS=()
	for ((i = 0; i < $1; i++)); do
		spec=${PROTOS[RANDOM % 2]},${REMOTES[RANDOM % 2]}
		spec=$spec,${EPORTS[RANDOM % 3]},${CLIENTS[RANDOM % 2]}
		spec=$spec,${IPORTS[RANDOM % 3]}
		if ((RANDOM % 3 != 0)); then
			[ -z "${EXP[$spec]+x}" ] || READDS=$((READDS + 1))
			OPS+=("add=$spec")
			EXP[$spec]=1
		else
			[ -n "${EXP[$spec]+x}" ] || ABSENT=$((ABSENT + 1))
			OPS+=("del=$spec")
			unset "EXP[$spec]"
		fi
		OPS+=(${2:+"$2"})
	done
}

# --- servers on the LAN host ------------------------------------------
start_bg in_ns "$LAN" timeout 300 socat \
    "TCP-LISTEN:80,bind=$C10,reuseaddr,fork" PIPE
start_bg in_ns "$LAN" timeout 300 socat "UDP-RECVFROM:9000,bind=$C10,fork" \
    PIPE
# Port 81 answers "p81-" and the line, to tell it from port 80.
start_bg in_ns "$LAN" timeout 300 socat \
    "TCP-LISTEN:81,bind=$C10,reuseaddr,fork" EXEC:"sed -u s/^/p81-/"
wait_for "tcp echo on the LAN host" has_listener "$LAN" -ltn 80
wait_for "udp echo on the LAN host" has_listener "$LAN" -lun 9000
wait_for "tcp 81 on the LAN host" has_listener "$LAN" -ltn 81

expect_tcp no "$WA" 8080 "before any mapping"

# --- (1)-(3) inbound traffic, RemoteHost, del, flush, close -----------
T80=tcp,0.0.0.0,8080,$C10,80
T82=tcp,0.0.0.0,8082,$C10,80	# shares T80's FORWARD rule
TA=tcp,$HA,8081,$C10,80		# only from WAN host A
U90=udp,0.0.0.0,9090,$C10,9000
W83=tcp,0.0.0.0,8083,$C10,80	# VC-07: a wildcard mapping and,
S83=tcp,$HA,8083,$C10,81	# added later, a specific one on its port
hold_start "$TMP/traffic" open "add=$T80" "add=$T82" "add=$TA" "add=$U90" \
    "add=$W83" "add=$S83" hold "del=$T80" hold flush hold add="$T80" hold close
hold_wait 1
expect_tcp yes "$WA" 8080 "(1) tcp 8080 -> $C10:80"
expect_tcp yes "$WB" 8080 "(1) tcp 8080, any remote host"
expect_udp yes "$WA" 9090 "(1) udp 9090 -> $C10:9000"
expect_tcp yes "$WA" 8081 "(2) RemoteHost $HA"
expect_tcp no "$WB" 8081 "(2) RemoteHost $HA, from $HB"
[ "$(tcp_ask "$WA" 8083)" = "p81-$PAYLOAD" ] ||
    fail "(2) VC-07: the specific mapping of 8083 must win for $HA"
expect_tcp yes "$WB" 8083 "(2) VC-07: the wildcard mapping of 8083 for $HB"
echo "(1) tcp and udp mappings carry traffic through FORWARD policy DROP (WIC-101); (2) RemoteHost filters," \
    "a specific remote host wins over the wildcard"
hold_next
hold_wait 2
expect_tcp no "$WA" 8080 "(3) after del"
# From B: A's packets would also pass TA's own FORWARD rule.
expect_tcp yes "$WB" 8082 "(3) del kept the FORWARD rule another mapping shares"
expect_tcp yes "$WA" 8081 "(3) del touched another mapping"
hold_next
hold_wait 3
expect_tcp no "$WA" 8082 "(3) after flush"
expect_tcp no "$WA" 8081 "(3) after flush"
expect_udp no "$WA" 9090 "(3) after flush"
hold_next
hold_wait 4
expect_tcp yes "$WA" 8080 "(3) re-add after flush"
hold_next
hold_end
expect_tcp no "$WA" 8080 "(3) after close"
no_igd2d_left "(3) close"
echo "(3) del, flush and close take the rules away"

# --- (4) outbound: I:IP leaves as 203.0.113.1:E -----------------------
RECV='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(3)
print("ready", flush=True)
data, peer = s.recvfrom(4096)
print("%s:%d %s" % (peer[0], peer[1], data.decode()), flush=True)'
SEND='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(sys.argv[5].encode(), (sys.argv[3], int(sys.argv[4])))'
hold_start "$TMP/out" open "add=udp,0.0.0.0,9091,$C10,9001" hold close
hold_wait 1
in_ns "$WA" timeout 5 "$PY" -c "$RECV" "$HA" 5555 >"$TMP/recv" &
PIDS+=($!)
wait_for "udp receiver on $HA" grep -q ready "$TMP/recv"
in_ns "$LAN" timeout 3 "$PY" -c "$SEND" "$C10" 9001 "$HA" 5555 "$PAYLOAD"
wait_for "the datagram at $HA" grep -q end "$TMP/recv"
got=$(sed -n 2p "$TMP/recv")
[ "$got" = "203.0.113.1:9091 $PAYLOAD" ] ||
    fail "(4) outbound: want 203.0.113.1:9091, $HA saw \"$got\""
echo "(4) outbound from $C10:9001 seen as 203.0.113.1:9091"
hold_next
hold_end

# --- (7) fw_foreign ---------------------------------------------------
gw iptables-legacy -w -t nat -A PREROUTING -i "$WAN" -p tcp --dport 7000 \
    -j DNAT --to-destination "$C10:7000"
gw iptables-legacy -w -t nat -A PREROUTING -i gwlan -p tcp --dport 7200 \
    -j DNAT --to-destination "$C10:7200"
gw iptables-legacy -w -t nat -A PREROUTING -p udp -m multiport \
    --dports 7300,7400:7410 -j REDIRECT --to-ports 53
gw iptables-legacy -w -t nat -N ADMIN-DNAT
gw iptables-legacy -w -t nat -A PREROUTING -j ADMIN-DNAT
gw iptables-legacy -w -t nat -A ADMIN-DNAT ! -i gwlan -p tcp \
    --dport 7500:7510 -j DNAT --to-destination "$C10"
fwt open "add=$T80" foreign=tcp/7000 foreign=tcp/7001 foreign=udp/7000 \
    foreign=tcp/8080 foreign=tcp/7200 foreign=udp/7405 foreign=udp/7300 \
    foreign=udp/7350 foreign=tcp/7505 foreign=tcp/7511 \
    "!addx=tcp,0.0.0.0,7000,$C10,80" "!addx=udp,$HA,7405,$C10,80" \
    "!addx=tcp,0.0.0.0,7505,$C11,80" "addx=tcp,0.0.0.0,7001,$C10,80" \
    "addx=$T80" list >"$TMP/foreign"
want="foreign tcp/7000 1
foreign tcp/7001 0
foreign udp/7000 0
foreign tcp/8080 0
foreign tcp/7200 0
foreign udp/7405 1
foreign udp/7300 1
foreign udp/7350 0
foreign tcp/7505 1
foreign tcp/7511 0"
got=$(grep '^foreign ' "$TMP/foreign")
if [ "$got" != "$want" ]; then
	diff <(echo "$want") <(echo "$got") >&2 || true
	fail "(7) fw_foreign answers (< want, > got)"
fi
# fw_map_add_excl: refused where fw_foreign says 1, with nothing added.
[ "$(grep -c '^failed addx=.*claimed by another rule: Address already in use$' \
    "$TMP/foreign")" = 3 ] ||
    fail "(7) fw_map_add_excl on claimed ports: $(cat "$TMP/foreign")"
[ "$(sed -n 's/^map //p' "$TMP/foreign" | sort)" = \
    "$(printf '%s\n' "tcp,0.0.0.0,7001,$C10,80" "$T80" | sort)" ] ||
    fail "(7) fw_map_add_excl: want 7001 and 8080 only: $(cat "$TMP/foreign")"
# The handle stayed open: our jumps, one each, lead their chains.
for c in nat/PREROUTING nat/POSTROUTING filter/FORWARD filter/INPUT \
    filter/OUTPUT; do
	rules=$(gw iptables-legacy -w -t "${c%/*}" -S "${c#*/}")
	[ "$(echo "$rules" | grep -c -e "-j IGD2D-")" = 1 ] ||
	    fail "(7) want one jump in $c: $rules"
	[ "$(echo "$rules" | grep -e '^-A' | head -n 1)" = \
	    "-A ${c#*/} -j IGD2D-${c#*/}" ] || fail "(7) jump not first in $c"
done
check_fixed "(7) open" "$FIXED"
gw iptables-legacy -w -t nat -F PREROUTING
gw iptables-legacy -w -t nat -F ADMIN-DNAT
gw iptables-legacy -w -t nat -X ADMIN-DNAT
echo "(7) fw_foreign: admin DNAT/REDIRECT rules found, ours and others not"

# --- (8) our entries are iptables(8)'s: its rules count as ours -------
EXP=()
EXP[$TA]=1
hold_start "$TMP/enc" open hold "add=$TA" list hold "del=$TA" list
hold_wait 1
while read -r table rule; do
	read -r -a args <<<"${rule#-A }"
	gw iptables-legacy -w -t "$table" -A "${args[@]}"
done < <(rule_lines "$TA")
hold_next
hold_wait 2
check_set "(8) add over rules made by iptables: no duplicate" "$HOLD_OUT"
hold_next
hold_end
EXP=()
check_set "(8) del removes them" /dev/null

# With the held process at its first hold: remove our FORWARD chain so the
# next adds fail in their filter step, let the process go on, and check
# that the nat table is exactly as before (all or nothing).
forward_gone_nat_unchanged() {	# what
	local before after
	hold_wait 1
	before=$(gw iptables-legacy-save -t nat | grep -e '^-A IGD2D')
	gw iptables-legacy -w -D FORWARD -j IGD2D-FORWARD
	gw iptables-legacy -w -F IGD2D-FORWARD
	gw iptables-legacy -w -X IGD2D-FORWARD
	hold_next
	hold_wait 2
	after=$(gw iptables-legacy-save -t nat | grep -e '^-A IGD2D')
	if [ "$before" != "$after" ]; then
		diff <(echo "$before") <(echo "$after") >&2 || true
		fail "$1 changed the nat table"
	fi
}

# --- (9) all or nothing: filter fails, nat stays as it was ------------
T91=tcp,0.0.0.0,8091,$C10,81
T91A=tcp,$HA,8091,$C10,81	# shares T91's MASQUERADE rule
hold_start "$TMP/atomic" open "add=$T91" hold "!add=$T91A" \
    "!add=tcp,0.0.0.0,0,$C10,80" "!add=tcp,0.0.0.0,80,0.0.0.0,80" hold close
forward_gone_nat_unchanged "(9) failed add"
grep -q "^failed add=$T91A: filter/IGD2D-FORWARD missing:" "$HOLD_OUT" ||
    fail "(9) want the filter failure named, got: $(cat "$HOLD_OUT")"
[ "$(grep -c '^failed add=.*Invalid argument$' "$HOLD_OUT")" = 2 ] ||
    fail "(9) port 0 or client 0.0.0.0 not refused with EINVAL"
hold_next
hold_end
no_igd2d_left "(9) close with a chain missing"
echo "(9) a failed filter step leaves nat as it was (shared rule kept)"

# --- (10) hairpin (RFC 4787 REQ-9) ------------------------------------
# A LAN host reaches a mapping at the gateway's external address and
# port, whatever that address is now; only with hairpin on.
HPOPEN=open-hairpin=$LANIF,$LANADDR/24
fwt "!open-hairpin=$WAN,$LANADDR/24" "!open-hairpin=$LANIF,0.0.0.0/24" \
    >"$TMP/hpbad"
[ "$(grep -c '^failed open-hairpin=.*Invalid argument$' "$TMP/hpbad")" = 2 ] ||
    fail "(10) LAN = WAN or LAN address 0.0.0.0 not refused: $(cat "$TMP/hpbad")"
no_igd2d_left "(10) refused open"
hold_start "$TMP/hpoff" open "add=$T80" "add=$U90" hold close
hold_wait 1
expect_tcp yes "$WA" 8080 "(10) hairpin off: from the WAN"
expect_tcp no "$LAN2" 8080 "(10) hairpin off: from $C11"
expect_tcp no "$LAN" 8080 "(10) hairpin off: from $C10 to itself"
expect_udp no "$LAN2" 9090 "(10) hairpin off: udp from $C11"
if gw iptables-legacy-save | grep -e '^-A IGD2D-' | grep -e "$LANIF" >&2; then
	fail "(10) hairpin off: LAN rules installed"
fi
check_fixed "(10) hairpin off" "$FIXED"
hold_next
hold_end
no_igd2d_left "(10) hairpin off, close"
echo "(10) hairpin off: no LAN rules, LAN hosts do not get through"

EXP=()
for s in "$T80" "$T82" "$TA" "$U90"; do EXP[$s]=1; done
hold_start "$TMP/hp" "$HPOPEN" "add=$T80" "add=$T82" "add=$TA" "add=$U90" \
    "add=$T80" list hold hold "del=$T80" "del=$T80" list hold \
    "del=$T82" "del=$TA" "del=$U90" list hold close
hold_wait 1
list_at "$HOLD_OUT" 1 "$TMP/hp1"
check_set "(10) hairpin add: rules as fw.h, shared once, 1 list entry each" \
    "$TMP/hp1"
# Four mappings, and still only the three hairpin rules fw.h spells, by
# iptables' own comparison.
check_fixed "(10) hairpin add" "$FIXED_HP"
gw iptables-legacy -w -t nat -C IGD2D-PREROUTING -i "$LANIF" ! -d "$LANADDR" \
    -m addrtype --dst-type LOCAL -j IGD2D-DNAT ||
    fail "(10) iptables -C: hairpin jump"
gw iptables-legacy -w -t nat -C IGD2D-POSTROUTING -o "$LANIF" -s "$LANNET" \
    -m conntrack --ctstate DNAT -j MASQUERADE ||
    fail "(10) iptables -C: hairpin MASQUERADE"
gw iptables-legacy -w -t filter -C IGD2D-FORWARD -i "$LANIF" -o "$LANIF" \
    -m conntrack --ctstate DNAT -j ACCEPT ||
    fail "(10) iptables -C: hairpin FORWARD"
gw iptables-legacy -w -t nat -C IGD2D-DNAT -p tcp --dport 8081 -s "$HA" \
    -j DNAT --to "$C10:80" || fail "(10) iptables -C: DNAT with -s"
expect_tcp yes "$LAN2" 8080 "(10) hairpin from $C11"
expect_tcp yes "$LAN" 8080 "(10) hairpin from $C10 to itself"
expect_tcp yes "$LAN2" 8082 "(10) hairpin, second port to the same client"
expect_udp yes "$LAN2" 9090 "(10) udp hairpin from $C11"
expect_tcp yes "$WA" 8080 "(10) from the WAN with hairpin on"
expect_tcp no "$LAN2" 8081 "(10) RemoteHost $HA: not for a LAN host"
expect_tcp yes "$WA" 8081 "(10) RemoteHost $HA from $HA"
expect_tcp no "$LAN2" 8080 "(10) the gateway's LAN address is not mapped" \
    "$LANADDR"
echo "(10) hairpin: $C11 and $C10 reach $C10:80 at 203.0.113.1:8080"
if gw test -e "$BRNF"; then
	gw sysctl -qw net.bridge.bridge-nf-call-iptables=1
	expect_tcp yes "$LAN2" 8080 "(10) hairpin from $C11, br_netfilter on"
	ip -n "$GW" link set gwlan type bridge_slave hairpin on
	expect_tcp yes "$LAN" 8080 \
	    "(10) hairpin to itself, br_netfilter on, port in hairpin mode"
	ip -n "$GW" link set gwlan type bridge_slave hairpin off
	gw sysctl -qw net.bridge.bridge-nf-call-iptables=0
	echo "(10) br_netfilter on: the same rules serve; to itself, the" \
	    "bridge port needs hairpin mode"
fi
hold_next
hold_wait 2
# A new WAN address: the same rules serve it.
before=$(actual_rules)
gw sysctl -qw "net.ipv4.conf.$WAN.promote_secondaries=1"
ip -n "$GW" addr add 203.0.113.9/24 dev "$WAN"
ip -n "$GW" addr del 203.0.113.1/24 dev "$WAN"
expect_tcp yes "$LAN2" 8080 "(10) hairpin to the new WAN address" \
    203.0.113.9
expect_tcp yes "$LAN" 8080 "(10) hairpin to itself, new WAN address" \
    203.0.113.9
expect_tcp yes "$WA" 8080 "(10) from the WAN to the new address" \
    203.0.113.9
[ "$(actual_rules)" = "$before" ] || fail "(10) rules changed with the address"
ip -n "$GW" addr add 203.0.113.1/24 dev "$WAN"
ip -n "$GW" addr del 203.0.113.9/24 dev "$WAN"
expect_tcp yes "$LAN2" 8080 "(10) hairpin, WAN address back"
echo "(10) WAN address 203.0.113.1 -> .9: hairpin works, rules untouched"
hold_next
hold_wait 3
unset "EXP[$T80]"
list_at "$HOLD_OUT" 3 "$TMP/hp3"
check_set "(10) del with hairpin" "$TMP/hp3"
check_fixed "(10) del with hairpin" "$FIXED_HP"
expect_tcp no "$LAN2" 8080 "(10) hairpin after del"
expect_tcp yes "$LAN2" 8082 "(10) hairpin of a mapping sharing the rules"
hold_next
hold_wait 4
EXP=()
list_at "$HOLD_OUT" 4 "$TMP/hp4"
check_set "(10) del of the rest: no mapping rule left" "$TMP/hp4"
check_fixed "(10) del of the rest" "$FIXED_HP"
hold_next
hold_end
no_igd2d_left "(10) hairpin close"

# A flush takes the mappings and keeps the hairpin rules.
hold_start "$TMP/hpflush" "$HPOPEN" "add=$T80" "add=$U90" flush list hold \
    "add=$T82" hold close
hold_wait 1
EXP=()
check_set "(10) flush with hairpin" "$TMP/hpflush"
check_fixed "(10) flush with hairpin" "$FIXED_HP"
expect_tcp no "$LAN2" 8080 "(10) hairpin after flush"
hold_next
hold_wait 2
expect_tcp yes "$LAN2" 8082 "(10) hairpin of an add after flush"
hold_next
hold_end
no_igd2d_left "(10) hairpin close after flush"

# With hairpin too, iptables(8)'s rules count as ours: no duplicate, del
# takes them.
EXP=()
EXP[$T80]=1
hold_start "$TMP/hpenc" "$HPOPEN" hold "add=$T80" list hold "del=$T80" \
    list hold close
hold_wait 1
while read -r table rule; do
	read -r -a args <<<"${rule#-A }"
	gw iptables-legacy -w -t "$table" -A "${args[@]}"
done < <(rule_lines "$T80")
hold_next
hold_wait 2
list_at "$HOLD_OUT" 2 "$TMP/hpenc2"
check_set "(10) add over rules made by iptables: no duplicate" \
    "$TMP/hpenc2"
hold_next
hold_wait 3
EXP=()
list_at "$HOLD_OUT" 3 "$TMP/hpenc3"
check_set "(10) del removes them" "$TMP/hpenc3"
hold_next
hold_end
no_igd2d_left "(10) hairpin close"

# All or nothing with hairpin: the filter step fails after the nat one
# (two rules) went in; nat is left as it was, shared rules included.
hold_start "$TMP/hpatomic" "$HPOPEN" "add=$T91" hold "!add=$T91A" \
    "!add=tcp,0.0.0.0,8092,$C10,81" hold close
forward_gone_nat_unchanged "(10) failed add with hairpin"
[ "$(grep -c '^failed add=.*filter/IGD2D-FORWARD missing' "$HOLD_OUT")" = 2 ] ||
    fail "(10) want two filter failures, got: $(cat "$HOLD_OUT")"
hold_next
hold_end
no_igd2d_left "(10) hairpin close with a chain missing"
echo "(10) a failed filter step leaves nat as it was, hairpin rules too"

# Shared hairpin rules under 300 random add/del.
RANDOM=$SEED
EXP=()
READDS=0
ABSENT=0
gen_ops 300
fwt "$HPOPEN" "${OPS[@]}" list >"$TMP/h300"
check_set "(10) hairpin, 300 ops ($READDS re-adds, $ABSENT absent dels)" \
    "$TMP/h300"
fwt open close >/dev/null

# --- (5) consistency: 300 random add/del in one process ---------------
RANDOM=$SEED
EXP=()
READDS=0
ABSENT=0
gen_ops 300
fwt open "${OPS[@]}" time list >"$TMP/c300"
check_set "(5) 300 ops (seed $SEED, $READDS re-adds, $ABSENT absent dels)" \
    "$TMP/c300"
sed -n 's/^time /(5) time: /p' "$TMP/c300"

# Cost of one add at small tables: 50 distinct adds, then 50 dels.
OPS=()
for i in $(seq 50); do OPS+=("add=tcp,0.0.0.0,$((20000 + i)),$C10,80"); done
fwt open time "${OPS[@]}" time "${OPS[@]/add=/del=}" time close \
    >"$TMP/speed"
sed -n 's/^time /(5) speed: /p' "$TMP/speed" | tail -n 2

# --- (6) race with an administrator's iptables -w ---------------------
EXP=()
gen_ops 200 sleep=5
fwt open "${OPS[@]}" list >"$TMP/race" &
RACE=$!
PIDS+=("$RACE")
during=0
for i in $(seq 100); do
	gw timeout 3 iptables-legacy -w -A INPUT -s "10.9.$((i / 50)).$i" \
	    -j ACCEPT || fail "(6) admin rule $i not added"
	if kill -0 "$RACE" 2>/dev/null; then during=$((during + 1)); fi
done
# The ops sleep 5 ms each: at least a second of overlap with the loop.
[ "$during" -gt 0 ] || fail "(6) no admin rule went in while fw_map_test ran"
wait "$RACE" || fail "(6) fw_map_test failed: $(cat "$TMP/race")"
n=0
for i in $(seq 100); do
	gw iptables-legacy -w -C INPUT -s "10.9.$((i / 50)).$i" -j ACCEPT ||
	    fail "(6) admin rule 10.9.$((i / 50)).$i lost"
	n=$((n + 1))
done
[ "$(gw iptables-legacy-save -t filter | grep -c -e '-A INPUT -s 10\.9\.')" \
    = 100 ] || fail "(6) want exactly 100 admin rules"
check_set "(6) race: $n admin rules kept ($during added during the ops)" \
    "$TMP/race"

fwt open close >/dev/null
no_igd2d_left "final close"
gw iptables-legacy-save -t filter | grep -q -e '-A INPUT -s 10\.9\.1\.50/32' ||
    fail "final close removed an admin rule"

echo "PASS"
