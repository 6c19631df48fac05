#!/bin/bash
# Lifecycle: events, SIGTERM (byebye, exit 0 within 2 s, nothing left in
# the kernel), restart keeping the UUID, SIGHUP, the IGD:1-only option,
# and start-up while the LAN interface is not ready yet.
set -u
. "$(dirname "$0")/lib.sh"

lab_require iptables-legacy-save socat
lab_setup
SSDP="$PY $HERE/ssdp.py"
URN=urn:schemas-upnp-org

daemon_start
UUID=$(cat "$WORK/state/uuid")
EVT=http://$GW_LAN_IP:$HTTP_PORT/evt/IPConn

# WIC-051: the initial event carries all five evented variables; then a
# change of the WAN address and of the link are evented (WIC-045, WIC-043).
in_lan $SSDP gena "$EVT" "$LAN_IP" 8 "$WORK/events.json" &
GENA=$!
wait_until 5 grep -qs '"vars"' "$WORK/events.json" ||
    fail "no initial event"
# The new address takes over in one step (promoted secondary).
in_gw sysctl -qw "net.ipv4.conf.$GW_WAN_IF.promote_secondaries=1"
in_gw ip addr add "$WAN_NET.9/24" dev "$GW_WAN_IF"
in_gw ip addr del "$GW_WAN_IP/24" dev "$GW_WAN_IF"
wait_until 4 grep -q "\"ExternalIPAddress\": \"$WAN_NET.9\"" \
    "$WORK/events.json" || fail "address change not evented"
in_gw ip link set "$GW_WAN_IF" down
wait_until 4 grep -q '"ConnectionStatus": "Disconnected"' \
    "$WORK/events.json" || fail "link down not evented"
wait "$GENA"
$PY - "$WORK/events.json" "$GW_WAN_IP" "$WAN_NET.9" <<'EOF' || fail "events"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"vars"' in l]
first = ev[0]["vars"]
want = {"PossibleConnectionTypes": "IP_Routed", "ConnectionStatus": "Connected",
        "ExternalIPAddress": sys.argv[2], "PortMappingNumberOfEntries": "0",
        "SystemUpdateID": "0"}
if first != want:
    sys.exit("initial event %r, want %r" % (first, want))
if ev[0]["seq"] != "0":
    sys.exit("initial SEQ %r" % ev[0]["seq"])
later = [e["vars"] for e in ev[1:]]
if {"ExternalIPAddress": sys.argv[3]} not in later:
    sys.exit("no event with only the new address: %r" % later)
down = [v for v in later if v.get("ConnectionStatus") == "Disconnected"]
if not down or down[0].get("ExternalIPAddress") != "":
    sys.exit("link down: %r (address must become \"\")" % later)
EOF
pass "initial event with the five variables (WIC-051, VC-13); address and link changes evented (WIC-045, WIC-043, WIC-023)"

soap() { in_lan $SSDP soap "http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn" \
    "$URN:service:WANIPConnection:2" "$@"; }
soap GetExternalIPAddress >"$WORK/soap.json"
grep -q '"NewExternalIPAddress", ""' "$WORK/soap.json" ||
    fail "GetExternalIPAddress while the WAN is down: $(cat "$WORK/soap.json")"
soap GetStatusInfo >"$WORK/soap.json"
grep -q '"Disconnected"' "$WORK/soap.json" &&
    grep -q '"ERROR_NO_CARRIER"' "$WORK/soap.json" ||
    fail "GetStatusInfo while the WAN is down: $(cat "$WORK/soap.json")"
pass "WAN down: external address \"\" (never 0.0.0.0), Disconnected, ERROR_NO_CARRIER (WIC-023, VC-43, LEG-17)"
in_gw ip link set "$GW_WAN_IF" up

# SIGHUP re-reads the file: a broken file is reported with file:line and
# the running configuration stays; a good one is applied.
daemon_stop || fail "daemon did not exit 0"
printf 'log_level = notice\n' >"$WORK/igd2d.conf"
daemon_start -f "$WORK/igd2d.conf"
printf '# changed\nlog_level = loud\n' >"$WORK/igd2d.conf"
kill -HUP "$DAEMON_PID"
wait_until 3 grep -q "keeping the running one" "$WORK/daemon.log" ||
    fail "SIGHUP with a bad file: not refused"
grep -q "$WORK/igd2d.conf:2: log_level: expected one of" "$WORK/daemon.log" ||
    fail "SIGHUP with a bad file: no file:line message"
printf 'log_level = info\n' >"$WORK/igd2d.conf"
kill -HUP "$DAEMON_PID"
wait_until 3 grep -q "reload: configuration reloaded" "$WORK/daemon.log" ||
    fail "SIGHUP: good file not reloaded"
soap GetNATRSIPStatus >"$WORK/soap.json"
grep -q '"status": 200' "$WORK/soap.json" || fail "not serving after SIGHUP"
pass "SIGHUP: a bad file is refused with file:line, a good one reloaded, serving throughout"

# SIGTERM: byebye for every advertisement, exit 0 within 2 s, and the
# daemon's chains are gone from the kernel.
in_gw iptables-legacy-save | grep -q IGD2D-INPUT ||
    fail "the WAN guard chain is not installed while running"
