#!/usr/bin/python3
"""Bad input over the wire for test_badinput.sh (standard library only).

  badinput.py check HOST PORT NAME...   send each named case once, compare
                                        the answer with its expected HTTP
                                        status and UPnP code, then check
                                        that a GetExternalIPAddress on a new
                                        connection still succeeds; one line
                                        per case; exit 1 if any differs
  badinput.py repeat HOST PORT N NAME...
                                        send each case N times (no checks
                                        but "some answer or a close")
  badinput.py probe HOST PORT FROM STOPFILE OUT
                                        GetExternalIPAddress from address
                                        FROM, one connection each, every
                                        0.1 s until STOPFILE exists (at most
                                        600 s); writes a JSON summary to OUT
  badinput.py list                      every case with what it expects

Requests reuse ssdp.py's SOAP body builder.  A case sends raw bytes, then
(unless noted) shuts down its sending side, so that the daemon sees the end
of a truncated request at once instead of waiting for its own timeout
(idle connections are the thread-pool starvation tests' subject).  Every
network wait is bounded.
"""
import json
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ssdp  # noqa: E402

IP2 = "urn:schemas-upnp-org:service:WANIPConnection:2"
CMN = "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1"
CTL, CMN_CTL = "/ctl/IPConn", "/ctl/CmnIfCfg"
DESC, EVT = "/rootDesc2.xml", "/evt/IPConn"
MB = 1024 * 1024


def post(path, body, stype=IP2, action=None, headers=None, length=True):
    """A SOAP POST as bytes; action None takes it from the body's first
    element after <s:Body>; headers replace or add (value None drops)."""
    h = {"HOST": "%s:%d" % (HOST, PORT),
         "CONTENT-TYPE": 'text/xml; charset="utf-8"',
         "SOAPACTION": '"%s#%s"' % (stype, action)}
    if length:
        h["CONTENT-LENGTH"] = str(len(body))
    h.update(headers or {})
    return request("POST", path, h, body)


def request(method, path, headers, body=b""):
    head = "%s %s HTTP/1.1\r\n" % (method, path)
    for k, v in headers.items():
        if v is not None:
            head += "%s: %s\r\n" % (k.split("#")[0], v)
    return head.encode("latin-1") + b"\r\n" + body


def action(name, args=(), stype=IP2):
    return ssdp.soap_body(stype, name, list(args))


def add_args(**over):
    a = dict(NewRemoteHost="", NewExternalPort="31000", NewProtocol="TCP",
             NewInternalPort="8080", NewInternalClient="192.168.77.10",
             NewEnabled="1", NewPortMappingDescription="badinput",
             NewLeaseDuration="600")
    a.update(over)
    return list(a.items())


def many_headers(n):
    return {"X-Pad-%d" % i: "v" for i in range(n)}


def get(path, extra=None):
    h = {"HOST": "%s:%d" % (HOST, PORT)}
    h.update(extra or {})
    return request("GET", path, h)


def subscribe(extra=None):
    h = {"HOST": "%s:%d" % (HOST, PORT),
         "CALLBACK": "<http://192.168.77.10:9/>", "NT": "upnp:event",
         "TIMEOUT": "Second-60"}
    h.update(extra or {})
    return request("SUBSCRIBE", EVT, h)


GETIP = action("GetExternalIPAddress")
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\r\n<!DOCTYPE s:Envelope [\r\n'
    b'<!ENTITY a "aaaaaaaaaa">\r\n' +
    b"".join(b'<!ENTITY %c "%s">\r\n' % (c, (b"&%c;" % (c - 1)) * 10)
             for c in range(ord("b"), ord("j") + 1)) +
    b"]>" + GETIP.split(b"?>", 1)[1].replace(
        b"</u:GetExternalIPAddress>", b"&j;</u:GetExternalIPAddress>"))
XXE = (b'<?xml version="1.0"?>\r\n<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM '
       b'"file:///etc/passwd">]>' + GETIP.split(b"?>", 1)[1].replace(
           b"</u:GetExternalIPAddress>", b"&x;</u:GetExternalIPAddress>"))
# 1100 levels of elements in one argument, within the 8 KiB body limit:
# ixml recurses per level (CVE-2021-28302 is about far deeper documents).
DEEP = action("GetGenericPortMappingEntry",
              [("NewPortMappingIndex", "<a>" * 1100 + "</a>" * 1100)])


