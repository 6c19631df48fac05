#!/usr/bin/python3
"""Helpers of bench/run.sh (standard library only).

  helper.py leasepoll FIRSTPORT COUNT OUTFILE [--interval S] [--timeout S]
      Run inside the gateway namespace.  Polls `iptables-legacy-save -t nat`
      every S seconds (default 0.05) and records, per TCP port of
      FIRSTPORT..FIRSTPORT+COUNT-1, when its DNAT rules were first seen and
      when they were first seen gone (the end of the first poll without
      them: an upper bound, within one poll interval plus one save).
      Stops when all were seen and are gone, or at the timeout.

  helper.py lease ADDS.json POLL.json LEASE
      Lateness of each rule removal: gone - (request sent + LEASE).

  helper.py report RAW.jsonl FACTS.json OUT.md OUT.json [FINDINGS.md]
      RESULTS.md (the table of medians and ratios, machine facts, the load
      generator's ceiling, FINDINGS.md, per-run values) and results.json.

  helper.py render RESULTS.json OUT.md [FINDINGS.md]
      RESULTS.md again from a results.json (e.g. after editing FINDINGS.md).
"""
import json
import re
import statistics
import subprocess
import sys
import time


def leasepoll(first, count, out, interval=0.05, timeout=30.0):
    ports = set(range(first, first + count))
    seen, gone = {}, {}
    pat = re.compile(r"--dport (\d+) .*-j DNAT")
    polls = 0
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        t0 = time.monotonic()
        try:
            text = subprocess.run(["iptables-legacy-save", "-t", "nat"],
                                  capture_output=True, text=True,
                                  timeout=5).stdout
        except subprocess.TimeoutExpired:
            continue
        t1 = time.monotonic()
        polls += 1
        present = set()
        for line in text.splitlines():
            m = pat.search(line)
            if m:
                p = int(m.group(1))
                if p in ports:
                    present.add(p)
        for p in present:
            seen.setdefault(p, t1)
        for p in list(seen):
            if p not in present and p not in gone:
                gone[p] = t1
        if len(gone) == len(ports):
            break
        left = interval - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)
    with open(out, "w") as f:
        json.dump({"seen": seen, "gone": gone, "polls": polls,
                   "interval": interval}, f)


def lease(adds_file, poll_file, lease_s):
    adds = json.load(open(adds_file))
    poll = json.load(open(poll_file))
    gone = {int(k): v for k, v in poll["gone"].items()}
    late = []
    missing = 0
    for port, t_send, _t_answer in adds["adds"]:
        if port in gone:
            late.append(gone[port] - (t_send + float(lease_s)))
        else:
            missing += 1
    res = {"mappings": len(adds["adds"]), "removed": len(late),
           "not_removed": missing, "polls": poll["polls"]}
    if late:
        res.update(late_median_s=round(statistics.median(late), 4),
                   late_max_s=round(max(late), 4),
                   late_min_s=round(min(late), 4))
    print(json.dumps(res))


# ---- report -------------------------------------------------------------

