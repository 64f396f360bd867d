#!/usr/bin/env bash
# The shared PostgreSQL server crashes mid-session (pg_ctl stop -m immediate): intake
# carries on through the workstation replica, and after the restart one sync brings
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
for i in 1 2; do
  "$owctl" --db "$shared" --replica "$replica" intake "$doc" >/dev/null || fail "online intake $i"
done
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
case "${offline_numbers[0]}" in *-W01-*) check ;; *) fail "offline number ${offline_numbers[0]} is not a workstation fallback" ;; esac
status=$("$owctl" --db "$shared" --replica "$replica" status --json)
echo "$status" | python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if (not v["online"] and v["pending"] >= 3) else 1)' \
  || fail "status while down: $status"
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
