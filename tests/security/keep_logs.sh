#!/usr/bin/env bash
# Keeps a test's log files for the log scan that ends ./ow test (tests/security/LogScan.cpp):
# copies the files given into $OW_TEST_LOG_DIR/NAME.<caller's pid>/ when that is set, and
# does nothing otherwise (a test run by hand keeps nothing). Never fails its caller.
# Usage: keep_logs.sh NAME FILE...
name="${1:-test}"
shift || true
[ -n "${OW_TEST_LOG_DIR:-}" ] || exit 0
dest="$OW_TEST_LOG_DIR/$name.$PPID"
mkdir -p "$dest" 2>/dev/null || exit 0
for f in "$@"; do
  [ -f "$f" ] && cp "$f" "$dest/" 2>/dev/null
done
exit 0
