#!/usr/bin/env bash
# kill -9 of a writer at random moments, ITERATIONS times: every case number a writer
# printed (acknowledged) is in its replica afterwards, and the replica passes SQLite's
# integrity check every time. The delays choose where the writer dies; nothing waits on them.
# Afterwards one sync brings the replica and the shared store together: every
# acknowledged case is on the shared store exactly once, with equal state-hashes.
#
# SHARED is the shared store: `sqlite` (a file next to the replica) or `postgres` (a
# database of its own on the test cluster that OW_PG_STATE names, created here and
# dropped afterwards, so that other tests on the cluster run undisturbed).
# Usage: test_kill9.sh OWCTL SOURCE_DIR [ITERATIONS] [sqlite|postgres]
set -uo pipefail
owctl="$1"
src="$2"
iterations="${3:-200}"
backend="${4:-sqlite}"
tmp=$(mktemp -d)
fail() { echo "FAIL: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
skip() { echo "SKIPPED: $*"; exit 77; }
# shellcheck source=SCRIPTDIR/../pg_scratch.sh
. "$(dirname "${BASH_SOURCE[0]}")/../pg_scratch.sh"

case "$backend" in
  sqlite)
    trap 'rm -rf "$tmp"' EXIT
    shared="sqlite3://db=$tmp/shared.db"
    shared_query() { sqlite3 "$tmp/shared.db" "$1"; }
    ;;
  postgres)
    trap 'pg_scratch_drop; rm -rf "$tmp"' EXIT
    pg_scratch_create kill9
    shared="postgresql://$pg_conn"
    shared_query() { psql "$pg_conn" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
    ;;
  *) echo "usage: $0 OWCTL SOURCE_DIR [ITERATIONS] [sqlite|postgres]" >&2; exit 2 ;;
esac

replica_file="$tmp/replica.db"
replica="sqlite3://db=$replica_file"
doc="$src/docs/examples/intake.json"
"$owctl" --db "$shared" init --centre 330102 >/dev/null || fail "init"
"$owctl" --db "$shared" seed-demo --cases 0 >/dev/null || fail "seed-demo"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null || fail "first sync"

# How long an intake takes here, uninterrupted (the median of three): the kills land
# anywhere from at once to half as long again after that.
acknowledged=0
: >"$tmp/acknowledged"
: >"$tmp/durations"
for k in 1 2 3; do
  t0=${EPOCHREALTIME/./}
  number=$("$owctl" --db "$shared" --replica "$replica" intake "$doc" 2>"$tmp/intake.err") \
    || fail "intake $k before the loop: $(head -c 300 "$tmp/intake.err")"
  t=$((${EPOCHREALTIME/./} - t0))
  echo "$t" >>"$tmp/durations"
  acknowledged=$((acknowledged + 1))
  echo "$number" >>"$tmp/acknowledged"
done
window_ms=$(($(sort -n "$tmp/durations" | sed -n 2p) * 3 / 2000 + 1))

seed="${OW_TEST_SEED:-$RANDOM}"
echo "kill -9 loop on a $backend shared store: $iterations iterations, seed $seed, kills within ${window_ms} ms"
RANDOM=$seed
started=$SECONDS
killed=0
unacknowledged=0 # writers killed in a row before they acknowledged
for ((i = 1; i <= iterations; i++)); do
  out="$tmp/out.$i"
  "$owctl" --db "$shared" --replica "$replica" intake "$doc" >"$out" 2>/dev/null &
  pid=$!
  delay=$((RANDOM % window_ms))
  sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null
  number=$(head -n 1 "$out" 2>/dev/null) # no file: killed before its output was opened
  if [ -z "$number" ]; then
    unacknowledged=$((unacknowledged + 1))
    # Writers slower than measured (a busier machine): widen the window rather than kill
    # every one of them before it could acknowledge.
    if [ "$unacknowledged" -ge 20 ]; then
      window_ms=$((window_ms * 3 / 2))
      unacknowledged=0
    fi
  else
    unacknowledged=0
    acknowledged=$((acknowledged + 1))
    echo "$number" >>"$tmp/acknowledged"
    "$owctl" --db "$replica" cases show "$number" >/dev/null 2>&1 || fail "iteration $i: acknowledged case $number lost"
  fi
  check=$(sqlite3 "$replica_file" "PRAGMA integrity_check" 2>&1)
  [ "$check" = "ok" ] || fail "iteration $i: integrity check: $check"
done
loop_seconds=$((SECONDS - started))
# Some writers in the loop must have got through, or it proved nothing about acknowledged cases.
[ "$acknowledged" -gt 3 ] || [ "$iterations" -lt 50 ] || fail "no intake in the loop finished before its kill"
"$owctl" --db "$replica" verify >/dev/null || fail "verify of the replica after the loop"

# One sync (or nothing to do, when every push went through before its writer died).
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>"$tmp/sync.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "sync after the loop: exit $rc: $(head -c 300 "$tmp/sync.err")"
status=$("$owctl" --db "$shared" --replica "$replica" status --json)
echo "$status" | python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if (v["online"] and v["pending"] == 0) else 1)' \
  || fail "status after sync: $status"
"$owctl" --db "$shared" verify >/dev/null || fail "verify of the shared database after sync"

# Every acknowledged case exactly once on the shared store: one opening each, and no
# number handed out twice.
dups=$(LC_ALL=C sort "$tmp/acknowledged" | uniq -d)
[ -z "$dups" ] || fail "case numbers acknowledged twice: $dups"
shared_query "SELECT case_number FROM events WHERE type = 'case.opened'" | LC_ALL=C sort >"$tmp/opened" \
  || fail "reading the shared store's openings"
dups=$(uniq -d "$tmp/opened")
[ -z "$dups" ] || fail "cases opened more than once on the shared store: $dups"
missing=$(LC_ALL=C sort "$tmp/acknowledged" | LC_ALL=C comm -23 - "$tmp/opened")
[ -z "$missing" ] || fail "acknowledged cases missing on the shared store: $missing"
[ "$(shared_query "SELECT count(*) - count(DISTINCT id) FROM events")" = 0 ] || fail "duplicate event ids on the shared store"
hs=$("$owctl" --db "$shared" state-hash) || fail "state-hash shared"
hr=$("$owctl" --db "$replica" state-hash) || fail "state-hash replica"
[ "$hs" = "$hr" ] || fail "state-hash differs: shared $hs replica $hr"

echo "$acknowledged acknowledged, $killed killed mid-run, 0 lost; $(wc -l <"$tmp/opened") cases on the shared store; loop ${loop_seconds}s, last window ${window_ms} ms"
echo "$iterations passed, 0 failed"
