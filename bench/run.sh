#!/bin/bash
# bench/run.sh: igd2d and miniupnpd side by side (issue 7).
#
# Builds igd2d (out of tree) and bench/loadgen, installs Debian's
# miniupnpd-iptables if missing, and measures both daemons with the same
# client in identical network-namespace labs (bench/lab.sh), interleaving
# the daemons run by run (A B A B ...).  Writes bench/RESULTS.md and
# bench/results.json and prints the table.  Needs root; about 9 minutes
# on 2 cores (535 s for the RESULTS.md here, with other load on the machine).
#
# Environment (all optional):
#   IGD2D=PATH        an igd2d binary to use instead of building one
#   BENCH_BUILD=DIR   where to build igd2d (default /tmp/bench-build)
#   BENCH_RUNS=N      runs per daemon and row (default 5, at least 5)
#   BENCH_DUR=S       seconds per throughput run (default 3)
#   BENCH_SAMPLES=N   AddPortMapping samples per latency run (default 20)
#   BENCH_OUT=DIR     where RESULTS.md and results.json go (default bench/)
#   BENCH_DEV=1, BENCH_LEVELS="0 100"   development only: fewer runs/levels
#
# Every wait and loop is bounded; the labs, daemons and iptables chains are
# removed on exit.
set -u
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(dirname "$HERE")
PY=/usr/bin/python3
BUILD=${BENCH_BUILD:-/tmp/bench-build}
RUNS=${BENCH_RUNS:-5}
DUR=${BENCH_DUR:-3}
SAMPLES=${BENCH_SAMPLES:-20}
OUTDIR=${BENCH_OUT:-$HERE}
T0=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
HTTP_PORT=49152		# both daemons, fixed
LEVELS=${BENCH_LEVELS:-0 100 1000 5000}	# (BENCH_LEVELS: development only)
LEASE_PORT=45000 LEASE_N=100 LEASE_S=5
FILL_PORT=20000		# the scale phase's mappings: 20000..24999
LAT_PORT=40000		# latency samples (added, then deleted)
PAIR_PORT=41000		# add+delete pairs: 41000 + thread

. "$HERE/lab.sh"