# (key, row label, unit, better, target as text, target check on the ratio)
ROWS = [
    ("getip_c1", "1. GetExternalIPAddress, c=1", "req/s", "high",
     ">= 1.0", lambda r: r >= 1.0),
    ("getip_c8", "1. GetExternalIPAddress, c=8", "req/s", "high",
     ">= 1.0", lambda r: r >= 1.0),
    ("pair_c1", "2. AddPortMapping+DeletePortMapping, c=1", "pairs/s",
     "high", ">= 1.0", lambda r: r >= 1.0),
    ("pair_c8", "2. AddPortMapping+DeletePortMapping, c=8", "pairs/s",
     "high", ">= 1.0", lambda r: r >= 1.0),
    ("lat0_p50", "3. AddPortMapping latency, 0 mappings, median", "ms",
     "low", "-", None),
    ("lat0_p99", "3. AddPortMapping latency, 0 mappings, p99", "ms",
     "low", "-", None),
    ("lat100_p50", "3. AddPortMapping latency, 100 mappings, median", "ms",
     "low", "-", None),
    ("lat100_p99", "3. AddPortMapping latency, 100 mappings, p99", "ms",
     "low", "-", None),
    ("lat1000_p50", "3. AddPortMapping latency, 1000 mappings, median",
     "ms", "low", "<= 1.0", lambda r: r <= 1.0),
    ("lat1000_p99", "3. AddPortMapping latency, 1000 mappings, p99", "ms",
     "low", "<= 1.0", lambda r: r <= 1.0),
    ("lat5000_p50", "3. AddPortMapping latency, 5000 mappings, median",
     "ms", "low", "<= 1.0", lambda r: r <= 1.0),
    ("lat5000_p99", "3. AddPortMapping latency, 5000 mappings, p99", "ms",
     "low", "<= 1.0", lambda r: r <= 1.0),
    ("walk1000", "4. GetGenericPortMappingEntry walk, 1000 mappings", "s",
     "low", "<= 1.0", lambda r: r <= 1.0),
    ("list1000", "4. GetListOfPortMappings, 1000 mappings", "ms", "low",
     "<= 1.0", lambda r: r <= 1.0),
    ("rss_idle", "5. VmRSS idle", "kB", "low", "<= 1.5",
     lambda r: r <= 1.5),
    ("hwm_idle", "5. VmHWM idle", "kB", "low", "<= 1.5",
     lambda r: r <= 1.5),
    ("rss_1000", "5. VmRSS with 1000 mappings", "kB", "low", "-", None),
    ("hwm_1000", "5. VmHWM with 1000 mappings", "kB", "low", "-", None),
    ("bytes_per_mapping", "5. Bytes per mapping (VmRSS)", "B", "low",
     "<= 1.0", lambda r: r <= 1.0),
    ("startup", "6. Start to first SSDP answer", "ms", "low", "-", None),
    ("lease_late_p50", "7. Lease expiry lateness, median", "ms", "low",
     "-", None),
    ("lease_late_max", "7. Lease expiry lateness, max", "ms", "low",
     "igd2d <= 1000 ms", None),
]


def fmt(v):
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 1000:
        return "%.0f" % v
    if a >= 100:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3f" % v


def runs_text(v):
    return ", ".join(fmt(x) for x in v)


def report(raw_file, facts_file, out_md, out_json, findings=None):
    vals = {}
    extra = {}
    for line in open(raw_file):
        line = line.strip()
        if not line:
            continue
        m = json.loads(line)
        if m.get("key") is None:
            extra.setdefault(m.get("kind", "other"), []).append(m)
            continue
        if m.get("value") is None:
            continue
        vals.setdefault(m["key"], {}).setdefault(m["daemon"], []).append(
            m["value"])
    facts = json.load(open(facts_file))
    rows = []
    for key, label, unit, better, ttext, check in ROWS:
        a = vals.get(key, {}).get("igd2d", [])
        b = vals.get(key, {}).get("miniupnpd", [])
        ma = statistics.median(a) if a else None
        mb = statistics.median(b) if b else None
        ratio = (ma / mb) if (ma is not None and mb) else None
        if key.startswith("lease_") and (ma is None or mb is None or
                                         ma <= 0 or mb <= 0):
            ratio = None	# early removal (negative) has no ratio
        met = None
        if key == "lease_late_max":
            met = ma is not None and ma <= 1000.0
        elif check is not None and ratio is not None:
            met = bool(check(ratio))
        rows.append({"key": key, "row": label, "unit": unit,
                     "better": better, "igd2d_median": ma,
                     "miniupnpd_median": mb, "ratio": ratio,
                     "target": ttext, "met": met,
                     "igd2d_runs": a, "miniupnpd_runs": b})
    doc = {"facts": facts, "rows": rows, "extra": extra}
    with open(out_json, "w") as fh:
        json.dump(doc, fh, indent=1, sort_keys=True)
    print(render(doc, out_md, findings))


