# bench/lab.sh: the benchmark's network-namespace labs (sourced by run.sh).
#
# Two identical labs, one per daemon ("a" for igd2d, "b" for miniupnpd),
# the same addresses as tests/integration/lib.sh:
#
#   lan host 192.168.77.10/24 --- 192.168.77.1/24 gateway 11.0.113.1/24 --- 11.0.113.2/24 wan host
#
# The LAN is that of tests/integration/lib.sh.  The WAN is not lib.sh's
# 203.0.113.0/24: miniupnpd 2.3.1 refuses a reserved external address
# (addr_is_reserved(): RFC 5737 TEST-NET-3 among them), both on the
# interface ("Port forwarding is impossible") and as ext_ip=.  11.0.113.0/24
# is not on its list; it is assigned only inside these namespaces, which
# have no link to the host's network, so traffic stays in the labs.

BLAB_ID=${BLAB_ID:-$$}
LAN_NET=192.168.77
GW_LAN_IP=$LAN_NET.1
LAN_IP=$LAN_NET.10
WAN_NET=${BENCH_WAN_NET:-11.0.113}
GW_WAN_IP=$WAN_NET.1
WAN_IP=$WAN_NET.2
GW_LAN_IF=gw-lan0
GW_WAN_IF=gw-wan0

ns_lan() { echo "bench$BLAB_ID-lan-$1"; }
ns_gw() { echo "bench$BLAB_ID-gw-$1"; }
ns_wan() { echo "bench$BLAB_ID-wan-$1"; }

# bwait SECONDS CMD...: polls CMD every 0.02 s; 0 once it succeeds.
bwait() {
	local limit=$(( $1 * 50 )) i=0
	shift
	while [ $i -lt $limit ]; do
		"$@" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}

blink_up() { ip netns exec "$1" ip -o link show "$2" | grep -q 'state UP'; }

# lab_create L: the lab L (a or b).
lab_create() {
	local L=$1 lan gw wan ns
	lan=$(ns_lan "$L") gw=$(ns_gw "$L") wan=$(ns_wan "$L")
	for ns in "$lan" "$gw" "$wan"; do
		ip netns add "$ns" || return 1
		# libupnp 1.8.4 fails to bind a tentative IPv6 address: no DAD.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0 2>/dev/null
		ip netns exec "$ns" ip link set lo up
	done
	ip link add lan0 netns "$lan" type veth peer name "$GW_LAN_IF" netns "$gw" &&
	ip link add wan0 netns "$wan" type veth peer name "$GW_WAN_IF" netns "$gw" &&
	ip netns exec "$lan" ip addr add "$LAN_IP/24" dev lan0 &&
	ip netns exec "$lan" ip link set lan0 up &&
	ip netns exec "$lan" ip route add default via "$GW_LAN_IP" &&
	ip netns exec "$lan" ip route add 239.0.0.0/8 dev lan0 &&
	ip netns exec "$gw" ip addr add "$GW_LAN_IP/24" dev "$GW_LAN_IF" &&
	ip netns exec "$gw" ip addr add "$GW_WAN_IP/24" dev "$GW_WAN_IF" &&
	ip netns exec "$gw" ip link set "$GW_LAN_IF" up &&
	ip netns exec "$gw" ip link set "$GW_WAN_IF" up &&
	ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1 &&
	ip netns exec "$gw" ip route add default via "$WAN_IP" &&
	ip netns exec "$wan" ip addr add "$WAN_IP/24" dev wan0 &&
	ip netns exec "$wan" ip link set wan0 up || return 1
	# The gateway NATs its LAN to the WAN, as every Internet gateway
	# does.  That rule turns connection tracking on in its namespace
	# before either daemon starts; without it, tracking was on only
	# where a daemon's own rules asked for it (igd2d's hairpin rules,
	# any DNAT), and it costs every packet: about 12% of
	# GetExternalIPAddress at c=1 (bench/FINDINGS.md, "Connection
	# tracking").
	ip netns exec "$gw" iptables-legacy -w -t nat -A POSTROUTING \
	    -s "$LAN_NET.0/24" -o "$GW_WAN_IF" -j MASQUERADE || return 1
	# One TCP connection per request: let the client reuse ports fast.
	ip netns exec "$lan" sysctl -qw net.ipv4.tcp_tw_reuse=1 \
	    "net.ipv4.ip_local_port_range=10000 60999"
	bwait 5 blink_up "$lan" lan0 && bwait 5 blink_up "$wan" wan0 &&
	    bwait 5 blink_up "$gw" "$GW_LAN_IF"
}

lab_destroy() {
	local L=$1 ns
	for ns in $(ns_lan "$L") $(ns_gw "$L") $(ns_wan "$L"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}
