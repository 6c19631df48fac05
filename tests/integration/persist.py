#!/usr/bin/python3
"""Lease persistence across a crash (issue 6).

  persist.py burst CONTROL_URL CP OUTFILE SECONDS
      Sequential AddPortMapping (new ports from 41000, lease 600) and
      DeletePortMapping (of ports from 40000, the upnpc ones) calls from CP,
      until the daemon stops answering or SECONDS pass.  After each success
      answer appends "add PORT SENT ANSWERED" or "del PORT SENT ANSWERED"
      (wall-clock times) to OUTFILE, flushed, and before each call "try
      PORT".

  persist.py check CONTROL_URL CP OUTFILE WANIF SAVE_CMD...
      OUTFILE holds the acknowledged operations (the upnpc adds too).  Reads
      the table back (GetListOfPortMappings from CP), and checks that every
      acknowledged mapping is there with its remaining lease (600 s from a
      time between the request and the answer, +-2 s), that nothing acknowledged as deleted is, and
      that the kernel holds exactly the rules the table implies.  The one
      operation in flight at the crash ("try" without an answer) may have
      gone either way.  Prints a summary; exit 1 on any difference.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import consistency  # noqa: E402

LEASE = 600


def burst(url, cp, outfile, seconds):
    end = time.monotonic() + float(seconds)
    port, victim, n = 41000, 40000, 0
    with open(outfile, "a", buffering=1) as out:
        while time.monotonic() < end:
            delete = n % 4 == 3
            p = victim if delete else port
            out.write("try %d\n" % p)
            sent = time.time()
            try:
                if delete:
                    _, code, _ = consistency.call(url, cp, "DeletePortMapping", [
                        ("NewRemoteHost", ""), ("NewExternalPort", str(p)),
                        ("NewProtocol", "TCP")])
                else:
                    _, code, _ = consistency.call(url, cp, "AddPortMapping", [
                        ("NewRemoteHost", ""), ("NewExternalPort", str(p)),
                        ("NewProtocol", "TCP"), ("NewInternalPort", str(p)),
                        ("NewInternalClient", cp), ("NewEnabled", "1"),
                        ("NewPortMappingDescription", "burst %d" % n),
                        ("NewLeaseDuration", str(LEASE))])
            except Exception:       # the daemon is gone: stop
                return 0
            if code is None:
                out.write("%s %d %.3f %.3f\n" % ("del" if delete else "add",
                                                 p, sent, time.time()))
            if delete:
                victim += 1
            else:
                port += 1
            n += 1
    return 0


def check(url, cp, outfile, wan, save):
    want, gone, inflight = {}, set(), None
    for line in open(outfile):
        f = line.split()
        if f[0] == "try":
            inflight = int(f[1])
        elif f[0] == "add":
            want[int(f[1])] = (float(f[2]), float(f[3]))
            gone.discard(int(f[1]))
            inflight = None
        elif f[0] == "del":
            want.pop(int(f[1]), None)
            gone.add(int(f[1]))
            inflight = None
    before = time.time()
    rows = consistency.listing(url, cp, "TCP")
    after = time.time()
    have = {int(r["NewExternalPort"]): r for r in rows}
    bad, worst = [], 0.0
    for port, (sent, answered) in sorted(want.items()):
        if port == inflight:
            continue
        if port not in have:
            bad.append("missing: %d (acknowledged %.1f s ago)"
                       % (port, after - answered))
            continue
        # The lease began between the request and the answer; the table
        # was read between `before' and `after'.
        left = int(have[port]["NewLeaseTime"])
        lo, hi = LEASE - (after - sent), LEASE - (before - answered)
        err = lo - left if left < lo else left - hi if left > hi else 0.0
        worst = max(worst, err)
        if err > 2:
            bad.append("port %d: lease %d s left, %.1f-%.1f s expected"
                       % (port, left, lo, hi))
    for port in sorted(set(have) - set(want)):
        if port != inflight:
            bad.append("unexpected: %d (deleted: %s)" % (port, port in gone))
    rules = consistency.expected_rules(rows, wan)
    saved = subprocess.run(save, check=True, capture_output=True,
                           text=True).stdout
    kernel = set(consistency.mapping_rules(saved))
    for l in sorted(rules - kernel):
        bad.append("rule missing: " + l)
    for l in sorted(kernel - rules):
        bad.append("rule extra: " + l)
    print("persist: %d acknowledged mappings, %d in the table, %d deleted, "
          "in flight: %s; worst lease error %.2f s beyond the request-answer window; %d rules" %
          (len(want), len(have), len(gone), inflight, worst, len(kernel)))
    for b in bad:
        print(b)
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 6 and argv[1] == "burst":
        return burst(argv[2], argv[3], argv[4], argv[5])
    if len(argv) >= 7 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4], argv[5], argv[6:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
