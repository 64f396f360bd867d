#!/usr/bin/env bash
# The shared PostgreSQL connection is cut in the middle of a push (the backend is
# terminated from another connection): the push fails, nothing is lost or counted as
# acknowledged before the shared store committed it, and the retry brings every event up
# exactly once.
#
# The cut is deterministic: a trigger on the shared database's events table (or, for the
# checkpoint, on its meta table) takes an advisory lock that a psql session of this script
# holds, so the pushing backend waits there, mid-transaction, until this script
# terminates it. Everything runs in a database of its own on the fixture's cluster.
#
#   first batch    offline intakes, then a sync cut while inserting its first batch
#   second batch   a sync cut in its second batch (batches of 500 changes, the
#                  replicator's default; owctl has no option for it, so the test takes
#                  enough intakes to fill more than one batch)
#   retry          a sync sends the rest: every event on the shared store exactly once
#   checkpoint     a sync cut after the shared store committed but before it stored the
#                  checkpoint: the commit was never acknowledged, the events stay pending
#                  and the retry stores nothing twice
#
# With --messages-and-intake it checks instead what owctl says when a push is cut: the
# message names no full identity number, and an online intake whose push is cut (while
# the shared store inserts its events, or after it committed them) still reports the
# case it took.
#
# Usage: test_terminate.sh OWCTL SOURCE_DIR [--messages-and-intake]   (OW_PG_STATE: the fixture's state)
set -uo pipefail
owctl="$1"
src="$2"
mode="${3:-}"
passed=0
fail() { echo "FAIL: $*" >&2; echo "$passed passed, 1 failed"; exit 1; }
check() { passed=$((passed + 1)); }
skip() { echo "SKIPPED: $*"; exit 77; }
# shellcheck source=SCRIPTDIR/../pg_scratch.sh
. "$(dirname "${BASH_SOURCE[0]}")/../pg_scratch.sh"

for tool in psql sqlite3 python3; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
done

tmp=$(mktemp -d)
holder_pid=""
cleanup() {
  if [ -n "$holder_pid" ]; then
    [ -z "${holder:-}" ] || exec {holder}>&-
    kill "$holder_pid" 2>/dev/null
    wait "$holder_pid" 2>/dev/null
  fi
  pg_scratch_drop
  rm -rf "$tmp"
}
trap cleanup EXIT

