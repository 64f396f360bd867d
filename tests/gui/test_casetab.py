"""The case tab under Xvfb: the actions a window clerk's role allows are offered and the
others are not; a refused action shows the model's reason in the tab (and in the log),
here Resume pressed on a case that another workstation resumed meanwhile; a note written
from the tab is in the database afterwards.
Usage: test_casetab.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, wait_for, wait_for_text, wait_for_window  # noqa: E402


def run(ctx):
    scratch, shots = ctx["scratch"], ctx["artifacts"]
    db = gui.seed_centre(ctx, 30, 31)
    listed = json.loads(gui.owctl(ctx["owctl"], "--db", db, "--json", "cases", "list").stdout)
    target = next(r for r in listed if r["status"] in ("accepted", "in_review", "accepted_deficient"))
    number = target["number"]
    gui.owctl(ctx["owctl"], "--db", db, "cases", "suspend", number, "--reason", "专家评审", "--as", "reviewer01")

    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)
    client = gui.Client(ctx["onewindow"], ["--db", db, "--user", "clerk01", "--password-file",
                                           f"{scratch}/clerk01.pw"], home)
    ctx["clients"].append(client)
    wait_for_window("OneWindow — clerk01")
    gui.key("ctrl+o")
    wait_for_window("Open case")
    gui.focus_window("Open case")
    gui.type_text(number)
    gui.key("Return")
    wait_for_text("suspended", "the case tab to show the suspended case", role="label")

    # The role decides what is offered: a clerk resumes and adds notes, but neither
    # completes back-office steps nor terminates.
    buttons = wait_for(lambda: gui.shown_texts("push button"), "the action buttons")
    check(any("Resume" in b for b in buttons), f"Resume is offered to a clerk: {buttons}")
    check(any("Add note" in b for b in buttons), "Add note is offered to a clerk")
    check(not any("Terminate" in b for b in buttons), f"Terminate is not offered to a clerk: {buttons}")
    check(not any("Complete" in b for b in buttons), "Complete step is not offered to a clerk")
    gui.screenshot(f"{shots}/case-suspended.png")

    # Resume asked here while another workstation resumes the case: the model refuses.
    gui.press_until(["alt+u"], lambda: len(gui.window_titles()) > 1, "the resume dialog")
    gui.owctl(ctx["owctl"], "--db", db, "cases", "resume", number, "--as", "reviewer01")
    title = next(t for t in gui.window_titles() if "OneWindow" not in t)
    gui.focus_window(title)
    gui.press_until(["Return"], lambda: len(gui.window_titles()) == 1, "the resume dialog to close")
    wait_for_text("is not suspended", "the model's reason in the tab")
    gui.screenshot(f"{shots}/case-action-refused.png")
    wait_for(lambda: "action refused: case.not_suspended" in client.log_text(), "the refusal in the log")
    state = json.loads(gui.owctl(ctx["owctl"], "--db", db, "--json", "cases", "show", number).stdout)
    resumes = state["eventCount"]

    # A note from the tab reaches the database.
    gui.press_until(["alt+a"], lambda: len(gui.window_titles()) > 1, "the note dialog")
    title = next(t for t in gui.window_titles() if "OneWindow" not in t)
    gui.focus_window(title)
    gui.type_text("applicant called about the progress")
    gui.key("alt+s")
    wait_for(lambda: len(gui.window_titles()) == 1, "the note dialog to close")
    after = wait_for(lambda: (lambda s: s if s["notes"] == 1 else None)(json.loads(
        gui.owctl(ctx["owctl"], "--db", db, "--json", "cases", "show", number).stdout)), "the note in the database")
    check(after["eventCount"] == resumes + 1, "exactly one event written by the note, none by the refusal")
    wait_for_text("applicant called about the progress", "the note in the timeline")
    gui.screenshot(f"{shots}/case-note.png")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
