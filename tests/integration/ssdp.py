#!/usr/bin/python3
"""Raw UPnP client for the integration tests (standard library only).

  ssdp.py listen IFADDR SECONDS OUTFILE      record SSDP NOTIFYs (JSON lines)
  ssdp.py search ST [--to HOST] [--bind ADDR] [--wait S] [--mx N] [--xp 1]
                                             M-SEARCH; print answers (JSON);
                                             --xp 1: in Windows XP's form
                                             (checklist 6.1, LEG-01)
  ssdp.py flood BIND TO COUNT ST WAIT [MX]    COUNT M-SEARCHes in ~1 s; count answers
  ssdp.py search6 ADDR IFNAME                 M-SEARCH ssdp:all over IPv6
  ssdp.py get URL [S] [--from ADDR]          HTTP GET (timeout S, from ADDR);
                                             print status, headers, body
  ssdp.py gena EVENTURL MYADDR SECONDS OUTFILE
                                             SUBSCRIBE, then record each NOTIFY
                                             as JSON {t, seq, vars}
  ssdp.py racesub BIND PATH SECONDS         M-SEARCH every 10 ms until the first
                                             answer, then at once SUBSCRIBE to
                                             PATH at its LOCATION's host; print
                                             the status (JSON)
  ssdp.py subscribe EVENTURL CALLBACKURL [--from ADDR]
                                             SUBSCRIBE with any CALLBACK
  ssdp.py httplisten ADDR PORT SECONDS       count TCP connections
  ssdp.py soap URL SERVICETYPE ACTION [NAME=VALUE ...] [--raw-body FILE]
              [--from ADDR] [--body]
                                             SOAP call; print JSON
                                             {status, code, description, args}
                                             --from: bind the client socket to
                                             ADDR (a second control point);
                                             --body: add the raw response body
                                             as "raw"

Every network wait is bounded by a timeout.  Exit status: 0 when something
was received, 1 otherwise (search with no answer, HTTP failure), so a shell
test can assert both presence and absence.
"""
import json
import re
import socket
import struct
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

MCAST = "239.255.255.250"
PORT = 1900


def parse_headers(text):
    lines = text.split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs[k.strip().upper()] = v.strip()
    return lines[0], hdrs


def datagrams(s, seconds):
    """Yields (first line, headers, source) of each datagram for `seconds`."""
    end = time.monotonic() + float(seconds)
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            data, src = s.recvfrom(8192)
        except socket.timeout:
            return
        first, h = parse_headers(data.decode("utf-8", "replace"))
        yield first, h, src


