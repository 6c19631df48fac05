#!/usr/bin/python3
"""Random port-mapping operations from two control points, then a check
that the kernel holds exactly the rules the daemon's table implies.

  consistency.py CONTROL_URL CP1 CP2 WANIF N SEED SAVE_CMD...

Does N random AddPortMapping (new, overwrite, disable, enable) and
DeletePortMapping calls, alternating between the control points CP1 and
CP2 (source addresses on the LAN host), reads the table back with
GetListOfPortMappings from both, runs SAVE_CMD (iptables-legacy-save in the
gateway namespace) and compares the daemon's nat/filter rules with the
rules the table implies (hairpin must be off).  Prints a summary; exit 1 on
any difference.
"""
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ssdp  # noqa: E402

STYPE = "urn:schemas-upnp-org:service:WANIPConnection:2"
NS = "{urn:schemas-upnp-org:gw:WANIPConnection}"
TIMEOUT = 3.0		# seconds for one action's answer


def call(url, src, action, args, stype=STYPE):
    """One SOAP action from src: (HTTP status, UPnP error code or None,
    the response's arguments by name)."""
    body = ssdp.soap_body(stype, action, args)
    status, _, payload = ssdp.http(
        "POST", url, body, {"CONTENT-TYPE": 'text/xml; charset="utf-8"',
                            "SOAPACTION": '"%s#%s"' % (stype, action)},
        source=src, timeout=TIMEOUT)
    root = ET.fromstring(payload)
    code = None
    out = {}
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag == "errorCode":
            code = int(el.text)
        elif tag == action + "Response":
            out = {c.tag.split("}")[-1]: c.text or "" for c in el}
    return status, code, out


def listing(url, src, proto):
    status, code, out = call(url, src, "GetListOfPortMappings", [
        ("NewStartPort", "1"), ("NewEndPort", "65535"),
        ("NewProtocol", proto), ("NewManage", "0"),
        ("NewNumberOfPorts", "0")])
    if code == 730:
        return []
    if status != 200:
        sys.exit("GetListOfPortMappings from %s: %s %s" % (src, status, code))
    rows = []
    for e in ET.fromstring(out["NewPortListing"]).iter(NS + "PortMappingEntry"):
        rows.append({c.tag[len(NS):]: c.text or "" for c in e})
    return rows


def expected_rules(rows, wan):
    """The rule lines (as iptables-legacy-save prints them) a table implies."""
    dnat, fwd, masq = set(), set(), set()
    for r in rows:
        if r["NewEnabled"] != "1":
            continue
        p = r["NewProtocol"].lower()
        src = "-s %s/32 " % r["NewRemoteHost"] if r["NewRemoteHost"] else ""
        ic, ip, ep = r["NewInternalClient"], r["NewInternalPort"], r["NewExternalPort"]
        dnat.add("-A IGD2D-DNAT %s-p %s -m %s --dport %s -j DNAT "
                 "--to-destination %s:%s" % (src, p, p, ep, ic, ip))
        fwd.add("-A IGD2D-FORWARD %s-d %s/32 -i %s -p %s -m %s --dport %s "
                "-j ACCEPT" % (src, ic, wan, p, p, ip))
        masq.add("-A IGD2D-POSTROUTING -s %s/32 -o %s -p %s -m %s --sport %s "
                 "-j MASQUERADE --to-ports %s" % (ic, wan, p, p, ip, ep))
    return dnat | fwd | masq


MAPPING_CHAINS = ("IGD2D-DNAT", "IGD2D-FORWARD", "IGD2D-POSTROUTING")


def mapping_rules(saved):
    """The mapping rule lines of an iptables-legacy-save output, as a list:
    our DNAT, FORWARD and POSTROUTING chains without the hairpin rules,
    which serve every mapping (src/fw.h)."""
    return [l for l in saved.splitlines()
            if l.startswith("-A IGD2D-") and l.split()[1] in MAPPING_CHAINS
            and "--ctstate DNAT" not in l]


def main(argv):
    url, cps, wan, n, seed, save = (argv[1], argv[2:4], argv[4], int(argv[5]),
                                    int(argv[6]), argv[7:])
    rnd = random.Random(seed)
    ports = list(range(30000, 30016))
    codes = {}
    for i in range(n):
        cp = cps[i % 2]
        proto = rnd.choice(["TCP", "UDP"])
        ext = rnd.choice(ports)
        if rnd.random() < 0.3:
            args = [("NewRemoteHost", ""), ("NewExternalPort", str(ext)),
                    ("NewProtocol", proto)]
            _, code, _ = call(url, cp, "DeletePortMapping", args)
            key = "delete %s" % (code or 200)
        else:
            remote = "203.0.113.2" if rnd.random() < 0.2 else ""
            args = [("NewRemoteHost", remote), ("NewExternalPort", str(ext)),
                    ("NewProtocol", proto),
                    ("NewInternalPort", str(rnd.choice([5000, 5001, 5002]))),
                    ("NewInternalClient", cp),
                    ("NewEnabled", rnd.choice(["1", "1", "0"])),
                    ("NewPortMappingDescription", "c%d" % i),
                    ("NewLeaseDuration", "600")]
            _, code, _ = call(url, cp, "AddPortMapping", args)
            key = "add %s" % (code or 200)
        codes[key] = codes.get(key, 0) + 1
    rows = [r for cp in cps for p in ("TCP", "UDP") for r in listing(url, cp, p)]
    want = expected_rules(rows, wan)
    saved = subprocess.run(save, check=True, capture_output=True, text=True).stdout
    listed = mapping_rules(saved)
    have = set(listed)
    dup = len(listed) - len(have)
    print("consistency: %d operations %s; %d mappings (%d enabled), "
          "%d rules expected, %d in the kernel"
          % (n, dict(sorted(codes.items())), len(rows),
             sum(r["NewEnabled"] == "1" for r in rows), len(want), len(have)))
    if want != have or dup:
        for l in sorted(want - have):
            print("missing: " + l)
        for l in sorted(have - want):
            print("extra:   " + l)
        if dup:
            print("duplicate rules: %d" % dup)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
