#!/usr/bin/env python3
"""Summarizes fuzz/logs/*.log (written by run.sh) as a Markdown table:
per target and sanitizer, fuzzing seconds, executions, average exec/s, and
the final libFuzzer cov:/ft: of the last run. Usage: fuzz/stats.py [LOGDIR]"""
import glob, os, re, sys
from collections import defaultdict

logdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "logs")
line_re = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s: (\d+) oom/timeout/crash: (\d+)/(\d+)/(\d+) time: (\d+)s")
agg = defaultdict(lambda: dict(secs=0, execs=0, cov=0, ft=0, corp=0, crash=0, runs=0))
for path in sorted(glob.glob(os.path.join(logdir, "*.log"))):
    m = re.match(r"(.+)-(none|asan)-\d{8}-\d{6}\.log$", os.path.basename(path))
    if not m:
        continue
    last = None
    for line in open(path, errors="replace"):
        mm = line_re.match(line)
        if mm:
            last = mm
    if not last:
        continue
    a = agg[(m.group(1), m.group(2))]
    a["secs"] += int(last.group(9))
    a["execs"] += int(last.group(1))
    a["cov"], a["ft"], a["corp"] = int(last.group(2)), int(last.group(3)), int(last.group(4))
    a["crash"] += int(last.group(8))
    a["runs"] += 1

print("| target | sanitizer | runs | time (s) | executions | exec/s | cov | ft | corpus | crashes |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
tot_s = tot_e = 0
for (t, san), a in sorted(agg.items(), key=lambda kv: (kv[0][1] != "none", kv[0][0])):
    rate = a["execs"] // max(a["secs"], 1)
    print(f"| {t} | {san} | {a['runs']} | {a['secs']} | {a['execs']:,} | {rate:,} | {a['cov']} | {a['ft']} | {a['corp']} | {a['crash']} |")
    tot_s += a["secs"]; tot_e += a["execs"]
print(f"| **total** | | | **{tot_s}** ({tot_s/3600:.2f} h) | **{tot_e:,}** | | | | | |")
