"""The queue manager's floor console under Xvfb: after logging in as manager01 the Floor
tab shows window W01 serving the ticket clerk01 called, the waiting count of each
category as owctl lists the tickets, and an overdue case of the seeded demo. Moving a
waiting ticket to a window that does not serve its category shows the model's refusal
and changes nothing; moving it to one that does is in the database. A case is assigned
from the keyboard, a ticket dragged onto a window, and a conflict made by two offline
workstations is resolved with "Keep this one" and leaves the inbox.
Usage: test_console.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, key, type_text, wait_for, wait_for_text, wait_for_window  # noqa: E402

DOWN = "postgresql://host=127.0.0.1 port=1 dbname=x user=postgres"  # a shared database that does not answer
FINISHED = {"refused", "approved", "denied", "terminated", "delivered", "withdrawn", "closed"}


def tables():
    """Every table the client shows, as rows of cell texts (through AT-SPI's Table)."""
    out = []
    for _, _, _, node in gui.nodes(role="table", showing_only=True):
        try:
            t = node.queryTable()
            rows = [[(t.getAccessibleAt(r, c).name or "") for c in range(t.nColumns)] for r in range(t.nRows)]
        except Exception:
            continue
        out.append((node, rows))
    return out


def table_with(first_cell):
    """The rows of the table having a row whose first cell is `first_cell`."""
    for _, rows in tables():
        if any(r and r[0] == first_cell for r in rows):
            return rows
    return None


def row_of(first_cell):
    rows = table_with(first_cell)
    return next((r for r in rows if r[0] == first_cell), None) if rows else None


def category_row(category):
    """The row of a queue category: its first cell is the code and the name ("A 综合")."""
    for _, rows in tables():
        for r in rows:
            if r and r[0].startswith(category + " "):
                return r
    return None


def cell_node(text):
    for r, name, _, node in gui.nodes(role="table cell", showing_only=True):
        if name == text:
            return node
    return None


def centre_of(node):
    import pyatspi
    x, y, w, h = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return x + w // 2, y + h // 2


def click_cell(text):
    """Selects the row holding the cell `text` with a mouse click."""
    node = wait_for(lambda: cell_node(text), f"a table cell '{text}'")
    x, y = centre_of(node)
    gui.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")


def drag_cell(text, onto):
    """Drags the row holding `text` onto the row holding `onto`, in small steps as a hand would."""
    x0, y0 = centre_of(wait_for(lambda: cell_node(text), f"a table cell '{text}'"))
    x1, y1 = centre_of(wait_for(lambda: cell_node(onto), f"a table cell '{onto}'"))
    gui.xdotool("mousemove", "--sync", str(x0), str(y0), "mousedown", "1")
    steps = 12
    for i in range(1, steps + 1):
        gui.xdotool("mousemove", "--sync", str(x0 + (x1 - x0) * i // steps), str(y0 + (y1 - y0) * i // steps),
                    "sleep", "0.05")
    gui.xdotool("sleep", "0.2", "mouseup", "1")


def buttons(label):
    return [node for r, name, _, node in gui.nodes(role="push button", showing_only=True) if name == label]


def dialog_title():
    return next((t for t in gui.window_titles() if t and "OneWindow" not in t), None)


def run(ctx):
    scratch, shots = ctx["scratch"], ctx["artifacts"]
    db = gui.seed_centre(ctx, 40, 21)

    def owctl(*args):
        return gui.owctl(ctx["owctl"], "--db", db, *args).stdout

    def tickets():
        return {t["number"]: t for t in json.loads(owctl("--json", "ticket", "list"))}

    names = {u["user"]: u["name"] for u in json.loads(owctl("--json", "users", "list"))}
    cases = json.loads(owctl("--json", "cases", "list"))

    # Two workstations, cut off from the centre, decide the same case differently; once
    # both synced, the case is in conflict in the centre's database.
    disputed = next(c["number"] for c in cases if c["status"] == "accepted")
    for replica, decision in (("r1", ["--approve"]), ("r2", ["--deny", "--reason", "材料与原件不符"])):
        local = f"sqlite3://db={scratch}/{replica}.db"
        gui.owctl(ctx["owctl"], "--db", db, "--replica", local, "sync")
        gui.owctl(ctx["owctl"], "--db", DOWN, "--replica", local, "cases", "conclude", disputed, *decision,
                  "--as", "reviewer01")
    for replica in ("r1", "r2"):
        gui.owctl(ctx["owctl"], "--db", db, "--replica", f"sqlite3://db={scratch}/{replica}.db", "sync")
    check(json.loads(owctl("--json", "cases", "show", disputed))["conflicts"], f"case {disputed} is in conflict")

    # The hall: three tickets in A, two in B; clerk01 calls A001 to W01.
    for category in ("A", "A", "A", "B", "B"):
        owctl("ticket", "issue", category)
    called = json.loads(owctl("ticket", "call", "--window", "W01", "--staff", "clerk01"))["ticket"]
    check(called["number"] == "A001", "clerk01 called A001")
    today = called["day"]

    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)
    client = gui.Client(ctx["onewindow"], ["--db", db, "--user", "manager01", "--password-file",
                                           f"{scratch}/manager01.pw"], home)
    ctx["clients"].append(client)
    wait_for_window("OneWindow — manager01")

    # The floor: W01 served by clerk01 with A001, its clock ticking.
    wait_for_text("Windows: serving at 1 of 12 open", "the Floor tab", role="label")
    w01 = wait_for(lambda: (lambda r: r if r and r[4] == "A001" else None)(row_of("W01")), "W01 serving A001")
    check(w01[3] == names["clerk01"], f"W01 is staffed by clerk01 ({names['clerk01']}): {w01}")
    check(w01[5].startswith("serving "), f"W01's serving time is shown: {w01}")
    first = w01[5]
    wait_for(lambda: row_of("W01")[5] != first, "the serving time to tick")
    check(row_of("W02")[5] == "idle", "W02 is idle")

    # Waiting per category, as owctl counts the tickets.
    listed = tickets()
    for category in ("A", "B", "C"):
        waiting = sum(1 for t in listed.values() if t["status"] == "waiting" and t["category"] == category)
        row = wait_for(lambda: category_row(category), f"the row of category {category}")
        check(row[1] == str(waiting), f"category {category}: {waiting} waiting (shows {row})")
    check(row_of("A002") is not None and row_of("B002") is not None, "the waiting tickets are listed")

    # An overdue case of the demo is at the top of the cases at risk.
    overdue = sorted((c for c in cases if c["deadline"] and c["deadline"] < today and c["status"] not in FINISHED
                      and c["status"] != "suspended" and c["number"] != disputed),
                     key=lambda c: (c["deadline"], c["number"]))
    check(overdue, "the seeded demo has overdue running cases")
    late = wait_for(lambda: row_of(overdue[0]["number"]), "the earliest overdue case in the list")
    check(late[3].startswith(overdue[0]["deadline"]), f"its deadline is shown: {late}")
    risk = table_with(overdue[0]["number"])
    check([r[0] for r in risk][:len(overdue)] == [c["number"] for c in overdue],
          "the overdue cases come first, earliest deadline first")
    gui.screenshot(f"{shots}/console.png")

    # A waiting ticket moved to a window that does not serve its category: refused, nothing changes.
    before = tickets()["A002"]
    click_cell("A002")
    gui.press_until(["alt+m"], lambda: dialog_title(), "the move dialog")
    check("A002" in dialog_title(), f"the dialog moves A002: {dialog_title()}")
    gui.focus_window(dialog_title())
    type_text("W03")
    gui.press_until(["Return"], lambda: dialog_title() is None, "the move dialog to close")
    wait_for_text("Window W03 does not serve category A.", "the refusal in the message line", role="label")
    gui.screenshot(f"{shots}/console-refused.png")
    after = tickets()["A002"]
    check(after == before, f"the refused move changed nothing: {after}")
    wait_for(lambda: "console: refused: queue.target_cannot_serve" in client.log_text(), "the refusal in the log")

    # To a window that serves it: recorded, and shown as the ticket's direction.
    gui.press_until(["alt+m"], lambda: dialog_title(), "the move dialog again")
    gui.focus_window(dialog_title())
    type_text("W02")
    gui.press_until(["Return"], lambda: dialog_title() is None, "the move dialog to close")
    wait_for_text("Ticket A002 moved to W02.", "the move confirmed", role="label")
    moved = wait_for(lambda: (lambda t: t if t["targetWindow"] == "W02" else None)(tickets()["A002"]),
                     "A002 directed to W02 in the database")
    check(moved["status"] == "waiting" and moved["transfers"] == 1, f"A002 waits for W02: {moved}")
    wait_for(lambda: row_of("A002")[4].startswith("W02"), "the ticket list shows A002 directed to W02")

    # Dragged onto a window of the floor: B002 goes to W04.
    drag_cell("B002", "W04")
    wait_for(lambda: tickets()["B002"]["targetWindow"] == "W04", "B002 dragged onto W04 in the database")
    wait_for_text("Ticket B002 moved to W04.", "the drag confirmed", role="label")

    # A case assigned from the keyboard: the earliest overdue one goes to clerk02 at W02 (a
    # general window, which serves every matter; a window that does not is refused, as
    # the model tests check).
    number = overdue[0]["number"]
    click_cell(number)
    gui.press_until(["alt+s"], lambda: dialog_title(), "the assign dialog")
    check(number in dialog_title(), f"the dialog assigns {number}: {dialog_title()}")
    gui.focus_window(dialog_title())
    type_text("clerk02")
    key("Tab")
    type_text("W02")
    gui.press_until(["Return"], lambda: dialog_title() is None, "the assign dialog to close")
    wait_for_text(f"Case {number} assigned to", "the assignment confirmed", role="label")
    state = wait_for(lambda: (lambda s: s if s["assignee"] == "clerk02" else None)(
        json.loads(owctl("--json", "cases", "show", number))), "the assignment in the database")
    check(state["window"] == "W02", f"the case is at window W02: {state['window']}")
    wait_for(lambda: row_of(number)[2] == names["clerk02"], "the list shows the new assignee")

    # A case dragged onto a window goes to whoever serves there: the next one to clerk01 at W01.
    second = overdue[1]["number"]
    check(overdue[1]["assignee"] != "clerk01", "the second overdue case is someone else's")
    drag_cell(second, "W01")
    state = wait_for(lambda: (lambda s: s if s["assignee"] == "clerk01" else None)(
        json.loads(owctl("--json", "cases", "show", second))), "the dragged case assigned to clerk01")
    check(state["window"] == "W01", f"the dragged case is at window W01: {state['window']}")

    # The conflicts inbox: both decisions side by side, who and when; keep the denial.
    wait_for(lambda: row_of(disputed), "the conflicted case in the inbox")
    click_cell(disputed)
    keep = wait_for(lambda: buttons("Keep this one") if len(buttons("Keep this one")) == 2 else None,
                    "a Keep this one button for each of the two decisions")
    texts = gui.shown_texts("label")
    check(any("approved" in t for t in texts) and any("denied" in t for t in texts),
          "both decisions are shown")
    check(sum(1 for t in texts if names["reviewer01"] in t) >= 2, "who decided each value is shown")
    check(any(t.startswith("on " + today[:4]) for t in texts), "when each value was decided is shown")
    gui.screenshot(f"{shots}/console-conflict.png")
    keep[1].queryAction().doAction(0)
    wait_for(lambda: not json.loads(owctl("--json", "cases", "show", disputed))["conflicts"],
             "the conflict resolved in the database")
    shown = json.loads(owctl("--json", "cases", "show", disputed))
    check(shown["status"] == "denied", f"the denial was kept: {shown['status']}")
    wait_for_text("Conflicts to resolve (0)", "the case to leave the inbox", role="label")
    check(cell_node(disputed) is None, "the resolved case is no longer listed")
    gui.screenshot(f"{shots}/console-resolved.png")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
