#!/usr/bin/python3
"""Thread-pool starvation attack and probe, for test_starvation.sh.

  starve.py attack CTLURL SERVICETYPE ATTACKER VICTIM IDLE PARTIAL PROBES
                   TIMEOUT
  starve.py parallel URL SOURCE N TIMEOUT

From ATTACKER (local addresses to bind to, comma-separated), each address
opens PARTIAL connections to CTLURL that send a SOAP POST whose
Content-Length is larger than the body sent, then IDLE connections that
send nothing, all at once and kept open.
Then, while they are held, PROBES GetExternalIPAddress calls from VICTIM,
each given TIMEOUT seconds. Then closes the attacker's connections and
makes one more call from the first ATTACKER address. Prints one JSON
object (counts are totals over the attacker addresses):

  partial, idle    attacker connections established within 2 s
  pending          attacker connections still not established then
  probes           seconds each victim call took, null when it got no
                   200 answer with an address within TIMEOUT
  held             established attacker connections the server had not
                   closed or answered when the probes ended
  after            seconds the attacker's own call took after it closed
                   its connections, or null

  starve.py slowread CTLURL SERVICETYPE ATTACKER VICTIM MAPPINGS N PROBES
                     TIMEOUT

slowread: ATTACKER adds MAPPINGS port mappings to itself (TCP, external
ports 50000 up, one at a time), lists them once in full, then opens N
connections with a 2 KB receive buffer that each ask for that listing and
never read it. While they are held, PROBES GetExternalIPAddress calls from
VICTIM, each given TIMEOUT seconds. Then waits (at most 15 s) for the
server to give up on each, reads what each got, lists once more in full
and once more slowly, and prints one JSON object:

  size             bytes of the listing answer's body
  probes           as for attack
  closed           seconds from each slow request to the server ending its
                   connection (reset, or the end of the stream), or null
  got              bytes (head and body) each slow connection had
                   received by then
  after            true when a listing asked for once they are gone has
                   the same body
  steady           true when a listing read 2 KB every 10 ms through a
                   2 KB receive buffer has the same body
  steady_s         seconds that read took

parallel: N GETs of URL from SOURCE at once, as a control point that
fetches several documents in parallel; prints a JSON list of the seconds
each took, null for one that got no 200 within TIMEOUT.

Standard library only; every wait is bounded.
"""
import errno
import json
import os
import re
import select
import socket
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ssdp  # noqa: E402

CONNECT_WAIT = 2.0      # seconds for a batch of connects to complete
SETTLE = 0.5            # seconds for the server to hand them to workers
PROBE_GAP = 0.3         # seconds between probes
SLOW_BASE = 50000       # slowread's external ports: SLOW_BASE..+MAPPINGS-1


