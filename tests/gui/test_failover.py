"""The client through outages of a real PostgreSQL server (a cluster of this test's own,
stopped hard with `pg_ctl stop -m immediate` and started again):

1. online, an intake reaches the shared database at once;
2. the server stops: the title and the status bar say OFFLINE (since when, how much is
   pending); an intake with its acceptance notice, a walk-in served without a ticket and
   work on an existing case go on against the replica; calling a ticket is refused with
   the sentence; the pending count is the replica's;
3. the server is back: online and 0 pending with no key pressed; every case, document and
   ticket is on the shared database, state-hash equal on both sides, verify clean;
4. offline again, an intake is acknowledged and the client is killed with kill -9; an
   assignment made on the same replica meets a concurrent one made on the shared
   database;
5. a queue manager starts on that workstation while the server is still down (offline
   start), the server comes back: the pending events of the killed client go up, the
   conflict comes down, and the notice of it opens the conflicts inbox.
The GUI thread's longest stall over the manager's session is printed.
Usage: test_failover.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, wait_for, wait_for_text, wait_for_window  # noqa: E402
from test_intake import resident_id  # noqa: E402

CASE = re.compile(r"330102-\d{8}-\d{6}")
PG_CLUSTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pg_cluster.sh")


def cluster(action, state):
    r = subprocess.run(["bash", PG_CLUSTER, action, state], capture_output=True, text=True)
    if r.returncode != 0:
        raise gui.Failure(f"pg_cluster.sh {action}: {r.stderr.strip() or r.stdout.strip()}")


def pg_conn(state):
    with open(state) as f:
        return re.search(r"OW_PG_CONN='([^']*)'", f.read()).group(1)


def title():
    return next((t for t in gui.window_titles() if t.startswith("OneWindow — ")), "")


def database_field():
    """The status bar's database field: "database online · 0 pending" or "OFFLINE since …"."""
    return next((t for t in gui.shown_texts("label") if "pending" in t), "")


def pending_of(field):
    m = re.search(r"(\d+) pending", field)
    return int(m.group(1)) if m else -1


def replica_pending(ctx, shared, replica):
    out = gui.owctl(ctx["owctl"], "--db", shared, "--replica", replica, "--json", "status", check_rc=False).stdout
    return json.loads(out)["pending"]


def show_case(ctx, db, number):
    return json.loads(gui.owctl(ctx["owctl"], "--db", db, "--json", "cases", "show", number).stdout)


def intake(ctx, card, name, first17, midway=None):
    """The real-estate-transfer bundle by keyboard, as in test_intake; returns the number.
    `midway` runs when everything is typed but not yet carried out."""
    with open(card, "w") as f:
        json.dump({"name": name, "idNumber": resident_id(first17), "address": "杭州市上城区"}, f)
    known = {m.group(0) for t in gui.shown_texts() for m in CASE.finditer(t)}
    gui.key("F3")
    wait_for_text("Applicant", "a new intake tab")
    gui.press_until(["alt+r"], lambda: name in " ".join(gui.shown_texts()), "the card read")
    gui.key("alt+b")
    gui.key("Down")
    wait_for_text("存量房买卖合同", "the bundle's checklist")
    gui.key("alt+3")
    gui.key("space")
    gui.key("Down")
    gui.key("space")
    wait_for_text("Ctrl+Enter opens the case", "the decision to be ready")
    if midway:
        midway()
        wait_for_text("Ctrl+Enter opens the case", "the typed intake still there")
    gui.key("ctrl+Return")
    return wait_for(lambda: [m.group(0) for t in gui.shown_texts() for m in CASE.finditer(t)
                             if m.group(0) not in known], "the new case number in the tab", timeout=30)[0]


def timed_wait(predicate, what, timeout=30.0):
    start = time.monotonic()
    wait_for(predicate, what, timeout)
    return time.monotonic() - start


def run(ctx):
    scratch, shots = ctx["scratch"], ctx["artifacts"]
    state = f"{scratch}/pg.env"
    cluster("start", state)
    try:
        scenario(ctx, scratch, shots, state)
    finally:
        subprocess.run(["bash", PG_CLUSTER, "stop", state], capture_output=True)


