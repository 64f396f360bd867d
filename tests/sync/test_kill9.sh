#!/usr/bin/env bash
# kill -9 of a writer at random moments, ITERATIONS times: every case number a writer
# printed (acknowledged) is in its replica afterwards, and the replica passes SQLite's
# integrity check every time. The delays choose where the writer dies; nothing waits on them.
# Usage: test_kill9.sh OWCTL SOURCE_DIR [ITERATIONS]
set -uo pipefail
owctl="$1"
src="$2"
iterations="${3:-200}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

shared="sqlite3://db=$tmp/shared.db"
replica_file="$tmp/replica.db"
replica="sqlite3://db=$replica_file"
doc="$src/docs/examples/intake.json"
"$owctl" --db "$shared" init --centre 330102 >/dev/null || fail "init"
"$owctl" --db "$shared" seed-demo --cases 0 >/dev/null || fail "seed-demo"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null || fail "first sync"

seed="${OW_TEST_SEED:-$RANDOM}"
echo "kill -9 loop: $iterations iterations, seed $seed"
RANDOM=$seed
acknowledged=0
killed=0
for ((i = 1; i <= iterations; i++)); do
  out="$tmp/out.$i"
  "$owctl" --db "$shared" --replica "$replica" intake "$doc" >"$out" 2>/dev/null &
  pid=$!
  # Anywhere from at once to well after a typical intake has finished.
  sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null
  number=$(head -n 1 "$out")
  if [ -n "$number" ]; then
    acknowledged=$((acknowledged + 1))
    "$owctl" --db "$replica" cases show "$number" >/dev/null 2>&1 || fail "iteration $i: acknowledged case $number lost"
  fi
  check=$(sqlite3 "$replica_file" "PRAGMA integrity_check" 2>&1)
  [ "$check" = "ok" ] || fail "iteration $i: integrity check: $check"
done
"$owctl" --db "$replica" verify >/dev/null || fail "verify of the replica after the loop"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>&1
"$owctl" --db "$shared" verify >/dev/null || fail "verify of the shared database after sync"
echo "$acknowledged acknowledged, $killed killed mid-run, 0 lost"
echo "$iterations passed, 0 failed"
