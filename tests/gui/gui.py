"""Driving the real onewindow client in a real X server and reading what it shows.

The client runs under Xvfb inside a private D-Bus session; keys go in through xdotool;
what the client shows is read back through the accessibility tree (AT-SPI: the labels,
table cells and window titles GTK exposes) and through screenshots. Nothing here
sleeps to synchronise: every wait polls a condition until a deadline.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip_unless_available():
    missing = [tool for tool in ("Xvfb", "xdotool", "import", "convert", "dbus-run-session") if not shutil.which(tool)]
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        missing.append("python3-pyatspi")
    if missing:
        print("SKIPPED: the GUI tests need " + ", ".join(missing) + " (./ow deps installs them)")
        sys.exit(SKIP)


class Failure(Exception):
    pass


passed = 0


def check(condition, what):
    global passed
    if not condition:
        raise Failure(what)
    passed += 1


def wait_for(predicate, what, timeout=20.0, interval=0.05):
    """Polls `predicate` until it returns something truthy; fails naming `what`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Exception as e:  # the tree changes under our feet while we read it
            last = e
        if last and not isinstance(last, Exception):
            return last
        time.sleep(interval)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


class Display:
    """An Xvfb server of our own (the display number chosen by Xvfb itself)."""

    def __init__(self, width=1400, height=900):
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        number = b""
        while not number.endswith(b"\n"):
            chunk = os.read(read, 16)
            if not chunk:
                raise Failure("Xvfb did not start")
            number += chunk
        os.close(read)
        self.name = ":" + number.decode().strip()
        os.environ["DISPLAY"] = self.name

    def close(self):
        self.process.terminate()
        self.process.wait()


def xdotool(*args, timeout=20):
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True, timeout=timeout).stdout


def key(*keys):
    """Key presses into the focused window, e.g. key("F3"), key("ctrl+o")."""
    xdotool("key", "--clearmodifiers", "--delay", "30", *keys)


def type_text(text):
    xdotool("type", "--clearmodifiers", "--delay", "20", text)


def screenshot(path):
    """Writes a PNG of the whole screen and checks that it is not blank."""
    subprocess.run(["import", "-window", "root", path], check=True)
    spread = float(subprocess.run(["convert", path, "-colorspace", "Gray", "-format", "%[fx:standard_deviation]",
                                   "info:"], check=True, capture_output=True, text=True).stdout)
    check(spread > 0.02, f"screenshot {path} is not blank (grey-level spread {spread:.4f})")
    return path


# ---------------------------------------------------------------- the accessibility tree

def _registry():
    import pyatspi
    return pyatspi.Registry


def app_node(name="onewindow"):
    desktop = _registry().getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == name:
            return app
    return None


def _text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, -1)
    except Exception:
        return ""


def nodes(root=None, role=None, showing_only=False):
    """Every (role, name, text, node) below root (default: the client), depth first;
    with `showing_only`, only what is on screen (hidden widgets and their children are
    left out)."""
    import pyatspi
    root = root or app_node()
    out = []
    if root is None:
        return out

    def walk(n):
        try:
            r = n.getRoleName()
            nm = n.name or ""
            if showing_only and r not in ("application",) and not n.getState().contains(pyatspi.STATE_SHOWING):
                return
        except Exception:
            return
        if role is None or r == role:
            out.append((r, nm, _text_of(n), n))
        for i in range(n.childCount):
            c = n.getChildAtIndex(i)
            if c is not None:
                walk(c)

    walk(root)
    return out


def shown_texts(role=None):
    """Names and texts of everything the client shows on screen (optionally of one role)."""
    texts = []
    for r, name, text, _ in nodes(role=role, showing_only=True):
        if name:
            texts.append(name)
        if text and text != name:
            texts.append(text)
    return texts


def focused():
    """(role, name, text) of the widget with the keyboard focus, or None."""
    import pyatspi
    for r, name, text, node in nodes():
        try:
            if node.getState().contains(pyatspi.STATE_FOCUSED):
                return (r, name, text)
        except Exception:
            pass
    return None


def press_button(fragment, what=None, timeout=20.0):
    """Presses the shown push button whose label holds `fragment` through its accessible
    action, as a click would; waits for it to be there and enabled."""
    import pyatspi

    def enabled_button():
        for r, name, _, node in nodes(role="push button", showing_only=True):
            if fragment in name and node.getState().contains(pyatspi.STATE_SENSITIVE):
                return node
        return None
    node = wait_for(enabled_button, what or f"an enabled '{fragment}' button", timeout)
    node.queryAction().doAction(0)


