#!/bin/bash
# test_fw_guard.sh: the iptc backend's guard of the daemon's own ports
# against a real kernel, in scratch network namespaces so the host's
# tables are never touched. Drives fw_guard_test (built by make, path in
# $FW_GUARD_TEST) step by step and reads the legacy tables back with
# iptables-legacy-save; then real traffic: TCP from a WAN host (socat),
# and SSDP-like UDP in a three-namespace lab (python3): the WAN drop, the
# LAN-source drop and the per-source rate limit (VC-47, SEC-06).
# Exit 0 pass, 1 fail, 77 skip (not root, no netns, no legacy ip_tables),
# 99 hard error (test binary missing).

set -eu

BIN=${FW_GUARD_TEST:-./tests/integration/fw_guard_test}
NS=igd2d-fwg-$$
PEER=igd2d-fwp-$$
LANNS=igd2d-fwl-$$
WAN=igdwan0
PY=${PYTHON3:-/usr/bin/python3}
TMP=
LISTENER=
RESPONDER=

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
	local pid
	for pid in $LISTENER $RESPONDER; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	ip netns del "$NS" 2>/dev/null || true
	ip netns del "$PEER" 2>/dev/null || true
	ip netns del "$LANNS" 2>/dev/null || true
	if [ -n "$TMP" ]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || skip "needs root"
for cmd in ip iptables-legacy iptables-legacy-save; do
	command -v "$cmd" >/dev/null || skip "$cmd not found"
done
if [ ! -x "$BIN" ]; then
	echo "ERROR: test binary $BIN not found (set FW_GUARD_TEST)" >&2
	exit 99
fi
ip netns add "$NS" 2>/dev/null || skip "ip netns unusable"
TMP=$(mktemp -d)

in_ns() { ip netns exec "$NS" "$@"; }
# Bounded: a wedged lock or kernel must fail the test, not hang it.
fwt() { in_ns env FW_GUARD_LOCK_MS=2000 timeout 20 "$BIN" "$@"; }

if ! in_ns iptables-legacy -w -L INPUT -n >/dev/null 2>&1; then
	fwt "$WAN" open || true
	skip "legacy ip_tables unusable in a network namespace here"
fi

# The -A lines of one chain of the filter table, in order.
rules() {
	in_ns iptables-legacy-save -t filter | grep -e "^-A $1 " || true
}

expect_rules() {
	local chain=$1 want=$2 got
	got=$(rules "$chain")
	if [ "$got" != "$want" ]; then
		echo "chain $chain, want:" >&2; echo "$want" >&2
		echo "got:" >&2; echo "$got" >&2
		fail "$3"
	fi
}

ADMIN1='-A INPUT -s 203.0.113.77/32 -p tcp -m tcp --dport 22 -j ACCEPT'
ADMIN2='-A INPUT -s 203.0.113.78/32 -p udp -m udp --dport 53 -j ACCEPT'
JUMP='-A INPUT -j IGD2D-INPUT'
drop() { echo "-A IGD2D-INPUT -i $1 -p $2 -m $2 --dport $3 -j DROP"; }

# (d) an administrator's rule from before we start
in_ns iptables-legacy -w -A INPUT -s 203.0.113.77/32 -p tcp --dport 22 -j ACCEPT

# (a) open + guard: one jump at the head, exactly the guard rules
fwt "$WAN" open guard=tcp/49152,udp/1900
expect_rules INPUT "$JUMP
$ADMIN1" "open: one jump at the head of INPUT, admin rule kept"
expect_rules IGD2D-INPUT "$(drop $WAN tcp 49152)
$(drop $WAN udp 1900)" "guard: DROP rules for tcp 49152 and udp 1900"

# (d) and one added while we run
in_ns iptables-legacy -w -A INPUT -s 203.0.113.78/32 -p udp --dport 53 -j ACCEPT

# (b) a restart that opens twice: still one jump, old guard rules gone
fwt "$WAN" open open guard=tcp/50000,tcp/50001
expect_rules INPUT "$JUMP
$ADMIN1
$ADMIN2" "reopen: still one jump, admin rules kept"
expect_rules IGD2D-INPUT "$(drop $WAN tcp 50000)
$(drop $WAN tcp 50001)" "reopen: new guard replaced the old one"

