"""The rating pad facing the applicant (onewindow --evaluator --workstation W01) under Xvfb,
driven by owctl the way the windows drive it: no login; the pad covers the screen and
waits, naming its window; when a ticket ends at W01 the pad asks for its rating, naming
the staff member who served (a service ending at another window meanwhile changes nothing);
the key for 不满意 (2), a comment and Enter rate it; "thank you", then waiting again;
owctl finds the rating stored once (level 2, the ticket, clerk01, W01, a follow-up
open). The next service is offered next and rated by touch (a click on 非常满意, on
"anonymously" and on Submit). A service rated by another channel meanwhile is dropped.
Then once more in Chinese (--lang zh_CN): the window's Chinese name. A screenshot of each
screen is kept.
Usage: test_evaluator.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, key, type_text, wait_for, wait_for_text, wait_for_window  # noqa: E402

IDLE = "Please rate our service after it ends."
THANKS = "Thank you for your rating!"


def asking(number):
    return f"Please rate the service of ticket {number}"


def labels():
    return gui.shown_texts("label")


def idle_shown():
    texts = labels()
    return IDLE in texts and not any(t.startswith("Please rate the service of ticket") for t in texts)


def button(name, role="toggle button"):
    """The AT-SPI node of the button called `name` that is on screen."""
    found = [n for r, nm, _, n in gui.nodes(role=role, showing_only=True) if nm == name]
    return found[0] if found else None


def atspi():
    import pyatspi  # imported late: gui.main skips the test when it is missing
    return pyatspi


def level_buttons():
    """The five level buttons on screen, left to right."""
    return [n for _, _, _, n in gui.nodes(role="toggle button", showing_only=True)]


def focus(title_fragment):
    """The keyboard focus to the visible window titled …title_fragment… (no window manager)."""
    gui.xdotool("search", "--sync", "--onlyvisible", "--name", title_fragment, "windowfocus", "--sync")


def click(node):
    """A tap: the mouse clicks the middle of the widget (Xvfb has one pointer, like a touch screen)."""
    box = node.queryComponent().getExtents(atspi().DESKTOP_COORDS)
    gui.xdotool("mousemove", "--sync", str(box.x + box.width // 2), str(box.y + box.height // 2), "click", "1")


def run(ctx):
    scratch, shots, owctl_bin = ctx["scratch"], ctx["artifacts"], ctx["owctl"]
    db = gui.seed_centre(ctx, 3, 53)
    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)

    def owctl(*args, check_rc=True):
        return gui.owctl(owctl_bin, "--db", db, *args, check_rc=check_rc)

    def serve(window, staff):
        """A ticket issued, called to `window` and ended there; returns its (number, id)."""
        number, ticket_id = owctl("ticket", "issue", "A").stdout.split()[:2]
        called = json.loads(owctl("ticket", "call", "--window", window, "--staff", staff).stdout.strip())
        check(called["ticket"]["number"] == number, f"{number} called to {window}: {called}")
        owctl("ticket", "end", number, "--staff", staff)
        return number, ticket_id

    def ratings():
        return json.loads(owctl("--json", "rating", "list").stdout)

    def start(*args):
        client = gui.Client(ctx["onewindow"], ["--evaluator", "--workstation", "W01", "--db", db, *args], home)
        ctx["clients"].append(client)
        return client

    names = {u["user"]: u["name"] for u in json.loads(owctl("--json", "users", "list").stdout)}

    # Waiting: the window and what the pad is for, over the whole screen.
    c = start("--lang", "en")
    wait_for_window("service rating")
    wait_for_text(IDLE, "the pad's idle sentence")
    wait_for_text("Window W01", "the pad names its window", role="label")

    def covers_screen():
        out = gui.xdotool("search", "--onlyvisible", "--name", "service rating", "getwindowgeometry")
        at = re.search(r"Position: (-?\d+),(-?\d+)", out)
        size = re.search(r"Geometry: (\d+)x(\d+)", out)
        return (at and size and (int(at.group(1)), int(at.group(2))) == (0, 0)
                and int(size.group(1)) >= 1400 and int(size.group(2)) >= 900)
    wait_for(covers_screen, "the pad to cover the whole 1400×900 screen", timeout=10)
    check(not any("Log in" in t for t in gui.window_titles()), f"no login: {gui.window_titles()}")
    gui.screenshot(f"{shots}/evaluator-idle.png")

    # A service ending here is offered; one ending at another window afterwards is not this
    # pad's business (the rating below goes to the service of W01).
    first, first_id = serve("W01", "clerk01")
    wait_for_text(asking(first), f"the pad to ask for the rating of {first}", role="label")
    wait_for_text(f"Served by {names['clerk01']}", "the staff member's name under the question", role="label")
    elsewhere, elsewhere_id = serve("W02", "clerk02")
    shown = gui.shown_texts("toggle button")
    levels = ["Very satisfied", "Satisfied", "Fairly satisfied", "Dissatisfied", "Very dissatisfied"]
    check([t for t in shown if t in levels] == levels, f"the five levels left to right from very satisfied: {shown}")
    check(not button("Submit rating", "push button").getState().contains(atspi().STATE_ENABLED),
          "Submit waits for a level")
    check(any(t == "Rate anonymously" for t in gui.shown_texts("check box")), "the anonymous check box")
    gui.screenshot(f"{shots}/evaluator-asking.png")

    # From the keyboard: 2 is 不满意; the comment takes what is typed next; Enter submits.
    focus("service rating")
    gui.press_until(["2"], lambda: "Your rating: Dissatisfied" in labels(), "the level chosen by the key 2")
    comment = "Waited long at the counter"
    type_text(comment)
    wait_for(lambda: any(t == comment for r, _, t, _ in gui.nodes(role="text", showing_only=True)),
             "the comment typed into its field")
    gui.screenshot(f"{shots}/evaluator-chosen.png")
    key("Return")
    wait_for_text(THANKS, "the thank-you after submitting", role="label")
    wait_for_text("follow it up", "the promise to follow up a bad rating", role="label")
    gui.screenshot(f"{shots}/evaluator-thanks.png")
    wait_for(idle_shown, "the pad to wait for the next service again", timeout=15)

    stored = [r for r in ratings() if r["ticket"] == first_id]
    check(len(stored) == 1, f"{first} rated once: {stored}")
    r = stored[0]
    check((r["level"], r["staff"], r["window"], r["channel"]) == (2, "clerk01", "W01", "evaluator"),
          f"level 2 by clerk01 at W01 through the evaluator: {r}")
    check(r["comment"] == comment and r["anonymous"] is False, f"the comment, real-name: {r}")
    check(f"rating of {elsewhere}" not in c.log_text() and not [r for r in ratings() if r["ticket"] == elsewhere_id],
          f"{elsewhere}, ended at W02, was neither offered nor rated here")
    open_ids = [o["id"] for o in json.loads(owctl("--json", "rating", "list", "--open").stdout)]
    check(r["id"] in open_ids and r["followUpDue"], f"a follow-up open for the bad rating: {open_ids}")

    # The next service is offered next; rated by touch this time, anonymously.
    second, second_id = serve("W01", "clerk01")
    wait_for_text(asking(second), f"the pad to ask for the rating of {second}", role="label")
    click(wait_for(lambda: button("Very satisfied"), "the Very satisfied button"))
    wait_for(lambda: "Your rating: Very satisfied" in labels(), "the level chosen by a tap")
    click(wait_for(lambda: button("Rate anonymously", "check box"), "the anonymous check box"))
    wait_for(lambda: button("Rate anonymously", "check box").getState().contains(atspi().STATE_CHECKED),
             "anonymous ticked")
    click(wait_for(lambda: button("Submit rating", "push button"), "the Submit button"))
    wait_for_text(THANKS, "the thank-you after a tap on Submit", role="label")
    wait_for(idle_shown, "waiting again", timeout=15)
    stored = [r for r in ratings() if r["ticket"] == second_id]
    check(len(stored) == 1 and stored[0]["level"] == 5 and stored[0]["anonymous"] is True,
          f"{second} rated 5, anonymously, once: {stored}")
    check(len([r for r in ratings() if r["ticket"] == first_id]) == 1, f"{first} still rated once")
    check(second_id not in [o["ticket"] for o in json.loads(owctl("--json", "rating", "list", "--open").stdout)],
          "no follow-up for a good rating")

    # A service rated meanwhile by another channel is no longer offered.
    third, third_id = serve("W01", "clerk01")
    wait_for_text(asking(third), f"the pad to ask for the rating of {third}", role="label")
    owctl("rating", "give", "--window", "W01", "--ticket", third_id, "--level", "4")
    wait_for(idle_shown, f"the pad to drop {third}, rated elsewhere", timeout=10)
    check(len([r for r in ratings() if r["ticket"] == third_id]) == 1, f"{third} rated once")
    c.close()

    # In Chinese: the window's Chinese name; the service ended here is offered after a
    # restart. (Checked without the pad's own sentences, whichever way they are worded.)
    fourth, fourth_id = serve("W01", "clerk01")
    c = start("--lang", "zh_CN")
    wait_for(lambda: any(fourth in t for t in labels()), f"{fourth} offered after a restart in Chinese")
    wait_for(lambda: "1号窗口" in labels(), "the window's Chinese name in the bar")
    check(any(names["clerk01"] in t for t in labels()), f"the staff member's name: {labels()}")
    gui.screenshot(f"{shots}/evaluator-asking-zh_CN.png")
    focus("OneWindow")
    # The third button from the left is 基本满意 (3).
    gui.press_until(["3"], lambda: level_buttons()[2].getState().contains(atspi().STATE_CHECKED),
                    "基本满意 chosen by the key 3")
    gui.screenshot(f"{shots}/evaluator-chosen-zh_CN.png")
    key("Return")
    wait_for(lambda: not any(fourth in t for t in labels()) and not level_buttons(), f"{fourth} rated in Chinese",
             timeout=10)
    gui.screenshot(f"{shots}/evaluator-thanks-zh_CN.png")
    # Waiting: the window's name both in the bar and large in the middle.
    wait_for(lambda: labels().count("1号窗口") == 2, "waiting again, under 1号窗口", timeout=15)
    gui.screenshot(f"{shots}/evaluator-idle-zh_CN.png")
    stored = [r for r in ratings() if r["ticket"] == fourth_id]
    check(len(stored) == 1 and stored[0]["level"] == 3 and stored[0]["window"] == "W01",
          f"the Chinese pad's rating stored once: {stored}")
    check(c.alive(), "the pad is still running")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
