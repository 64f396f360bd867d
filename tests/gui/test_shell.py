"""The client's shell, driven by keyboard under Xvfb: login (wrong password, database
that does not answer, success), the main window's title and status bar, the work list,
opening a case by number (Ctrl+O), a change made by another workstation showing up in
the open tab within 2 s, search (Ctrl+F), the shortcuts (F1), and the layout being
remembered after quitting (Ctrl+Q). A screenshot of each screen is kept.
Usage: test_shell.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, key, type_text, wait_for, wait_for_text, wait_for_window  # noqa: E402


def run(ctx):
    scratch, shots = ctx["scratch"], ctx["artifacts"]
    db = gui.seed_centre(ctx, 40, 11)
    with open(f"{scratch}/wrong.pw", "w") as f:
        f.write("not-the-password\n")
    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)

    def start(*args):
        client = gui.Client(ctx["onewindow"], list(args), home)
        ctx["clients"].append(client)
        return client

    # A wrong password: the login dialog says so and stays.
    c = start("--db", db, "--user", "clerk01", "--password-file", f"{scratch}/wrong.pw")
    wait_for_window("log in")
    wait_for_text("password is wrong", "the login dialog to name the wrong password")
    gui.screenshot(f"{shots}/login-wrong-password.png")
    check("not-the-password" not in c.log_text(), "no password in the log")
    c.close()

    # A database that does not answer: a clear message and the way to the settings.
    c = start("--db", "postgresql://host=127.0.0.1 port=1 dbname=x user=nobody", "--user", "clerk01",
              "--password-file", f"{scratch}/wrong.pw")
    wait_for_text("does not answer", "the login dialog to say the database does not answer")
    check(any("Connection settings" in t for t in gui.shown_texts("push button")), "a Connection settings button")
    gui.screenshot(f"{shots}/login-database-down.png")
    c.close()

    # Logged in: title, status bar, work list.
    c = start("--db", db, "--user", "clerk01", "--password-file", f"{scratch}/clerk01.pw")
    title = wait_for_window("OneWindow — clerk01")[0]
    check("OneWindow" in title and "clerk01" in title, f"the title holds OneWindow and the user: {title}")
    wait_for_text("window staff", "the role in the status bar")
    wait_for_text("330102", "the centre in the status bar")
    wait_for_text("database online", "the database state in the status bar")
    counters = wait_for(lambda: [t for t in gui.shown_texts("label") if re.match(r"\d+ cases? · overdue", t)],
                        "the work list counters")[0]
    shown = int(counters.split()[0])
    listed = json.loads(gui.owctl(ctx["owctl"], "--db", db, "--json", "cases", "list").stdout)
    finished = {"refused", "approved", "denied", "terminated", "delivered", "withdrawn", "closed"}
    mine = [r for r in listed if r["assignee"] == "clerk01" and r["status"] not in finished]
    check(shown == len(mine), f"the work list counts clerk01's {len(mine)} open cases (shows {shown})")
    cells = gui.shown_texts("table cell")
    for r in mine:
        check(r["number"] in cells, f"case {r['number']} of clerk01 is in the work list")
    gui.screenshot(f"{shots}/main-window.png")

    # Ctrl+O opens a case by number in a tab.
    target = next(r for r in listed if r["status"] in ("accepted", "in_review"))
    key("ctrl+o")
    wait_for_window("Open case")
    type_text(target["number"])
    key("Return")
    wait_for_text(target["number"], "the case tab to show the case number", role="label")
    gui.screenshot(f"{shots}/case-tab.png")

    # Another workstation changes the case: the open tab shows it within 2 s.
    gui.owctl(ctx["owctl"], "--db", db, "cases", "suspend", target["number"], "--reason", "专家评审",
              "--as", "reviewer01")
    changed = time.monotonic()
    wait_for(lambda: any(target["number"] in t and "suspended" in t for t in gui.shown_texts()) or
             any(t == "suspended" for t in gui.shown_texts("label")),
             "the tab to show the suspension made elsewhere", timeout=2.0)
    check(time.monotonic() - changed <= 2.0, "the change shows within 2 s")

    # Ctrl+F: search by the beginning of a name; results in a list.
    name = target["applicantName"]
    key("ctrl+f")
    wait_for_text("Find", "the search tab", role="label")
    type_text(name[0])
    key("Return")
    found = wait_for(lambda: [t for t in gui.shown_texts("label") if re.match(r"\d+ cases? found", t)],
                     "the search result count")[0]
    check(int(found.split()[0]) >= 1, f"at least one case found for {name[0]}: {found}")
    check(target["number"] in gui.shown_texts("table cell"), "the case is among the results")
    gui.screenshot(f"{shots}/search.png")

    # Ctrl+L lists every case of the centre, newest first, a page at a time.
    gui.key("ctrl+l")
    total = wait_for(lambda: [t for t in gui.shown_texts("label") if re.match(r"\d+ cases? in the centre", t)],
                     "the count of all cases")[0]
    check(int(total.split()[0]) == len(listed), f"all {len(listed)} cases counted: {total}")
    newest = max(r["number"] for r in listed)
    wait_for(lambda: newest in gui.shown_texts("table cell"), "the newest case at the top of all cases")
    gui.screenshot(f"{shots}/all-cases.png")

    # F1 lists the shortcuts.
    key("F1")
    wait_for_window("Keyboard shortcuts")
    gui.screenshot(f"{shots}/shortcuts.png")
    key("Return")
    wait_for(lambda: not any("Keyboard shortcuts" in t for t in gui.window_titles()), "the shortcuts to close")

    # Ctrl+Q quits and the layout is remembered.
    key("ctrl+q")
    wait_for(lambda: not c.alive(), "the client to quit")
    config = open(os.path.join(home, ".config", "onewindow")).read() if os.path.exists(
        os.path.join(home, ".config", "onewindow")) else ""
    if not config:
        for root, _, files in os.walk(home):
            for f in files:
                if "onewindow" in f and not f.endswith((".db", ".log", "-wal", "-shm")):
                    config += open(os.path.join(root, f), errors="replace").read()
    check("Perspective" in config and "Width" in config, "the layout is remembered in the configuration")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