# (b) jumps left over by a crash are folded into one
in_ns iptables-legacy -w -A INPUT -j IGD2D-INPUT
in_ns iptables-legacy -w -I INPUT 2 -j IGD2D-INPUT
fwt "$WAN" open
expect_rules INPUT "$JUMP
$ADMIN1
$ADMIN2" "open after crash: duplicate jumps removed"
expect_rules IGD2D-INPUT "" "open: stale guard rules flushed"

# (b) guard twice in one process replaces, never appends
fwt "$WAN" open guard=tcp/1 guard=udp/1900
expect_rules IGD2D-INPUT "$(drop $WAN udp 1900)" "second guard replaced first"

# --- the LAN-source guard and the SSDP rate limit (fw.h fw_guard) -------
LANIF=fwl0
LANADDR=192.168.79.1
LANNET=192.168.79.0/24
landrop() { echo "-A IGD2D-INPUT ! -s $LANNET -p $1 -m $1 --dport $2 -j DROP"; }
# ratelimit PORT RATE BURST [PREFIX]
ratelimit() {
	echo "-A ${4:-IGD2D}-INPUT -p udp -m udp --dport $1 -m hashlimit" \
	    "--hashlimit-above $2/sec --hashlimit-burst $3 --hashlimit-mode" \
	    "srcip --hashlimit-name ${4:-IGD2D}-ssdp -j DROP"
}
outdrop() { echo "-A IGD2D-OUTPUT -o $1 -p udp -m udp --dport $2 -j DROP"; }

# Every rule of chain must be found by "iptables -C" (as an administrator
# would delete it), and there must be want of them.
expect_C() {
	local chain=$1 want=$2 line n=0
	local -a args
	while IFS= read -r line; do
		read -ra args <<<"${line#-A }"
		in_ns iptables-legacy -w -C "${args[@]}" ||
		    fail "iptables -C does not match: $line"
		n=$((n + 1))
	done < <(rules "$chain")
	[ "$n" = "$want" ] || fail "$chain: $n rules checked, want $want"
}

# (e) WAN drops, then LAN-source drops, then the rate limit, per port
fwt "$WAN" "lan=$LANIF,$LANADDR/24" ssdp=10/20 open \
    guard=tcp/49152,udp/1900,udp/5350
expect_rules IGD2D-INPUT "$(drop $WAN tcp 49152)
$(drop $WAN udp 1900)
$(drop $WAN udp 5350)
$(landrop tcp 49152)
$(landrop udp 1900)
$(landrop udp 5350)
$(ratelimit 1900 10 20)
$(ratelimit 5350 10 20)" "guard with LAN and SSDP rate: rules and order"
expect_rules IGD2D-OUTPUT "$(outdrop $WAN 1900)
$(outdrop $WAN 5350)" "guard with LAN and SSDP rate: OUTPUT"
expect_C IGD2D-INPUT 8
expect_C IGD2D-OUTPUT 2
in_ns test -e /proc/net/ipt_hashlimit/IGD2D-ssdp ||
    fail "hashlimit table IGD2D-ssdp missing"

# (f) each on its own: the rate limit without a LAN, the LAN without it
fwt "$WAN" ssdp=5/5 open guard=tcp/49152,udp/1900
expect_rules IGD2D-INPUT "$(drop $WAN tcp 49152)
$(drop $WAN udp 1900)
$(ratelimit 1900 5 5)" "SSDP rate limit without LAN"
expect_C IGD2D-INPUT 3
fwt "$WAN" "lan=$LANIF,$LANADDR/24" open guard=tcp/2000
expect_rules IGD2D-INPUT "$(drop $WAN tcp 2000)
$(landrop tcp 2000)" "LAN-source guard without rate limit"
expect_C IGD2D-INPUT 2

