#!/usr/bin/env bash
# kill -9 during writes (ow_faults kill9): ITERATIONS rounds of two writers killed with
# SIGKILL at a random moment; after each round every acknowledged event is stored and, on
# SQLite, the file passes integrity_check; Store::verify() every 50 rounds and at the end.
# On postgres, a database of its own on the cluster OW_PG_STATE names (created here,
# dropped afterwards). The figures' JSON line goes to JSON_OUT when given.
# Usage: kill9.sh OW_FAULTS sqlite|postgres ITERATIONS [JSON_OUT]
set -uo pipefail
faults="$1"
backend="$2"
iterations="$3"
json_out="${4:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# shellcheck source=SCRIPTDIR/../pg_scratch.sh
. "$(dirname "${BASH_SOURCE[0]}")/../pg_scratch.sh"

case "$backend" in
  sqlite) conn="sqlite3://db=$tmp/kill9.db" ;;
  postgres)
    pg_scratch_create faults_kill9
    trap 'pg_scratch_drop; rm -rf "$tmp"' EXIT
    conn="postgresql://$pg_conn"
    ;;
  *) echo "usage: $0 OW_FAULTS sqlite|postgres ITERATIONS [JSON_OUT]" >&2; exit 2 ;;
esac

"$faults" kill9 --db "$conn" --iterations "$iterations" --writers 2 --verify-every 50 \
  ${OW_TEST_SEED:+--seed "$OW_TEST_SEED"} >"$tmp/result.json"
rc=$?
cat "$tmp/result.json"
[ -z "$json_out" ] || cp "$tmp/result.json" "$json_out"
[ "$rc" -eq 0 ] || fail "kill -9 on $backend: acknowledged events lost or integrity failures (see above)"
echo "kill -9 on $backend: $iterations rounds, 0 lost, 0 integrity failures"
