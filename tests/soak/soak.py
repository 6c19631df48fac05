#!/usr/bin/python3
"""Load for the soak and the valgrind run (standard library only).

  soak.py soak CTL EVT CP1 CP2 WANIF PID SECONDS SEED OUT SAVE_CMD...
      8 client threads (4 from each of CP1 and CP2) doing random add,
      any-add, delete, range delete, get and list with short leases for
      SECONDS, a GENA subscriber (renewing), and VmRSS of PID every 2 s.
      Then checks that the table (GetListOfPortMappings from both CPs),
      the kernel rules (SAVE_CMD: iptables-legacy-save in the gateway
      namespace) and PortMappingNumberOfEntries agree, that SystemUpdateID
      rises strictly from event to event and that VmRSS after the first
      minute grew by at most 10 %.  Prints the figures, writes them to OUT
      (JSON); exit 1 if a condition fails.

  soak.py script CTL CMNCTL EVT CMNEVT CP1 CP2 N SEED
      N mixed actions, in a fixed rotation, for the valgrind run: every
      port-mapping action, the status actions of both services, some
      malformed arguments, short leases that expire meanwhile; GENA
      subscribe, receive, renew and unsubscribe.  Exit 1 if the daemon
      stops answering or an event is missing.

The daemon must run with hairpin off (consistency.expected_rules).  Every
wait is bounded; traffic goes to the gateway's LAN address only.
"""
import json
import os
import random
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import consistency  # noqa: E402
import ssdp  # noqa: E402

CST = "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1"
POOL = range(40000, 40200)	# short leases: conflicts, overwrites
LONG_POOL = range(41000, 41020)	# the few mappings that outlive the run
LONG_LEASE = 7200