say() { printf '[%4ds] %s\n' $(( $(date +%s) - T0 )) "$*" >&2; }
die() { say "FATAL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespaces, iptables)"
[ "$RUNS" -ge 5 ] 2>/dev/null || [ -n "${BENCH_DEV:-}" ] ||
    die "BENCH_RUNS must be >= 5"
command -v ip >/dev/null || die "iproute2 is missing"
ip netns add "bench-probe-$$" 2>/dev/null || die "cannot create network namespaces"
ip netns del "bench-probe-$$"

WORK=$(mktemp -d /tmp/igd2d-bench.XXXXXX)
RAW=$WORK/raw.jsonl
: >"$RAW"
LABS=""		# labs to remove at exit
DPID="" DKIND="" DLAB=""	# the daemon(s) running: "pid kind lab" lines
RUNNING=$WORK/running
: >"$RUNNING"

cleanup() {
	local rc=$? pid kind lab
	trap - EXIT INT TERM
	while read -r pid kind lab; do
		[ -n "$pid" ] || continue
		kill -TERM "$pid" 2>/dev/null
		bwait 5 sh -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null
	done <"$RUNNING"
	for lab in $LABS; do
		ip netns exec "$(ns_gw "$lab")" true 2>/dev/null &&
		    mu_chains_remove "$lab" >/dev/null 2>&1
		lab_destroy "$lab"
	done
	if [ $rc -ne 0 ]; then
		say "failed (status $rc); work files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. build ---------------------------------------------------------------

if [ -z "${IGD2D:-}" ]; then
	say "building igd2d in $BUILD"
	mkdir -p "$BUILD" || die "mkdir $BUILD"
	if [ ! -f "$BUILD/Makefile" ]; then
		(cd "$BUILD" && "$SRCDIR/configure" >"$WORK/configure.log" 2>&1) ||
		    die "configure failed (see $WORK/configure.log)"
	fi
	(cd "$BUILD" && make -j2 >"$WORK/make.log" 2>&1) ||
	    die "make failed: $(tail -n 20 "$WORK/make.log")"
	IGD2D=$BUILD/src/igd2d
fi
[ -x "$IGD2D" ] || die "no igd2d binary at $IGD2D"
# Limits miniupnpd does not have, raised or off for igd2d too (when this
# igd2d has them): the per-client mapping quota (default 256) and the SSDP
# rate limit (default 10/s per source, which would delay the answer to the
# row-6 probe's M-SEARCH every 10 ms).
IGD2D_LIMITS=()
grep -q max_mappings_per_client "$IGD2D" &&
    IGD2D_LIMITS+=(-o max_mappings_per_client=65535)
grep -q ssdp_rate "$IGD2D" && IGD2D_LIMITS+=(-o ssdp_rate=0)
# miniupnpd has no per-source HTTP connection limits: igd2d's are off too
# (with them, c=8 from one address would wait for SYN retries).
grep -q http_conn_limit "$IGD2D" &&
    IGD2D_LIMITS+=(-o http_conn_limit=0 -o http_conn_rate=0)
LG=$WORK/loadgen
gcc -std=c11 -O2 -Wall -Wextra -pthread -o "$LG" "$HERE/loadgen.c" ||
    die "loadgen did not build"

# ---- 2. miniupnpd -------------------------------------------------------------

if ! dpkg-query -W -f='${Status}' miniupnpd-iptables 2>/dev/null |
    grep -q 'install ok installed'; then
	say "installing miniupnpd-iptables"
	DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y \
	    miniupnpd-iptables >"$WORK/apt.log" 2>&1 ||
	    die "apt-get install miniupnpd-iptables failed (see $WORK/apt.log)"
fi
MINIUPNPD=/usr/sbin/miniupnpd
[ -x "$MINIUPNPD" ] || die "no $MINIUPNPD"
# The package must not have started a miniupnpd of its own on the host.
if command -v systemctl >/dev/null && systemctl is-active -q miniupnpd 2>/dev/null; then
	say "stopping and disabling the host's miniupnpd service"
	systemctl stop miniupnpd; systemctl disable -q miniupnpd
fi
[ -x /etc/init.d/miniupnpd ] && /etc/init.d/miniupnpd status >/dev/null 2>&1 &&
    { say "stopping the host's miniupnpd (init.d)"; /etc/init.d/miniupnpd stop; }
# Debian's chain script, iptables_init.sh, sources miniupnpd_functions.sh
# (package "miniupnpd") and calls `iptables`, which on Debian 12 is the
# nftables variant; miniupnpd-iptables itself uses libip4tc, the legacy
# tables, as igd2d does.  So: the shipped script, run with `iptables`
# pointing at iptables-legacy, and the functions file (the package's if
# installed, else an equivalent of it).
MU=$WORK/miniupnpd
mkdir -p "$MU/bin"
ln -s "$(command -v iptables-legacy)" "$MU/bin/iptables"
cp /etc/miniupnpd/iptables_init.sh /etc/miniupnpd/iptables_removeall.sh "$MU/" ||
    die "miniupnpd-iptables has no /etc/miniupnpd/iptables_init.sh"
if [ -f /etc/miniupnpd/miniupnpd_functions.sh ]; then
	cp /etc/miniupnpd/miniupnpd_functions.sh "$MU/"
else
	cat >"$MU/miniupnpd_functions.sh" <<'EOF'
# Equivalent of Debian's /etc/miniupnpd/miniupnpd_functions.sh (IPv4 only).
IPTABLES="$(which iptables) -w"
CHAIN=MINIUPNPD
CLEAN=
while getopts ":c:i:f" opt; do
	case $opt in
	c) CHAIN=$OPTARG ;;
	i) EXTIF=$OPTARG ;;
	f) CLEAN=yes ;;
	*) echo "bad option" >&2; exit 1 ;;
	esac
done
[ -n "$EXTIF" ] || { echo "-i EXTIF required" >&2; exit 1; }
FDIRTY=$(LC_ALL=C $IPTABLES -t filter -L -n | awk "/$CHAIN / {printf \$1}")
NDIRTY=$(LC_ALL=C $IPTABLES -t nat -L -n | awk "/$CHAIN / {printf \$1}")
MDIRTY=$(LC_ALL=C $IPTABLES -t mangle -L -n | awk "/$CHAIN / {printf \$1}")
NPDIRTY=$(LC_ALL=C $IPTABLES -t nat -L -n | awk "/$CHAIN-POSTROUTING / {printf \$1}")
EOF
fi