def cases():
    """name -> (request bytes, expected status, expected UPnP code or None,
    options).  Options: "close" closes the socket without reading (no
    answer can be seen), "keep" sends without shutting down, "continue"
    sends the head and waits for an answer (see exchange)."""
    ok = post(CTL, GETIP, action="GetExternalIPAddress")
    cl = len(GETIP)
    c = {}

    def add(name, data, status, code=None, opt=""):
        c[name] = (data, status, code, opt)

    # Truncated: the daemon sees the end of the stream mid-request.
    add("ctl-cut-request-line", ok[:12], 400)
    add("ctl-cut-headers", ok[:ok.index(b"SOAPACTION") + 20], 400)
    add("ctl-cut-body", ok[:-40], 400)
    add("ctl-content-length-larger", post(
        CTL, GETIP, action="GetExternalIPAddress",
        headers={"CONTENT-LENGTH": str(cl + 100)}), 400)
    add("ctl-cut-body-reset", ok[:-40], None, None, "close")
    add("desc-cut-request-line", get(DESC)[:9], 400)
    add("desc-cut-headers", get(DESC)[:-3], 400)
    add("evt-cut-headers", subscribe()[:-6], 400)
    # Oversized.
    add("ctl-header-100k", post(CTL, GETIP, action="GetExternalIPAddress",
                                headers={"X-Big": "a" * 100000}), 400)
    add("ctl-headers-10000", post(CTL, GETIP, action="GetExternalIPAddress",
                                  headers=many_headers(10000)), 400)
    add("desc-header-100k", get(DESC, {"X-Big": "a" * 100000}), 400)
    add("desc-headers-10000", get(DESC, many_headers(10000)), 400)
    add("evt-header-100k", subscribe({"CALLBACK": "<http://192.168.77.10:9/"
                                      + "a" * 100000 + ">"}), 400)
    add("evt-headers-10000", subscribe(many_headers(10000)), 400)
    # Over max_soap_body, 413, from the Content-Length alone.
    add("ctl-body-10m", post(CTL, b"<" * (10 * MB),
                             action="GetExternalIPAddress"), 413)
    add("ctl-body-over-limit", post(CTL, GETIP + b" " * 8192,
                                    action="GetExternalIPAddress"), 413)
    add("ctl-chunked-10m", post(
        CTL, b"%x\r\n%s\r\n0\r\n\r\n" % (10 * MB, b" " * (10 * MB)),
        action="GetExternalIPAddress", length=False,
        headers={"TRANSFER-ENCODING": "chunked"}), 400)
    add("ctl-content-length-huge", post(
        CTL, GETIP, action="GetExternalIPAddress",
        headers={"CONTENT-LENGTH": "99999999999999999999"}), 400)
    add("ctl-content-length-negative", post(
        CTL, GETIP, action="GetExternalIPAddress",
        headers={"CONTENT-LENGTH": "-1"}), 400)
    add("ctl-no-content-length", post(
        CTL, GETIP, action="GetExternalIPAddress", length=False), 411)
    # XML the parser refuses before the daemon sees it.
    bad = dict(add_args(NewPortMappingDescription="DESC"))
    utf8 = action("AddPortMapping", bad.items()).replace(
        b">DESC<", b">\xff\xfe\xc3(\xed\xa0\x80<")
    add("xml-invalid-utf8", post(CTL, utf8, action="AddPortMapping"), 400)
    add("xml-undefined-entity", post(CTL, GETIP.replace(
        b"</u:Get", b"&nosuch;</u:Get"), action="GetExternalIPAddress"),
        400)
    add("xml-billion-laughs", post(CTL, BILLION_LAUGHS,
                                   action="GetExternalIPAddress"), 400)
    add("xml-external-entity", post(CTL, XXE,
                                    action="GetExternalIPAddress"), 400)
    # FUZZING.md finding 1: libixml 1.8.4 leaks the text node it makes
    # for text after the root element.
    add("xml-trailing-text", post(CTL, GETIP.rstrip() + b"x" * 7000,
                                  action="GetExternalIPAddress"), 400)
    add("xml-trailing-cdata", post(CTL, GETIP + b"<![CDATA[x]]>",
                                   action="GetExternalIPAddress"), 400)
    # What must still work around those checks.
    add("ok-trailing-space", post(CTL, GETIP + b" \r\n\t" * 100,
                                  action="GetExternalIPAddress"), 200)
    add("ok-trailing-comment-pi", post(
        CTL, GETIP + b"<!-- x > y --><?pi a>b?>",
        action="GetExternalIPAddress"), 200)
    add("ok-gt-in-attribute", post(CTL, GETIP.replace(
        b"<u:GetExternalIPAddress ", b"<u:GetExternalIPAddress a='x>y' "),
        action="GetExternalIPAddress"), 200)
    add("ok-header-12k", post(CTL, GETIP, action="GetExternalIPAddress",
                              headers={"X-Big": "a" * 12000}), 200)
    add("xml-not-xml", post(CTL, b"hello", action="GetExternalIPAddress"),
        400)
    add("xml-empty-body", post(CTL, b"", action="GetExternalIPAddress"),
        400)
    add("xml-no-envelope", post(CTL, GETIP[GETIP.index(b"<u:"):
                                           GETIP.index(b"</s:Body>")],
                                action="GetExternalIPAddress"), 400)
    add("xml-no-body-element", post(CTL, GETIP.replace(b"<s:Body>", b"")
                                    .replace(b"</s:Body>", b""),
                                    action="GetExternalIPAddress"), 400)
    add("xml-deep-nesting", post(CTL, DEEP,
                                 action="GetGenericPortMappingEntry"),
        500, 402)
    # HTTP headers of a SOAP request.
    add("soapaction-disagrees", post(CTL, GETIP, action="GetStatusInfo"), 400)
    add("soapaction-missing", post(CTL, GETIP, headers={"SOAPACTION": None}),
        400)
    add("content-type-wrong", post(CTL, GETIP, action="GetExternalIPAddress",
                                   headers={"CONTENT-TYPE":
                                            "application/json"}), 415)
    add("content-type-missing", post(CTL, GETIP,
                                     action="GetExternalIPAddress",
                                     headers={"CONTENT-TYPE": None}), 415)
    # SEC-04: nothing but the documents and the control and event URLs is
    # served (libupnp's file-serving web root, CVE-2016-6255, is off).
    add("path-traversal", get("/../../etc/passwd"), 404)
    add("path-not-a-doc", get("/etc/passwd"), 404)
    add("post-not-ctl", post("/upload/x", GETIP,
                             action="GetExternalIPAddress"), 404)
    # LEG-08: the M-POST fallback (MAN and the 01- prefixed SOAPACTION).
    ip1 = IP2[:-1] + "1"
    g1 = action("GetExternalIPAddress", stype=ip1)
    add("ok-mpost", request("M-POST", CTL, {
        "HOST": "%s:%d" % (HOST, PORT),
        "CONTENT-TYPE": 'text/xml; charset="utf-8"',
        "MAN": '"http://schemas.xmlsoap.org/soap/envelope/"; ns=01',
        "01-SOAPACTION": '"%s#GetExternalIPAddress"' % ip1,
        "CONTENT-LENGTH": str(len(g1))}, g1), 200)
    # LEG-15: a client that asks for keep-alive gets its answer and the
    # close, without closing its own side first.
    add("ok-keep-alive", post(CTL, GETIP, action="GetExternalIPAddress",
                              headers={"CONNECTION": "Keep-Alive"}),
        200, None, "keep")
    # A browser's CORS preflight is not honoured (SEC-02); no answer here
    # ever carries an Access-Control header (exchange checks).
    add("options-preflight", request("OPTIONS", CTL, {
        "HOST": "%s:%d" % (HOST, PORT), "ORIGIN": "http://evil.example",
        "ACCESS-CONTROL-REQUEST-METHOD": "POST",
        "ACCESS-CONTROL-REQUEST-HEADERS": "soapaction,content-type"}), 501)
    # UPnP errors from the daemon (WIC-107, VC-29).
    add("action-unknown", post(CTL, action("Frobnicate"),
                               action="Frobnicate"), 500, 401)
    add("action-common-on-ipconn", post(
        CTL, action("GetTotalBytesSent"), action="GetTotalBytesSent"),
        500, 401)
    add("action-ipconn-on-common", post(
        CMN_CTL, action("GetExternalIPAddress", stype=CMN), stype=CMN,
        action="GetExternalIPAddress"), 500, 401)
    add("service-type-not-of-url", post(
        CTL, action("GetTotalBytesSent", stype=CMN), stype=CMN,
        action="GetTotalBytesSent"), 400)
    add("args-duplicated", post(CTL, action("AddPortMapping", add_args() + [
        ("NewExternalPort", "31001")]), action="AddPortMapping"), 500, 402)
    add("args-unknown", post(CTL, action("AddPortMapping", add_args() + [
        ("NewFoo", "1")]), action="AddPortMapping"), 500, 402)
    add("args-on-no-arg-action", post(CTL, action(
        "GetExternalIPAddress", [("NewFoo", "1")]),
        action="GetExternalIPAddress"), 500, 402)
    # ui2/ui4 literals (WIC-039, VC-27).
    for tag, v in (("65536", "65536"), ("minus1", "-1"), ("1e3", "1e3"),
                   ("0x10", "0x10"), ("space80", " 80"), ("plus80", "+80"),
                   ("empty", ""), ("80dot0", "80.0"), ("huge", "9" * 40)):
        add("ui2-port-" + tag, post(CTL, action(
            "AddPortMapping", add_args(NewExternalPort=v)),
            action="AddPortMapping"), 500, 402)
    for tag, v in (("2pow32", "4294967296"), ("minus1", "-1"),
                   ("1e3", "1e3"), ("0x10", "0x10"), ("space60", " 60"),
                   ("plus60", "+60"), ("empty", "")):
        add("ui4-lease-" + tag, post(CTL, action(
            "AddPortMapping", add_args(NewLeaseDuration=v)),
            action="AddPortMapping"), 500, 402)
    for tag, v in (("65536", "65536"), ("minus1", "-1"), ("0x10", "0x10")):
        add("ui2-index-" + tag, post(CTL, action(
            "GetGenericPortMappingEntry", [("NewPortMappingIndex", v)]),
            action="GetGenericPortMappingEntry"), 500, 402)
    # Host: anything but our address (with our port or none) is refused
    # before anything else is read (DNS rebinding); no Host is served.
    evil = {"HOST": "evil.example:%d" % PORT}
    add("host-name-desc", get(DESC, evil), 403)
    add("host-name-ctl", post(CTL, GETIP, action="GetExternalIPAddress",
                              headers=evil), 403)
    add("host-name-add", post(CTL, action("AddPortMapping", add_args(
        NewExternalPort="31002")), action="AddPortMapping",
        headers=evil), 403)
    add("host-name-evt", subscribe(evil), 403)
    add("host-rebound", get(DESC, {"HOST": "%s.nip.io:%d" % (HOST, PORT)}),
        403)
    add("host-other-port", get(DESC, {"HOST": "%s:%d" % (HOST, PORT + 1)}),
        403)
    add("host-ipv6", get(DESC, {"HOST": "[fe80::1]:%d" % PORT}), 403)
    add("host-no-port", get(DESC, {"HOST": HOST}), 200)
    add("host-absent", get(DESC, {"HOST": None}), 200)
    add("host-name-add-left-nothing", post(CTL, action(
        "GetSpecificPortMappingEntry", [("NewRemoteHost", ""),
                                        ("NewExternalPort", "31002"),
                                        ("NewProtocol", "TCP")]),
        action="GetSpecificPortMappingEntry"), 500, 714)
    # Expect: 100-continue (RFC 9110 10.1.1): the head alone gets "100
    # Continue", then the body its answer; a body too large gets 413 at
    # once instead, and HTTP/1.0 never gets a 100.
    cont = {"EXPECT": "100-continue"}
    add("expect-continue", post(CTL, GETIP, action="GetExternalIPAddress",
                                headers=cont), 200, None, "continue")
    add("expect-continue-413", post(CTL, b"<" * (10 * MB),
                                    action="GetExternalIPAddress",
                                    headers=cont), 413, None, "continue")
    add("expect-continue-http10", post(
        CTL, GETIP, action="GetExternalIPAddress",
        headers=cont).replace(b" HTTP/1.1\r\n", b" HTTP/1.0\r\n", 1),
        "no 100", None, "continue")
    return c


