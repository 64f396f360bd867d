"""The KPI dashboard under Xvfb: tickets issued, called and ended with owctl (with real
seconds of waiting and service between), ratings given; after logging in as manager01,
Ctrl+Shift+J opens the Dashboard tab. With "Today" chosen, the headline figures (tickets
issued and served, mean wait, satisfaction rate) and the table's total row equal what
`owctl report --format json` says for today; a ticket issued meanwhile shows up on its
own (the range includes today). Export CSV… (by its mnemonic, through GTK's file
chooser) writes a file Python's csv module reads, whose figures equal the JSON; Export
XLSX… a workbook of the five sheets. The
pages (charts over tables) are photographed in English and with --lang zh_CN, where the
figures are checked again.
Usage: test_dashboard.py ONEWINDOW OWCTL [SCREENSHOT_DIR]"""
import csv
import json
import os
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
import gui  # noqa: E402
from gui import check, key, type_text, wait_for, wait_for_window  # noqa: E402

# Tile captions in English and as the zh_CN catalog says them; until a caption is
# translated the client shows the English one, so both are looked for.
CAPTIONS = {
    "issued": ("Tickets issued", "取号数"),
    "served": ("Tickets served", "办理完成数"),
    "wait": ("Mean wait", "平均等候时长"),
    "satisfaction": ("Satisfaction rate", "满意率"),
    "open": ("Open follow-ups", "未办结差评数"),
}


def labels():
    return [t for _, name, text, _ in gui.nodes(role="label", showing_only=True) for t in [name or text] if t]


def figure(which):
    """The value shown under a tile's caption (the label after it), or None."""
    shown = labels()
    for caption in CAPTIONS[which]:
        if caption in shown:
            i = shown.index(caption)
            return shown[i + 1] if i + 1 < len(shown) else None
    return None


def info():
    """The line under the range bar: "Figures of <days> · <department> · …"."""
    return next((t for t in labels() if t.startswith("Figures of") or t.startswith("统计")), "")


def toggle(name):
    # A Chinese label carries its mnemonic after it: "今天(T)".
    found = [n for r, nm, _, n in gui.nodes(role="toggle button", showing_only=True)
             if nm == name or nm.startswith(name + "(")]
    return found[0] if found else None


def press_toggle(name):
    node = wait_for(lambda: toggle(name), f"the '{name}' period button")
    node.queryAction().doAction(0)


def select_page(*names):
    """Brings the dashboard's page whose tab is named one of `names` to the front."""
    def tab():
        for _, _, _, node in gui.nodes(role="page tab list", showing_only=True):
            for i in range(node.childCount):
                child = node.getChildAtIndex(i)
                if child is not None and (child.name or "") in names:
                    return node, i
        return None
    tabs, index = wait_for(tab, f"the dashboard page {names}")
    tabs.querySelection().selectChild(index)


def table_rows(first_cell):
    """The rows of the shown table having a row whose first cell is `first_cell`."""
    for _, _, _, node in gui.nodes(role="table", showing_only=True):
        try:
            t = node.queryTable()
            rows = [[(t.getAccessibleAt(r, c).name or "") for c in range(t.nColumns)] for r in range(t.nRows)]
        except Exception:
            continue
        if any(r and r[0] == first_cell for r in rows):
            return rows
    return None


def duration(seconds):
    """m:ss as the dashboard shows a time (h:mm:ss from an hour)."""
    total = int(seconds + 0.5)
    h, m, s = total // 3600, total % 3600 // 60, total % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def percent(fraction):
    return "—" if fraction is None else f"{fraction * 100:.1f}%"


