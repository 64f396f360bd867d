#!/usr/bin/env bash
# The packaging files still fit the project, checked with the tests since ./ow package is
# too slow for every run: the Debian changelog is at the project's version; the packaged
# onewindowd.ini still derives from installer/onewindowd.ini, and the built onewindowd
# starts on it (in a temporary folder for /var/lib/onewindow) and answers GET /; the
# maintainer scripts parse with sh; the desktop entry validates when desktop-file-validate
# is installed (./ow package installs it).
# usage: check_packaging.sh SOURCE_DIR PROJECT_VERSION ONEWINDOWD
set -euo pipefail
src="$1" version="$2" daemon="$3"
fail() { echo "check_packaging: $*" >&2; exit 1; }

head="$(head -n 1 "$src/installer/debian/changelog")"
[[ "$head" == "onewindow ($version) "* ]] ||
  fail "installer/debian/changelog starts '$head', not version $version: add an entry"

for script in postinst prerm postrm; do
  sh -n "$src/installer/debian/onewindowd/$script" || fail "installer/debian/onewindowd/$script does not parse"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ow-check-packaging.XXXXXX")"
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
python3 "$src/installer/derive_onewindowd_ini.py" "$src/installer/onewindowd.ini" "$work/onewindowd.ini" "$work" ||
  fail "the default onewindowd.ini no longer derives from installer/onewindowd.ini"
if grep -E '^\[(peer|account)\.' "$work/onewindowd.ini"; then
  fail "the default onewindowd.ini has a peer or an account"
fi
"$daemon" --config "$work/onewindowd.ini" --listen 127.0.0.1:0 --ready-file "$work/url" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do
  [ -s "$work/url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; fail "onewindowd refused the default configuration"; }
  sleep 0.1
done
[ -s "$work/url" ] || fail "onewindowd did not serve on the default configuration within 10 s"
python3 - "$(cat "$work/url")" <<'PY' || fail "onewindowd on the default configuration did not answer GET /"
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/", timeout=10) as answer:
    assert answer.status == 200 and json.load(answer)["couchdb"] == "Welcome"
PY
kill -TERM "$pid"
wait "$pid" || fail "onewindowd did not stop cleanly on SIGTERM"
pid=""

if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$src/installer/desktop/onewindow.desktop" || fail "onewindow.desktop does not validate"
else
  echo "desktop-file-validate is not installed: the desktop entry is checked by ./ow package"
fi
echo "packaging files consistent with version $version"
