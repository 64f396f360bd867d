#!/usr/bin/env python3
"""repository.bench_report: bench/report.py on tests/bench/report_sample.txt (every
benchmark program's result lines, one failing row, one result line cut short, one program
that exited 1 without a row), into a temporary folder, never into docs/.
Checks the exit status, that the unreadable line is named, the exact shape of
BENCHMARKS.json, the rows that must fail and the ones that must not, and BENCHMARKS.md."""
import json
import os
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, "..", "..", "bench", "report.py")
SAMPLE = os.path.join(HERE, "report_sample.txt")
KEYS = ["name", "figure", "unit", "target", "baseline", "ratio", "pass"]

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAILED: {what}", file=sys.stderr)


def run(path, docs):
    return subprocess.run([sys.executable, REPORT, path, "--docs", docs], capture_output=True, text=True)


def main():
    with open(SAMPLE, encoding="utf-8") as f:
        lines = f.read().splitlines()
    cut = [i for i, l in enumerate(lines, 1) if l.startswith("BENCH ") and " ratio " not in l]
    check(len(cut) == 1, f"the sample has one result line cut short, not {len(cut)}")

    with tempfile.TemporaryDirectory(prefix="ow-bench-report-") as docs:
        out = run(SAMPLE, docs)
        print(out.stdout)
        print(out.stderr, file=sys.stderr)
        check(out.returncode == 1, f"exit status {out.returncode}, not 1, with failing rows")
        check(f"report_sample.txt:{cut[0]}:" in out.stderr and lines[cut[0] - 1] in out.stderr,
              "the unreadable line is not named on stderr with its number and text")

        with open(os.path.join(docs, "BENCHMARKS.json"), encoding="utf-8") as f:
            doc = json.load(f)
        check(list(doc) == ["machine", "rows"], f"top-level keys {list(doc)}")
        who = doc.get("machine")
        check(isinstance(who, str) and " cores" in who, f"machine {who!r}")
        check(socket.gethostname() not in who, "the machine names the host")
        rows = doc["rows"]
        for r in rows:
            check(list(r) == KEYS, f"row keys {list(r)}")
            check(isinstance(r["pass"], bool), f"pass of {r['name']} is not true or false")
            for k in ("figure", "baseline", "ratio"):
                check(r[k] is None or isinstance(r[k], (int, float)), f"{k} of {r['name']}: {r[k]!r}")
            check(r["baseline"] is None or r["baseline"] > 0, f"baseline 0 of {r['name']} is not null")
            check(r["ratio"] is None or r["ratio"] > 0, f"ratio 0 of {r['name']} is not null")
            check(r["target"] is None or isinstance(r["target"], str), f"target of {r['name']}")
        by = {r["name"]: r for r in rows}
        results = sum(1 for l in lines if l.startswith("BENCH "))
        # Every result line is a row (the cut one as a failed row), plus the program that
        # exited without a row.
        check(len(rows) == results + 1, f"{len(rows)} rows for {results} result lines and one failed program")

        memory = by.get("onewindowd peak resident memory, pull of 1,000,000 events")
        check(memory is not None and memory["pass"] is False and memory["target"] == "<= 300"
              and memory["figure"] == 312.4 and memory["baseline"] == 38.2 and memory["unit"] == "MB",
              f"the failing memory row: {memory}")
        kpi = by.get("ow_bench_kpi: exited 1 without a result")
        check(kpi is not None and kpi["pass"] is False and kpi["figure"] is None, f"the failed program: {kpi}")
        unread = [r for r in rows if r["name"] == f"ow_bench_scale: result line {cut[0]} unreadable"]
        check(len(unread) == 1 and unread[0]["pass"] is False, "no failed row for the unreadable line")
        # ow_bench_centre_sync exited 1 too, but printed its failing row: no extra row.
        check(not any(n.startswith("ow_bench_centre_sync:") for n in by), "a second row for a program's own FAIL")
        ratio = by.get("centre sync, slower direction against PouchDB → express-pouchdb")
        check(ratio is not None and ratio["target"] == "ratio >= 8" and ratio["pass"] is True,
              f"the ratio target: {ratio}")
        info = by.get("failover: server stop to OFFLINE, max")
        check(info is not None and info["target"] is None and info["pass"] is True, f"an info row: {info}")
        stall = by.get("longest GUI-thread stall at 1000000 cases")
        check(stall is not None and stall["baseline"] is None and stall["ratio"] is None and stall["pass"],
              f"a row without a baseline: {stall}")
        append = by.get("sqlite append, hash chain")
        check(append is not None and append["target"] == "ratio >= 0.5" and append["unit"] == "rows/s",
              f"the append row: {append}")
        check(sum(1 for r in rows if not r["pass"]) == 3, "not exactly three failed rows")

        with open(os.path.join(docs, "BENCHMARKS.md"), encoding="utf-8") as f:
            md = f.read()
        check(md.startswith("# Benchmarks") and who in md, "BENCHMARKS.md lacks its title or the machine")
        check("| benchmark | figure | unit | target | baseline | ratio | result |" in md, "no Markdown table")
        check(md.count("| FAIL |") == 3, "BENCHMARKS.md does not show three FAIL rows")

        # The real capture alone (ow_bench_append, ow_bench_queue) passes.
        good = os.path.join(docs, "good.txt")
        with open(good, "w", encoding="utf-8") as f:
            keep, mine = [], False
            for l in lines:
                if l.startswith("#ow-bench program "):
                    mine = l.split()[2] in ("ow_bench_append", "ow_bench_queue")
                if mine:
                    keep.append(l)
            f.write("\n".join(keep) + "\n")
        out = run(good, docs)
        check(out.returncode == 0, f"exit status {out.returncode} on passing rows: {out.stderr}")
        empty = os.path.join(docs, "empty.txt")
        open(empty, "w").close()
        check(run(empty, docs).returncode == 1, "no rows at all does not fail")
        missing = run(os.path.join(docs, "missing.txt"), docs)
        check(missing.returncode == 1 and "cannot read" in missing.stderr, "a missing output file")

    print(f"{len(failures)} check(s) failed" if failures else "bench report: all checks pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
