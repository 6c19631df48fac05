#!/bin/bash
# test_fw_guard.sh: the iptc backend's WAN guard against a real kernel, in
# a scratch network namespace so the host's tables are never touched.
# Drives fw_guard_test (built by make, path in $FW_GUARD_TEST) step by
# step and reads the legacy tables back with iptables-legacy-save.
# Exit 0 pass, 1 fail, 77 skip (not root, no netns, no legacy ip_tables),
# 99 hard error (test binary missing).

set -eu

BIN=${FW_GUARD_TEST:-./tests/integration/fw_guard_test}
NS=igd2d-fwg-$$
PEER=igd2d-fwp-$$
WAN=igdwan0
TMP=
LISTENER=

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
	if [ -n "$LISTENER" ]; then
		kill "$LISTENER" 2>/dev/null || true
		wait "$LISTENER" 2>/dev/null || true
	fi
	ip netns del "$NS" 2>/dev/null || true
	ip netns del "$PEER" 2>/dev/null || true
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

# Real traffic over a veth pair: the guard drops SYNs arriving on the
# guarded interface only, and close lets them through again.
if ! command -v socat >/dev/null; then
	echo "no socat: traffic check skipped"
	echo "PASS"
	exit 0
fi
ip netns add "$PEER"
ip -n "$NS" link add fwg0 type veth peer name fwg1 netns "$PEER"
ip -n "$NS" addr add 203.0.113.1/24 dev fwg0
ip -n "$PEER" addr add 203.0.113.2/24 dev fwg1
ip -n "$NS" link set fwg0 up
ip -n "$PEER" link set fwg1 up

in_ns timeout 120 socat -u TCP-LISTEN:49152,bind=203.0.113.1,reuseaddr,fork \
    OPEN:/dev/null &
LISTENER=$!
for _ in $(seq 50); do
	[ -n "$(in_ns ss -Hltn 'sport = :49152')" ] && break
	sleep 0.1
done
[ -n "$(in_ns ss -Hltn 'sport = :49152')" ] || fail "listener did not start"

reach() {
	ip netns exec "$PEER" timeout 5 socat -u OPEN:/dev/null \
	    TCP:203.0.113.1:49152,connect-timeout=2 2>/dev/null
}

reach || fail "traffic: port unreachable before the guard"
fwt "$WAN" open guard=tcp/49152
reach || fail "traffic: guard on another interface blocked fwg0"
fwt fwg0 open guard=tcp/49152
if reach; then fail "traffic: guarded port reachable from the WAN side"; fi
fwt fwg0 open close
reach || fail "traffic: port still unreachable after close"

echo "PASS"