def render(doc, out_md, findings=None):
    facts, rows, extra = doc["facts"], doc["rows"], doc["extra"]
    md = []
    md.append("| Row | Unit | igd2d median | miniupnpd median | "
              "igd2d/miniupnpd | Target | Met? |")
    md.append("|---|---|---:|---:|---:|---|---|")
    for r in rows:
        md.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["row"], r["unit"], fmt(r["igd2d_median"]),
            fmt(r["miniupnpd_median"]),
            "%.3f" % r["ratio"] if r["ratio"] is not None else "n/a",
            r["target"],
            "-" if r["met"] is None else ("yes" if r["met"] else "**no**")))
    table = "\n".join(md)
    ceil = {e["run"]: e["data"] for e in extra.get("ceiling", [])}
    best = {}
    for r in rows:
        if r["key"] in ("getip_c1", "getip_c8", "pair_c1", "pair_c8"):
            for d in ("igd2d", "miniupnpd"):
                if r[d + "_runs"]:
                    best[(r["key"], d)] = max(r[d + "_runs"])
    ceiling_lines = []
    for c in (1, 8):
        if c in ceil:
            rate = ceil[c]["rate"]
            parts = []
            for key, what in (("getip_c%d" % c, "GetExternalIPAddress"),
                              ("pair_c%d" % c, "AddPortMapping+Delete "
                               "(2 requests per pair)")):
                for d in ("igd2d", "miniupnpd"):
                    if (key, d) in best:
                        per = best[(key, d)] * (2 if key.startswith("pair")
                                                else 1)
                        parts.append("%.1fx %s's best %s run" % (
                            rate / per, d, what))
            ceiling_lines.append(
                "- c=%d: %.0f req/s (client CPU %.1f us per request, "
                "kernel included); %s." % (
                    c, rate, ceil[c]["client_cpu_us_per_op"],
                    "; ".join(parts)))
    fill_lines = []
    for e in extra.get("fill", []):
        fill_lines.append("- %s, to %s mappings: %d adds in %.1f s "
                          "(%.1f adds/s)" % (e["daemon"], e["run"],
                                             e["data"]["ok"],
                                             e["data"]["seconds"],
                                             e["data"]["rate"]))
    detail = ["| Row | igd2d runs | miniupnpd runs |", "|---|---|---|"]
    for r in rows:
        detail.append("| %s | %s | %s |" % (
            r["row"], runs_text(r["igd2d_runs"]),
            runs_text(r["miniupnpd_runs"])))
    met = [r for r in rows if r["met"] is True]
    missed = [r for r in rows if r["met"] is False]
    f = facts
    out = []
    out.append("# igd2d vs miniupnpd: benchmark results (issue 7)\n")
    out.append("Generated by `bench/run.sh` (`make bench`) on %s; the whole "
               "run took %d s. Every cell is the median over %d runs per "
               "daemon; the daemons were interleaved run by run "
               "(igd2d, miniupnpd, igd2d, ...). Ratio = igd2d / miniupnpd: "
               "for req/s and pairs/s higher is better for igd2d, for "
               "times and memory lower is.\n" % (f["date"], f["total_s"],
                                                   f["runs"]))
    out.append(table + "\n")
    out.append("Targets met: %d (%s).  \nTargets missed: %d (%s).\n" % (
        len(met), "; ".join(r["row"] for r in met) or "none",
        len(missed), "; ".join(r["row"] for r in missed) or "none"))
    out.append("## Machine\n")
    out.append("- CPU: %s, %d cores; kernel %s; Debian %s" % (
        f["cpu"], f["cores"], f["kernel"], f["debian"]))
    out.append("- libupnp %s; miniupnpd-iptables %s; %s (commit %s)" % (
        f["libupnp"], f["miniupnpd"], f["igd2d"], f["igd2d_commit"]))
    out.append("- date %s; load average (1, 5, 15 min) at the start / at "
               "the end: %s (other work on the machine shares the cores; "
               "interleaving spreads it over both daemons)" % (
                   f["date"], f.get("load_average", "?")))
    out.append("- %d runs per daemon and row; %.0f s per throughput run; "
               "%d AddPortMapping samples per latency run\n" % (
                   f["runs"], f["throughput_run_s"],
                   f["latency_samples_per_run"]))
    out.append("## Load generator ceiling\n")
    out.append("`bench/loadgen` (C, pthreads, one TCP connection per "
               "request, `Connection: close`, fixed payloads) against a "
               "trivial responder (`loadgen serve`: a fixed 200 SOAP "
               "answer; 1 thread for c=1, 2 for c=8) in the gateway of a lab like the "
               "others, same run:\n")
    out.extend(ceiling_lines)
    ratios = {"getip": [], "pair": []}
    for c in (1, 8):
        if c not in ceil:
            continue
        for kind in ratios:
            for d in ("igd2d", "miniupnpd"):
                key = "%s_c%d" % (kind, c)
                if (key, d) in best:
                    per = best[(key, d)] * (2 if kind == "pair" else 1)
                    ratios[kind].append(ceil[c]["rate"] / per)
    if ratios["getip"] and ratios["pair"]:
        gmin, pmin = min(ratios["getip"]), min(ratios["pair"])
        # The machine caps the faster daemon more: its row-1 numbers are
        # lower bounds, and the ratio errs in the slower one's favour.
        fast = ("igd2d" if best.get(("getip_c1", "igd2d"), 0) >
                best.get(("getip_c1", "miniupnpd"), 0) else "miniupnpd")
        slow = "miniupnpd" if fast == "igd2d" else "igd2d"
        out.append("")
        out.append(
            "Verdict: the client drives at least %.0fx the request rate of "
            "either daemon on the port-mapping rows (2, 3, 4, 7), so those "
            "measure the daemons. On GetExternalIPAddress it %s "
            "(lowest: %.1fx): %s" % (
                pmin, "reaches at least 5x" if gmin >= 5 else
                "does **not** reach 5x",
                gmin, "row 1 measures the daemons." if gmin >= 5 else
                "one TCP connection per request costs the kernel more "
                "than miniupnpd's whole answer, and client, kernel and "
                "daemon share the 2 cores, so row 1 is bounded by the "
                "machine near the faster daemon's rate; %s's row-1 "
                "numbers are lower bounds and the igd2d/miniupnpd ratio "
                "shown for row 1 is %s bound (%s's best c=1 run is the "
                "lower one)." % (fast, "a lower" if fast == "igd2d" else
                                 "an upper", slow)))
    out.append("")
    if findings:
        try:
            out.append(open(findings).read())
        except OSError:
            pass
    out.append("## Per-run values\n")
    out.extend(detail)
    out.append("")
    if fill_lines:
        out.append("## Fills (scale phase, both daemons filling at once; "
                   "not a measurement)\n")
        out.extend(fill_lines)
        out.append("")
    with open(out_md, "w") as fh:
        fh.write("\n".join(out) + "\n")
    return table


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "leasepoll":
        args = argv[2:]
        interval, timeout = 0.05, 30.0
        if "--interval" in args:
            i = args.index("--interval")
            interval = float(args[i + 1])
            del args[i:i + 2]
        if "--timeout" in args:
            i = args.index("--timeout")
            timeout = float(args[i + 1])
            del args[i:i + 2]
        leasepoll(int(args[0]), int(args[1]), args[2], interval, timeout)
    elif cmd == "lease":
        lease(argv[2], argv[3], argv[4])
    elif cmd == "report":
        report(argv[2], argv[3], argv[4], argv[5],
               argv[6] if len(argv) > 6 else None)
    elif cmd == "render":
        print(render(json.load(open(argv[2])), argv[3],
                     argv[4] if len(argv) > 4 else None))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