def focus_window(title_fragment):
    """Gives the keyboard focus to the window whose title holds `title_fragment`, as a
    window manager would on a new dialog (Xvfb runs without one)."""
    xdotool("search", "--sync", "--name", title_fragment, "windowfocus", "--sync")


def press_until(keys, predicate, what, attempts=3, timeout=5.0):
    """Presses `keys` until `predicate` holds: a key that arrived while the window was
    still being built is simply pressed again."""
    for attempt in range(attempts):
        key(*keys)
        try:
            return wait_for(predicate, what, timeout=timeout)
        except Failure:
            if attempt == attempts - 1:
                raise


def window_titles():
    app = app_node()
    if app is None:
        return []
    return [app.getChildAtIndex(i).name for i in range(app.childCount) if app.getChildAtIndex(i) is not None]


def wait_for_text(fragment, what=None, role=None, timeout=20.0):
    return wait_for(lambda: [t for t in shown_texts(role) if fragment in t],
                    what or f"the client to show '{fragment}'", timeout)


def wait_for_window(fragment, timeout=20.0):
    return wait_for(lambda: [t for t in window_titles() if fragment in t], f"a window titled '…{fragment}…'", timeout)


# ---------------------------------------------------------------- the client and owctl

def _keep_logs(scratch):
    """Copies the clients' logs to $OW_TEST_LOG_DIR (when set) for the log scan that ends
    ./ow test (tests/security/LogScan.cpp)."""
    keep = os.environ.get("OW_TEST_LOG_DIR")
    if not keep:
        return
    dest = os.path.join(keep, f"gui.{os.path.basename(scratch)}")
    for root, _, files in os.walk(scratch):
        for name in files:
            if name.endswith(".log"):
                os.makedirs(dest, exist_ok=True)
                shutil.copy(os.path.join(root, name), os.path.join(dest, f"{len(os.listdir(dest))}-{name}"))


class Client:
    def __init__(self, binary, args, home):
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_DATA_HOME=os.path.join(home, ".local", "share"), SPDLOG_LEVEL="info")
        self.log_path = os.path.join(home, "client.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, *args], env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def alive(self):
        return self.process.poll() is None

    def close(self):
        if self.log.closed:
            return
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def owctl(binary, *args, check_rc=True):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if check_rc and r.returncode != 0:
        raise Failure(f"owctl {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r


def seed_centre(ctx, cases, seed):
    """A demo centre in the scratch folder (owctl seed-demo); every demo account's password
    is written to <scratch>/<user>.pw. Returns the connection string."""
    db = f"sqlite3://db={ctx['scratch']}/centre.db"
    seeded = owctl(ctx["owctl"], "--db", db, "--json", "seed-demo", "--cases", str(cases), "--seed", str(seed)).stdout
    for account in json.loads(seeded)["staff"]:
        with open(f"{ctx['scratch']}/{account['user']}.pw", "w") as f:
            f.write(account["password"] + "\n")
    return db


def main(test, argv, limit=140):
    """Runs `test(ctx)` with a display and a scratch folder; prints the count line."""
    skip_unless_available()
    # A test that hangs (the accessibility bus stops answering) fails after `limit` s
    # (140 by default) with the client and the X server cleaned up; should even that not
    # return, it prints where it hung and exits 30 s later, before CTest's timeout.
    import faulthandler
    import signal

    def hung(signum, frame):
        raise Failure(f"the test hung for {limit} s (the accessibility bus or the client stopped answering)")

    signal.signal(signal.SIGALRM, hung)
    signal.alarm(limit)
    faulthandler.dump_traceback_later(limit + 30, exit=True)
    binaries = {"onewindow": argv[1], "owctl": argv[2]}
    artifacts = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix="ow-gui-shots-")
    os.makedirs(artifacts, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="ow-gui-")
    display = Display()
    # Start the accessibility bus and its registry before any client, so that a client
    # registers at once instead of timing out on a bus still being activated.
    wait_for(lambda: _registry().getDesktop(0) is not None, "the accessibility registry", timeout=30)
    ctx = {"scratch": scratch, "artifacts": artifacts, **binaries, "clients": []}
    try:
        test(ctx)
    except Failure as e:
        print(f"FAIL: {e}")
        try:
            screenshot(f"{artifacts}/failure.png")
            print(f"the screen at the failure: {artifacts}/failure.png")
        except Exception:
            pass
        for c in ctx["clients"]:
            print("---- client log (last lines)")
            print("\n".join(c.log_text().splitlines()[-30:]))
        print(f"{passed} passed, 1 failed")
        return 1
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
        for c in ctx["clients"]:
            c.close()
        display.close()
        _keep_logs(scratch)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"screenshots in {artifacts}")
    print(f"{passed} passed, 0 failed")
    return 0
