#!/usr/bin/env bash
# Three centres on loopback, each a real onewindowd with peers to the other two, owctl
# writing on all three at once. Centre C is cut off (its node killed with SIGKILL, in the
# middle of whatever batch it was sending or receiving) while all three go on taking in
# applications, and while two workstations of C, themselves offline, assign the same case
# differently. Then C's node starts again and its workstations sync: all three reach the
# same state-hash, every event of every origin is on every node exactly once (counts,
# distinct ids and sequences 1…n), the conflict is marked identically everywhere, and
# every node verifies. Prints the time from the heal to convergence.
# Waits poll a condition until a deadline; nothing sleeps to synchronise.
# Usage: test_three_centres.sh ONEWINDOWD OWCTL SOURCE_DIR
set -uo pipefail
daemon="$1"
owctl="$2"
src="$3"
tmp=$(mktemp -d)
passed=0
pids=()
finished=0
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  { for pid in "${pids[@]}"; do wait "$pid"; done; } 2>/dev/null
  bash "$src/tests/security/keep_logs.sh" three-centres "$tmp"/*.log
  rm -rf "$tmp"
  [ "$finished" = 1 ] || echo "the script stopped before its end"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  local log
  for log in "$tmp"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }; done
  echo "$passed passed, 1 failed"
  finished=1
  exit 1
}
check() { passed=$((passed + 1)); echo "ok $passed - $*"; }
# wait_until, free_ports, start_node, stop_node, hash_of, count, converged
# shellcheck disable=SC1091
. "$src/tests/sync/centres_lib.sh"

doc="$src/docs/examples/intake.json"
centre[a]=330102
centre[b]=330103
centre[c]=330104
for n in a b c; do
  db[$n]="sqlite3://db=$tmp/$n.db"
  "$owctl" --db "${db[$n]}" init --centre "${centre[$n]}" >/dev/null || fail "init $n"
done
# The reference data (catalogue, staff) is written once, at A, and reaches the others.
"$owctl" --db "${db[a]}" seed-demo --cases 5 --seed 7 >/dev/null || fail "seed-demo on A"

# Ports fixed up front so that each node can name the others as peers.
read -r port[a] port[b] port[c] <<<"$(free_ports 3)"
for n in a b c; do start_node "$n"; done
check "three nodes with peers to each other"

wait_until 60 converged || fail "the reference data did not reach every node"
check "the reference data reached every node ($(count a) events)"

# 通办: a case taken in at A is transferred to B; after sync B works it, and A, where it
# was taken in, may no longer decide it.
moved=$("$owctl" --db "${db[a]}" intake "$doc") || fail "intake on A"
"$owctl" --db "${db[a]}" cases transfer "$moved" --to-centre 330103 --reason 申请人迁居 --as manager01 >/dev/null \
  || fail "A could not transfer $moved"
wait_until 60 converged || fail "the transfer did not reach every node"
refusal=$("$owctl" --db "${db[a]}" cases withdraw "$moved" --reason 撤回 --as clerk01 2>&1) \
  && fail "A withdrew a case it had transferred to B"
echo "$refusal" | grep -q "transferred to centre 330103" || fail "A's refusal does not say where the case went: $refusal"
"$owctl" --db "${db[b]}" cases withdraw "$moved" --reason 申请人撤回 --as clerk01 >/dev/null \
  || fail "B could not work the case transferred to it"
wait_until 60 converged || fail "B's decision did not reach every node"
status=$("$owctl" --db "${db[a]}" --json cases show "$moved" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
[ "$status" = withdrawn ] || fail "A does not see B's decision on $moved: $status"
check "a case taken in at A, transferred to B, is worked at B and refused at A"

# A case of C's, taken in before the cut, that two of C's workstations will both assign.
contested=$("$owctl" --db "${db[c]}" intake "$doc") || fail "intake on C"
for w in 1 2; do
  "$owctl" --db "${db[c]}" --replica "sqlite3://db=$tmp/ws$w.db" sync >/dev/null || fail "workstation $w of C"
done
wait_until 60 converged || fail "C's case did not reach every node"

# Writes on all three at once; C's node is killed while they run.
writer() {
  local n="$1" i
  for i in $(seq 1 8); do
    "$owctl" --db "${db[$n]}" intake "$doc" >>"$tmp/$n.numbers" 2>>"$tmp/$n.writer.log" || echo "intake $i failed" >>"$tmp/$n.failed"
  done
}
writers=()
start_writers() {
  local n
  writers=()
  for n in a b c; do
    writer "$n" &
    writers+=($!)
  done
}
start_writers
wait_until 30 test -s "$tmp/c.numbers" || fail "nothing written on C"
kill -KILL "${pid[c]}"
{ wait "${pid[c]}"; } 2>/dev/null
cut_at=$(date +%s.%N)
# While C is cut off, two of its workstations, cut off too (their database does not
# answer), assign the same case differently.
down="postgresql://host=127.0.0.1 port=1 dbname=none user=none connect_timeout=1"
"$owctl" --db "$down" --replica "sqlite3://db=$tmp/ws1.db" cases assign "$contested" --to clerk01 --as manager01 \
  >/dev/null 2>&1 || fail "workstation 1 of C could not assign offline"
"$owctl" --db "$down" --replica "sqlite3://db=$tmp/ws2.db" cases assign "$contested" --to clerk02 --as manager01 \
  >/dev/null 2>&1 || fail "workstation 2 of C could not assign offline"
wait "${writers[@]}"
# A second round on all three, C still cut off.
start_writers
wait "${writers[@]}"
[ ! -e "$tmp/a.failed" ] && [ ! -e "$tmp/b.failed" ] && [ ! -e "$tmp/c.failed" ] \
  || fail "writes were refused: $(cat "$tmp"/*.failed 2>/dev/null | head -3)"
[ "$(sort -u "$tmp"/[abc].numbers | wc -l)" = 48 ] || fail "48 distinct case numbers expected"
# A and B keep exchanging while C is away.
ab_converged() { [ "$(hash_of a)" = "$(hash_of b)" ]; }
wait_until 60 ab_converged || fail "A and B did not converge while C was cut off"
check "48 intakes on three centres at once; C killed mid-sync and cut off; A and B converge without it"

# The heal: C's node comes back, its workstations sync into it.
heal_at=$(date +%s.%N)
start_node c
for w in 1 2; do
  "$owctl" --db "${db[c]}" --replica "sqlite3://db=$tmp/ws$w.db" sync >/dev/null || fail "workstation $w sync into C"
done
wait_until 120 converged || fail "the three nodes did not converge after the heal"
done_at=$(date +%s.%N)
python3 -c "print(f'convergence_after_heal_s {$done_at - $heal_at:.2f} (cut for {$heal_at - $cut_at:.2f} s)')"
check "all three nodes have the same state-hash after the heal"

query="SELECT origin, COUNT(*), COUNT(DISTINCT id), MAX(seq) FROM events GROUP BY origin ORDER BY origin"
by_origin_a=$(sqlite3 "$tmp/a.db" "$query")
for n in b c; do
  [ "$(sqlite3 "$tmp/$n.db" "$query")" = "$by_origin_a" ] || fail "the events by origin differ between A and $n"
done
echo "$by_origin_a" | awk -F'|' '$2 != $3 || $2 != $4 { bad = 1 } END { exit bad }' \
  || fail "an origin's events are not exactly 1…n once: $by_origin_a"
for n in a b c; do
  [ "$(sqlite3 "$tmp/$n.db" "SELECT COUNT(*) FROM held_events")" = 0 ] || fail "node $n holds events"
  "$owctl" --db "${db[$n]}" verify >/dev/null || fail "node $n does not verify"
done
check "every origin's events exactly once on every node ($(echo "$by_origin_a" | wc -l) origins), none held, all verify"

conflict_of() {
  "$owctl" --db "${db[$1]}" --json cases show "$contested" \
    | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["conflicts"], sort_keys=True))'
}
ca=$(conflict_of a)
[ "$ca" != "[]" ] || fail "the two assignments of $contested are not marked as a conflict"
[ "$(conflict_of b)" = "$ca" ] && [ "$(conflict_of c)" = "$ca" ] || fail "the conflict differs between nodes"
check "the conflicting assignments of $contested are marked identically on all three nodes"
echo "$passed passed, 0 failed"
finished=1