def cmd_search6(to, ifname, wait=2.5):
    """An ssdp:all M-SEARCH over IPv6 to `to` on link `ifname`."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.sendto(("M-SEARCH * HTTP/1.1\r\nHOST: [FF02::C]:%d\r\n"
              "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n"
              % PORT).encode(), (to, PORT, 0, socket.if_nametoindex(ifname)))
    got = sum(1 for first, _, _ in datagrams(s, wait)
              if first.startswith("HTTP/1.1 200"))
    print(json.dumps({"answers": got}))
    return 0 if got else 1


def cmd_listen(ifaddr, seconds, outfile):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", PORT))
    mreq = struct.pack("4s4s", socket.inet_aton(MCAST),
                       socket.inet_aton(ifaddr))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    with open(outfile, "w", buffering=1) as out:
        out.write(json.dumps({"ready": True}) + "\n")
        for first, h, src in datagrams(s, seconds):
            if not first.startswith("NOTIFY"):
                continue
            out.write(json.dumps({"t": time.monotonic(), "src": src[0],
                                  "nts": h.get("NTS", ""),
                                  "nt": h.get("NT", ""),
                                  "usn": h.get("USN", ""),
                                  "location": h.get("LOCATION", ""),
                                  "nls": h.get("01-NLS", ""),
                                  "server": h.get("SERVER", "")}) + "\n")
    return 0


def cmd_search(st, to=MCAST, bind="", wait=2.0, mx=1, xp=False):
    if xp:
        msg = ("M-SEARCH * HTTP/1.1\r\nHost:%s:%d\r\nST:%s\r\n"
               "Man:\"ssdp:discover\"\r\nMX:%d\r\n\r\n\r\n"
               % (MCAST, PORT, st, mx)).encode()
    else:
        msg = ("M-SEARCH * HTTP/1.1\r\nHOST: %s:%d\r\n"
               "MAN: \"ssdp:discover\"\r\nMX: %d\r\nST: %s\r\n\r\n"
               % (MCAST, PORT, mx, st)).encode()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    if bind:
        s.bind((bind, 0))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton(bind))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
    s.sendto(msg, (to, PORT))
    sent = time.monotonic()
    got = 0
    for first, h, src in datagrams(s, wait):
        if not first.startswith("HTTP/1.1 200"):
            continue
        got += 1
        print(json.dumps({"src": src[0], "st": h.get("ST", ""),
                          "usn": h.get("USN", ""),
                          "location": h.get("LOCATION", ""),
                          "server": h.get("SERVER", ""),
                          "nls": h.get("01-NLS", ""),
                          "cache": h.get("CACHE-CONTROL", ""),
                          "ext": "EXT" in h, "date": h.get("DATE", ""),
                          "after": round(time.monotonic() - sent, 3)}))
    return 0 if got else 1


def http(method, url, body=None, headers=None, timeout=3.0, source=None):
    u = urllib.parse.urlsplit(url)
    s = socket.create_connection((u.hostname, u.port or 80), timeout=timeout,
                                 source_address=(source, 0) if source
                                 else None)
    req = "%s %s HTTP/1.1\r\nHOST: %s:%d\r\nConnection: close\r\n" % (
        method, u.path or "/", u.hostname, u.port or 80)
    for k, v in (headers or {}).items():
        req += "%s: %s\r\n" % (k, v)
    if body is not None:
        req += "CONTENT-LENGTH: %d\r\n" % len(body)
    req = req.encode() + b"\r\n" + (body or b"")
    s.sendall(req)
    raw = recv_all(s, time.monotonic() + timeout)
    s.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    first, h = parse_headers(head.decode("latin-1"))
    h[":LINE"] = first
    m = re.match(r"HTTP/1\.[01] (\d+)", first)
    status = int(m.group(1)) if m else 0
    if "CHUNKED" in h.get("TRANSFER-ENCODING", "").upper():
        payload = dechunk(payload)
    return status, h, payload


def recv_all(s, end, keep_on_reset=False):
    """What s receives until the peer closes or time.monotonic() passes
    end; keep_on_reset: a reset ends it too (what came before is kept)."""
    chunks = []
    while time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            c = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            if not keep_on_reset:
                raise
            break
        if not c:
            break
        chunks.append(c)
    return b"".join(chunks)


def dechunk(data):
    out = b""
    while data:
        line, _, rest = data.partition(b"\r\n")
        n = int(line.split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out += rest[:n]
        data = rest[n + 2:]
    return out


def cmd_get(url, rest):
    timeout, source = 3.0, None
    i = 0
    while i < len(rest):
        if rest[i] == "--from":
            source = rest[i + 1]
            i += 2
            continue
        timeout = float(rest[i])
        i += 1
    try:
        status, h, body = http("GET", url, timeout=timeout, source=source)
    except OSError as e:
        print(json.dumps({"error": str(e)}))
        return 1
    print(json.dumps({"status": status, "headers": h,
                      "body": body.decode("utf-8", "replace")}))
    return 0 if status else 1


def soap_body(stype, action, args):
    inner = "".join("<%s>%s</%s>" % (k, v, k) for k, v in args)
    return ('<?xml version="1.0"?>\r\n'
            '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"'
            ' s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
            '<s:Body><u:%s xmlns:u="%s">%s</u:%s></s:Body></s:Envelope>\r\n'
            % (action, stype, inner, action)).encode()


def cmd_soap(url, stype, action, rest):
    args, raw, source, show = [], None, None, False
    i = 0
    while i < len(rest):
        if rest[i] == "--raw-body":
            raw = open(rest[i + 1], "rb").read()
            i += 2
            continue
        if rest[i] == "--from":
            source = rest[i + 1]
            i += 2
            continue
        if rest[i] == "--body":
            show = True
            i += 1
            continue
        k, _, v = rest[i].partition("=")
        args.append((k, v))
        i += 1
    body = raw if raw is not None else soap_body(stype, action, args)
    # LEG-07: the quoted charset legacy clients send; every SOAP test
    # that expects 200 sends it.
    hdrs = {"CONTENT-TYPE": 'text/xml; charset="utf-8"',
            "SOAPACTION": '"%s#%s"' % (stype, action)}
    try:
        status, h, payload = http("POST", url, body, hdrs, source=source)
    except OSError as e:
        print(json.dumps({"error": str(e)}))
        return 1
    res = {"status": status, "ext": "EXT" in h, "line": h.get(":LINE", ""),
           "ctype": h.get("CONTENT-TYPE", "")}
    if show:
        res["raw"] = payload.decode("utf-8", "replace")
    try:
        root = ET.fromstring(payload)
    except ET.ParseError:
        res["body"] = payload.decode("utf-8", "replace")
        print(json.dumps(res))
        return 0 if status else 1
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag == "errorCode":
            res["code"] = int(el.text)
        elif tag == "errorDescription":
            res["description"] = el.text
        elif tag == action + "Response":
            res["ns"] = el.tag[1:].split("}")[0] if "}" in el.tag else ""
            res["args"] = [[c.tag.split("}")[-1], c.text or ""] for c in el]
    print(json.dumps(res))
    return 0 if status else 1


def subscribe(url, callback, source=None, timeout=3.0):
    """One GENA SUBSCRIBE; returns (status, headers)."""
    status, h, _ = http("SUBSCRIBE", url, headers={
        "CALLBACK": "<%s>" % callback, "NT": "upnp:event",
        "TIMEOUT": "Second-300"}, source=source, timeout=timeout)
    return status, h


def cmd_gena(url, myaddr, seconds, outfile):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((myaddr, 0))
    srv.listen(16)
    port = srv.getsockname()[1]
    try:
        status, h = subscribe(url, "http://%s:%d/" % (myaddr, port))
    except OSError as e:
        print(json.dumps({"error": str(e)}))
        return 1
    end = time.monotonic() + float(seconds)
    with open(outfile, "w", buffering=1) as out:
        out.write(json.dumps({"subscribed": status, "sid": h.get("SID", "")})
                  + "\n")
        if status != 200:
            return 1
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            srv.settimeout(left)
            try:
                c, _ = srv.accept()
            except socket.timeout:
                break
            out.write(json.dumps(read_notify(c)) + "\n")
    return 0


def read_notify(c):
    c.settimeout(3)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    _, h = parse_headers(head.decode("latin-1"))
    need = int(h.get("CONTENT-LENGTH", "0"))
    while len(body) < need:
        chunk = c.recv(65536)
        if not chunk:
            break
        body += chunk
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    c.close()
    ev = {"t": time.monotonic(), "seq": h.get("SEQ", ""), "vars": {}}
    try:
        for el in ET.fromstring(body).iter():
            parent_tag = el.tag.split("}")[-1]
            if parent_tag == "property":
                for v in el:
                    ev["vars"][v.tag.split("}")[-1]] = v.text or ""
    except ET.ParseError:
        ev["bad"] = body.decode("utf-8", "replace")
    return ev


def cmd_racesub(bind, path, seconds):
    """A control point as fast as can be: searches every 10 ms (while the
    daemon starts) and subscribes the moment an answer arrives."""
    msg = ("M-SEARCH * HTTP/1.1\r\nHOST: %s:%d\r\nMAN: \"ssdp:discover\"\r\n"
           "MX: 1\r\nST: upnp:rootdevice\r\n\r\n" % (MCAST, PORT)).encode()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((bind, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton(bind))
    end = time.monotonic() + float(seconds)
    print(json.dumps({"ready": True}), flush=True)
    while time.monotonic() < end:
        s.sendto(msg, (MCAST, PORT))
        for first, h, _ in datagrams(s, 0.01):
            if first.startswith("HTTP/1.1 200") and "LOCATION" in h:
                u = urllib.parse.urlsplit(h["LOCATION"])
                url = "http://%s:%d%s" % (u.hostname, u.port, path)
                t = time.monotonic()
                try:
                    status, _ = subscribe(url, "http://%s:9/" % bind,
                                          source=bind)
                except OSError as e:
                    print(json.dumps({"error": str(e)}))
                    return 1
                print(json.dumps({"status": status,
                                  "after": round(time.monotonic() - t, 3)}))
                return 0 if status == 200 else 1
    print(json.dumps({"error": "no answer"}))
    return 1


def cmd_subscribe(url, callback, source=None):
    """SUBSCRIBE with an arbitrary CALLBACK URL; prints the status."""
    try:
        status, h = subscribe(url, callback, source)
    except OSError as e:
        print(json.dumps({"error": str(e)}))
        return 1
    print(json.dumps({"status": status, "sid": h.get("SID", "")}))
    return 0 if status else 1


def cmd_httplisten(addr, port, seconds):
    """Counts TCP connections to addr:port for `seconds`; prints them."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, int(port)))
    srv.listen(16)
    end = time.monotonic() + float(seconds)
    n = 0
    print(json.dumps({"listening": True}), flush=True)
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        srv.settimeout(left)
        try:
            c, _ = srv.accept()
        except socket.timeout:
            break
        n += 1
        c.close()
    print(json.dumps({"connections": n}), flush=True)
    return 0