# (f2) the HTTP limits (issue 8): SYNs from the LAN link above a count and
# a rate per source, after the SSDP rate; without a LAN there are none.
connlimit() {	# PORT LIMIT
	echo "-A IGD2D-INPUT -i $LANIF -p tcp -m tcp --dport $1 --tcp-flags" \
	    "FIN,SYN,RST,ACK SYN -m connlimit --connlimit-above $2" \
	    "--connlimit-mask 32 --connlimit-saddr -j DROP"
}
synrate() {	# PORT RATE BURST
	echo "-A IGD2D-INPUT -i $LANIF -p tcp -m tcp --dport $1 --tcp-flags" \
	    "FIN,SYN,RST,ACK SYN -m hashlimit --hashlimit-above $2/sec" \
	    "--hashlimit-burst $3 --hashlimit-mode srcip --hashlimit-name" \
	    "IGD2D-http -j DROP"
}
fwt "$WAN" "lan=$LANIF,$LANADDR/24" ssdp=10/20 http=4/50/100 open \
    guard=tcp/49152,udp/1900
expect_rules IGD2D-INPUT "$(drop $WAN tcp 49152)
$(drop $WAN udp 1900)
$(landrop tcp 49152)
$(landrop udp 1900)
$(ratelimit 1900 10 20)
$(connlimit 49152 4)
$(synrate 49152 50 100)" "guard with HTTP limits: rules and order"
expect_C IGD2D-INPUT 7
in_ns test -e /proc/net/ipt_hashlimit/IGD2D-http ||
    fail "hashlimit table IGD2D-http missing"

# (f3) libupnp's internal port: dropped on every interface but lo, first,
# and none of the other rules (it is not served to anyone).
lodrop() { echo "-A IGD2D-INPUT ! -i lo -p tcp -m tcp --dport $1 -j DROP"; }
fwt "$WAN" "lan=$LANIF,$LANADDR/24" ssdp=10/20 http=4/50/100 open \
    guard=tcp/49152,local/49153,udp/1900
expect_rules IGD2D-INPUT "$(lodrop 49153)
$(drop $WAN tcp 49152)
$(drop $WAN udp 1900)
$(landrop tcp 49152)
$(landrop udp 1900)
$(ratelimit 1900 10 20)
$(connlimit 49152 4)
$(synrate 49152 50 100)" "guard with an internal port: rules and order"
expect_C IGD2D-INPUT 8
fwt "$WAN" "lan=" ssdp=0/0 http=0/0/0 open guard=local/2001,local/2002
expect_rules IGD2D-INPUT "$(lodrop 2001)
$(lodrop 2002)" "internal ports alone, without a LAN"
expect_C IGD2D-INPUT 2
fwt "$WAN" "lan=$LANIF,$LANADDR/24" http=6/0/0 open guard=tcp/2000
expect_rules IGD2D-INPUT "$(drop $WAN tcp 2000)
$(landrop tcp 2000)
$(connlimit 2000 6)" "HTTP connection limit without its rate"
expect_C IGD2D-INPUT 3
fwt "$WAN" "lan=" http=4/50/100 open guard=tcp/2000
expect_rules IGD2D-INPUT "$(drop $WAN tcp 2000)" "HTTP limits need a LAN"
fwt "$WAN" http=0/0/0 open

# (g) the hashlimit name stays within IFNAMSIZ: a long prefix is cut
LONG=IGD2DLONGPREFIX1
in_ns env FW_GUARD_PREFIX=$LONG FW_GUARD_LOCK_MS=2000 timeout 20 "$BIN" \
    "$WAN" ssdp=10/20 open guard=udp/1900
want="$(ratelimit 1900 10 20 $LONG | sed "s/name $LONG-ssdp/name IGD2DLONGP-ssdp/")"
expect_rules $LONG-INPUT "-A $LONG-INPUT -i $WAN -p udp -m udp --dport 1900 -j DROP
$want" "long prefix: hashlimit name cut to IGD2DLONGP-ssdp"
expect_C $LONG-INPUT 2
in_ns env FW_GUARD_PREFIX=$LONG FW_GUARD_LOCK_MS=2000 timeout 20 "$BIN" \
    "$WAN" open close

