#!/usr/bin/env python3
"""The benchmark table of `./ow bench`: reads the combined output of the benchmark
programs, prints one table and writes BENCHMARKS.json ({"machine": ..., "rows": [{"name",
"figure", "unit", "target", "baseline", "ratio", "pass"}]}, the shape of docs/FAULTS.json)
and BENCHMARKS.md.

  report.py OUTPUT [--docs DIR] [--note TEXT]

OUTPUT is what the programs printed (`./ow bench` keeps it in build/release/bench-output.txt).
Their result lines are those of bench/BenchSupport.h and bench/bench_client.py:

  BENCH <name> <figure> <unit> target <op><target> baseline <baseline> ratio <ratio> PASS|FAIL|info

where <op> is `>=` or `<=` (a target on the figure) or `ratio>=` (a target on the ratio).
`./ow bench` frames each program's output with `#ow-bench program NAME` and
`#ow-bench exit NAME STATUS [WHY]`, so that a program that failed without printing a failing
row still gets one. Everything else in OUTPUT is left alone. DIR defaults to docs/; --note
adds a sentence about the run to BENCHMARKS.md.

Exits 1 when a row failed, a result line cannot be parsed (it is named on stderr and becomes
a failed row), or there are no rows.
"""
import argparse
import datetime
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import cell, machine, markdown_table, text_table, write_json  # noqa: E402

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)"
RESULT = re.compile(
    rf"^BENCH\s+(?P<name>\S.*?)\s+(?P<figure>{NUMBER})(?:\s+(?P<unit>\S+))?\s+"
    rf"target\s+(?P<op>ratio>=|>=|<=)\s*(?P<target>{NUMBER})\s+"
    rf"baseline\s+(?P<baseline>{NUMBER})\s+ratio\s+(?P<ratio>{NUMBER})\s+(?P<verdict>PASS|FAIL|info)$",
    re.IGNORECASE)
MARK = re.compile(r"^#ow-bench (?P<what>program|exit) (?P<program>\S+)(?: (?P<status>-?\d+))?(?: (?P<why>.*))?$")

INTRO = """\
# Benchmarks

`./ow bench` builds the `release` preset, starts a throwaway PostgreSQL cluster, runs every
benchmark in `bench/` and prints one table; it rewrites this file and `docs/BENCHMARKS.json`
(`{"machine": …, "rows": [{"name", "figure", "unit", "target", "baseline", "ratio", "pass"}]}`)
and exits 1 when a row fails. `./ow bench --cases N` measures the searches, the case list,
the projection rebuild and the client at N cases instead of 1,000,000. What the programs
printed is kept in `build/release/bench-output.txt`; `python3 bench/report.py
build/release/bench-output.txt` prints the table again (and rewrites these files).

**Baseline** is a raw figure measured in the same run on the same machine doing the same
work without OneWindow: sqlite3 or libpq inserts of the very rows the store wrote, the raw
index look-up, a bare wxWidgets frame, PouchDB replicating the same documents
(`README.md` lists each one). **Ratio** is figure ÷ baseline for throughput (rows/s, ev/s)
and baseline ÷ figure for times and memory, so 1 means as fast (or as small) as the raw
baseline and 0.5 means half as fast. A target is either on the figure (`<= 20` ms,
`>= 25000` ev/s) or on the ratio (`ratio >= 0.5`). Rows shown `info` have no target (null
in the JSON) and always pass; baseline and ratio are null where no raw baseline exists.
A benchmark program that failed without a failing row of its own, and a result line that
could not be read, appear as failed rows.
"""


def number(text):
    """A printed number, None for nan and inf (JSON has neither)."""
    v = float(text)
    return v if math.isfinite(v) else None


def plain(v):
    """A target without trailing zeros: 20, 0.4."""
    return str(int(v)) if v.is_integer() else f"{v:g}"