mu_chains() {		# lab: create miniupnpd's chains in the legacy tables
	ip netns exec "$(ns_gw "$1")" env PATH="$MU/bin:$PATH" \
	    sh "$MU/iptables_init.sh" -i "$GW_WAN_IF"
}
mu_chains_remove() {
	ip netns exec "$(ns_gw "$1")" env PATH="$MU/bin:$PATH" \
	    sh "$MU/iptables_removeall.sh" -i "$GW_WAN_IF"
}

# miniupnpd's configuration: the same LAN, WAN, HTTP port and policy as
# igd2d's defaults (secure mode: a client maps only to itself; ports
# 1024-65535), Debian's chain names, no NAT-PMP, and a lease file, as igd2d
# keeps one by default (persist = yes; igd2d fsyncs it before each answer,
# miniupnpd writes it without fsync).  miniupnpd has no limit on the number
# of mappings; igd2d's max_mappings is raised to its maximum, 65535.
cat >"$MU/miniupnpd.conf" <<EOF
ext_ifname=$GW_WAN_IF
listening_ip=$GW_LAN_IF
http_port=$HTTP_PORT
enable_natpmp=no
enable_upnp=yes
secure_mode=yes
system_uptime=yes
upnp_forward_chain=MINIUPNPD
upnp_nat_chain=MINIUPNPD
upnp_nat_postrouting_chain=MINIUPNPD-POSTROUTING
uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b
lease_file=$MU/leases
allow 1024-65535 $LAN_NET.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF

# ---- daemons ------------------------------------------------------------------

# dstart KIND LAB: starts igd2d or miniupnpd in LAB's gateway; the process
# start time (CLOCK_MONOTONIC, just before exec) goes to $WORK/stamp.  Sets
# DPID.  No readiness wait here (the SSDP probe is the readiness test).
dstart() {
	local kind=$1 lab=$2 gw
	gw=$(ns_gw "$lab")
	rm -f "$WORK/stamp" "$MU/pid"
	DPID=
	case $kind in
	igd2d)
		rm -rf "$WORK/igd2d-$lab"
		mkdir -p "$WORK/igd2d-$lab/state" "$WORK/igd2d-$lab/run"
		ip netns exec "$gw" "$LG" stamp "$WORK/stamp" "$IGD2D" -F \
		    --lan "$GW_LAN_IF" --wan "$GW_WAN_IF" -f /dev/null \
		    --state-dir "$WORK/igd2d-$lab/state" \
		    -o runtime_dir="$WORK/igd2d-$lab/run" \
		    -o max_mappings=65535 -o log_level=warning \
		    -o http_port=$HTTP_PORT "${IGD2D_LIMITS[@]}" \
		    >>"$WORK/igd2d-$lab.log" 2>&1 &
		DPID=$!		# ip netns exec and stamp exec: the same process
		;;
	miniupnpd)
		rm -f "$MU/leases"	# a fresh start, as igd2d's state dir
		mu_chains "$lab" >>"$WORK/miniupnpd-$lab.log" 2>&1 ||
		    die "miniupnpd chains"
		# Without -d, as Debian's service runs it: it forks, and logs
		# only up to LOG_NOTICE.  (With -d it logs everything; with no
		# syslog socket here glibc then writes each line to
		# /dev/console: ~2 ms per request, not a fair comparison.)
		ip netns exec "$gw" "$LG" stamp "$WORK/stamp" "$MINIUPNPD" \
		    -f "$MU/miniupnpd.conf" -P "$MU/pid" \
		    >>"$WORK/miniupnpd-$lab.log" 2>&1
		bwait 5 test -s "$MU/pid" || die "miniupnpd wrote no pid file"
		DPID=$(cat "$MU/pid")
		;;
	esac
	echo "$DPID $kind $lab" >>"$RUNNING"
}