# (h) settings iptables(8) or the kernel would refuse: fw_open says which
bad_open() {	# expected-text step...
	local want=$1 out rc
	shift
	set +e
	out=$(fwt "$WAN" "$@" open 2>&1)
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "$*: want exit 1, got $rc ($out)"
	case $out in
	*"$want: Invalid argument"*) ;;
	*) fail "$*: want \"$want\", got: $out" ;;
	esac
}
bad_open "LAN interface name" "lan=$WAN,$LANADDR/24"
bad_open "LAN address" "lan=$LANIF,0.0.0.0/24"
bad_open "LAN netmask" "lan=$LANIF,$LANADDR/0"
bad_open "SSDP burst 0 not in 1..1000000" ssdp=10/0
bad_open "SSDP rate 1000001/s above 1000000" ssdp=1000001/5
bad_open "HTTP burst 0 not in 1..1000000" http=4/10/0
bad_open "HTTP rate 1000001/s above 1000000" http=4/1000001/5

# (c) close leaves nothing of ours, in any table, and the admin's rules
fwt "$WAN" open close
if in_ns iptables-legacy-save | grep -e IGD2D >&2; then
	fail "close: IGD2D chains or jumps remain"
fi
expect_rules INPUT "$ADMIN1
$ADMIN2" "close: admin rules untouched"

# Without hook the chain is made but the jump is left to the admin.
fwt "$WAN" open-nohook guard=tcp/2000
expect_rules INPUT "$ADMIN1
$ADMIN2" "open-nohook: no jump inserted"
expect_rules IGD2D-INPUT "$(drop $WAN tcp 2000)" "open-nohook: guard works"
fwt "$WAN" open-nohook close
if in_ns iptables-legacy-save | grep -e IGD2D >&2; then
	fail "close (nohook): IGD2D chain remains"
fi

# A held xtables lock: open gives up after its timeout, changes nothing.
LOCK=$TMP/xtables.lock
if command -v flock >/dev/null; then
	set +e
	out=$(flock -x "$LOCK" ip netns exec "$NS" env FW_GUARD_LOCK="$LOCK" \
	    FW_GUARD_LOCK_MS=300 timeout 20 "$BIN" "$WAN" open 2>&1)
	rc=$?
	set -e
	echo "$out"
	[ "$rc" = 1 ] || fail "held lock: want exit 1, got $rc"
	case $out in
	*"xtables lock $LOCK busy"*) ;;
	*) fail "held lock: error does not name the lock" ;;
	esac
	expect_rules INPUT "$ADMIN1
$ADMIN2" "held lock: INPUT changed"
fi

# Without CAP_NET_ADMIN iptc_init fails; the error must say where.
if command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$BIN"; then
	: >"$LOCK"
	chmod 755 "$TMP"
	chmod 666 "$LOCK"
	set +e
	out=$(in_ns setpriv --reuid=65534 --regid=65534 --clear-groups \
	    env FW_GUARD_LOCK="$LOCK" timeout 20 "$BIN" "$WAN" open 2>&1)
	rc=$?
	set -e
	echo "$out"
	[ "$rc" = 1 ] || fail "unprivileged: want exit 1, got $rc"
	case $out in
	*"filter init"*) ;;
	*) fail "unprivileged: error does not name filter init" ;;
	esac
fi

# --- real traffic ----------------------------------------------------------
# The gateway ($NS) has the WAN link fwg0 (203.0.113.1) to $PEER
# (203.0.113.2), which routes the LAN prefix through it, and the LAN link
# fwl0 (192.168.79.1) to $LANNS: two LAN hosts, 192.168.79.2 and .3, and a
# foreign address on the LAN link, 198.51.100.7.
ip netns add "$PEER"
ip netns add "$LANNS"
ip -n "$NS" link add fwg0 type veth peer name fwg1 netns "$PEER"
ip -n "$NS" link add fwl0 type veth peer name fwl1 netns "$LANNS"
ip -n "$NS" addr add 203.0.113.1/24 dev fwg0
ip -n "$PEER" addr add 203.0.113.2/24 dev fwg1
ip -n "$NS" addr add $LANADDR/24 dev fwl0
ip -n "$LANNS" addr add 192.168.79.2/24 dev fwl1
ip -n "$LANNS" addr add 192.168.79.3/24 dev fwl1
ip -n "$LANNS" addr add 198.51.100.7/32 dev fwl1
ip -n "$NS" link set fwg0 up
ip -n "$NS" link set fwl0 up
ip -n "$NS" link set lo up
ip -n "$PEER" link set fwg1 up
ip -n "$LANNS" link set fwl1 up
ip -n "$PEER" route add $LANNET via 203.0.113.1
ip -n "$NS" route add 198.51.100.7/32 dev fwl0

