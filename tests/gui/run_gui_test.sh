#!/usr/bin/env bash
# Runs one GUI test script under a private D-Bus session (the accessibility bus the
# tests read the client through). Usage: run_gui_test.sh SCRIPT ONEWINDOW OWCTL [SHOTS]
set -uo pipefail
script="$1"
shift
if ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "SKIPPED: dbus-run-session is missing (./ow deps installs dbus)"
  exit 77
fi
# Debian's python3 has the accessibility bindings (python3-pyatspi).
python=/usr/bin/python3
exec dbus-run-session -- "$python" "$script" "$@" 2> >(grep -v -e 'dbus-daemon\[' -e 'SpiRegistry daemon' >&2)