def csv_sections(path):
    """The CSV export as {sheet English name: [records]} (heading records included)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    sections, current = {}, None
    for record in records:
        if not any(record):
            current = None
            continue
        if current is None:
            current = sections.setdefault(record[0], [])
            continue
        current.append(record)
    return sections


def run(ctx):
    scratch, shots, owctl_bin = ctx["scratch"], ctx["artifacts"], ctx["owctl"]
    db = gui.seed_centre(ctx, 30, 61)
    home = f"{scratch}/home"
    os.makedirs(home, exist_ok=True)

    def owctl(*args):
        return gui.owctl(owctl_bin, "--db", db, *args).stdout

    # The hall: tickets in three categories; some called after a real wait and served for a
    # while, one no-show, the rest still waiting. Waits and services last seconds, so that the
    # times are not all zero.
    issued = {}
    for category in ("A", "A", "A", "A", "B", "B", "C"):
        number, ticket_id = owctl("ticket", "issue", category).split()[:2]
        issued[number] = ticket_id
    time.sleep(2.0)

    def call(window, staff):
        return json.loads(owctl("ticket", "call", "--window", window, "--staff", staff))["ticket"]["number"]

    served = []
    first = call("W01", "clerk01")
    second = call("W03", "clerk02")
    time.sleep(1.5)
    for number, staff in ((first, "clerk01"), (second, "clerk02")):
        owctl("ticket", "end", number, "--staff", staff)
        served.append(number)
    third = call("W01", "clerk01")
    time.sleep(1.0)
    owctl("ticket", "end", third, "--staff", "clerk01")
    served.append(third)
    absent = call("W05", "clerk03")
    owctl("ticket", "no-show", absent, "--staff", "clerk03")
    for number, level in zip(served, (5, 4, 2)):
        owctl("rating", "give", "--window", "W03" if number == second else "W01", "--ticket", issued[number],
              "--level", str(level))

    today = json.loads(owctl("--json", "ticket", "list"))[0]["day"]

    def report():
        return json.loads(owctl("report", "--from", today, "--to", today, "--format", "json"))

    expected = report()
    tickets, ratings = expected["tickets"], expected["ratings"]
    check(tickets["served"] == 3 and tickets["issued"] == 7, f"owctl counts the hall as made: {tickets}")
    check(ratings["satisfactionRate"] is not None, f"a satisfaction rate for today: {ratings}")

    def open_dashboard(lang):
        client = gui.Client(ctx["onewindow"], ["--db", db, "--user", "manager01", "--password-file",
                                               f"{scratch}/manager01.pw", "--lang", lang], home)
        ctx["clients"].append(client)
        wait_for_window("OneWindow — manager01")
        gui.focus_window("OneWindow — manager01")
        gui.press_until(["ctrl+shift+j"], lambda: figure("issued"), "the dashboard opened by Ctrl+Shift+J",
                        timeout=10)
        return client

    def shows_today(issued_count):
        text = info()
        return (text and today in text and " to " not in text and "至" not in text
                and figure("issued") == str(issued_count))

    client = open_dashboard("en")
    press_toggle("Today")
    wait_for(lambda: shows_today(tickets["issued"]), f"today's figures ({today}, {tickets['issued']} issued)")
    check(toggle("Today").getState().contains(__import__("pyatspi").STATE_CHECKED), "Today is the chosen period")

    # The headline figures are the report's.
    check(figure("served") == str(tickets["served"]), f"tickets served {figure('served')} = {tickets['served']}")
    check(figure("wait") == duration(tickets["waitingSeconds"]["mean"]),
          f"mean wait {figure('wait')} = {tickets['waitingSeconds']['mean']} s")
    check(figure("satisfaction") == percent(ratings["satisfactionRate"]),
          f"satisfaction {figure('satisfaction')} = {ratings['satisfactionRate']}")
    check(figure("open") == str(ratings["openFollowUps"]), f"open follow-ups {figure('open')} = {ratings}")

    # The table of the first page: the total first, then each category.
    rows = wait_for(lambda: table_rows("All"), "the table of tickets by category")
    total = rows[0]
    check(total[:4] == ["All", str(tickets["issued"]), str(tickets["called"]), str(tickets["served"])],
          f"the total row {total[:4]} = {tickets}")
    by_category = {c["category"]: c for c in tickets["byCategory"]}
    for row in rows[1:]:
        code = row[0].split()[0]
        check(code in by_category and row[1] == str(by_category[code]["issued"]),
              f"category {code}: {row[:4]} = {by_category.get(code)}")
    check(len(rows) == 1 + len(by_category), f"one row per category: {rows}")
    gui.screenshot(f"{shots}/dashboard-today.png")

    # A ticket issued now counts on its own: the range includes today.
    owctl("ticket", "issue", "B")
    wait_for(lambda: shows_today(tickets["issued"] + 1), "the new ticket counted without a refresh", timeout=15)
    expected = report()
    tickets = expected["tickets"]

    # The other pages: windows, ratings (by level, bad ones in the accent), cases this year.
    select_page("Tickets by window")
    wait_for(lambda: table_rows("W01 1号窗口"), "the table of tickets by window")
    gui.screenshot(f"{shots}/dashboard-windows.png")
    select_page("Ratings")
    rated = wait_for(lambda: table_rows("All"), "the table of ratings")
    check(rated[0][1] == str(ratings["ratings"]), f"ratings in the total row {rated[0]} = {ratings['ratings']}")
    gui.screenshot(f"{shots}/dashboard-ratings.png")

    # Export CSV… by its mnemonic: a modal dialog must not be opened through accessibility.
    select_page("Tickets by category")
    target = f"{scratch}/exports/today.csv"
    os.makedirs(os.path.dirname(target), exist_ok=True)
    gui.focus_window("OneWindow — manager01")
    gui.press_until(["alt+s"], lambda: any("Export the figures as CSV" in t for t in gui.window_titles()),
                    "the save dialog of Export CSV…", timeout=10)
    gui.focus_window("Export the figures as CSV")
    # The name field holds the suggested name with its stem selected: replace all of it.
    key("ctrl+l")
    key("ctrl+a")
    type_text(target)
    key("Return")
    wait_for(lambda: os.path.exists(target), f"the CSV written to {target}")
    wait_for(lambda: any(t == f"Saved to {target}" for t in labels()), "the status line naming the file")
    sheets = csv_sections(target)
    summary = {r[0]: r[3] for r in sheets["Summary"][2:]}
    check(summary["period_from"] == today and summary["period_to"] == today, f"the export covers today: {summary}")
    check(summary["tickets_issued"] == str(tickets["issued"]) and summary["tickets_served"] == str(tickets["served"]),
          f"tickets in the CSV {summary['tickets_issued']}/{summary['tickets_served']} = {tickets}")
    check(summary["satisfaction_rate"] == f"{ratings['satisfactionRate']:.4f}",
          f"satisfaction in the CSV {summary['satisfaction_rate']} = {ratings['satisfactionRate']}")
    check(summary["waiting_mean_s"] == f"{tickets['waitingSeconds']['mean']:.1f}",
          f"mean wait in the CSV {summary['waiting_mean_s']} = {tickets['waitingSeconds']['mean']}")
    categories = {r[0]: r for r in sheets["Tickets by category"][2:]}
    for c in tickets["byCategory"]:
        row = categories.get(c["category"])
        check(row is not None and row[1:4] == [str(c["issued"]), str(c["called"]), str(c["served"])],
              f"category {c['category']} in the CSV {row} = {c}")
    check(categories["all"][1] == str(tickets["issued"]), f"the CSV's total row: {categories['all']}")
    gui.screenshot(f"{shots}/dashboard-exported.png")

    # Export XLSX… the same way: a workbook of the five sheets.
    workbook = f"{scratch}/exports/today.xlsx"
    gui.focus_window("OneWindow — manager01")
    gui.press_until(["alt+x"], lambda: any("Excel workbook" in t for t in gui.window_titles()),
                    "the save dialog of Export XLSX…", timeout=10)
    gui.focus_window("Excel workbook")
    key("ctrl+l")
    key("ctrl+a")
    type_text(workbook)
    key("Return")
    wait_for(lambda: any(t == f"Saved to {workbook}" for t in labels()), "the status line naming the workbook")
    with zipfile.ZipFile(workbook) as z:
        book = z.read("xl/workbook.xml").decode()
    for sheet in ("Summary", "Tickets by category", "Tickets by window", "Cases", "Ratings"):
        check(f'name="{sheet}"' in book, f"the workbook has the sheet {sheet}")

    # This year: the seeded cases, by department.
    press_toggle("This year")
    wait_for(lambda: info().startswith(f"Figures of {today[:4]}-01-01 to {today}"), "this year's figures")
    select_page("Cases by department")
    wait_for(lambda: table_rows("All"), "the table of cases by department")
    gui.screenshot(f"{shots}/dashboard-cases.png")
    check(client.alive(), "the client is still running")
    client.close()

    # In Chinese: the same figures, the pages photographed.
    client = open_dashboard("zh_CN")
    wait_for(lambda: info() and figure("issued") is not None, "the dashboard in Chinese")
    press_toggle("今天" if toggle("今天") else "Today")
    wait_for(lambda: shows_today(tickets["issued"]), "today's figures in Chinese")
    check(figure("served") == str(tickets["served"]) and figure("satisfaction") == percent(ratings["satisfactionRate"]),
          f"the figures in Chinese: {figure('served')}, {figure('satisfaction')}")
    gui.screenshot(f"{shots}/dashboard-today-zh_CN.png")
    select_page("Ratings", "好差评")
    wait_for(lambda: table_rows("全部") or table_rows("All"), "the ratings page in Chinese")
    gui.screenshot(f"{shots}/dashboard-ratings-zh_CN.png")
    press_toggle("今年" if toggle("今年") else "This year")
    wait_for(lambda: f"{today[:4]}-01-01" in info(), "this year's figures in Chinese")
    select_page("Cases by department", "办件（按部门）")
    wait_for(lambda: table_rows("全部") or table_rows("All"), "the cases page in Chinese")
    gui.screenshot(f"{shots}/dashboard-cases-zh_CN.png")
    check(client.alive(), "the Chinese client is still running")


if __name__ == "__main__":
    sys.exit(gui.main(run, sys.argv))