# Real TCP: the guard drops SYNs arriving on the guarded interface only,
# and close lets them through again.
if command -v socat >/dev/null; then
	# Not through the in_ns function: $! must be the process itself
	# (ip netns exec execs timeout), so cleanup's kill reaches it, and
	# it must not hold our stdout open.
	ip netns exec "$NS" timeout 120 socat -u \
	    TCP-LISTEN:49152,bind=203.0.113.1,reuseaddr,fork OPEN:/dev/null \
	    >/dev/null 2>&1 &
	LISTENER=$!
	for _ in $(seq 50); do
		[ -n "$(in_ns ss -Hltn 'sport = :49152')" ] && break
		sleep 0.1
	done
	[ -n "$(in_ns ss -Hltn 'sport = :49152')" ] ||
	    fail "listener did not start"

	reach() {
		ip netns exec "$PEER" timeout 5 socat -u OPEN:/dev/null \
		    TCP:203.0.113.1:49152,connect-timeout=2 2>/dev/null
	}

	reach || fail "traffic: port unreachable before the guard"
	fwt "$WAN" open guard=tcp/49152
	reach || fail "traffic: guard on another interface blocked fwg0"
	fwt fwg0 open guard=tcp/49152
	if reach; then
		fail "traffic: guarded port reachable from the WAN side"
	fi
	fwt fwg0 open close
	reach || fail "traffic: port still unreachable after close"
else
	echo "no socat: TCP traffic check skipped"
fi

if [ ! -x "$PY" ]; then
	echo "no $PY: UDP traffic checks skipped"
	echo "PASS"
	exit 0
fi