def exchange(data, opt="", timeout=10.0):
    """Sends data; returns (status or None, UPnP code or None, seconds).
    status None: the daemon closed without an answer (or "close");
    "CORS header": the answer had an Access-Control header.
    opt "continue": the head first; a "100 Continue" within 1 s gets the
    body sent, any other answer is the final one, none is "no 100"."""
    t0 = time.monotonic()
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    if opt == "continue":
        head, _, body = data.partition(b"\r\n\r\n")
        s.sendall(head + b"\r\n\r\n")
        first = b""
        while b"\r\n\r\n" not in first and time.monotonic() < t0 + 1:
            s.settimeout(max(0.05, t0 + 1 - time.monotonic()))
            try:
                c = s.recv(4096)
            except socket.timeout:
                break
            if not c:
                break
            first += c
        if not first:
            s.close()
            return "no 100", None, time.monotonic() - t0
        if first.startswith(b"HTTP/1.1 100 "):
            data = body
            first = first.partition(b"\r\n\r\n")[2]
        else:
            data = b""
    else:
        first = b""
    try:
        s.sendall(data)
        if opt == "close":
            s.close()
            return None, None, time.monotonic() - t0
        if opt != "keep":
            s.shutdown(socket.SHUT_WR)
    except OSError:
        pass		# the daemon may answer 413 and close mid-body
    # A reset may follow an early answer (the rest of the request was
    # never read): keep what came.
    raw = first + ssdp.recv_all(s, t0 + timeout, keep_on_reset=True)
    s.close()
    if re.search(rb"(?im)^access-control-", raw):
        return "CORS header", None, time.monotonic() - t0
    m = re.match(rb"HTTP/\d\.\d (\d{3})", raw)
    code = re.search(rb"<errorCode>(\d+)</errorCode>", raw)
    return (int(m.group(1)) if m else None,
            int(code.group(1)) if code else None, time.monotonic() - t0)