dstop() {	# PID
	local pid=$1
	kill -TERM "$pid" 2>/dev/null
	bwait 10 sh -c "! kill -0 $pid 2>/dev/null" || {
		say "pid $pid did not stop in 10 s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
	}
	wait "$pid" 2>/dev/null
	grep -v "^$pid " "$RUNNING" >"$RUNNING.tmp"; mv "$RUNNING.tmp" "$RUNNING"
}

dmem() {	# PID: "VmRSS VmHWM" in kB
	awk '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {print r, h}' \
	    "/proc/$1/status"
}

lan() { ip netns exec "$(ns_lan "$1")" "${@:2}"; }
gwx() { ip netns exec "$(ns_gw "$1")" "${@:2}"; }

# rec DAEMON KEY VALUE [RUN]: one measurement into the raw file.
rec() {
	printf '{"daemon": "%s", "key": "%s", "value": %s, "run": %s}\n' \
	    "$1" "$2" "$3" "${4:-0}" >>"$RAW"
}
# extra KIND JSON: raw loadgen output kept for the JSON file.
extra() {
	printf '{"kind": "%s", "daemon": "%s", "run": %s, "data": %s}\n' \
	    "$1" "$2" "$3" "$4" >>"$RAW"
}
# jget JSON FIELD
jget() { $PY -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("null" if v is None else v)' "$1" "$2"; }

# start_measured KIND LAB RUN: row 6 (process start to the first SSDP
# answer to an M-SEARCH sent every 10 ms from the LAN host), then waits
# for the HTTP port.
start_measured() {
	local kind=$1 lab=$2 run=$3 out t0 t1 ms
	rm -f "$WORK/ssdp.ready"
	lan "$lab" "$LG" ssdp -b "$LAN_IP" -w 15 -R "$WORK/ssdp.ready" \
	    >"$WORK/ssdp.json" &
	local probe=$!
	bwait 5 test -e "$WORK/ssdp.ready" || die "ssdp probe not ready"
	dstart "$kind" "$lab"
	wait $probe
	out=$(cat "$WORK/ssdp.json")
	t1=$(jget "$out" t_first)
	t0=$(cat "$WORK/stamp" 2>/dev/null)
	[ "$t1" != null ] && [ -n "$t0" ] ||
	    die "$kind: no SSDP answer within 15 s ($(tail -n 5 "$WORK/$kind-$lab.log"))"
	ms=$($PY -c "print(round(($t1 - $t0) * 1000, 2))")
	rec "$kind" startup "$ms" "$run"
	bwait 10 sh -c "ip netns exec $(ns_gw "$lab") ss -Hltn 'sport = :$HTTP_PORT' | grep -q ." ||
	    die "$kind: HTTP port $HTTP_PORT not listening"
	say "$kind run $run: first SSDP answer $ms ms after start"
}

# check_mapping KIND LAB: a mapping made through the daemon carries TCP
# from the WAN host to the LAN host, and its rule is in the legacy tables
# (not in nftables); deleted after.
check_mapping() {
	local kind=$1 lab=$2 got payload=bench-$$-$RANDOM echo_pid
	lan "$lab" timeout 30 socat "TCP-LISTEN:18080,bind=$LAN_IP,reuseaddr,fork" PIPE &
	echo_pid=$!
	bwait 5 sh -c "ip netns exec $(ns_lan "$lab") ss -Hltn 'sport = :18080' | grep -q ." ||
	    die "echo server"
	lg "$lab" fill -P 18080 -n 1 >/dev/null ||
	    die "$kind: AddPortMapping 18080 failed"
	got=$(printf '%s\n' "$payload" | ip netns exec "$(ns_wan "$lab")" \
	    timeout 5 socat -t 1 - "TCP:$GW_WAN_IP:18080,connect-timeout=2" 2>/dev/null)
	kill "$echo_pid" 2>/dev/null; wait "$echo_pid" 2>/dev/null
	[ "$got" = "$payload" ] ||
	    die "$kind: WAN host -> $GW_WAN_IP:18080 does not reach $LAN_IP:18080"
	gwx "$lab" iptables-legacy-save -t nat | grep -q -- "--dport 18080 .*-j DNAT" ||
	    die "$kind: no DNAT rule in the legacy nat table"
	! gwx "$lab" iptables-nft-save 2>/dev/null | grep -q -- "--dport 18080" ||
	    die "$kind: a rule went to the nftables tables"
	lg "$lab" del -P 18080 -n 1 >/dev/null ||
	    die "$kind: DeletePortMapping 18080 failed"
	say "$kind: mapping checked (WAN host -> $GW_WAN_IP:18080 -> $LAN_IP:18080; rules in the legacy tables)"
}

# lg LAB MODE ARGS...: loadgen in LAB's LAN host against its gateway;
# prints its JSON; fails on request errors.
lg() {
	local lab=$1 mode=$2
	shift 2
	lan "$lab" "$LG" "$mode" -t "$GW_LAN_IP" -p $HTTP_PORT -C "$LAN_IP" "$@"
}

ms() { $PY -c "print(round($1 * $2, 3))"; }	# ms VALUE FACTOR

# ---- 3. the load generator's ceiling -------------------------------------------

# A trivial responder (a fixed 200 SOAP answer, the same close-after-answer
# HTTP) in the gateway of a lab of its own: what the client drives when the
# server costs almost nothing.
ceiling() {
	local lab=c c out srv
	LABS="$LABS $lab"
	lab_create $lab || die "lab $lab"
	for c in 1 8; do
		rm -f "$WORK/srv.ready"
		# one responder thread per client thread, up to the 2 cores
		gwx $lab "$LG" serve -t "$GW_LAN_IP" -p 8099 -c $((c < 2 ? c : 2)) \
		    -d $((DUR + 3)) -R "$WORK/srv.ready" &
		srv=$!
		bwait 5 test -e "$WORK/srv.ready" || die "responder"
		out=$(lan $lab "$LG" getip -t "$GW_LAN_IP" -p 8099 -c $c -d "$DUR") ||
		    die "ceiling run: $out"
		extra ceiling loadgen $c "$out"
		say "loadgen ceiling c=$c: $(jget "$out" rate) req/s against a trivial responder"
		wait $srv
	done
	lab_destroy $lab
	LABS=${LABS% $lab}
}

# ---- 4. per-run rows: a fresh lab and daemon each run -------------------------

# Rows 6 (start), 5 idle, 2 (pairs), 7 (lease expiry), 1 (GetExternal-
# IPAddress).  Row 1 comes last: its thousands of connections leave as
# many TIME_WAIT sockets in the gateway, which would weigh on the adds of
# the other rows.
session() {
	local kind=$1 run=$2 lab out m c poller pairs="" gets=""
	lab=${kind:0:1}$run
	LABS="$LABS $lab"
	lab_create "$lab" || die "lab $lab"
	start_measured "$kind" "$lab" "$run"
	sleep 1.5	# idle: after the start-up announcements
	m=$(dmem "$DPID")
	rec "$kind" rss_idle "${m% *}" "$run"
	rec "$kind" hwm_idle "${m#* }" "$run"
	for c in 1 8; do
		out=$(lg "$lab" pair -c $c -d "$DUR" -P $PAIR_PORT) ||
		    die "$kind pair c=$c: $out"
		rec "$kind" pair_c$c "$(jget "$out" rate)" "$run"
		extra pair_c$c "$kind" "$run" "$out"
		pairs="$pairs $(jget "$out" rate)"
	done
	# Row 7: 100 mappings with a 5 s lease; the gateway's nat table is
	# polled every 50 ms until their DNAT rules are gone.
	gwx "$lab" "$PY" "$HERE/helper.py" leasepoll $LEASE_PORT $LEASE_N \
	    "$WORK/poll.json" --interval 0.05 --timeout 25 &
	poller=$!
	lg "$lab" leaseadd -P $LEASE_PORT -n $LEASE_N -L $LEASE_S \
	    >"$WORK/adds.json" || die "$kind leaseadd: $(tail -c 300 "$WORK/adds.json")"
	wait $poller
	out=$("$PY" "$HERE/helper.py" lease "$WORK/adds.json" "$WORK/poll.json" $LEASE_S)
	extra lease "$kind" "$run" "$out"
	[ "$(jget "$out" not_removed)" = 0 ] ||
	    say "$kind run $run: $(jget "$out" not_removed) lease mappings not removed within 25 s"
	rec "$kind" lease_late_p50 "$(ms "$(jget "$out" late_median_s)" 1000)" "$run"
	rec "$kind" lease_late_max "$(ms "$(jget "$out" late_max_s)" 1000)" "$run"
	local late="$(jget "$out" late_median_s)/$(jget "$out" late_max_s)"
	for c in 1 8; do
		out=$(lg "$lab" getip -c $c -d "$DUR") ||
		    die "$kind getip c=$c: $out"
		rec "$kind" getip_c$c "$(jget "$out" rate)" "$run"
		extra getip_c$c "$kind" "$run" "$out"
		gets="$gets $(jget "$out" rate)"
	done
	say "$kind run $run: pairs/s c=1,8:$pairs; lease late median/max $late s; getip/s c=1,8:$gets"
	dstop "$DPID"
	[ "$kind" = miniupnpd ] && mu_chains_remove "$lab" >/dev/null 2>&1
	lab_destroy "$lab"
	LABS=${LABS% $lab}
}

# ---- 5. scale rows: one long-lived daemon per lab --------------------------------

# fill_to LAB HAVE WANT: AddPortMapping of ports FILL_PORT+HAVE.. (1 h lease)
fill_to() {
	local lab=$1 have=$2 want=$3
	lg "$lab" fill -c 1 -P $((FILL_PORT + have)) -n $((want - have)) -d 400
}

scale() {
	local la=ia lb=mb pa pb lvl have=0 run k d lab out m t fa fb
	LABS="$LABS $la $lb"
	lab_create $la || die "lab $la"
	lab_create $lb || die "lab $lb"
	start_measured igd2d $la 0; pa=$DPID
	start_measured miniupnpd $lb 0; pb=$DPID
	# startup in this phase is not a row-6 run: drop those two records
	grep -v '"run": 0}$' "$RAW" >"$RAW.tmp"; mv "$RAW.tmp" "$RAW"
	check_mapping igd2d $la
	check_mapping miniupnpd $lb
	for lvl in $LEVELS; do
		# Both fills at once (two daemons, two cores): a fill is not
		# a measurement; the latency runs below are, one at a time.
		if [ "$lvl" -gt "$have" ]; then
			t=$(date +%s)
			fill_to $la $have $lvl >"$WORK/fill-a.json" &
			fa=$!
			fill_to $lb $have $lvl >"$WORK/fill-b.json" &
			fb=$!
			wait $fa || die "igd2d fill to $lvl: $(cat "$WORK/fill-a.json")"
			wait $fb || die "miniupnpd fill to $lvl: $(cat "$WORK/fill-b.json")"
			extra fill igd2d "$lvl" "$(cat "$WORK/fill-a.json")"
			extra fill miniupnpd "$lvl" "$(cat "$WORK/fill-b.json")"
			say "filled both to $lvl mappings in $(( $(date +%s) - t )) s (igd2d $(jget "$(cat "$WORK/fill-a.json")" seconds) s, miniupnpd $(jget "$(cat "$WORK/fill-b.json")" seconds) s)"
			have=$lvl
		fi
		for run in $(seq 1 "$RUNS"); do
			for k in "igd2d $la" "miniupnpd $lb"; do
				d=${k% *} lab=${k#* }
				out=$(lg "$lab" lat -P $LAT_PORT -n "$SAMPLES") ||
				    die "$d lat at $lvl: $out"
				rec "$d" lat${lvl}_p50 "$(ms "$(jget "$out" lat_p50_us)" 0.001)" "$run"
				rec "$d" lat${lvl}_p99 "$(ms "$(jget "$out" lat_p99_us)" 0.001)" "$run"
				extra lat$lvl "$d" "$run" "$out"
			done
		done
		say "AddPortMapping latency at $lvl mappings: $RUNS runs each"
		if [ "$lvl" = 0 ]; then
			for k in "igd2d $pa" "miniupnpd $pb"; do
				m=$(dmem "${k#* }")
				rec "${k% *}" rss_0 "${m% *}" 0
			done
		fi
		[ "$lvl" = 1000 ] || continue
		for run in $(seq 1 "$RUNS"); do
			for k in "igd2d $la $pa" "miniupnpd $lb $pb"; do
				set -- $k
				out=$(lg "$2" walk) || die "$1 walk: $out"
				[ "$(jget "$out" entries)" = 1000 ] ||
				    die "$1 walk saw $(jget "$out" entries) entries"
				rec "$1" walk1000 "$(jget "$out" seconds)" "$run"
				extra walk1000 "$1" "$run" "$out"
				out=$(lg "$2" list -n 1000) || die "$1 list: $out"
				[ "$(jget "$out" entries)" = 1000 ] ||
				    die "$1 list returned $(jget "$out" entries) entries"
				rec "$1" list1000 "$(ms "$(jget "$out" seconds)" 1000)" "$run"
				extra list1000 "$1" "$run" "$out"
				m=$(dmem "$3")
				rec "$1" rss_1000 "${m% *}" "$run"
				rec "$1" hwm_1000 "${m#* }" "$run"
			done
		done
		say "walk, listing and memory at 1000 mappings: $RUNS runs each"
	done
	dstop "$pa"
	dstop "$pb"
	mu_chains_remove $lb >/dev/null 2>&1
	lab_destroy $la
	lab_destroy $lb
	LABS=""
}

# bytes per mapping: (VmRSS at 1000 - VmRSS at 0, same process) / 1000
bytes_per_mapping() {
	"$PY" - "$RAW" "$1" >>"$RAW" <<'EOF'
import json, sys
base, runs = None, []
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("daemon") != sys.argv[2]:
        continue
    if m.get("key") == "rss_0":
        base = m["value"]
    elif m.get("key") == "rss_1000":
        runs.append((m["run"], m["value"]))
for run, v in runs:
    if base is not None:
        print(json.dumps({"daemon": sys.argv[2], "key": "bytes_per_mapping",
                          "value": round((v - base) * 1024 / 1000.0, 1),
                          "run": run}))
EOF
}

# ---- 6. machine facts, run, report -------------------------------------------------

facts() {
	local cpu upnp
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	upnp=$(dpkg-query -W -f='${Version}' libupnp13 2>/dev/null ||
	    dpkg-query -W -f='${Version}' libupnp-dev 2>/dev/null)
	"$PY" - "$cpu" "$(nproc)" "$(uname -r)" "$(cat /etc/debian_version)" \
	    "$upnp" "$(dpkg-query -W -f='${Version}' miniupnpd-iptables)" \
	    "$("$IGD2D" -V 2>&1 | head -n 1)" \
	    "$(git -C "$SRCDIR" rev-parse --short HEAD 2>/dev/null)" \
	    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$RUNS" "$DUR" "$SAMPLES" "$1" \
	    "$LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg)" >"$WORK/facts.json" <<'EOF'
import json, sys
a = sys.argv[1:]
print(json.dumps({"cpu": a[0], "cores": int(a[1]), "kernel": a[2],
                  "debian": a[3], "libupnp": a[4], "miniupnpd": a[5],
                  "igd2d": a[6], "igd2d_commit": a[7], "date": a[8],
                  "runs": int(a[9]), "throughput_run_s": float(a[10]),
                  "latency_samples_per_run": int(a[11]),
                  "total_s": int(a[12]), "load_average": a[13]}))
EOF
}

say "work directory $WORK; igd2d $IGD2D ${IGD2D_LIMITS[*]}; $RUNS runs, ${DUR} s per throughput run"
ceiling
for run in $(seq 1 "$RUNS"); do
	session igd2d "$run"		# A B A B ...
	session miniupnpd "$run"
done
scale
bytes_per_mapping igd2d
bytes_per_mapping miniupnpd
facts $(( $(date +%s) - T0 ))
mkdir -p "$OUTDIR"
"$PY" "$HERE/helper.py" report "$RAW" "$WORK/facts.json" \
    "$OUTDIR/RESULTS.md" "$OUTDIR/results.json" "$HERE/FINDINGS.md" ||
    die "report failed"
say "done in $(( $(date +%s) - T0 )) s: $OUTDIR/RESULTS.md, $OUTDIR/results.json"
