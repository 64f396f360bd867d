"""The desktop client on a big centre: start-up to a usable main window, resident
memory and opening a case tab, measured on the real client (`onewindow --timing`)
under Xvfb, each the median of several runs, against raw baselines measured in the
same run: a bare wxWidgets frame (start-up, memory) and the store's own findCase of
the same case (opening a tab).
Usage: bench_client.py BIN_DIR [--cases N] [--runs R]"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "gui"))
import gui  # noqa: E402


def line(name, figure, unit, target, baseline, higher_is_better=False):
    if baseline > 0 and figure > 0:
        ratio = figure / baseline if higher_is_better else baseline / figure
    else:
        ratio = 0.0
    if target <= 0:
        verdict = "info"
    else:
        verdict = "PASS" if (figure >= target if higher_is_better else figure <= target) else "FAIL"
    sign = ">=" if higher_is_better else "<="
    print(f"BENCH {name:<52} {figure:12.2f} {unit:<7} target {sign}{target:<8.2f} baseline {baseline:12.2f} "
          f"ratio {ratio:6.3f} {verdict}", flush=True)
    return verdict != "FAIL"


def measure(command, env, keys):
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    values = dict(re.findall(r"^(\w+) (\S+)$", out.stdout, re.M))
    missing = [k for k in keys if k not in values]
    if out.returncode != 0 or missing:
        raise RuntimeError(f"{command[0]} exited {out.returncode} without {missing}: {out.stderr[-2000:]}")
    return {k: float(values[k]) for k in keys}


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    bin_dir = os.path.abspath(argv[1])
    cases = int(argv[argv.index("--cases") + 1]) if "--cases" in argv else 1_000_000
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 5
    if not shutil.which("Xvfb"):
        print("bench_client: skipped, Xvfb is missing (./ow deps installs it)")
        return 0
    scratch = tempfile.mkdtemp(prefix="ow-bench-client-")
    display = gui.Display()
    try:
        pw = os.path.join(scratch, "clerk.pw")
        with open(pw, "w") as f:
            f.write("bench-clerk-pass-2026\n")
        db = os.path.join(scratch, "centre.db")
        built = subprocess.run([os.path.join(bin_dir, "ow_bench_centre"), "--cases", str(cases), "--db", db,
                                "--password-file", pw], capture_output=True, text=True, check=True).stdout
        print(built.strip().splitlines()[0], flush=True)
        number = re.search(r"^case (\S+)$", built, re.M).group(1)
        find_ms = float(re.search(r"^find_case_ms (\S+)$", built, re.M).group(1))
        env = dict(os.environ, HOME=os.path.join(scratch, "home"))
        os.makedirs(env["HOME"], exist_ok=True)
        client, bare = [], []
        for _ in range(runs):
            client.append(measure([os.path.join(bin_dir, "onewindow"), "--db", f"sqlite3://db={db}", "--user",
                                   "clerk03", "--password-file", pw, "--timing", "--quit-when-ready",
                                   "--open-case", number], env,
                                  ["ready_ms", "resident_kib", "case_tab_ms", "max_stall_ms"]))
            bare.append(measure([os.path.join(bin_dir, "ow_bench_wx_bare")], env, ["ready_ms", "resident_kib"]))
        med = lambda rows, k: statistics.median(r[k] for r in rows)  # noqa: E731
        ok = line(f"client start to usable window at {cases} cases", med(client, "ready_ms"), "ms", 1500,
                  med(bare, "ready_ms"))
        ok = line(f"client resident memory at {cases} cases", med(client, "resident_kib") / 1024, "MB", 250,
                  med(bare, "resident_kib") / 1024) and ok
        ok = line(f"open a case tab at {cases} cases", med(client, "case_tab_ms"), "ms", 100, find_ms) and ok
        # The longest the GUI thread was kept from its event loop, start-up and case tab
        # included (worst of the runs). No raw baseline: a ratio would mean nothing.
        ok = line(f"longest GUI-thread stall at {cases} cases", max(r["max_stall_ms"] for r in client), "ms", 200,
                  0) and ok
        # The keystrokes of the scripted intake of the real-estate-transfer bundle
        # (tests/gui/test_intake.py), for information: there is no raw baseline for it.
        intake = subprocess.run(["bash", os.path.join(here, "..", "tests", "gui", "run_gui_test.sh"),
                                 os.path.join(here, "..", "tests", "gui", "test_intake.py"),
                                 os.path.join(bin_dir, "onewindow"), os.path.join(bin_dir, "owctl"),
                                 os.path.join(scratch, "intake-shots")], capture_output=True, text=True)
        keys = re.search(r"^keystrokes (\d+)$", intake.stdout, re.M)
        if keys:
            line("keystrokes of the real-estate-transfer intake", float(keys.group(1)), "keys", 0, 0)
        else:
            print("bench_client: the scripted intake did not finish:", intake.stdout[-500:], flush=True)
        return 0 if ok else 1
    finally:
        display.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