def get_external_ip(source=None):
    """One GetExternalIPAddress; (ok, seconds)."""
    t0 = time.monotonic()
    try:
        status, _, body = ssdp.http(
            "POST", "http://%s:%d%s" % (HOST, PORT, CTL), GETIP,
            {"CONTENT-TYPE": 'text/xml; charset="utf-8"',
             "SOAPACTION": '"%s#GetExternalIPAddress"' % IP2},
            timeout=5.0, source=source)
    except OSError:
        return False, time.monotonic() - t0
    ok = status == 200 and b"<NewExternalIPAddress>203.0.113.1<" in body
    return ok, time.monotonic() - t0


def cmd_check(names):
    table, failed = cases(), 0
    for name in names:
        data, want, want_code, opt = table[name]
        status, code, secs = exchange(data, opt)
        alive, _ = get_external_ip()
        good = status == want and code == want_code and alive
        failed += not good
        print("%s %s: HTTP %s UPnP %s in %.3f s%s%s" % (
            "ok" if good else "FAIL", name, status, code, secs,
            "" if good else " (want HTTP %s UPnP %s)" % (want, want_code),
            "" if alive else "; GetExternalIPAddress after it failed"))
    return 1 if failed else 0


def cmd_repeat(n, names):
    table = cases()
    t0 = time.monotonic()
    for _ in range(int(n)):
        for name in names:
            data, _, _, opt = table[name]
            exchange(data, opt)
    print("repeat: %d x %d cases in %.1f s" % (int(n), len(names),
                                               time.monotonic() - t0))
    return 0


def cmd_probe(source, stopfile, out):
    n, bad, worst = 0, 0, 0.0
    end = time.monotonic() + 600
    while not os.path.exists(stopfile) and time.monotonic() < end:
        ok, secs = get_external_ip(source)
        n += 1
        bad += not ok
        worst = max(worst, secs)
        time.sleep(0.1)
    with open(out, "w") as f:
        json.dump({"probes": n, "failed": bad, "max_seconds":
                   round(worst, 3)}, f)
    return 0


def main(argv):
    global HOST, PORT
    if len(argv) >= 2 and argv[1] == "list":
        HOST, PORT = "192.168.77.1", 0
        for name, (_, st, code, opt) in cases().items():
            print(name, st, code, opt)
        return 0
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, HOST, PORT, rest = argv[1], argv[2], int(argv[3]), argv[4:]
    if cmd == "check":
        return cmd_check(rest)
    if cmd == "repeat":
        return cmd_repeat(rest[0], rest[1:])
    if cmd == "probe":
        return cmd_probe(*rest[:3])
    print(__doc__, file=sys.stderr)
    return 2


HOST, PORT = "", 0
if __name__ == "__main__":
    sys.exit(main(sys.argv))