def scenario(ctx, scratch, shots, state):
    shared = pg_conn(state)
    owctl = ctx["owctl"]
    gui.owctl(owctl, "--db", shared, "init", "--centre", "330102")
    seeded = gui.owctl(owctl, "--db", shared, "--json", "seed-demo", "--cases", "20", "--seed", "5").stdout
    for account in json.loads(seeded)["staff"]:
        with open(f"{scratch}/{account['user']}.pw", "w") as f:
            f.write(account["password"] + "\n")
    listed = json.loads(gui.owctl(owctl, "--db", shared, "--json", "cases", "list").stdout)
    suspended = next(r["number"] for r in listed if r["status"] == "suspended")
    contested = next(r["number"] for r in listed if r["status"] == "in_review")
    replica = f"sqlite3://db={scratch}/replica.db"
    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)
    card = f"{scratch}/card.json"
    os.environ["OW_SIMULATED_ID_CARD"] = card

    def start(user, extra=()):
        client = gui.Client(ctx["onewindow"], ["--db", shared, "--replica", replica, "--user", user,
                                               "--password-file", f"{scratch}/{user}.pw", "--workstation", "W01",
                                               *extra], home)
        ctx["clients"].append(client)
        wait_for_window(f"OneWindow — {user}", timeout=40)
        return client

    # 1. Online.
    clerk = start("clerk01")
    wait_for(lambda: database_field() == "database online · 0 pending", "online with nothing pending")
    online_case = intake(ctx, card, "陈秀兰", "33010219560312124")
    wait_for(lambda: gui.owctl(owctl, "--db", shared, "cases", "show", online_case, check_rc=False).returncode == 0,
             "the online intake on the shared database")

    # 2. The server stops hard while an intake is being typed; it is carried out offline,
    # with its acceptance notice, on a number from the reserved block.
    def outage():
        cluster("crash", state)
        took = timed_wait(lambda: "OFFLINE" in title(), "OFFLINE in the title")
        print(f"offline_indicator_s {took:.2f}")
        field = wait_for(lambda: (lambda f: f if f.startswith("OFFLINE since ") else None)(database_field()),
                         "'OFFLINE since' in the status bar")
        check(re.match(r"OFFLINE since \d\d:\d\d:\d\d · 0 pending$", field),
              f"since when, nothing pending: {field}")
        gui.screenshot(f"{shots}/failover-offline.png")

    offline_case = intake(ctx, card, "李建国", "33010219800101123", midway=outage)
    gui.key("Return")  # save the acceptance notice…
    wait_for_window("Save")
    gui.focus_window("Save the document")
    gui.press_until(["Return"], lambda: not any("Save the document" in t for t in gui.window_titles()),
                    "the save dialog to close", attempts=4, timeout=3)
    wait_for_text("recorded", "the document recorded on the case")
    # A walk-in served without a ticket: recorded at the window with a number of its own.
    gui.press_until(["ctrl+shift+w"], lambda: any("Serve without ticket" in t for t in gui.window_titles()),
                    "the walk-in dialog")
    gui.focus_window("Serve without ticket")
    gui.press_until(["Return"], lambda: not any("Serve without ticket" in t for t in gui.window_titles()),
                    "the walk-in dialog to close", attempts=4, timeout=3)
    wait_for(lambda: "W01-A001" in gui.shown_texts("label"), "the offline walk-in W01-A001 in the queue pane")
    # Calling the queue is refused with the sentence.
    gui.key("F4")  # end the walk-in's service (recorded offline too)
    wait_for_text("No ticket", "the walk-in's service ended")
    gui.key("F2")
    wait_for_text("Tickets can only be called while the centre's database answers", "the refusal to call")
    # Work on a case taken in before the outage.
    gui.key("ctrl+o")
    wait_for_window("Open case")
    gui.focus_window("Open case")
    gui.type_text(suspended)
    gui.key("Return")
    wait_for_text("suspended", "the suspended case's tab", role="label")
    gui.press_until(["alt+u"], lambda: len(gui.window_titles()) > 1, "the resume dialog")
    gui.focus_window(next(t for t in gui.window_titles() if not t.startswith("OneWindow")))
    gui.press_until(["Return"], lambda: len(gui.window_titles()) == 1, "the resume dialog to close")
    expected = replica_pending(ctx, shared, replica)
    # opened + accepted + document for the intake; issued + called + ended for the walk-in
    # (the first ended nothing); resumed.
    check(expected == 7, f"7 events pending in the replica ({expected})")
    wait_for(lambda: pending_of(database_field()) == expected and "OFFLINE" in title(),
             f"the status bar to count {expected} pending")
    check(f"OFFLINE · {expected} pending" in title(), f"the title carries OFFLINE and the count: {title()}")
    check(offline_case[-6:].isdigit() and "-W" not in offline_case, f"a block number offline: {offline_case}")
    gui.screenshot(f"{shots}/failover-offline-work.png")

    # 3. The server is back: everything goes up without a key pressed.
    cluster("restart", state)
    took = timed_wait(lambda: database_field() == "database online · 0 pending" and "OFFLINE" not in title(),
                      "online with 0 pending after the restart")
    print(f"back_to_zero_pending_s {took:.2f}")
    wait_for_text("Back online: all work done offline has reached the centre's database (7 changes sent).",
                  "the message that the offline work was sent")
    gui.screenshot(f"{shots}/failover-back.png")
    case = show_case(ctx, shared, offline_case)
    check(any(d["kind"] == "acceptance_notice" for d in case.get("documents", [])),
          "the offline acceptance notice on the shared database")
    check(show_case(ctx, shared, suspended)["status"] != "suspended", "the offline resumption on the shared database")
    tickets = json.loads(gui.owctl(owctl, "--db", shared, "--json", "ticket", "list").stdout)
    walk = [t for t in tickets if t["number"] == "W01-A001"]
    check(len(walk) == 1 and walk[0]["status"] == "ended", f"the offline walk-in on the shared database: {walk}")
    same_state(ctx, shared, replica)

    # 4. Offline again; an acknowledged intake, then kill -9.
    cluster("crash", state)
    wait_for(lambda: "OFFLINE" in title(), "OFFLINE again")
    killed_case = intake(ctx, card, "王小明", "33010219900505123")
    wait_for(lambda: pending_of(database_field()) == 2, "the intake's 2 events pending")
    clerk.process.send_signal(signal.SIGKILL)
    clerk.process.wait(10)
    clerk.close()
    ctx["clients"].remove(clerk)
    wait_for(lambda: not title(), "the killed client's window gone")
    # The same workstation assigns a case while offline; after the restart somebody
    # assigns it otherwise on the shared database, not knowing.
    gui.owctl(owctl, "--db", shared, "--replica", replica, "cases", "assign", contested, "--to", "clerk02",
              "--as", "manager01", check_rc=False)
    check(replica_pending(ctx, shared, replica) == 3, "the killed client's 2 events and the assignment pending")
    cluster("restart", state)
    gui.owctl(owctl, "--db", shared, "cases", "assign", contested, "--to", "clerk01", "--as", "manager01")
    check(gui.owctl(owctl, "--db", shared, "cases", "show", killed_case, check_rc=False).returncode != 0,
          "the killed client's case not on the shared database yet")
    cluster("crash", state)

    # 5. A queue manager starts on the workstation while the server is down.
    manager = start("manager01", ["--timing"])
    wait_for(lambda: "OFFLINE" in title() and pending_of(database_field()) == 3,
             "an offline start with the 3 pending events")
    wait_for_text("Conflicts to resolve (0)", "the console without conflicts")
    cluster("restart", state)
    wait_for(lambda: database_field() == "database online · 0 pending", "the pending events sent after the restart")
    notice = wait_for(lambda: [t for t in gui.shown_texts("label") if "came in conflict" in t], "the conflict notice")[0]
    check(contested in notice, f"the notice names {contested}: {notice}")
    gui.screenshot(f"{shots}/failover-conflict-notice.png")
    gui.press_button("Open the conflicts inbox")
    wait_for_text("Conflicts to resolve (1)", "the conflicts inbox with the case")
    wait_for(lambda: contested in gui.shown_texts(), "the contested case in the inbox")
    wait_for(lambda: "Dismiss" not in gui.shown_texts("push button"), "the notice to close")
    gui.screenshot(f"{shots}/failover-conflicts-inbox.png")
    check(show_case(ctx, shared, contested)["conflicts"], "the conflict marked on the shared database")
    check(show_case(ctx, shared, killed_case)["status"] == "accepted", "the killed client's intake arrived")
    same_state(ctx, shared, replica)
    gui.key("ctrl+q")
    manager.process.wait(20)
    stall = re.findall(r"^session_max_stall_ms (\S+)$", manager.log_text(), re.M)
    check(stall, "the session's longest stall printed")
    print(f"session_max_stall_ms {stall[-1]}")
    # Nothing froze: every database call ran off the GUI thread, through two outages.
    check(float(stall[-1]) < 200, f"the GUI thread never blocked for 200 ms ({stall[-1]} ms at most)")


