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
# The accessibility bus keeps its socket under XDG_RUNTIME_DIR (else ~/.cache/at-spi):
# a folder of this run's own, so that GUI tests of other build folders running at the
# same time never share or remove it.
runtime=$(mktemp -d "${TMPDIR:-/tmp}/ow-gui-run.XXXXXX")
chmod 700 "$runtime"
trap 'rm -rf "$runtime"' EXIT
export XDG_RUNTIME_DIR="$runtime"
dbus-run-session -- "$python" "$script" "$@" 2> >(grep -v -e 'dbus-daemon\[' -e 'SpiRegistry daemon' >&2)
status=$?
exit "$status"
