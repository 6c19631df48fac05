# Shared helpers for the integration tests (sourced by test_*.sh).
#
# Each test builds its own lab of three network namespaces joined by veth
# pairs and removes it on exit:
#
#   lan host  192.168.77.10/24 --- 192.168.77.1/24  gateway  203.0.113.1/24 --- 203.0.113.2/24  wan host
#   (NS_LAN)        veth lan0 / gw-lan0       (NS_GW)   gw-wan0 / wan0          (NS_WAN)
#
# Traffic goes only to addresses inside these namespaces.  Every wait is
# bounded.  Without root (or without `ip netns`) a test exits 77: automake
# reports it as SKIP, never as a pass.

LAB_ID=${LAB_ID:-$$}
NS_LAN=igd2d-lan-$LAB_ID
NS_GW=igd2d-gw-$LAB_ID
NS_WAN=igd2d-wan-$LAB_ID
LAN_NET=192.168.77
WAN_NET=203.0.113
GW_LAN_IP=$LAN_NET.1
LAN_IP=$LAN_NET.10
GW_WAN_IP=$WAN_NET.1
WAN_IP=$WAN_NET.2
GW_LAN_IF=gw-lan0
GW_WAN_IF=gw-wan0
PY=${PYTHON3:-/usr/bin/python3}
IGD2D=${IGD2D:-$(pwd)/src/igd2d}
IGD2CTL=${IGD2CTL:-$(dirname "$IGD2D")/igd2ctl}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=
DAEMON_PID=

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "ok - $*"; }

lab_require() {
	[ "$(id -u)" = 0 ] || skip "integration tests need root"
	command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
	ip netns add "igd2d-probe-$$" 2>/dev/null ||
	    skip "cannot create network namespaces here"
	ip netns del "igd2d-probe-$$"
	[ -x "$IGD2D" ] || fail "daemon binary $IGD2D not built"
	for t in "$@"; do
		command -v "$t" >/dev/null || fail "$t is not installed"
	done
}

in_lan() { ip netns exec "$NS_LAN" "$@"; }
in_gw() { ip netns exec "$NS_GW" "$@"; }
in_wan() { ip netns exec "$NS_WAN" "$@"; }

# Quiet IPv6: no DAD (libupnp 1.8.4 fails to bind a tentative address).
ns_init() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 2>/dev/null || true
	ip netns exec "$1" ip link set lo up
}

lab_setup() {
	WORK=$(mktemp -d /tmp/igd2d-test.XXXXXX)
	trap lab_teardown EXIT
	ip netns add "$NS_LAN"
	ip netns add "$NS_GW"
	ip netns add "$NS_WAN"
	for ns in "$NS_LAN" "$NS_GW" "$NS_WAN"; do ns_init "$ns"; done
	ip link add lan0 netns "$NS_LAN" type veth peer name "$GW_LAN_IF" \
	    netns "$NS_GW"
	ip link add wan0 netns "$NS_WAN" type veth peer name "$GW_WAN_IF" \
	    netns "$NS_GW"
	in_lan ip addr add "$LAN_IP/24" dev lan0
	in_lan ip link set lan0 up
	in_lan ip route add default via "$GW_LAN_IP"
	in_gw ip addr add "$GW_LAN_IP/24" dev "$GW_LAN_IF"
	in_gw ip addr add "$GW_WAN_IP/24" dev "$GW_WAN_IF"
	in_gw ip link set "$GW_LAN_IF" up
	in_gw ip link set "$GW_WAN_IF" up
	in_gw sysctl -qw net.ipv4.ip_forward=1
	# As on a real router: the default route points at the WAN, so any
	# datagram not pinned to the LAN would leave there.
	in_gw ip route add default via "$WAN_IP"
	in_wan ip addr add "$WAN_IP/24" dev wan0
	in_wan ip link set wan0 up
	# The LAN host receives SSDP multicast on lan0.
	in_lan ip route add 239.0.0.0/8 dev lan0
	in_wan ip route add 239.0.0.0/8 dev wan0
	wait_until 5 link_up "$NS_LAN" lan0 ||
	    fail "lab: the LAN link did not come up"
	wait_until 5 link_up "$NS_WAN" wan0 ||
	    fail "lab: the WAN link did not come up"
}

