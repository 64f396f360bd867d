#!/usr/bin/env python3
"""The fault suite's table: reads the rows run_faults.sh wrote (JSON lines), prints one
table, and writes docs/FAULTS.json ({"machine": ..., "rows": [...]}, the shape of
docs/BENCHMARKS.json) and docs/FAULTS.md (what each row means, then the last run's table).

  report.py RESULTS DOCS_DIR SECONDS
Exits 1 when a row failed or there are no rows.
"""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from results import cell as fmt, machine, markdown_table, text_table, write_json  # noqa: E402

EXPLANATION = """\
# Fault suite

`./ow faults` builds `ow_faults`, `owctl` and `onewindowd` (preset `ci`; `OW_BUILD_DIR` names
another build folder), starts its own PostgreSQL clusters and centre nodes, runs every check
below, prints one table and rewrites this file and `docs/FAULTS.json`
(`{"machine": …, "rows": [{"name", "figure", "unit", "target", "baseline", "ratio", "pass"}]}`,
the shape of `docs/BENCHMARKS.json`). It exits 1 when a row fails. The programs are in
`tests/faults/`; `./ow test` runs short passes of the kill -9 and I/O-error checks
(`faults.kill9.sqlite`, `faults.kill9.postgres`, `faults.io.write|sync|full`).

A row passes when its figure is at most its target, except the "held" rows, whose figure
must equal the target (every event from a clock too far ahead held, no more, no fewer).
**Baseline and ratio** are given only where a raw figure without the fault exists to compare
with: for the PostgreSQL restart, the server's own restart time (`pg_ctl start` until it
accepts connections); for the convergence rows, the time one intake takes to reach every
node with no fault at all. Counts of lost events, corruptions and violations have no
meaningful baseline (the only acceptable figure is 0), so their baseline and ratio are null.

## What each check does

- **kill -9 during writes** (`ow_faults kill9`, `tests/faults/kill9.sh`), on SQLite and on
  PostgreSQL, at least 1,000 rounds each: two writer processes append cases through
  `db::Store` (a `case.opened` and a note, one transaction each) and print `ack CASE ID ID`
  on stdout only after the append returned; both are killed with SIGKILL at a random moment
  between their start and about ten appends in (the window is measured first, so kills land
  while opening, mid-transaction, in COMMIT and between appends). After every round every
  acknowledged event id must be in the store (`Store::lacking`), and the SQLite file must pass
  `PRAGMA integrity_check`; `Store::verify()` (hashes, each origin's sequence and chain,
  counters, every projected row against a fresh fold) runs every 50 rounds and at the end.
  *Lost* counts acknowledged events not stored; *integrity failures* counts failed checks,
  verifies and stores that no longer open. The loop fails too when it proved little (fewer
  kills of running writers than rounds, or acknowledgements in under a quarter of the rounds).
- **I/O errors injected into SQLite** (`ow_faults io`, `tests/faults/FaultVfs.cpp`): a VFS
  registered as SQLite's default (SOCI cannot name one) wraps the real one and makes the k-th
  `xWrite` fail with `SQLITE_IOERR_WRITE`, the k-th `xSync` fail with `SQLITE_IOERR_FSYNC`, or
  every `xWrite` from the k-th on return `SQLITE_FULL`. For every k from 1 to two past the
  number of writes (syncs) a clean run makes, a copy of a small centre is opened and ten cases
  appended one at a time (a failed append is reported and the next one tried); the store is
  closed with the fault still armed. Then, through a clean connection: `integrity_check`,
  `Store::verify()`, every acknowledged event stored, and one more append must work.
  *Corruptions* counts runs where any of that failed; *acknowledged, not stored* counts events
  whose append returned but which are not in the file.
- **PostgreSQL stopped immediately during writes** (`tests/pg_cluster.sh crash`, i.e.
  `pg_ctl stop -m immediate`, then `restart`), ten times: two writers append with retries
  (`ow_faults writer --retry-seconds`), each crash waits until both writers saw the server go,
  and each restart until a write is acknowledged again. At the end every acknowledged event
  must be stored and the database must verify. The timing row is the median time from the
  start of the restart to the first acknowledged write, against the server's own restart time.
- **Clock skew** on one of three centres (real `onewindowd` nodes on SQLite, writes with
  `owctl intake`; a node's skew is `OW_CLOCK_OFFSET_MS`, below): +5 minutes on A, then -5
  minutes on B — within the tolerated 10 minutes, nothing may be held and all converge; -1 day
  on C — every event the others write is too far ahead of C's clock and must be held on C
  (`held_events`, the first of each origin with reason `clock_ahead`) while A and B take C's
  events, then C's clock is put right and the next write releases them; +1 day on A — A's
  events must be held on B and C, A's clock is put right (its next event must still be later
  than its day-ahead ones) and once a day has passed for B and C the next write from A releases
  them. At the end, on every node: no origin's clock goes backwards or stands still, no event
  is at or below a head it saw, no node's own event is at or below anything it held before
  writing it (*monotonicity violations*); every origin's events 1…n once on every node, every
  acknowledged case everywhere, nothing held, every node verifies (*events lost*). Convergence
  = equal `state-hash` and event counts on all three.
- **Partitions between three centres**: the nodes reach each other through
  `tests/faults/partition_proxy.py`, one TCP link per direction, so a partition cuts exactly
  the links it names (new connections refused, open ones cut): C away from A and B for 3 s,
  all three apart for 10 s, A and C cut while both still reach B (B carries their events) for
  10 s, C away for 30 s. All three keep taking applications throughout. The figure is the time
  from the heal to convergence. The nodes run with `max_backoff = 2` (retry backoff capped at
  2 s; the shipped default is 60 s, which adds up to a minute to convergence after a long
  outage). *Events lost* is checked as for clock skew.

### The clock hook

`OW_CLOCK_OFFSET_MS` (a whole number of milliseconds, negative for a clock behind, within ten
years) shifts the wall clock of the process that has it: it is read once in
`model::systemPhysicalClock()`, the one place the programs take the wall clock from, so a
node's hybrid clock, its holding of events from clocks too far ahead and its dates all see the
skewed time. A process with an offset logs a warning. It exists for these tests only.
"""


def main():
    results, docs, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rows = []
    with open(results) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    head = ["check", "figure", "unit", "target", "baseline", "ratio", "result"]
    table = [[r["name"], fmt(r["figure"]), r["unit"], fmt(r["target"]), fmt(r["baseline"]), fmt(r["ratio"]),
              "PASS" if r["pass"] else "FAIL"] for r in rows]
    print("\n".join(text_table(head, table)))
    failed = sum(1 for r in rows if not r["pass"])
    print(f"\n{len(rows) - failed} of {len(rows)} rows pass; the run took {seconds / 60:.1f} min")

    who = machine()
    write_json(os.path.join(docs, "FAULTS.json"), who, rows)
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    md = [EXPLANATION, "## The last run\n",
          f"{stamp} on {who}; {seconds / 60:.1f} minutes; {len(rows) - failed} of {len(rows)} rows pass.\n"]
    md += markdown_table(head, table)
    with open(os.path.join(docs, "FAULTS.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    return 0 if rows and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
