"""The hall's public screen (onewindow --hall-display) under Xvfb, driven by owctl the way
the windows drive it: no login; a ticket called at a window shows large with its window
within a few seconds and is announced (OW_ANNOUNCE_COMMAND records the sentence instead
of speaking it); the call before it moves into the list of recent calls; a recall is
announced again and comes back to the top; the waiting counts per category follow the
queue; the window covers the screen. Then once more in Chinese (--lang zh_CN): the
window's Chinese name on screen and in the spoken sentence. Finally --timing
--quit-when-ready with an announcement program that does not exist: ready, then quits.
A screenshot of each screen is kept.
Usage: test_hall.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, wait_for, wait_for_window  # noqa: E402

# The English source of the headings stays on screen in both languages (in Chinese it is
# shown small beside the translation), so the screen can be split on it.
RECENT = "Recent calls"
WAITING = "People waiting"


def screen():
    """(the current call's texts, [(ticket, window)] of the recent calls, the strip's texts)."""
    texts = gui.shown_texts("label")
    if RECENT not in texts or WAITING not in texts:
        return None
    recent, waiting = texts.index(RECENT), texts.index(WAITING)
    listed = texts[recent + 1:waiting]
    pairs = [(t, listed[i + 1]) for i, t in enumerate(listed[:-1]) if re.fullmatch(r"[A-Z]\d{3}", t)]
    return texts[:recent], pairs, texts[waiting + 1:]


def showing(number, window):
    """The screen when `number` is the current call at `window`, else None."""
    s = screen()
    return s if s and number in s[0] and window in s[0] else None


def waiting_count(strip, category):
    """The number shown next to a category in the waiting strip."""
    for i, t in enumerate(strip):
        if t.startswith(category + "  ") and i + 1 < len(strip) and strip[i + 1].isdigit():
            return int(strip[i + 1])
    return None


def pixel(path, x, y):
    """(r, g, b) of one pixel of a screenshot."""
    out = subprocess.run(["convert", path, "-crop", f"1x1+{x}+{y}", "-depth", "8", "txt:-"], check=True,
                         capture_output=True, text=True).stdout
    return tuple(int(v) for v in re.search(r"\((\d+),(\d+),(\d+)", out).groups())


# A point inside the current call's panel, clear of its text, on the 1400×900 screen of gui.Display.
PANEL_POINT = (42, 630)


def lit(rgb):
    return rgb[0] > 200 and rgb[1] > 150 and rgb[2] < 100  # amber


def dark(rgb):
    return max(rgb) < 60


def run(ctx):
    scratch, shots, owctl_bin = ctx["scratch"], ctx["artifacts"], ctx["owctl"]
    db = gui.seed_centre(ctx, 5, 41)
    spoken = f"{scratch}/spoken.txt"
    recorder = f"{scratch}/record-announcement.sh"
    with open(recorder, "w") as f:
        f.write(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{spoken}'\n")
    os.chmod(recorder, 0o755)
    os.environ["OW_ANNOUNCE_COMMAND"] = recorder

    def owctl(*args, check_rc=True):
        return gui.owctl(owctl_bin, "--db", db, *args, check_rc=check_rc)

    def call(window, staff):
        r = owctl("ticket", "call", "--window", window, "--staff", staff, check_rc=False)
        check(r.returncode == 0, f"owctl ticket call --window {window} exits 0: {r.returncode} {r.stderr.strip()}")
        lines = r.stdout.strip().splitlines()
        check(len(lines) == 1, f"ticket call prints one JSON line: {r.stdout!r}")
        ticket = json.loads(lines[0])["ticket"]
        check(ticket and ticket["window"] == window, f"a ticket called to {window}: {lines[0]}")
        return ticket["number"]

    def sentences():
        if not os.path.exists(spoken):
            return []
        with open(spoken, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]

    def announced(number, window, times=1):
        return wait_for(lambda: len([s for s in sentences() if number in s and window in s]) >= times,
                        f"{number} at {window} announced {times}×: {sentences()}", timeout=10)

    def waiting_in(category):
        listed = json.loads(owctl("--json", "ticket", "list", "--status", "waiting").stdout)
        return len([t for t in listed if t["category"] == category])

    def start(name, *args):
        """The display, in a home of its own (so each run has its own log)."""
        home = f"{scratch}/{name}"
        os.makedirs(home, exist_ok=True)
        client = gui.Client(ctx["onewindow"], ["--hall-display", "--db", db, *args], home)
        ctx["clients"].append(client)
        wait_for(lambda: screen(), "the display's headings in the accessibility tree", timeout=30)
        return client

    for category in ("A", "A", "A", "B", "C"):
        owctl("ticket", "issue", category)

    # Nobody called yet: the hint to take a ticket, and the people waiting per category.
    c = start("en", "--lang", "en")
    wait_for_window("hall display")
    gui.wait_for_text("Please take a ticket", "the hint while nobody has been called")
    wait_for(lambda: waiting_count(screen()[2], "A") == 3, f"3 waiting for A in the strip: {screen()}")
    check(waiting_count(screen()[2], "B") == 1, "1 waiting for B")
    check(waiting_count(screen()[2], "F") == 0, "0 waiting for F")
    geometry = gui.xdotool("search", "--onlyvisible", "--name", "hall display", "getwindowgeometry")
    size = re.search(r"Position: (-?\d+),(-?\d+).*Geometry: (\d+)x(\d+)", geometry, re.S)
    check(size and int(size.group(1)) <= 0 and int(size.group(2)) <= 0 and int(size.group(3)) >= 1400
          and int(size.group(4)) >= 900, f"the display covers the whole screen: {geometry.strip()}")
    gui.screenshot(f"{shots}/hall-nobody-called.png")

    check(dark(pixel(f"{shots}/hall-nobody-called.png", *PANEL_POINT)), "a dark screen while nobody is called")

    # A ticket is called: large on screen with its window, lit for a few seconds, and announced.
    first = call("W01", "clerk01")
    wait_for(lambda: showing(first, "Window W01"), f"{first} → Window W01 as the current call", timeout=5)
    shot = gui.screenshot(f"{shots}/hall-first-call.png")
    check(lit(pixel(shot, *PANEL_POINT)), f"the new call is highlighted: {pixel(shot, *PANEL_POINT)}")
    announced(first, "W01")
    wait_for(lambda: f"hall: calling {first} to W01" in c.log_text(), "the announcement in the log")
    wait_for(lambda: waiting_count(screen()[2], "A") == waiting_in("A"), "the A count to drop")
    wait_for(lambda: dark(pixel(gui.screenshot(f"{shots}/hall-first-call-later.png"), *PANEL_POINT)),
             "the highlight to run out", timeout=15, interval=0.5)
    check(showing(first, "Window W01"), f"{first} is still the current call once no longer highlighted")

    # The next call takes its place; the first moves into the list of recent calls.
    second = call("W02", "clerk02")
    s = wait_for(lambda: showing(second, "Window W02"), f"{second} → Window W02 as the current call", timeout=5)
    check(s[1][:1] == [(first, "Window W01")], f"{first} at Window W01 heads the recent calls: {s[1]}")
    check(first not in s[0], f"{first} is no longer the current call: {s[0]}")
    announced(second, "W02")

    # A recall is announced again and brings the ticket back to the top.
    owctl("ticket", "recall", first, "--staff", "clerk01")
    announced(first, "W01", times=2)
    s = wait_for(lambda: showing(first, "Window W01"), f"the recalled {first} as the current call", timeout=5)
    check(s[1][:1] == [(second, "Window W02")], f"{second} heads the recent calls after the recall: {s[1]}")

    # A busier hall: more calls fill the list, newest first.
    for category in ("B", "C", "D", "A"):
        owctl("ticket", "issue", category)
    order = [first, second]
    for window, staff in (("W03", "clerk03"), ("W05", "clerk05"), ("W07", "clerk07"), ("W01", "clerk01")):
        order.append(call(window, staff))
    last = order[-1]
    s = wait_for(lambda: showing(last, "Window W01"), f"{last} as the current call", timeout=5)
    wait_for(lambda: [p[0] for p in screen()[1]][:3] == order[-2:-5:-1],
             f"the recent calls newest first: {order[-2:-5:-1]} ({screen()[1]})", timeout=5)
    check(waiting_count(screen()[2], "A") == waiting_in("A"), "the A count matches the queue")
    gui.screenshot(f"{shots}/hall-calling.png")
    announced(last, "W01")
    check("clerk" not in "".join(line for line in c.log_text().splitlines() if "hall:" in line),
          "announcements are logged with the ticket and window only")
    c.close()

    # In Chinese: the window's Chinese name, on screen and in the spoken sentence.
    before = len(sentences())
    c = start("zh_CN", "--lang", "zh_CN")
    wait_for(lambda: showing(last, "1号窗口"), f"{last} → 1号窗口 after a restart in Chinese")
    owctl("ticket", "issue", "E")
    chinese = call("W09", "clerk09")
    wait_for(lambda: showing(chinese, "9号窗口"), f"{chinese} → 9号窗口", timeout=5)
    s = screen()
    check((last, "1号窗口") in s[1], f"{last} at 1号窗口 among the recent calls: {s[1]}")
    announced(chinese, "9号窗口")
    check(len(sentences()) == before + 1, f"a restart announces nothing again: {sentences()[before:]}")
    gui.screenshot(f"{shots}/hall-calling-zh_CN.png")
    c.close()

    # --timing --quit-when-ready: the first answer on screen, then it quits; an announcement
    # program that is missing is logged once and the display carries on.
    os.environ["OW_ANNOUNCE_COMMAND"] = f"{scratch}/no-such-speaker"
    home = f"{scratch}/timing"
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/.config", XDG_DATA_HOME=f"{home}/.local/share",
               SPDLOG_LEVEL="info")
    r = subprocess.run([ctx["onewindow"], "--hall-display", "--db", db, "--timing", "--quit-when-ready"],
                       env=env, capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, f"--quit-when-ready quits cleanly: {r.returncode} {r.stderr[-500:]}")
    check(re.search(r"^ready_ms \d+$", r.stdout, re.M), f"ready_ms printed: {r.stdout!r}")
    check((r.stdout + r.stderr).count("no-such-speaker") == 1, f"the missing program is logged once: {r.stdout}")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