# psql without notices (DROP ... IF EXISTS); owctl's own connections keep the defaults.
q() { PGOPTIONS="-c client_min_messages=warning" psql "$pg_conn" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
# Polls `condition` (a shell command) until it holds; false after `seconds`.
wait_for() {
  local condition="$2" deadline=$((SECONDS + $1))
  until eval "$condition"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}
json_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
# The first 300 characters of a file, for messages.
head_of() { head -c 300 "$1"; }

pg_scratch_create terminate
shared="postgresql://$pg_conn"
offline="postgresql://host=127.0.0.1 port=1 dbname=x user=postgres"
replica_file="$tmp/replica.db"
replica="sqlite3://db=$replica_file"
doc="$src/docs/examples/intake.json"
id_number=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applicant"]["idNumber"])' "$doc")

"$owctl" --db "$shared" init --centre 330102 >/dev/null || fail "init"
"$owctl" --db "$shared" seed-demo --cases 0 >/dev/null || fail "seed-demo"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null || fail "first sync"
origin=$(sqlite3 "$replica_file" "SELECT value FROM meta WHERE key = 'origin'")
shared_origin=$(q "SELECT value FROM meta WHERE key = 'origin'")
[ -n "$origin" ] && [ -n "$shared_origin" ] || fail "origins: replica '$origin', shared '$shared_origin'"
checkpoint_key="setting:replication/$origin->$shared_origin"

own_replica() { sqlite3 "$replica_file" "SELECT count(*) FROM events WHERE origin = '$origin'"; }
own_shared() { q "SELECT count(*) FROM events WHERE origin = '$origin'"; }
pending() { json_field "$("$owctl" --db "$shared" --replica "$replica" status --json)" pending; }
ids_replica() { sqlite3 "$replica_file" "SELECT id FROM events WHERE origin = '$origin' ORDER BY id"; }
ids_shared() { q "SELECT id FROM events WHERE origin = '$origin' ORDER BY id"; }
offline_intake() {
  "$owctl" --db "$offline" --replica "$replica" intake "$doc" >>"$tmp/numbers" 2>"$tmp/intake.err" \
    || fail "offline intake refused: $(head_of "$tmp/intake.err")"
}

# The gate: `gate_events [CONDITION]` makes every insert into events (that meets the
# condition) take the advisory lock; `gate_checkpoint` does the same for the write of
# this replica's checkpoint; `open_gates` drops both.
lock_key=90417
q "CREATE FUNCTION ow_test_gate() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN PERFORM pg_advisory_xact_lock($lock_key); RETURN NEW; END \$\$" >/dev/null || fail "gate function"
open_gates() {
  q "DROP TRIGGER IF EXISTS ow_test_gate ON events; DROP TRIGGER IF EXISTS ow_test_gate ON meta" >/dev/null \
    || fail "dropping the gates"
}
gate_events() {
  open_gates
  q "CREATE TRIGGER ow_test_gate BEFORE INSERT ON events FOR EACH ROW
     WHEN (${1:-true}) EXECUTE FUNCTION ow_test_gate()" >/dev/null || fail "gate on events"
}
gate_checkpoint() {
  open_gates
  q "CREATE TRIGGER ow_test_gate BEFORE INSERT ON meta FOR EACH ROW
     WHEN (NEW.key = '$checkpoint_key') EXECUTE FUNCTION ow_test_gate()" >/dev/null || fail "gate on meta"
}

# The psql session holding the lock, fed through a fifo.
mkfifo "$tmp/holder.fifo"
psql "$pg_conn" -XAtq <"$tmp/holder.fifo" >"$tmp/holder.out" 2>&1 &
holder_pid=$!
exec {holder}>"$tmp/holder.fifo"
lock_granted() {
  [ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $lock_key AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ]
}
waiting_backend() {
  q "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
     AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
}

# Runs owctl with ARGS in the background until its backend waits at the gate, terminates
# that backend, releases the lock and waits for owctl. Sets cut_rc; stdout and stderr in
# $tmp/cut.out and $tmp/cut.err.
cut_during() {
  echo "SELECT pg_advisory_lock($lock_key);" >&"$holder"
  wait_for 30 lock_granted || fail "the holder session did not get the lock: $(cat "$tmp/holder.out")"
  "$owctl" "$@" >"$tmp/cut.out" 2>"$tmp/cut.err" &
  local pid=$! backend=""
  wait_for 60 '[ -n "$(waiting_backend)" ] || ! kill -0 "$pid" 2>/dev/null' \
    || fail "owctl $* never reached the gate"
  backend=$(waiting_backend)
  if [ -z "$backend" ]; then
    wait "$pid"
    fail "owctl $* finished (exit $?) without reaching the gate: $(head_of "$tmp/cut.err")"
  fi
  [ "$(q "SELECT pg_terminate_backend($backend)")" = t ] || fail "could not terminate backend $backend"
  echo "SELECT pg_advisory_unlock($lock_key);" >&"$holder"
  wait "$pid"
  cut_rc=$?
  wait_for 30 '! lock_granted' || fail "the holder session did not release the lock"
}

expect_cut_failure() {
  [ "$cut_rc" -eq 1 ] || fail "$1: exit $cut_rc after the cut, expected 1: $(head_of "$tmp/cut.err")"
  [ ! -s "$tmp/cut.out" ] || fail "$1: output on stdout after the cut: $(head_of "$tmp/cut.out")"
  grep -qiE 'connection|does not answer' "$tmp/cut.err" \
    || fail "$1: the message does not say the connection failed: $(head_of "$tmp/cut.err")"
}

# Every event of the replica's origin is on the shared store exactly once, and both sides
# hold the same state.
expect_converged() {
  local what="$1"
  [ "$(pending)" = 0 ] || fail "$what: pending $(pending)"
  [ "$(q "SELECT count(*) - count(DISTINCT id) FROM events")" = 0 ] || fail "$what: duplicate ids on the shared store"
  [ "$(own_shared)" = "$(own_replica)" ] || fail "$what: shared holds $(own_shared) of the replica's events, the replica $(own_replica)"
  [ "$(ids_shared)" = "$(ids_replica)" ] || fail "$what: the event ids differ between shared and replica"
  local numbers
  numbers=$(sort -u "$tmp/numbers")
  [ "$(echo "$numbers" | wc -l)" = "$(wc -l <"$tmp/numbers")" ] || fail "$what: a case number was handed out twice"
  # One case per number on the shared store, with as many events there as in the replica.
  [ "$(q "SELECT case_number || ' ' || count(*) FROM events WHERE origin = '$origin' GROUP BY case_number ORDER BY 1")" \
    = "$(sqlite3 "$replica_file" "SELECT case_number || ' ' || count(*) FROM events WHERE origin = '$origin' GROUP BY case_number ORDER BY 1")" ] \
    || fail "$what: events per case differ between shared and replica"
  [ "$(q "SELECT count(*) FROM cases WHERE number IN ($(echo "$numbers" | sed "s/.*/'&'/" | paste -sd,))")" \
    = "$(echo "$numbers" | wc -l)" ] || fail "$what: not every case taken is on the shared store"
  local hs hr
  hs=$("$owctl" --db "$shared" state-hash) || fail "$what: state-hash shared"
  hr=$("$owctl" --db "$replica" state-hash) || fail "$what: state-hash replica"
  [ "$hs" = "$hr" ] || fail "$what: state-hash differs: shared $hs replica $hr"
  "$owctl" --db "$shared" verify >/dev/null 2>&1 || fail "$what: verify of the shared database"
  "$owctl" --db "$replica" verify >/dev/null 2>&1 || fail "$what: verify of the replica"
}

if [ "$mode" = "--messages-and-intake" ]; then
  failed=0
  bug() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
  settle() { open_gates; "$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>&1; }
  # The message of a cut push names no full identity number (docs/OWCTL.md: none is ever
  # printed or logged), although SOCI's own message carries the statement and its values.
  offline_intake
  gate_events "NEW.origin = '$origin'"
  cut_during --db "$shared" --replica "$replica" sync
  expect_cut_failure "message"
  if grep -qF "$id_number" "$tmp/cut.err"; then
    bug "the message of a cut sync prints the full identity number $id_number ($(wc -c <"$tmp/cut.err") bytes on one line)"
  else
    check
  fi
  settle
  # An online intake whose push is cut while the shared store inserts its events, and
  # one cut after the shared store committed them but before the checkpoint: either way
  # the case is stored in the replica, so the intake must report it (exit 0, its number
  # on stdout) and leave what the shared store did not acknowledge pending; otherwise the
  # clerk would take the application again and the centre end up with two cases.
  for where in events checkpoint; do
    if [ "$where" = events ]; then gate_events "NEW.origin = '$origin'"; else gate_checkpoint; fi
    before=$(own_replica)
    cut_during --db "$shared" --replica "$replica" intake "$doc"
    [ "$(own_replica)" -gt "$before" ] || fail "intake cut at the $where: nothing stored in the replica"
    if [ "$cut_rc" -ne 0 ] || [ -z "$(head -n 1 "$tmp/cut.out")" ]; then
      bug "intake cut at the $where: exit $cut_rc, stdout '$(head_of "$tmp/cut.out")', although the replica holds $(($(own_replica) - before)) new events: $(head_of "$tmp/cut.err")"
    else
      check
    fi
    settle
  done
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi

# --- Offline intakes, enough for more than one batch of 500 changes. ---
# The batch size is set for this test, so that two batches need only some 250 intakes.
batch=500
export OW_SYNC_BATCH=$batch
cursor=$(q "SELECT value FROM meta WHERE key = '$checkpoint_key'")
cursor=${cursor:-0}
# Changes after the cursor in the replica: what the first pushes reads, batch by batch.
changes_after() { sqlite3 "$replica_file" "SELECT count(*) FROM events WHERE arrival > $1"; }
: >"$tmp/numbers"
while [ "$(changes_after "$cursor")" -le $((batch + 5)) ]; do
  offline_intake
done
pending_all=$(own_replica)
[ "$(pending)" = "$pending_all" ] || fail "pending after the offline intakes: $(pending), expected $pending_all"
[ "$(own_shared)" = 0 ] || fail "the shared store already holds $(own_shared) of the replica's events"
echo "$(wc -l <"$tmp/numbers") offline intakes, $pending_all events pending"
check

# --- Cut in the first batch: nothing committed, everything still pending. ---
gate_events "NEW.origin = '$origin'"
cut_during --db "$shared" --replica "$replica" sync
expect_cut_failure "first batch"
[ "$(own_shared)" = 0 ] || fail "first batch: the shared store kept $(own_shared) events of a cut transaction"
[ "$(pending)" = "$pending_all" ] || fail "first batch: pending $(pending), expected $pending_all"
[ -z "$(q "SELECT value FROM meta WHERE key = '$checkpoint_key'")" ] || fail "first batch: the checkpoint moved"
check

# --- Cut in the second batch: the first is committed and stays, the rest is pending. ---
second_seq=$(sqlite3 "$replica_file" "SELECT min(seq) FROM events WHERE origin = '$origin' AND arrival > $((cursor + batch))")
first_batch=$(sqlite3 "$replica_file" "SELECT count(*) FROM events WHERE origin = '$origin' AND arrival <= $((cursor + batch))")
[ -n "$second_seq" ] && [ "$first_batch" -gt 0 ] || fail "second batch: no own events on both sides of the batch boundary"
gate_events "NEW.origin = '$origin' AND NEW.seq >= $second_seq"
cut_during --db "$shared" --replica "$replica" sync
expect_cut_failure "second batch"
[ "$(own_shared)" = "$first_batch" ] \
  || fail "second batch: shared holds $(own_shared) of the replica's events, expected the first batch's $first_batch"
[ "$(q "SELECT count(*) FROM events WHERE origin = '$origin' AND seq >= $second_seq")" = 0 ] \
  || fail "second batch: events of the cut batch are on the shared store"
# Acknowledged may lag behind committed (the retry finds those present), never run ahead.
p=$(pending)
[ "$p" -ge $((pending_all - first_batch)) ] && [ "$p" -le "$pending_all" ] \
  || fail "second batch: pending $p, expected between $((pending_all - first_batch)) and $pending_all"
echo "second batch cut: $first_batch events committed before the cut, pending $p"
check

# --- Retry: only the rest goes up, then everything is there exactly once. ---
open_gates
out=$("$owctl" --db "$shared" --replica "$replica" --json sync 2>"$tmp/sync.err") \
  || fail "sync after the cuts: $(head_of "$tmp/sync.err")"
[ "$(json_field "$out" up)" = $((pending_all - first_batch)) ] \
  || fail "retry: $(json_field "$out" up) events up, expected $((pending_all - first_batch)): $out"
[ "$(json_field "$out" pending)" = 0 ] || fail "retry: $out"
expect_converged "after the retry"
"$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>&1
[ $? -eq 3 ] || fail "a second sync moved events"
check

# --- Cut after the commit, before the checkpoint: a commit never acknowledged. ---
offline_intake
offline_intake
pending_now=$(pending)
[ "$pending_now" -gt 0 ] || fail "checkpoint: nothing pending after two offline intakes"
committed_before=$(own_shared)
checkpoint_before=$(q "SELECT value FROM meta WHERE key = '$checkpoint_key'")
gate_checkpoint
cut_during --db "$shared" --replica "$replica" sync
expect_cut_failure "checkpoint"
[ "$(own_shared)" = $((committed_before + pending_now)) ] \
  || fail "checkpoint: the shared store holds $(own_shared) events, expected the committed $((committed_before + pending_now))"
[ "$(q "SELECT value FROM meta WHERE key = '$checkpoint_key'")" = "$checkpoint_before" ] \
  || fail "checkpoint: the checkpoint moved although its write was cut"
[ "$(pending)" = "$pending_now" ] || fail "checkpoint: pending $(pending), expected $pending_now (not acknowledged)"
open_gates
# The events are all there already: the retry only acknowledges them (nothing to send,
# hence "nothing to do" is a truthful answer as well as a report of 0 up).
"$owctl" --db "$shared" --replica "$replica" sync >"$tmp/sync.out" 2>"$tmp/sync.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "checkpoint: sync after the cut exit $rc: $(head_of "$tmp/sync.err")"
[ "$(own_shared)" = $((committed_before + pending_now)) ] || fail "checkpoint: the retry stored events twice"
expect_converged "after the unacknowledged commit"
check

"$owctl" --db "$shared" --replica "$replica" sync >/dev/null 2>&1
[ $? -eq 3 ] || fail "a last sync moved events"
check

echo "$passed passed, 0 failed"