lab_teardown() {
	local rc=$?
	daemon_kill
	for ns in "$NS_LAN" "$NS_GW" "$NS_WAN"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"		# per-namespace /etc files
	done
	[ -n "$WORK" ] && [ $rc -ne 0 ] && [ -f "$WORK/daemon.log" ] &&
	    { echo "--- daemon log"; tail -n 40 "$WORK/daemon.log"; }
	[ -n "$WORK" ] && rm -rf "$WORK"
	exit $rc
}

link_up() {
	ip netns exec "$1" ip -o link show "$2" | grep -q 'state UP'
}

# wait_until SECONDS CMD...: polls CMD every 0.1 s; 0 once it succeeds.
wait_until() {
	local limit=$(( $1 * 10 )) i=0
	shift
	while [ $i -lt $limit ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# daemon_start [extra args...]: igd2d in the gateway, foreground, with a
# state and runtime directory of the test's own; DAEMON_START_WAIT seconds
# (15 unless set) to start.
daemon_start() {
	mkdir -p "$WORK/state" "$WORK/run"
	# Emptied here, not by the background job's redirection, which may
	# happen after the wait below has read the previous run's log.
	: >"$WORK/daemon.log"
	ip netns exec "$NS_GW" "$IGD2D" -F -v -v --lan "$GW_LAN_IF" --wan "$GW_WAN_IF" \
	    -f /dev/null --state-dir "$WORK/state" \
	    -o runtime_dir="$WORK/run" -o lan_wait=10 "$@" \
	    >>"$WORK/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_until "${DAEMON_START_WAIT:-15}" grep -q "igd2d .* started" \
	    "$WORK/daemon.log" ||
	    fail "daemon did not start"
	HTTP_PORT=$(sed -n 's/.*serving http:\/\/[0-9.]*:\([0-9]*\)\/.*/\1/p' \
	    "$WORK/daemon.log" | head -n 1)
	[ -n "$HTTP_PORT" ] || fail "no HTTP port in the daemon log"
	DESC_URL=http://$GW_LAN_IP:$HTTP_PORT/rootDesc2.xml
}

# daemon_stop: SIGTERM, then the exit status within the time limit
# (DAEMON_STOP_WAIT tenths of a second, 50 unless set: valgrind needs more).
daemon_stop() {
	local i=0
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID"
	while kill -0 "$DAEMON_PID" 2>/dev/null &&
	    [ $i -lt "${DAEMON_STOP_WAIT:-50}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$DAEMON_PID" 2>/dev/null && return 124
	wait "$DAEMON_PID"
	local rc=$?
	DAEMON_PID=
	return $rc
}

daemon_kill() {
	[ -n "$DAEMON_PID" ] || return 0
	kill -9 "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
}

# lan_add_ip ADDR / wan_add_ip ADDR: a further /24 address on the LAN or
# WAN host (a second control point, a second remote host).
# wan_reaches HOST EXTPORT LANPORT: a line sent over TCP from the WAN host
# to the gateway's external port arrives at HOST:LANPORT on the LAN host.
wan_reaches() {
	local out=$WORK/reach.$2 l
	: >"$out"
	in_lan timeout 6 socat -u TCP-LISTEN:"$3",bind="$1",reuseaddr \
	    OPEN:"$out",creat,append &
	l=$!
	sleep 0.3
	echo "hello $2" | in_wan timeout 3 socat -u - TCP:"$GW_WAN_IP:$2" \
	    2>/dev/null
	if ! grep -q "hello $2" "$out"; then
		kill $l 2>/dev/null
		wait $l 2>/dev/null
		return 1
	fi
	wait $l 2>/dev/null
}

lan_add_ip() { in_lan ip addr add "$1/24" dev lan0; }
wan_add_ip() { in_wan ip addr add "$1/24" dev wan0; }
