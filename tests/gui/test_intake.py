"""Intake end to end by keyboard under Xvfb: the real-estate-transfer bundle (二手房交易
一件事) from the simulated ID-card reader to the acceptance notice, then the database
holds the case with the expected events and the PDF holds its number. Also bad input:
an ID number with a wrong check digit shows the reason as it is typed, and carrying out
with no matter chosen says what is missing. Prints the keystrokes the clerk needed.
Usage: test_intake.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, wait_for, wait_for_text, wait_for_window  # noqa: E402

CASE = re.compile(r"330102-\d{8}-\d{6}")


def resident_id(first17):
    """The 18-character resident ID with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def run(ctx):
    scratch, shots = ctx["scratch"], ctx["artifacts"]
    db = gui.seed_centre(ctx, 5, 21)
    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)
    card = f"{scratch}/card.json"
    os.environ["OW_SIMULATED_ID_CARD"] = card
    client = gui.Client(ctx["onewindow"], ["--db", db, "--user", "clerk01", "--password-file",
                                           f"{scratch}/clerk01.pw"], home)
    ctx["clients"].append(client)
    wait_for_window("OneWindow — clerk01")
    wait_for_text("database online")

    keystrokes = 0

    def key(k):
        nonlocal keystrokes
        gui.key(k)
        keystrokes += 1

    # Bad input first, in a tab of its own: a card whose ID number has a wrong check digit
    # (the right one would be X) is named at once, and carrying out with no matter chosen
    # says what is missing. The simulated reader reads the card file at each read.
    with open(card, "w") as f:
        json.dump({"name": "张三", "idNumber": "110101199003071234", "address": "北京市东城区"}, f)
    gui.key("F3")
    wait_for_text("Applicant", "the intake tab")
    gui.press_until(["alt+r"], lambda: "张三" in " ".join(gui.shown_texts()), "the card read")
    wait_for_text("check digit is wrong", "the reason of the wrong check digit")
    gui.screenshot(f"{shots}/intake-check-digit.png")
    gui.key("ctrl+Return")
    wait_for(lambda: [t for t in gui.shown_texts() if "matter" in t.lower() and ("choose" in t.lower()
                                                                                  or "no matter" in t.lower())],
             "carrying out with no matter chosen to say so")
    gui.screenshot(f"{shots}/intake-nothing-chosen.png")
    with open(card, "w") as f:
        json.dump({"name": "陈秀兰", "idNumber": resident_id("33010219560312124"), "address": "杭州市上城区"}, f)

    # The real-estate-transfer bundle, keyboard only, counted.
    key("F3")
    wait_for_text("Applicant", "a new intake tab")
    key("alt+r")  # read the ID card: 陈秀兰
    wait_for_text("陈秀兰", "the applicant read from the ID card")
    key("alt+b")  # the bundle choice
    key("Down")  # 二手房交易一件事
    wait_for_text("二手房交易", "the bundle chosen")
    wait_for_text("存量房买卖合同", "the merged checklist")
    gui.screenshot(f"{shots}/intake-bundle.png")
    key("alt+3")  # the first missing material
    key("space")  # 不动产权证书 handed over
    key("Down")
    key("space")  # 存量房买卖合同 handed over
    wait_for_text("Ctrl+Enter opens the case", "the decision to be ready")
    known = {m.group(0) for t in gui.shown_texts() for m in CASE.finditer(t)}
    key("ctrl+Return")  # open the case and accept
    number = wait_for(lambda: [m.group(0) for t in gui.shown_texts() for m in CASE.finditer(t)
                               if m.group(0) not in known], "the new case number in the tab")[0]
    gui.screenshot(f"{shots}/intake-accepted.png")
    key("Return")  # save the acceptance notice…
    wait_for_window("Save")
    gui.screenshot(f"{shots}/intake-save-dialog.png")
    gui.focus_window("Save the document")
    # …in the documents folder (the desktop's, else the home folder), named with its
    # number. A Return that reaches the dialog before it takes the focus is pressed again.
    keystrokes += 1
    # A key that reaches the dialog before GTK has given it the focus is lost (Xvfb has
    # no window manager): Return is pressed again until the dialog has closed.
    gui.press_until(["Return"], lambda: not any("Save the document" in t for t in gui.window_titles()),
                    "the save dialog to close", attempts=4, timeout=3)
    pdf = wait_for(lambda: glob.glob(f"{home}/**/{number}-SL-1*.pdf", recursive=True), "the acceptance notice PDF")[0]
    wait_for_text("recorded", "the document recorded on the case")
    gui.screenshot(f"{shots}/intake-document-saved.png")
    print(f"keystrokes {keystrokes}")
    check(keystrokes <= 12, f"the bundle is taken in with at most 12 keystrokes ({keystrokes})")

    # The database holds the case and its events.
    state = json.loads(gui.owctl(ctx["owctl"], "--db", db, "--json", "cases", "show", number).stdout)
    check(state["status"] == "accepted", f"the case is accepted ({state['status']})")
    check(state["applicant"]["name"] == "陈秀兰", "the applicant from the ID card")
    codes = sorted(m["code"] for m in state["matters"])
    check(codes == ["330102-BDC-001", "330102-SDQ-001", "330102-SW-001"], f"the bundle's three matters: {codes}")
    received = {m["code"] for m in state["materials"] if m.get("received")}
    check({"property_certificate", "sale_contract"} <= received, f"the ticked materials received: {received}")
    docs = state.get("documents", [])
    check(any(d["kind"] == "acceptance_notice" and d["number"] == f"{number}-SL-1" for d in docs),
          f"the acceptance notice recorded: {docs}")
    check(state["eventCount"] == 3, f"opened, accepted, document issued: {state['eventCount']} events")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    check(number in text and "受理通知书" in text, "the PDF holds the title and the case number")
    check("110101199003071234" not in text, "no full ID number in the PDF")
    gui.owctl(ctx["owctl"], "--db", db, "verify")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
