"""The queue at the counter under Xvfb: F2 calls the next ticket (the elderly one ahead
of earlier walk-ins) and opens its intake tab; recall and end reach the database; a
ticket passed on to a colleague with a half-done intake opens at the colleague's window,
restored, when they press F2; nobody waiting is said so.
Usage: test_queue.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, wait_for, wait_for_text, wait_for_window  # noqa: E402
from test_intake import resident_id  # noqa: E402


def tickets(ctx, db):
    listed = json.loads(gui.owctl(ctx["owctl"], "--db", db, "--json", "ticket", "list").stdout)
    return {t["number"]: t for t in listed}


def start(ctx, db, user, window, home):
    client = gui.Client(ctx["onewindow"], ["--db", db, "--user", user, "--password-file",
                                           f"{ctx['scratch']}/{user}.pw", "--workstation", window], home)
    ctx["clients"].append(client)
    wait_for_window(f"OneWindow — {user}")
    return client


def run(ctx):
    scratch, shots = ctx["scratch"], ctx["artifacts"]
    db = gui.seed_centre(ctx, 10, 7)
    for priority in ("normal", "normal", "elderly"):
        gui.owctl(ctx["owctl"], "--db", db, "ticket", "issue", "A", "--priority", priority)
    home = f"{scratch}/home1"
    os.makedirs(home, exist_ok=True)
    card = f"{scratch}/card.json"
    os.environ["OW_SIMULATED_ID_CARD"] = card
    with open(card, "w") as f:
        json.dump({"name": "李四光", "idNumber": resident_id("11010519491231002"), "address": "北京市朝阳区"}, f)
    first = start(ctx, db, "clerk01", "W01", home)
    wait_for_text("3 waiting for this window", "the queue pane's waiting count")
    gui.screenshot(f"{shots}/queue-idle.png")

    # F2: the elderly A003 goes first, and its intake tab opens.
    gui.press_until(["F2"], lambda: [t for t in gui.shown_texts("label") if t == "A003"], "A003 called")
    # (Notebook tab titles are drawn, not exposed: the tab's own sections show it opened.)
    wait_for_text("Applicant", "the intake tab of the called ticket")
    t = wait_for(lambda: (lambda ts: ts if ts["A003"]["status"] == "called" else None)(tickets(ctx, db)),
                 "A003 called in the database")
    check(t["A003"]["window"] == "W01" and t["A003"]["staff"] == "clerk01", f"A003 called to W01 by clerk01: {t['A003']}")
    gui.press_button("Recall")  # (the button; Shift+F2 is checked below)
    wait_for(lambda: tickets(ctx, db)["A003"]["recalls"] == 1, "the recall in the database")
    wait_for_text("recalled 1 time", "the recall shown under the ticket")
    gui.screenshot(f"{shots}/queue-serving.png")
    gui.press_until(["shift+F2"], lambda: tickets(ctx, db)["A003"]["recalls"] == 2, "the second recall by key")
    gui.press_until(["F4"], lambda: tickets(ctx, db)["A003"]["status"] == "ended", "A003 ended by F4")
    wait_for_text("No ticket", "the pane without a ticket")

    # A001 next: the clerk starts its intake, then passes it on to clerk02.
    gui.press_until(["F2"], lambda: [t for t in gui.shown_texts("label") if t == "A001"], "A001 called")
    wait_for_text("Applicant", "A001's intake tab")
    gui.press_button("Read ID card")
    wait_for(lambda: [t for r, n, t, _ in gui.nodes(role="text", showing_only=True) if t == "李四光"],
             "the card read into the form")
    # (A button that opens a modal dialog is pressed by key: the accessibility action
    # would wait inside the dialog's loop.)
    gui.press_until(["ctrl+shift+p"], lambda: [t for t in gui.window_titles() if "A001" in t and "OneWindow" not in t],
                    "the pass-on dialog")
    title = [t for t in gui.window_titles() if "A001" in t and "OneWindow" not in t][0]
    gui.focus_window(title)
    # Colleagues come first in the list: clerk02 is selected, Enter passes it on.
    wait_for_text("Colleague clerk02", "clerk02 offered first")
    gui.screenshot(f"{shots}/queue-pass-on.png")
    gui.key("Return")
    moved = wait_for(lambda: (lambda a: a if a["status"] == "waiting" else None)(tickets(ctx, db)["A001"]),
                     "A001 back in the queue")
    check(moved["targetStaff"] == "clerk02", f"A001 passed on to clerk02: {moved}")
    check(moved["draft"].get("applicant", {}).get("name") == "李四光", "the half-done intake travels with the ticket")
    first.close()

    # clerk02 at W02 calls it first (ahead of A002), restored.
    home2 = f"{scratch}/home2"
    os.makedirs(home2, exist_ok=True)
    start(ctx, db, "clerk02", "W02", home2)
    gui.press_until(["F2"], lambda: [t for t in gui.shown_texts("label") if t == "A001"], "A001 called at W02")
    wait_for_text("Applicant", "the passed-on intake tab")
    wait_for(lambda: [t for r, n, t, _ in gui.nodes(role="text", showing_only=True) if t == "李四光"],
             "the applicant's name restored from the draft")
    gui.screenshot(f"{shots}/queue-restored.png")
    gui.press_button("Call next")
    wait_for(lambda: tickets(ctx, db)["A002"]["status"] == "called", "A002 called next, A001 ended")
    check(tickets(ctx, db)["A001"]["status"] == "ended", "calling the next ticket ended A001")
    gui.press_button("Call next")
    wait_for_text("Nobody is waiting for this window.", "the empty queue said so")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