def parse_result(line):
    m = RESULT.match(line)
    if not m:
        return None
    op, target = m["op"].lower(), number(m["target"])
    verdict = m["verdict"].upper()
    baseline, ratio = number(m["baseline"]), number(m["ratio"])
    if verdict == "INFO" or target is None:
        target_text = None
    else:
        target_text = ("ratio >= " if op == "ratio>=" else op + " ") + plain(target)
    return {
        "name": m["name"],
        "figure": number(m["figure"]),
        "unit": m["unit"],
        "target": target_text,
        # The programs print 0 for a baseline they do not have, and a ratio of 0 then.
        "baseline": baseline if baseline else None,
        "ratio": ratio if ratio else None,
        "pass": verdict != "FAIL",
        "_verdict": "info" if verdict == "INFO" else verdict,
    }


def failed_row(name):
    return {"name": name, "figure": None, "unit": None, "target": None, "baseline": None, "ratio": None,
            "pass": False, "_verdict": "FAIL"}


def read_rows(path):
    """The rows of OUTPUT, in order, and the messages about lines that could not be read."""
    rows, problems = [], []
    program, started = None, {}  # the program whose output this is; program -> its rows

    def program_ended(name, status, why):
        mine = started.pop(name, [])
        if status != 0 and not any(not r["pass"] for r in mine):
            what = why or f"exited {status} " + ("without a result" if not mine else "after its results")
            rows.append(failed_row(f"{name}: {what}"))

    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n").rstrip()
            mark = MARK.match(line)
            if mark:
                if mark["what"] == "program":
                    program = mark["program"]
                    started[program] = []
                elif mark["status"] is None:
                    started.pop(mark["program"], None)
                    problems.append(f"{path}:{lineno}: an exit mark without a status: {line}")
                    rows.append(failed_row(f"{mark['program']}: exit status missing (line {lineno})"))
                else:
                    program_ended(mark["program"], int(mark["status"]), mark["why"])
                    program = None
                continue
            if not re.match(r"BENCH(\s|$)", line):
                continue
            row = parse_result(line)
            if row is None:
                where = f" of {program}" if program else ""
                problems.append(f"{path}:{lineno}: cannot parse this result line{where}: {line}")
                row = failed_row(f"{program or 'output'}: result line {lineno} unreadable")
            rows.append(row)
            if program in started:
                started[program].append(row)
    for name in list(started):
        rows.append(failed_row(f"{name}: did not finish (no exit status in the output)"))
    return rows, problems


def table_of(rows):
    def ratio(v):
        return "—" if v is None else f"{v:.3f}"

    return [[r["name"], cell(r["figure"]), r["unit"] or "", r["target"] or "—", cell(r["baseline"]),
             ratio(r["ratio"]), r["_verdict"]] for r in rows]


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="The benchmark table of ./ow bench.")
    ap.add_argument("output", help="the combined output of the benchmark programs")
    ap.add_argument("--docs", default=os.path.join(here, "..", "docs"),
                    help="where BENCHMARKS.json and BENCHMARKS.md go (default: docs/)")
    ap.add_argument("--note", default="", help="a sentence about this run for BENCHMARKS.md")
    args = ap.parse_args(argv[1:])
    try:
        rows, problems = read_rows(args.output)
    except OSError as e:
        print(f"report.py: cannot read {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    for p in problems:
        print(f"report.py: {p}", file=sys.stderr)

    head = ["benchmark", "figure", "unit", "target", "baseline", "ratio", "result"]
    table = table_of(rows)
    print("\n".join(text_table(head, table)))
    failed = sum(1 for r in rows if not r["pass"])
    info = sum(1 for r in rows if r["_verdict"] == "info")
    summary = f"{len(rows)} rows: {len(rows) - failed - info} pass, {failed} fail, {info} for information"
    print(f"\n{summary}" + ("" if rows else f"; no result lines in {args.output}"))

    who = machine()
    os.makedirs(args.docs, exist_ok=True)
    write_json(os.path.join(args.docs, "BENCHMARKS.json"), who,
               [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    md = [INTRO, "## The last run\n", f"{stamp} on {who}; {summary}." + (f" {args.note}" if args.note else "") + "\n"]
    md += markdown_table(head, table)
    with open(os.path.join(args.docs, "BENCHMARKS.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    return 0 if rows and failed == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
