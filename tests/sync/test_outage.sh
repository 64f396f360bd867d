#!/usr/bin/env bash
# The shared PostgreSQL server crashes mid-session (pg_ctl stop -m immediate): intake
# and case work carry on through the workstation replica, and after the restart one sync brings
# every event up exactly once, with equal state-hashes on both sides.
# Usage: test_outage.sh OWCTL SOURCE_DIR
set -uo pipefail
owctl="$1"
src="$2"
tmp=$(mktemp -d)
state="$tmp/pg.env"
passed=0
cleanup() { bash "$src/tests/pg_cluster.sh" stop "$state" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "$passed passed, 1 failed"; exit 1; }
check() { passed=$((passed + 1)); }

bash "$src/tests/pg_cluster.sh" start "$state" >/dev/null || fail "could not start a PostgreSQL cluster"
# shellcheck disable=SC1090
. "$state"
shared="$OW_PG_CONN"
replica="sqlite3://db=$tmp/replica.db"
doc="$src/docs/examples/intake.json"

"$owctl" --db "$shared" init --centre 330102 >/dev/null || fail "init"
"$owctl" --db "$shared" seed-demo --cases 0 >/dev/null || fail "seed-demo"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null || fail "first sync"
check

# Online: straight through to the shared database.
online_numbers=()
for i in 1 2; do
  n=$("$owctl" --db "$shared" --replica "$replica" intake "$doc") || fail "online intake $i"
  online_numbers+=("$n")
done
"$owctl" --db "$shared" --replica "$replica" cases route "${online_numbers[0]}" --step review \
  --department 区不动产登记中心 --as clerk01 >/dev/null || fail "online routing"
pending=$("$owctl" --db "$shared" --replica "$replica" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')
[ "$pending" = 0 ] || fail "pending after online intake: $pending"
check

# The server crashes; the window keeps taking applications.
bash "$src/tests/pg_cluster.sh" crash "$state" || fail "crash"
offline_numbers=()
for i in 1 2 3; do
  n=$("$owctl" --db "$shared" --replica "$replica" intake "$doc" 2>/dev/null) || fail "offline intake $i refused"
  offline_numbers+=("$n")
done
# Offline numbers come from the block the workstation reserved while online.
case "${offline_numbers[0]}" in *-W*) fail "offline number ${offline_numbers[0]} is a fallback while the block lasts" ;; esac
[ "$(printf '%s\n' "${online_numbers[@]}" "${offline_numbers[@]}" | sort -u | wc -l)" = 5 ] || fail "case numbers repeat"
check
# ... and the window goes on working the cases taken in before the crash.
"$owctl" --db "$shared" --replica "$replica" cases complete "${online_numbers[0]}" --step review --outcome 通过 \
  --as reviewer01 >/dev/null 2>&1 || fail "offline step completion"
"$owctl" --db "$shared" --replica "$replica" cases conclude "${online_numbers[0]}" --approve \
  --as reviewer01 >/dev/null 2>&1 || fail "offline conclusion"
"$owctl" --db "$shared" --replica "$replica" cases note "${online_numbers[1]}" "电话回访" \
  --as clerk01 >/dev/null 2>&1 || fail "offline note"
status=$("$owctl" --db "$shared" --replica "$replica" status --json)
echo "$status" | python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if (not v["online"] and v["pending"] == 9) else 1)' \
  || fail "status while down (3 intakes of 2 events and 3 case actions: 9 pending): $status"
check
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>&1 && fail "sync succeeded with the server down"
check

# Back up: one sync, every event exactly once, the same state on both sides.
bash "$src/tests/pg_cluster.sh" restart "$state" || fail "restart"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null || fail "sync after restart"
status=$("$owctl" --db "$shared" --replica "$replica" status --json)
echo "$status" | python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if (v["online"] and v["pending"] == 0) else 1)' \
  || fail "status after sync: $status"
check
for n in "${offline_numbers[@]}"; do
  "$owctl" --db "$shared" cases show "$n" >/dev/null || fail "offline case $n missing on the shared database"
done
"$owctl" --db "$shared" cases show "${online_numbers[0]}" | grep -q '^Status *approved' \
  || fail "the offline decision on ${online_numbers[0]} did not reach the shared database"
check
hs=$("$owctl" --db "$shared" state-hash) || fail "state-hash shared"
hr=$("$owctl" --db "$replica" state-hash) || fail "state-hash replica"
[ "$hs" = "$hr" ] || fail "state-hash differs: shared $hs replica $hr"
check
"$owctl" --db "$shared" verify >/dev/null || fail "verify shared"
"$owctl" --db "$replica" verify >/dev/null || fail "verify replica"
check
# A second sync moves nothing: no event was sent twice.
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>&1
[ $? -eq 3 ] || fail "a second sync moved events"
check
echo "$passed passed, 0 failed"