def events_by_origin(shared, replica):
    """{origin: (events, distinct ids, highest seq)} on the shared database and the replica."""
    query = "SELECT origin, COUNT(*), COUNT(DISTINCT id), MAX(seq) FROM events GROUP BY origin ORDER BY origin"
    conn = dict(kv.split("=", 1) for kv in shared.split("://", 1)[1].split())
    out = subprocess.run(["psql", "-h", conn["host"], "-p", conn["port"], "-U", conn["user"], "-d", conn["dbname"],
                          "-At", "-F", " ", "-c", query], capture_output=True, text=True, check=True).stdout
    on_shared = {o: (int(a), int(b), int(c)) for o, a, b, c in (line.split() for line in out.splitlines() if line)}
    with sqlite3.connect(replica.split("db=", 1)[1]) as db:
        on_replica = {o: (a, b, c) for o, a, b, c in db.execute(query)}
    return on_shared, on_replica


def same_state(ctx, shared, replica):
    # Every event exactly once on both sides: each origin's events, ids and sequence agree
    # and run 1…n without a gap or a repeat.
    on_shared, on_replica = events_by_origin(shared, replica)
    check(on_shared == on_replica, f"the same events of every origin on both sides: {on_shared} / {on_replica}")
    check(all(n == ids == top for n, ids, top in on_shared.values()), f"each origin's events exactly once: {on_shared}")
    hs = gui.owctl(ctx["owctl"], "--db", shared, "state-hash").stdout.strip()
    hr = gui.owctl(ctx["owctl"], "--db", replica, "state-hash").stdout.strip()
    check(hs == hr, f"state-hash equal on both sides ({hs} / {hr})")
    gui.owctl(ctx["owctl"], "--db", shared, "verify")
    gui.owctl(ctx["owctl"], "--db", replica, "verify")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv, limit=240))
