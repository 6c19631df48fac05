#!/bin/bash
# Host names in AddPortMapping (VC-10) against a resolver that never
# answers: the gateway's resolv.conf (ip netns exec bind-mounts
# /etc/netns/NS/resolv.conf) names a UDP socket on the gateway's loopback
# that reads queries and drops them, with a 30 s resolver timeout.
#
#   1. Three such names sent at once, on three connections: one is looked
#      up and refused (600) after the daemon's 2 s bound, the other two are
#      refused at once, and a second control point's GetExternalIPAddress
#      is answered promptly all along (the front's threads are not all
#      held by lookups).
#      A name in the gateway's /etc/hosts then still resolves.
#   2. Names sent one after another: each takes the 2 s bound and leaves
#      its unfinished lookup behind; after 8 of them, the next name is
#      refused at once (the bound on lookups left running, dns.c).
set -u
. "$(dirname "$0")/lib.sh"

lab_require
lab_setup
CP2=$LAN_NET.11
lan_add_ip "$CP2"
mkdir -p "/etc/netns/$NS_GW"
printf '127.0.0.1 localhost\n192.168.77.10 lanhost.test\n' \
    >"/etc/netns/$NS_GW/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' \
    >"/etc/netns/$NS_GW/resolv.conf"
# The silent resolver: counts the queries it drops, for 120 s at most.
in_gw timeout 120 $PY - "$WORK/queries" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
n = 0
open(sys.argv[1] + ".ready", "w").close()
while True:
    s.recvfrom(512)
    n += 1
    open(sys.argv[1], "w").write("%d\n" % n)
EOF
SILENT=$!
wait_until 5 test -e "$WORK/queries.ready" || fail "the silent resolver did not start"
daemon_start -o http_conn_rate=0 -o http_conn_limit=0
CTL=http://$GW_LAN_IP:$HTTP_PORT/ctl/IPConn

# adds NAME...: one AddPortMapping per name, all at once, from the LAN
# host, NewInternalClient the name; one line each: "NAME STATUS CODE
# SECONDS" in the order sent.
adds() {
	in_lan $PY - "$CTL" "$ST" "$@" <<'EOF'
import os, sys, threading, time
sys.path.insert(0, os.environ["HERE"])
import ssdp
url, stype, names = sys.argv[1], sys.argv[2], sys.argv[3:]
out = [None] * len(names)
def one(i, name):
    body = ssdp.soap_body(stype, "AddPortMapping", [
        ("NewRemoteHost", ""), ("NewExternalPort", str(32000 + i)),
        ("NewProtocol", "TCP"), ("NewInternalPort", "8080"),
        ("NewInternalClient", name), ("NewEnabled", "1"),
        ("NewPortMappingDescription", "dns"), ("NewLeaseDuration", "600")])
    t0 = time.monotonic()
    try:
        st, _, p = ssdp.http("POST", url, body, {
            "CONTENT-TYPE": 'text/xml; charset="utf-8"',
            "SOAPACTION": '"%s#AddPortMapping"' % stype}, timeout=10.0)
    except OSError as e:
        st, p = "error", str(e).encode()
    code = p.split(b"<errorCode>")[1].split(b"<")[0].decode() \
        if b"<errorCode>" in p else "-"
    out[i] = "%s %s %s %.3f" % (name, st, code, time.monotonic() - t0)
ts = [threading.Thread(target=one, args=(i, n)) for i, n in enumerate(names)]
for t in ts:
    t.start()
for t in ts:
    t.join(15)
print("\n".join(o or "%s timeout - -" % n for o, n in zip(out, names)))
EOF
}
export HERE
ST=urn:schemas-upnp-org:service:WANIPConnection:2

# --- 1. three names at once ------------------------------------------------
in_lan $PY "$HERE/badinput.py" probe "$GW_LAN_IP" "$HTTP_PORT" "$CP2" \
    "$WORK/stop" "$WORK/probe.json" &
PROBE=$!
sleep 0.3
adds never1.test never2.test never3.test >"$WORK/three.txt"
touch "$WORK/stop"
wait "$PROBE"
cat "$WORK/three.txt" "$WORK/probe.json"; echo
slow=$(awk '$2 == 500 && $3 == 600 && $4 >= 1.8 && $4 < 3.5' "$WORK/three.txt" | wc -l)
fast=$(awk '$2 == 500 && $3 == 600 && $4 < 1.0' "$WORK/three.txt" | wc -l)
[ "$slow" = 1 ] && [ "$fast" = 2 ] ||
    fail "three names at once: want one refused after the 2 s bound and two at once"
grep -q 'another lookup is under way' "$WORK/daemon.log" ||
    fail "no \"another lookup is under way\" in the log"
$PY -c 'import json, sys
p = json.load(open(sys.argv[1]))
sys.exit(0 if p["probes"] >= 10 and p["failed"] == 0 and p["max_seconds"] < 0.5 else 1)' \
    "$WORK/probe.json" || fail "the second control point was not served promptly: $(cat "$WORK/probe.json")"
[ "$(cat "$WORK/queries" 2>/dev/null)" -ge 1 ] ||
    fail "the silent resolver saw no query: the lookup did not go to it"
pass "three unresolvable names at once: one refused (600) after the 2 s bound, two at once; GetExternalIPAddress from another host answered within 0.5 s throughout (VC-10)"

# A name in the gateway's /etc/hosts still resolves, one lookup left running.
adds lanhost.test >"$WORK/hosts.txt"
cat "$WORK/hosts.txt"
awk '$2 == 200 && $3 == "-" {ok = 1} END {exit !ok}' "$WORK/hosts.txt" ||
    fail "a name from /etc/hosts did not resolve"
pass "a name in the gateway's /etc/hosts resolves while an earlier lookup still runs (VC-10)"

# --- 2. lookups left running are bounded ----------------------------------
# One is left from section 1; seven more fill the eight slots.
for i in 4 5 6 7 8 9 10; do
	adds "never$i.test" >>"$WORK/seq.txt"
done
cat "$WORK/seq.txt"
n=$(awk '$2 == 500 && $3 == 600 && $4 >= 1.8 && $4 < 3.5' "$WORK/seq.txt" | wc -l)
[ "$n" = 7 ] || fail "seven names one after another: $n took the 2 s bound, want 7"
adds never11.test >"$WORK/full.txt"
cat "$WORK/full.txt"
awk '$2 == 500 && $3 == 600 && $4 < 1.0 {ok = 1} END {exit !ok}' "$WORK/full.txt" ||
    fail "with eight lookups left running, a ninth name was not refused at once"
grep -q 'earlier lookups have not finished' "$WORK/daemon.log" ||
    fail "no \"earlier lookups have not finished\" in the log"
pass "eight lookups left running after their 2 s bound: the next name is refused at once (600), and the log says why (VC-10)"

daemon_stop || fail "the daemon did not stop cleanly"
kill "$SILENT" 2>/dev/null
wait "$SILENT" 2>/dev/null
pass "the daemon stops cleanly with lookups still running"