def cmd_flood(bind, to, count, st, wait, mx="1"):
    """Sends `count` M-SEARCHes for `st` in about a second from one socket,
    then counts the answers until `wait` seconds after the last one."""
    msg = ("M-SEARCH * HTTP/1.1\r\nHOST: %s:%d\r\n"
           "MAN: \"ssdp:discover\"\r\nMX: %d\r\nST: %s\r\n\r\n"
           % (MCAST, PORT, int(mx), st)).encode()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((bind, 0))
    n = int(count)
    t0 = time.monotonic()
    for i in range(n):
        s.sendto(msg, (to, PORT))
        # Spread over about one second.
        delay = t0 + (i + 1) / n - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    sent_in = time.monotonic() - t0
    got = sum(1 for first, _, _ in datagrams(s, float(wait))
              if first.startswith("HTTP/1.1 200"))
    print(json.dumps({"sent": n, "seconds": round(sent_in, 3),
                      "answers": got}))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[1], argv[2:]
    if cmd == "listen":
        return cmd_listen(*rest[:3])
    if cmd == "search":
        opts = {"to": MCAST, "bind": "", "wait": 2.0, "mx": 1, "xp": "0"}
        st = rest[0]
        for i in range(1, len(rest), 2):
            opts[rest[i].lstrip("-")] = rest[i + 1]
        return cmd_search(st, opts["to"], opts["bind"], float(opts["wait"]),
                          int(opts["mx"]), opts["xp"] == "1")
    if cmd == "flood":
        return cmd_flood(*rest[:6])
    if cmd == "search6":
        return cmd_search6(rest[0], rest[1])
    if cmd == "get":
        return cmd_get(rest[0], rest[1:])
    if cmd == "racesub":
        return cmd_racesub(*rest[:3])
    if cmd == "subscribe":
        return cmd_subscribe(rest[0], rest[1],
                             rest[3] if len(rest) > 3 and rest[2] == "--from"
                             else None)
    if cmd == "httplisten":
        return cmd_httplisten(*rest[:3])
    if cmd == "gena":
        return cmd_gena(*rest[:4])
    if cmd == "soap":
        return cmd_soap(rest[0], rest[1], rest[2], rest[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