class Tally:
    """Results by action and code, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by = {}

    def add(self, action, code):
        with self.lock:
            k = "%s %s" % (action, code)
            self.by[k] = self.by.get(k, 0) + 1

    def total(self):
        with self.lock:
            return sum(self.by.values())


def call(url, cp, action, args, stype=consistency.STYPE):
    """The result of one action as a short string: "200", a UPnP error
    code, "http NNN" or "io" (no or an unreadable answer)."""
    try:
        status, code, out = consistency.call(url, cp, action, args, stype)
    except (OSError, ET.ParseError):
        return "io", {}
    if code is not None:
        return str(code), out
    return (str(status) if status == 200 else "http %d" % status), out


def mapping_args(rnd, cp, port, lease):
    return [("NewRemoteHost", "203.0.113.2" if rnd.random() < 0.1 else ""),
            ("NewExternalPort", str(port)),
            ("NewProtocol", rnd.choice(["TCP", "UDP"])),
            ("NewInternalPort", str(rnd.choice([5000, 5001, 5002]))),
            ("NewInternalClient", cp),
            ("NewEnabled", rnd.choice(["1", "1", "1", "0"])),
            ("NewPortMappingDescription", "soak %d" % rnd.randrange(1000)),
            ("NewLeaseDuration", str(lease))]


def key_args(rnd, port):
    return [("NewRemoteHost", ""), ("NewExternalPort", str(port)),
            ("NewProtocol", rnd.choice(["TCP", "UDP"]))]


def list_args(rnd, start, end):
    return [("NewStartPort", str(start)), ("NewEndPort", str(end)),
            ("NewProtocol", rnd.choice(["TCP", "UDP"])),
            ("NewManage", "0"), ("NewNumberOfPorts", "0")]


def random_op(rnd, cp):
    """One random port-mapping action: (name, arguments)."""
    r = rnd.random()
    port = rnd.choice(POOL)
    if r < 0.25:
        return "AddPortMapping", mapping_args(rnd, cp, port,
                                              rnd.randint(5, 60))
    if r < 0.30:
        return "AddPortMapping", mapping_args(rnd, cp,
                                              rnd.choice(LONG_POOL),
                                              LONG_LEASE)
    if r < 0.45:
        return "AddAnyPortMapping", mapping_args(rnd, cp, port,
                                                 rnd.randint(5, 60))
    if r < 0.60:
        return "DeletePortMapping", key_args(
            rnd, rnd.choice(LONG_POOL) if r < 0.48 else port)
    if r < 0.65:
        return "DeletePortMappingRange", list_args(rnd, port,
                                                   port + rnd.randint(0, 20))[:4]
    if r < 0.75:
        return "GetGenericPortMappingEntry", [
            ("NewPortMappingIndex", str(rnd.randint(0, 60)))]
    if r < 0.85:
        return "GetSpecificPortMappingEntry", key_args(rnd, port)
    return "GetListOfPortMappings", list_args(rnd, 1, 65535)


class Subscriber:
    """A GENA subscriber on `addr`: records every NOTIFY in arrival order."""

    def __init__(self, url, addr):
        self.url, self.addr = url, addr
        self.srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind((addr, 0))
        self.srv.listen(16)
        self.srv.settimeout(0.5)
        self.events, self.lock = [], threading.Lock()
        self.stop = threading.Event()
        self.sid = ""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                c, _ = self.srv.accept()
            except socket.timeout:
                continue
            try:
                ev = ssdp.read_notify(c)
            except OSError:
                continue
            with self.lock:
                self.events.append(ev)

    def subscribe(self):
        cb = "http://%s:%d/" % (self.addr, self.srv.getsockname()[1])
        status, h = ssdp.subscribe(self.url, cb, self.addr,
                                   consistency.TIMEOUT)
        self.sid = h.get("SID", "")
        return status

    def renew(self):
        status, _, _ = ssdp.http("SUBSCRIBE", self.url, headers={
            "SID": self.sid, "TIMEOUT": "Second-300"}, source=self.addr,
            timeout=consistency.TIMEOUT)
        return status

    def unsubscribe(self):
        status, _, _ = ssdp.http("UNSUBSCRIBE", self.url, headers={
            "SID": self.sid}, source=self.addr, timeout=consistency.TIMEOUT)
        return status

    def snapshot(self):
        with self.lock:
            return list(self.events)

    def last(self, name):
        """The last value of variable `name` received, or None."""
        for ev in reversed(self.snapshot()):
            if name in ev["vars"]:
                return ev["vars"][name]
        return None

    def close(self):
        self.stop.set()
        self.thread.join(2)
        self.srv.close()


def vmrss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def client(url, cp, seed, deadline, tally):
    rnd = random.Random(seed)
    while time.monotonic() < deadline:
        action, args = random_op(rnd, cp)
        code, _ = call(url, cp, action, args)
        tally.add(action, code)


def sample_rss(pid, t0, deadline, samples):
    while time.monotonic() < deadline:
        samples.append((round(time.monotonic() - t0, 1), vmrss_kb(pid)))
        time.sleep(min(2.0, max(0.0, deadline - time.monotonic())))


def table(url, cps):
    rows = []
    for cp in cps:
        for proto in ("TCP", "UDP"):
            rows += consistency.listing(url, cp, proto)
    return rows


def kernel_rules(save):
    out = consistency.subprocess.run(save, check=True, capture_output=True,
                                     text=True).stdout
    return consistency.mapping_rules(out)


def generic_count_ok(url, cps, n):
    """GetGenericPortMappingEntry agrees with n: index n-1 answers (200,
    or 606 for another CP's entry) and index n is 713, for every CP."""
    def code(cp, i):
        return call(url, cp, "GetGenericPortMappingEntry",
                    [("NewPortMappingIndex", str(i))])[0]
    return all((n == 0 or code(cp, n - 1) in ("200", "606")) and
               code(cp, n) == "713" for cp in cps)


def final_check(url, cps, wan, save, sub, limit):
    """Table, kernel and PortMappingNumberOfEntries at a moment when no
    change happened (SystemUpdateID the same before and after the
    snapshot): leases keep expiring after the clients stop."""
    end = time.monotonic() + limit
    tries = 0
    while time.monotonic() < end:
        tries += 1
        time.sleep(1.0)
        before = sub.last("SystemUpdateID")
        rows = table(url, cps)
        have = kernel_rules(save)
        count = sub.last("PortMappingNumberOfEntries")
        generic = generic_count_ok(url, cps, int(count or 0))
        time.sleep(1.0)
        if sub.last("SystemUpdateID") != before:
            continue
        want = consistency.expected_rules(rows, wan)
        return {"tries": tries, "system_update_id": int(before or 0),
                "table_entries": len(rows),
                "enabled": sum(r["NewEnabled"] == "1" for r in rows),
                "number_of_entries_event": int(count or -1),
                "generic_agrees": generic,
                "rules_expected": len(want), "rules_kernel": len(have),
                "rules_missing": sorted(want - set(have)),
                "rules_extra": sorted(set(have) - want),
                "rules_duplicate": len(have) - len(set(have))}
    return {"tries": tries, "stable": False}


def event_order(events):
    """SystemUpdateID values in arrival order, the first that did not rise,
    and SEQ gaps (events libupnp dropped from a full queue)."""
    ids = [int(e["vars"]["SystemUpdateID"]) for e in events
           if "SystemUpdateID" in e["vars"]]
    bad = [(a, b) for a, b in zip(ids, ids[1:]) if b <= a]
    seqs = [int(e["seq"]) for e in events if e["seq"].isdigit()]
    gaps = sum(b - a - 1 for a, b in zip(seqs, seqs[1:]) if b > a + 1)
    return ids, bad, gaps


def rss_figures(samples, seconds):
    """VmRSS in kB: at the first sample after the first minute (half the
    run if shorter), at the end and the maximum since."""
    warm = min(60.0, seconds / 2.0)
    after = [kb for t, kb in samples if t >= warm]
    if not after:
        return {"samples": len(samples)}
    base = after[0]
    return {"samples": len(samples), "first": samples[0][1],
            "at_warm": base, "warm_s": warm, "end": after[-1],
            "max": max(after),
            "growth_pct": round(100.0 * (max(after) - base) / base, 1)}


def cmd_soak(argv):
    url, evt, cp1, cp2, wan = argv[:5]
    pid, seconds, seed, out = int(argv[5]), float(argv[6]), int(argv[7]), argv[8]
    save = argv[9:]
    cps = [cp1, cp2]
    sub = Subscriber(evt, cp1)
    if sub.subscribe() != 200:
        sys.exit("soak: SUBSCRIBE failed")
    tally = Tally()
    t0 = time.monotonic()
    deadline = t0 + seconds
    threads = [threading.Thread(target=client, args=(
        url, cps[i % 2], seed * 100 + i, deadline, tally)) for i in range(8)]
    samples = []
    threads.append(threading.Thread(target=sample_rss,
                                    args=(pid, t0, deadline, samples)))
    for t in threads:
        t.start()
    renewals = {}
    while time.monotonic() < deadline:
        time.sleep(min(100.0, max(0.0, deadline - time.monotonic())))
        if time.monotonic() < deadline:
            k = str(sub.renew())
            renewals[k] = renewals.get(k, 0) + 1
    for t in threads:
        t.join(60)
    ran = time.monotonic() - t0
    result = final_check(url, cps, wan, save, sub, 120)
    events = sub.snapshot()
    sub.close()
    ids, bad, gaps = event_order(events)
    rss = rss_figures(samples, seconds)
    report = {"seconds": round(ran, 1), "actions": tally.total(),
              "results": dict(sorted(tally.by.items())),
              "renewals": renewals, "events": len(events),
              "seq_gaps": gaps, "not_rising_count": len(bad),
              "system_update_id_not_rising": bad[:10],
              "last_system_update_id": ids[-1] if ids else None,
              "final": result, "rss_kb": rss, "rss_samples": samples}
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    return verdict(report)


def verdict(r):
    fin, rss = r["final"], r["rss_kb"]
    print("soak: %d actions in %.0f s from 8 clients (%.0f/s)"
          % (r["actions"], r["seconds"], r["actions"] / r["seconds"]))
    for k, v in r["results"].items():
        print("soak:   %-34s %d" % (k, v))
    print("soak: %d events, %d SEQ gaps, last SystemUpdateID %s, renewals %s"
          % (r["events"], r["seq_gaps"], r["last_system_update_id"],
             r["renewals"]))
    print("soak: final %s" % json.dumps({k: v for k, v in fin.items()
                                         if not k.startswith("rules_m") and
                                         k != "rules_extra"}))
    print("soak: VmRSS kB %s" % json.dumps(rss))
    fails = []
    if not fin.get("table_entries", -1) >= 0 or fin.get("stable") is False:
        fails.append("no quiet moment to compare table and kernel")
    else:
        if fin["number_of_entries_event"] != fin["table_entries"]:
            fails.append("PortMappingNumberOfEntries %d, table %d" % (
                fin["number_of_entries_event"], fin["table_entries"]))
        if not fin["generic_agrees"]:
            fails.append("GetGenericPortMappingEntry disagrees with the count")
        for l in fin["rules_missing"]:
            fails.append("missing rule: " + l)
        for l in fin["rules_extra"]:
            fails.append("extra rule: " + l)
        if fin["rules_duplicate"]:
            fails.append("%d duplicate rules" % fin["rules_duplicate"])
    if r["system_update_id_not_rising"]:
        fails.append("SystemUpdateID not rising %d times, first: %r"
                     % (r["not_rising_count"],
                        r["system_update_id_not_rising"]))
    if r["events"] < 2:
        fails.append("only %d events" % r["events"])
    if "growth_pct" not in rss:
        fails.append("no VmRSS sample after the first minute")
    elif rss["growth_pct"] > 10.0:
        fails.append("VmRSS grew %.1f %% after the first minute"
                     % rss["growth_pct"])
    for f in fails:
        print("soak: FAIL " + f)
    return 1 if fails else 0


# --- the valgrind run's script ------------------------------------------

STATUS_ACTIONS = [
    (None, "GetExternalIPAddress"), (None, "GetStatusInfo"),
    (None, "GetConnectionTypeInfo"), (None, "GetNATRSIPStatus"),
    (CST, "GetCommonLinkProperties"), (CST, "GetTotalBytesReceived"),
    (CST, "GetTotalPacketsSent"), (CST, "GetEnabledForInternet")]

# Malformed or refused requests: the error paths must free what they took.
BAD = [
    ("AddPortMapping", "NewExternalPort", "65536"),
    ("AddPortMapping", "NewLeaseDuration", "-1"),
    ("AddPortMapping", "NewInternalClient", "192.168.77.99"),
    ("AddAnyPortMapping", "NewProtocol", "SCTP"),
    ("AddPortMapping", "NewExternalPort", "80"),
    ("AddPortMapping", "NewPortMappingDescription", "d" * 300),
]


def script_op(i, rnd, cp, ctl, cmnctl):
    """Action i of the rotation: (url, service type, name, arguments)."""
    kind = i % 14
    port = rnd.choice(POOL[:40])
    if kind in (0, 1):
        lease = 3 if kind == 0 else 600	# leases of 3 s expire meanwhile
        return ctl, None, "AddPortMapping", mapping_args(rnd, cp, port, lease)
    if kind == 2:
        return ctl, None, "AddAnyPortMapping", mapping_args(rnd, cp, port, 3)
    if kind == 3:
        return ctl, None, "DeletePortMapping", key_args(rnd, port)
    if kind == 4:
        return ctl, None, "DeletePortMappingRange", list_args(
            rnd, port, port + 10)[:4]
    if kind == 5:
        return ctl, None, "GetGenericPortMappingEntry", [
            ("NewPortMappingIndex", str(rnd.randint(0, 12)))]
    if kind == 6:
        return ctl, None, "GetSpecificPortMappingEntry", key_args(rnd, port)
    if kind == 7:
        return ctl, None, "GetListOfPortMappings", list_args(rnd, 1, 65535)
    if kind in (8, 9, 10):
        stype, name = STATUS_ACTIONS[(i // 14 * 3 + kind - 8)
                                     % len(STATUS_ACTIONS)]
        return (cmnctl if stype else ctl), stype, name, []
    if kind == 11:
        action, arg, value = BAD[(i // 14) % len(BAD)]
        args = dict(mapping_args(rnd, cp, port, 60))
        args[arg] = value
        return ctl, None, action, list(args.items())
    if kind == 12:
        return ctl, None, "NoSuchAction", []
    return ctl, None, "GetListOfPortMappings", list_args(rnd, 40000, 40100)


def cmd_script(argv):
    ctl, cmnctl, evt, cmnevt, cp1, cp2 = argv[:6]
    n, seed = int(argv[6]), int(argv[7])
    rnd = random.Random(seed)
    consistency.TIMEOUT = 30.0	# under valgrind an answer can take seconds
    ip, cmn = Subscriber(evt, cp1), Subscriber(cmnevt, cp2)
    gena = {"subscribe": [ip.subscribe(), cmn.subscribe()]}
    tally = Tally()
    for i in range(n):
        url, stype, action, args = script_op(i, rnd, [cp1, cp2][i % 2],
                                             ctl, cmnctl)
        code, _ = call(url, [cp1, cp2][i % 2], action, args,
                       stype or consistency.STYPE)
        tally.add(action, code)
        if i == n // 2:
            gena["renew"] = [ip.renew(), cmn.renew()]
    time.sleep(5)		# the last 3 s leases expire, events arrive
    gena["unsubscribe"] = cmn.unsubscribe()
    gena["renew_after_unsubscribe"] = cmn.renew()
    events = ip.snapshot()
    ip.close()
    cmn.close()
    ids, bad, gaps = event_order(events)
    print("script: %d actions %s" % (tally.total(),
                                     json.dumps(dict(sorted(tally.by.items())))))
    print("script: GENA %s; %d IPConn events (last SystemUpdateID %s), "
          "%d CmnIfCfg events" % (json.dumps(gena), len(events),
                                  ids[-1] if ids else None,
                                  len(cmn.snapshot())))
    fails = []
    if any(k.endswith(" io") for k in tally.by):
        fails.append("some actions got no answer")
    if gena["subscribe"] != [200, 200] or gena["renew"] != [200, 200] or \
            gena["unsubscribe"] != 200:
        fails.append("GENA: %r" % gena)
    if len(events) < 3 or bad:
        fails.append("IPConn events: %d, not rising: %r" % (len(events), bad))
    for f in fails:
        print("script: FAIL " + f)
    return 1 if fails else 0


def main(argv):
    if len(argv) > 2 and argv[1] == "soak":
        return cmd_soak(argv[2:])
    if len(argv) > 2 and argv[1] == "script":
        return cmd_script(argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