def open_batch(src, host, port, n):
    """n non-blocking connects from src; returns (established, pending)."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((src, 0))
        rc = s.connect_ex((host, port))
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            continue
        socks.append(s)
    done, waiting = [], list(socks)
    end = time.monotonic() + CONNECT_WAIT
    while waiting and time.monotonic() < end:
        _, w, _ = select.select([], waiting, [], end - time.monotonic())
        for s in w:
            waiting.remove(s)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                done.append(s)
            else:
                s.close()
    return done, waiting


def raw_request(u, stype, action, args, missing=0):
    """A SOAP POST as bytes, for a socket of our own; its Content-Length
    claims `missing` bytes more than it carries."""
    body = ssdp.soap_body(stype, action, args)
    head = ("POST %s HTTP/1.1\r\nHOST: %s:%d\r\nConnection: close\r\n"
            "CONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n"
            "SOAPACTION: \"%s#%s\"\r\n"
            "CONTENT-LENGTH: %d\r\n\r\n"
            % (u.path, u.hostname, u.port, stype, action,
               len(body) + missing))
    return head.encode() + body


def partial_request(u, stype):
    return raw_request(u, stype, "GetExternalIPAddress", [], missing=1000)


def soap(url, stype, action, args, src, timeout=5.0):
    hdrs = {"CONTENT-TYPE": 'text/xml; charset="utf-8"',
            "SOAPACTION": '"%s#%s"' % (stype, action)}
    return ssdp.http("POST", url, ssdp.soap_body(stype, action, args), hdrs,
                     timeout=timeout, source=src)


def probe(url, stype, src, timeout):
    t0 = time.monotonic()
    try:
        status, _, payload = soap(url, stype, "GetExternalIPAddress", [],
                                  src, timeout)
    except OSError:
        return None
    took = time.monotonic() - t0
    if status != 200 or b"NewExternalIPAddress>" not in payload:
        return None
    return round(took, 3)


def probes_after_settle(url, stype, victim, n, timeout):
    """n probes from victim, PROBE_GAP apart, once the server settled."""
    time.sleep(SETTLE)
    took = []
    for i in range(n):
        if i:
            time.sleep(PROBE_GAP)
        took.append(probe(url, stype, victim, timeout))
    return took


def still_held(s):
    """True when the server has neither closed s nor answered on it."""
    try:
        s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def timed_get(url, src, timeout, out, i):
    t0 = time.monotonic()
    try:
        status, _, _ = ssdp.http("GET", url, timeout=timeout, source=src)
    except OSError:
        return
    if status == 200:
        out[i] = round(time.monotonic() - t0, 3)


def cmd_parallel(url, src, n, timeout):
    out = [None] * int(n)
    threads = [threading.Thread(target=timed_get,
                                args=(url, src, float(timeout), out, i))
               for i in range(int(n))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(float(timeout) + 5)
    print(json.dumps(out))
    return 0


def cmd_attack(argv):
    url, stype, attacker, victim = argv[0:4]
    idle, partial, probes = int(argv[4]), int(argv[5]), int(argv[6])
    timeout = float(argv[7])
    u = urllib.parse.urlsplit(url)
    part, part_wait, idle_done, idle_wait = [], [], [], []
    for src in attacker.split(","):
        done, wait = open_batch(src, u.hostname, u.port, partial)
        for s in done:
            s.setblocking(True)
            s.sendall(partial_request(u, stype))
        part += done
        part_wait += wait
        done, wait = open_batch(src, u.hostname, u.port, idle)
        idle_done += done
        idle_wait += wait
    took = probes_after_settle(url, stype, victim, probes, timeout)
    held = sum(1 for s in part + idle_done if still_held(s))
    for s in part + part_wait + idle_done + idle_wait:
        s.close()
    time.sleep(SETTLE)
    after = probe(url, stype, attacker.split(",")[0], timeout)
    print(json.dumps({"partial": len(part), "idle": len(idle_done),
                      "pending": len(part_wait) + len(idle_wait),
                      "probes": took, "held": held, "after": after}))
    return 0


LIST_ARGS = [("NewStartPort", "1024"), ("NewEndPort", "65535"),
             ("NewProtocol", "TCP"), ("NewManage", "0"),
             ("NewNumberOfPorts", "0")]


def list_request(u, stype):
    return raw_request(u, stype, "GetListOfPortMappings", LIST_ARGS)


def same_listing(a, b):
    """a and b list the same entries (lease times count down between)."""
    lease = re.compile(rb"<p:NewLeaseTime>[0-9]+</p:NewLeaseTime>")
    return a is not None and b is not None and \
        lease.sub(b"", a) == lease.sub(b"", b)


def listing(url, stype, src):
    """The body of a whole listing answer, or None."""
    status, _, payload = soap(url, stype, "GetListOfPortMappings",
                              LIST_ARGS, src, timeout=10.0)
    if status != 200 or b"</p:PortMappingList>" not in payload.replace(
            b"&lt;/p:PortMappingList&gt;", b"</p:PortMappingList>"):
        return None
    return payload


def steady_read(u, stype, src, chunk, pause, limit):
    """The listing read chunk bytes at a time, pause s apart, through a
    2 KB receive buffer: (its body, seconds it took)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    s.bind((src, 0))
    s.settimeout(2.0)
    s.connect((u.hostname, u.port))
    t0 = time.monotonic()
    s.sendall(list_request(u, stype))
    chunks = []
    while time.monotonic() < t0 + limit:
        c = s.recv(chunk)
        if not c:
            break
        chunks.append(c)
        time.sleep(pause)
    took = round(time.monotonic() - t0, 2)
    s.close()
    return b"".join(chunks).partition(b"\r\n\r\n")[2], took


def ended(s):
    """True once the server reset or ended s (the TCP state says so)."""
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    return info[0] != 1


def cmd_slowread(argv):
    url, stype, attacker, victim = argv[0:4]
    nmap, n, probes = int(argv[4]), int(argv[5]), int(argv[6])
    timeout = float(argv[7])
    u = urllib.parse.urlsplit(url)
    for i in range(nmap):
        status, _, _ = soap(url, stype, "AddPortMapping", [
            ("NewRemoteHost", ""), ("NewExternalPort", str(SLOW_BASE + i)),
            ("NewProtocol", "TCP"), ("NewInternalPort", str(SLOW_BASE + i)),
            ("NewInternalClient", attacker), ("NewEnabled", "1"),
            ("NewPortMappingDescription", "slow reader %d" % i),
            ("NewLeaseDuration", "0")], attacker)
        if status != 200:
            print(json.dumps({"error": "AddPortMapping %d: %d"
                              % (SLOW_BASE + i, status)}))
            return 1
    body = listing(url, stype, attacker)
    size = len(body) if body is not None else None
    slow, sent = [], []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        s.bind((attacker, 0))
        s.settimeout(2.0)
        s.connect((u.hostname, u.port))
        s.sendall(list_request(u, stype))
        slow.append(s)
        sent.append(time.monotonic())
    took = probes_after_settle(url, stype, victim, probes, timeout)
    closed = [None] * n
    end = time.monotonic() + 15.0
    while time.monotonic() < end and None in closed:
        for i, s in enumerate(slow):
            if closed[i] is None and ended(s):
                closed[i] = round(time.monotonic() - sent[i], 2)
        time.sleep(0.05)
    got = []
    for s in slow:
        got.append(len(ssdp.recv_all(s, time.monotonic() + 2.0,
                                     keep_on_reset=True)))
        s.close()
    after = listing(url, stype, attacker)
    steady, steady_s = steady_read(u, stype, attacker, 2048, 0.01, 10.0)
    print(json.dumps({"size": size, "probes": took, "closed": closed,
                      "got": got, "after": same_listing(after, body),
                      "steady": same_listing(steady, body),
                      "steady_s": steady_s}))
    return 0


def main(argv):
    if len(argv) == 10 and argv[1] == "attack":
        return cmd_attack(argv[2:])
    if len(argv) == 10 and argv[1] == "slowread":
        return cmd_slowread(argv[2:])
    if len(argv) == 6 and argv[1] == "parallel":
        return cmd_parallel(*argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