# An SSDP stand-in on the gateway: every datagram to port 1900 is echoed
# to its sender. Bounded by timeout like the rest.
cat >"$TMP/echo.py" <<'PYEOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind(("0.0.0.0", 1900))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(data, peer)
PYEOF
# send.py SRC DST COUNT SECONDS: COUNT datagrams from SRC to DST:1900,
# evenly spread over SECONDS, then up to 1 s more for the answers; prints
# "answers elapsed" (elapsed: seconds from the first to the last send).
cat >"$TMP/send.py" <<'PYEOF'
import select, socket, sys, time
src, dst, count, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind((src, 0))
answers = 0
def drain():
    global answers
    while True:
        try:
            s.recv(2048, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return
        answers += 1
t0 = time.monotonic()
for i in range(count):
    delay = t0 + i * secs / count - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    s.sendto(b"M-SEARCH * HTTP/1.1 %d" % i, (dst, 1900))
    drain()
elapsed = time.monotonic() - t0
end = time.monotonic() + 1.0
while True:
    left = end - time.monotonic()
    if left <= 0 or not select.select([s], [], [], left)[0]:
        break
    drain()
print(answers, "%.3f" % elapsed)
PYEOF

# As the TCP listener: $! is timeout itself, no stdout held.
ip netns exec "$NS" timeout 300 "$PY" "$TMP/echo.py" >/dev/null 2>&1 &
RESPONDER=$!
for _ in $(seq 50); do
	[ -n "$(in_ns ss -Hlun 'sport = :1900')" ] && break
	sleep 0.1
done
[ -n "$(in_ns ss -Hlun 'sport = :1900')" ] || fail "UDP responder did not start"

# send NS SRC COUNT SECONDS: GOT, how many of COUNT datagrams from SRC
# to the gateway's LAN address were answered; SECS, how long sending took.
send() {
	local out
	out=$(ip netns exec "$1" timeout 30 "$PY" "$TMP/send.py" "$2" \
	    $LANADDR "$3" "$4") || fail "sender in $1 from $2 failed"
	read -r GOT SECS <<<"$out"
}
# pkts RULE: the packet counter of that exact rule line
pkts() {
	in_ns iptables-legacy-save -c -t filter | awk -v r="$1" '
	    substr($0, index($0, "] ") + 2) == r {
		print substr($0, 2, index($0, ":") - 2)
	    }'
}

# Without a guard everyone is answered: the lab routes all three ways.
send "$LANNS" 192.168.79.2 1 0
[ "$GOT" = 1 ] || fail "lab: LAN host not answered"
send "$PEER" 203.0.113.2 1 0
[ "$GOT" = 1 ] || fail "lab: WAN host not answered"
send "$LANNS" 198.51.100.7 1 0
[ "$GOT" = 1 ] || fail "lab: foreign address on the LAN link not answered"

# The LAN-source guard alone (its WAN is another interface, so no WAN
# rule is in the way): sources outside $LANNET get nothing, on either
# link; the LAN host is answered.
fwt "$WAN" "lan=$LANIF,$LANADDR/24" open guard=udp/1900
send "$PEER" 203.0.113.2 1 0
[ "$GOT" = 0 ] || fail "LAN guard: WAN host routing via the gateway answered"
send "$LANNS" 198.51.100.7 1 0
[ "$GOT" = 0 ] || fail "LAN guard: foreign address on the LAN link answered"
send "$LANNS" 192.168.79.2 1 0
[ "$GOT" = 1 ] || fail "LAN guard: LAN host not answered"
n=$(pkts "$(landrop udp 1900)")
[ "$n" = 2 ] || fail "LAN guard: its rule counted ${n:-no} packets, want 2"
# Without a rate limit a burst is answered in full (the lab keeps up).
send "$LANNS" 192.168.79.2 1000 1
echo "no rate limit: 1000 datagrams in $SECS s, $GOT answered"
[ "$GOT" -ge 990 ] || fail "no rate limit: only $GOT of 1000 answered"

# The whole guard on the real WAN, SSDP at 10/s, burst 20, per source.
fwt fwg0 "lan=$LANIF,$LANADDR/24" ssdp=10/20 open guard=udp/1900
HL=$(ratelimit 1900 10 20)
expect_rules IGD2D-INPUT "$(drop fwg0 udp 1900)
$(landrop udp 1900)
$HL" "traffic: guard rules"
expect_C IGD2D-INPUT 3
send "$PEER" 203.0.113.2 1 0
[ "$GOT" = 0 ] || fail "guard: WAN host answered"
[ "$(pkts "$(drop fwg0 udp 1900)")" = 1 ] || fail "guard: WAN rule did not drop"
send "$LANNS" 192.168.79.2 1000 1
got=$GOT secs=$SECS
dropped=$(pkts "$HL")
# At most the burst plus the rate over the time sent, and a little slack
# for timer granularity; at least the burst.
max=$(awk -v t="$secs" 'BEGIN { printf "%d", 20 + 10 * t + 2.999 }')
echo "rate limit 10/s burst 20: 1000 datagrams in $secs s from one" \
    "source, $got answered, $dropped dropped by the hashlimit rule" \
    "(allowed 20..$max)"
[ "$got" -ge 20 ] && [ "$got" -le "$max" ] ||
    fail "rate limit: $got answers, want 20..$max"
[ "$((dropped + got))" -le 1000 ] && [ "$((dropped + got))" -ge 998 ] ||
    fail "rate limit: $dropped dropped + $got answered != 1000"
send "$LANNS" 192.168.79.3 1 0
echo "second LAN source right after: $GOT of 1 answered"
[ "$GOT" = 1 ] || fail "rate limit: a second LAN source was not answered"

fwt fwg0 open close
if in_ns iptables-legacy-save | grep -e IGD2D >&2; then
	fail "close after traffic: IGD2D chains or jumps remain"
fi
if in_ns test -e /proc/net/ipt_hashlimit/IGD2D-ssdp; then
	fail "close: hashlimit table IGD2D-ssdp left behind"
fi

echo "PASS"