in_lan $SSDP listen "$LAN_IP" 4 "$WORK/bye.json" &
BYE=$!
wait_until 5 grep -qs ready "$WORK/bye.json" || fail "listener"
t0=$(date +%s%N)
daemon_stop
rc=$?
t1=$(date +%s%N)
[ $rc -eq 0 ] || fail "SIGTERM: exit status $rc"
ms=$(( (t1 - t0) / 1000000 ))
[ $ms -lt 2000 ] || fail "SIGTERM: took $ms ms"
wait "$BYE"
n=$(grep -c '"ssdp:byebye"' "$WORK/bye.json")
[ "$n" -ge 9 ] || fail "SIGTERM: $n byebye messages, want one per advertisement (9)"
if in_gw iptables-legacy-save | grep -q IGD2D; then
	in_gw iptables-legacy-save
	fail "daemon rules left in the kernel after stop"
fi
pass "SIGTERM: $n byebye, exit 0 in $ms ms, no IGD2D chain or jump left"

# The UUID generated at the first start is kept across restarts.
daemon_start
in_lan $SSDP get "$DESC_URL" >"$WORK/desc.json"
grep -q "uuid:$UUID" "$WORK/desc.json" || fail "UUID changed on restart"
daemon_stop || fail "stop"
pass "the generated UUID survives a restart ($UUID)"

# memtune: the daemon runs without glibc's per-thread caches, under its own
# name, and a tcache_count set by the administrator is kept as it is.
tunables() { tr '\0' '\n' <"/proc/$DAEMON_PID/environ" | sed -n 's/^GLIBC_TUNABLES=//p'; }
daemon_start
[ "$(tunables)" = glibc.malloc.tcache_count=0 ] ||
    fail "GLIBC_TUNABLES in the daemon: '$(tunables)'"
[ "$(cat "/proc/$DAEMON_PID/comm")" = igd2d ] ||
    fail "process name '$(cat "/proc/$DAEMON_PID/comm")', want igd2d"
daemon_stop || fail "stop"
# (glibc cuts the variable at the first ':' as it parses it, so environ
# shows only the first tunable of a list: no check of an appended one.)
GLIBC_TUNABLES=glibc.malloc.tcache_count=7 daemon_start
[ "$(tunables)" = glibc.malloc.tcache_count=7 ] ||
    fail "the administrator's tcache_count replaced: '$(tunables)'"
daemon_stop || fail "stop"
pass "the daemon turns glibc's per-thread caches off (GLIBC_TUNABLES, process name igd2d) unless told otherwise"

# igd_version = 1 publishes only the v1 tree: a v2 search gets nothing.
daemon_start -o igd_version=1
in_lan $SSDP search "$URN:device:InternetGatewayDevice:1" --bind "$LAN_IP" \
    --wait 2 >"$WORK/s1.json" || fail "igd_version=1: no answer to IGD:1"
grep -q 'rootDesc1.xml' "$WORK/s1.json" || fail "igd_version=1: location"
if in_lan $SSDP search "$URN:device:InternetGatewayDevice:2" \
    --bind "$LAN_IP" --wait 2 >/dev/null; then
	fail "igd_version=1 answered an IGD:2 search"
fi
daemon_stop || fail "stop"
pass "igd_version = 1 publishes only the IGD:1 tree (VC-50)"

# systemd: READY=1 once serving, STOPPING=1 at stop (Type=notify).
socat -u UNIX-RECV:"$WORK/notify.sock" OPEN:"$WORK/notify.txt",creat,append &
SOCAT=$!
wait_until 3 test -S "$WORK/notify.sock" || fail "socat notify socket"
NOTIFY_SOCKET=$WORK/notify.sock daemon_start
wait_until 3 grep -qs "READY=1" "$WORK/notify.txt" || fail "no READY=1"
daemon_stop || fail "stop"
wait_until 3 grep -qs "STOPPING=1" "$WORK/notify.txt" || fail "no STOPPING=1"
kill "$SOCAT" 2>/dev/null
pass "systemd readiness: READY=1 when serving, STOPPING=1 at stop"

# Without -F: the command returns 0 only once the daemon serves, with a
# pid file; SIGTERM through the pid file stops it and removes the file.
ip netns exec "$NS_GW" "$IGD2D" --lan "$GW_LAN_IF" --wan "$GW_WAN_IF" \
    -f /dev/null --state-dir "$WORK/state" -o runtime_dir="$WORK/run" \
    -o pid_file="$WORK/igd2d.pid" || fail "detached start failed"
pid=$(cat "$WORK/igd2d.pid") || fail "no pid file"
kill -0 "$pid" || fail "pid file names no live process"
in_lan $SSDP get "$DESC_URL" >/dev/null || fail "detached daemon not serving"
kill -TERM "$pid"
wait_until 3 sh -c "! kill -0 $pid 2>/dev/null" || fail "did not stop"
[ ! -e "$WORK/igd2d.pid" ] || fail "pid file left behind"
pass "detached start: ready before the command returns, pid file, clean stop"

# At boot the LAN interface may come up after the daemon: it waits.
in_gw ip addr del "$GW_LAN_IP/24" dev "$GW_LAN_IF"
mkdir -p "$WORK/state" "$WORK/run"
: >"$WORK/daemon.log"
ip netns exec "$NS_GW" "$IGD2D" -F --lan "$GW_LAN_IF" --wan "$GW_WAN_IF" \
    -f /dev/null --state-dir "$WORK/state" -o runtime_dir="$WORK/run" \
    -o lan_wait=10 >>"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
sleep 1
in_gw ip addr add "$GW_LAN_IP/24" dev "$GW_LAN_IF"
wait_until 10 grep -q "igd2d .* started" "$WORK/daemon.log" ||
    fail "did not start once the LAN address appeared"
daemon_stop || fail "stop"
pass "start-up waits for the LAN interface (lan_wait)"
exit 0
