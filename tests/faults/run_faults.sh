#!/usr/bin/env bash
# The fault suite (./ow faults; docs/FAULTS.md says what each check does and why):
#   kill9      kill -9 during writes, SQLite and PostgreSQL (ow_faults kill9)
#   io         I/O errors injected into SQLite for every k (ow_faults io)
#   pgcrash    PostgreSQL stopped immediately during writes, then restarted
#   skew       clock skew of ±5 minutes and ±1 day on one of three centres
#   partition  partitions of several shapes and lengths between three centres
# Each check appends its rows (name, figure, unit, target, baseline, ratio, pass) to
# RESULTS as JSON lines; report.py turns them into the table and docs/FAULTS.json.
# Starts and stops its own PostgreSQL clusters and nodes; waits poll a condition until a
# deadline, nothing sleeps to synchronise.
# Environment: OW_FAULTS_ONLY (a list of the checks above; default all),
# OW_FAULTS_KILL9_ITERATIONS (default 1000), OW_FAULTS_IO_APPENDS (default 10),
# OW_FAULTS_PG_CRASHES (default 10).
# Usage: run_faults.sh BIN_DIR SOURCE_DIR RESULTS
set -uo pipefail
bin="$1"
src="$2"
results="$3"
faults="$bin/ow_faults"
owctl="$bin/owctl"
daemon="$bin/onewindowd"
only="${OW_FAULTS_ONLY:-kill9 io pgcrash skew partition}"
kill9_iterations="${OW_FAULTS_KILL9_ITERATIONS:-1000}"
io_appends="${OW_FAULTS_IO_APPENDS:-10}"
pg_crashes="${OW_FAULTS_PG_CRASHES:-10}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ow-faults.XXXXXX")
logs="$(dirname "$results")/faults-logs"
pids=()
clusters=()
status=0
cleanup() {
  local p s
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  { for p in "${pids[@]}"; do wait "$p"; done; } 2>/dev/null
  for s in "${clusters[@]}"; do bash "$src/tests/pg_cluster.sh" stop "$s" >/dev/null 2>&1; done
  # After a failure the programs' logs stay beside the results.
  if [ "$status" != 0 ]; then
    rm -rf "$logs" && mkdir -p "$logs" && cp "$tmp"/*.log "$logs"/ 2>/dev/null
    echo "run_faults: the logs are in $logs" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
say() { printf '\033[1m--> %s\033[0m\n' "$*" >&2; }
# A failure inside a check: the check's rows say what failed; the run goes on to the next.
fail() { echo "FAIL: $*" >&2; status=1; return 1; }
for tool in "$faults" "$owctl" "$daemon"; do
  [ -x "$tool" ] || { echo "run_faults: $tool is missing (build it first)" >&2; exit 2; }
done
for cmd in sqlite3 python3 psql; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "run_faults: the $cmd command is missing (./ow deps)" >&2; exit 2; }
done
: >"$results"

# row NAME FIGURE UNIT TARGET BASELINE RATIO PASS (baseline/ratio: "null" when none)
row() {
  python3 - "$@" >>"$results" <<'PY'
import json, sys
name, figure, unit, target, baseline, ratio, ok = sys.argv[1:8]
num = lambda v: None if v in ("null", "") else (float(v) if "." in v else int(v))
print(json.dumps({"name": name, "figure": num(figure), "unit": unit, "target": num(target),
                  "baseline": num(baseline), "ratio": num(ratio), "pass": ok == "true"}, ensure_ascii=False))
PY
  [ "$7" = true ] || status=1
}
# json_get FILE KEY: one value of the JSON object on the last line of FILE.
json_get() { tail -n 1 "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"; }
now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }
ratio() { python3 -c 'import sys; b=float(sys.argv[2]); print(f"{float(sys.argv[1]) / b:.2f}" if b > 0 else "null")' "$1" "$2"; }
le() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)' "$1" "$2"; }
wants() { [[ " $only " == *" $1 "* ]]; }

start_cluster() { # start_cluster STATEFILE
  bash "$src/tests/pg_cluster.sh" start "$1" >/dev/null || return 1
  clusters+=("$1")
}

# --- kill -9 during writes ------------------------------------------------------------
kill9_check() {
  local backend="$1" label="$2" out="$tmp/kill9-$1.json" rc lost integrity
  say "kill -9 during writes on $label: $kill9_iterations rounds"
  OW_PG_STATE="$tmp/pg-kill9.env" bash "$src/tests/faults/kill9.sh" "$faults" "$backend" "$kill9_iterations" "$out" \
    >"$tmp/kill9-$backend.log" 2>&1
  rc=$?
  grep -E "^kill9:" "$tmp/kill9-$backend.log" | grep -v "rounds," >&2
  if [ ! -s "$out" ]; then
    tail -n 5 "$tmp/kill9-$backend.log" >&2
    row "kill -9 x$kill9_iterations, $label: acknowledged events lost" null events 0 null null false
    row "kill -9 x$kill9_iterations, $label: integrity failures" null failures 0 null null false
    return
  fi
  lost=$(json_get "$out" lost)
  integrity=$(json_get "$out" integrity_failures)
  echo "   $(json_get "$out" acknowledged_events) events acknowledged in $(json_get "$out" rounds_with_ack) of" \
    "$kill9_iterations rounds, $(json_get "$out" killed_mid_run) writers killed mid-run, $(json_get "$out" seconds) s" >&2
  row "kill -9 x$kill9_iterations, $label: acknowledged events lost" "$lost" events 0 null null \
    "$([ "$rc" = 0 ] && [ "$lost" = 0 ] && echo true || echo false)"
  row "kill -9 x$kill9_iterations, $label: integrity failures" "$integrity" failures 0 null null \
    "$([ "$rc" = 0 ] && [ "$integrity" = 0 ] && echo true || echo false)"
}

if wants kill9; then
  kill9_check sqlite SQLite
  if start_cluster "$tmp/pg-kill9.env"; then
    kill9_check postgres PostgreSQL
    bash "$src/tests/pg_cluster.sh" stop "$tmp/pg-kill9.env" >/dev/null
  else
    fail "could not start a PostgreSQL cluster for kill -9"
    row "kill -9 x$kill9_iterations, PostgreSQL: acknowledged events lost" null events 0 null null false
  fi
fi

# --- I/O errors injected into SQLite -----------------------------------------------------
if wants io; then
  for mode in write sync full; do
    case "$mode" in
      write) label="k-th write fails" ;;
      sync) label="k-th fsync fails" ;;
      full) label="disk full from the k-th write" ;;
    esac
    say "SQLite I/O errors: $label, every k"
    out="$tmp/io-$mode.json"
    "$faults" io --dir "$tmp/io-$mode" --mode "$mode" --appends "$io_appends" >"$out" 2>"$tmp/io-$mode.log"
    rc=$?
    grep -E "^io" "$tmp/io-$mode.log" >&2
    if [ ! -s "$out" ]; then
      row "SQLite I/O errors ($label): corruptions" null runs 0 null null false
      row "SQLite I/O errors ($label): acknowledged, not stored" null events 0 null null false
      continue
    fi
    runs=$(json_get "$out" runs)
    echo "   k = 1..$(json_get "$out" k_to): $runs runs, $(json_get "$out" faults_fired) faults injected," \
      "$(json_get "$out" errors_surfaced) reported to the writer, $(json_get "$out" acknowledged_events) events acknowledged" >&2
    row "SQLite I/O errors ($label, k=1..$(json_get "$out" k_to)): corruptions" "$(json_get "$out" corruptions)" runs 0 \
      null null "$([ "$rc" = 0 ] && [ "$(json_get "$out" corruptions)" = 0 ] && echo true || echo false)"
    row "SQLite I/O errors ($label, k=1..$(json_get "$out" k_to)): acknowledged, not stored" \
      "$(json_get "$out" acknowledged_not_stored)" events 0 null null \
      "$([ "$rc" = 0 ] && [ "$(json_get "$out" acknowledged_not_stored)" = 0 ] && echo true || echo false)"
  done
fi

# --- PostgreSQL stopped immediately during writes ------------------------------------------
acks() { cat "$tmp"/pgw*.out 2>/dev/null | grep -c '^ack'; }
acks_over() { [ "$(acks)" -gt "$1" ]; }
# Both writers reported a failed append at least N times in all.
errors_at_least() { [ "$(cat "$tmp"/pgw*.out 2>/dev/null | grep -c '^error')" -ge "$1" ]; }
pg_crash_check() {
  local state="$tmp/pg-crash.env" w cycle before t0 t1 t2 restarts=() resumes=() writers=()
  start_cluster "$state" || { fail "could not start a PostgreSQL cluster"; return 1; }
  # shellcheck disable=SC1090
  . "$state"
  "$owctl" --db "$OW_PG_CONN" init --centre 330102 >/dev/null || { fail "init on PostgreSQL"; return 1; }
  for w in 1 2; do
    "$faults" writer --db "$OW_PG_CONN" --first $((w * 100000000)) --count 100000000 --retry-seconds 120 \
      >"$tmp/pgw$w.out" 2>"$tmp/pgw$w.err" &
    writers+=($!)
    pids+=($!)
  done
  for ((cycle = 1; cycle <= pg_crashes; cycle++)); do
    before=$(acks)
    wait_until 60 acks_over $((before + 20)) || { fail "writers stopped acknowledging (cycle $cycle)"; break; }
    bash "$src/tests/pg_cluster.sh" crash "$state" || { fail "pg_ctl stop -m immediate"; break; }
    # Both writers saw the server go (a refused append, then retries).
    wait_until 60 errors_at_least $((cycle * 2)) \
      || { fail "the writers did not notice the crash (cycle $cycle)"; break; }
    before=$(acks)
    t0=$(now)
    bash "$src/tests/pg_cluster.sh" restart "$state" || { fail "restart after the crash"; break; }
    t1=$(now)
    wait_until 60 acks_over "$before" || { fail "no write succeeded after the restart (cycle $cycle)"; break; }
    t2=$(now)
    restarts+=("$(elapsed "$t0" "$t1")")
    resumes+=("$(elapsed "$t0" "$t2")")
  done
  kill -TERM "${writers[@]}" 2>/dev/null
  wait "${writers[@]}" 2>/dev/null
  cat "$tmp"/pgw1.out "$tmp"/pgw2.out >"$tmp/pg-acked"
  "$faults" check --db "$OW_PG_CONN" --acked "$tmp/pg-acked" >"$tmp/pg-check.json" 2>"$tmp/pg-check.log"
  local rc=$? lost integrity median_resume median_restart
  cat "$tmp/pg-check.log" >&2
  [ -s "$tmp/pg-check.json" ] || { fail "the check after the crashes did not run"; return 1; }
  lost=$(json_get "$tmp/pg-check.json" lost)
  integrity=$(json_get "$tmp/pg-check.json" integrity_failures)
  median_resume=$(printf '%s\n' "${resumes[@]:-0}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  median_restart=$(printf '%s\n' "${restarts[@]:-0}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  echo "   ${#resumes[@]} crashes and restarts, $(json_get "$tmp/pg-check.json" acknowledged_events) events acknowledged;" \
    "restart ${restarts[*]:-} s; first write after ${resumes[*]:-} s" >&2
  row "PostgreSQL stopped immediately x$pg_crashes during writes: acknowledged events lost" "$lost" events 0 null null \
    "$([ "$rc" = 0 ] && [ "$lost" = 0 ] && [ "${#resumes[@]}" = "$pg_crashes" ] && echo true || echo false)"
  row "PostgreSQL stopped immediately x$pg_crashes during writes: integrity failures" "$integrity" failures 0 null null \
    "$([ "$rc" = 0 ] && [ "$integrity" = 0 ] && echo true || echo false)"
  row "PostgreSQL restart: first acknowledged write after the restart began (median)" "$median_resume" s 5 \
    "$median_restart" "$(ratio "$median_resume" "$median_restart")" \
    "$([ "${#resumes[@]}" = "$pg_crashes" ] && le "$median_resume" 5 && echo true || echo false)"
  bash "$src/tests/pg_cluster.sh" stop "$state" >/dev/null
}

# The centres' helpers: wait_until, free_ports, start_node, stop_node, hash_of, count, converged.
# shellcheck disable=SC1091
. "$src/tests/sync/centres_lib.sh"
if wants pgcrash; then
  say "PostgreSQL stopped immediately during writes, then restarted: $pg_crashes times"
  pg_crash_check || row "PostgreSQL stopped immediately x$pg_crashes during writes: acknowledged events lost" \
    null events 0 null null false
fi

doc="$src/docs/examples/intake.json"
file_of() { echo "${db[$1]#sqlite3://db=}"; }
held() { sqlite3 "$(file_of "$1")" "SELECT COUNT(*) FROM held_events"; }
origin_of() { sqlite3 "$(file_of "$1")" "SELECT value FROM meta WHERE key = 'origin'"; }
# intake N [COUNT]: COUNT intakes at node N, written with N's clock; numbers in $tmp/N.numbers.
intake() {
  local n="$1" i
  for ((i = 0; i < ${2:-1}; i++)); do
    env ${clock_offset[$n]:+OW_CLOCK_OFFSET_MS="${clock_offset[$n]}"} "$owctl" --db "${db[$n]}" intake "$doc" \
      >>"$tmp/$n.numbers" 2>>"$tmp/$n.writer.log" || { fail "intake at node $n refused"; return 1; }
  done
}
# HLC violations on node N: an origin's clock going backwards or standing still, an event
# not above a head it saw, or one of N's own events not above everything N held before it.
hlc_violations() {
  local f own
  f=$(file_of "$1")
  own=$(origin_of "$1")
  sqlite3 "$f" "
    SELECT (SELECT COUNT(*) FROM (SELECT hlc, LAG(hlc) OVER (PARTITION BY origin ORDER BY seq) AS p FROM events)
             WHERE p IS NOT NULL AND hlc <= p)
         + (SELECT COUNT(*) FROM events e, json_each(e.doc, '\$.heads') h JOIN events x ON x.id = h.value
             WHERE e.hlc <= x.hlc)
         + (SELECT COUNT(*) FROM events e WHERE e.origin = '$own'
             AND e.hlc <= (SELECT MAX(x.hlc) FROM events x WHERE x.arrival < e.arrival))"
}
# Every node: each origin's events exactly 1…n once and the same on every node, every
# acknowledged case number opened everywhere, nothing held, verify passes. Prints how many
# (node, event or case) are missing.
lost_events() {
  local q="SELECT origin, COUNT(*), COUNT(DISTINCT id), MAX(seq) FROM events GROUP BY origin ORDER BY origin"
  local n first missing=0 ref
  ref=$(sqlite3 "$(file_of "${nodes[0]}")" "$q")
  for n in "${nodes[@]}"; do
    first=$(sqlite3 "$(file_of "$n")" "$q")
    [ "$first" = "$ref" ] || missing=$((missing + 1))
    echo "$first" | awk -F'|' '$2 != $3 || $2 != $4 { bad = 1 } END { exit bad }' || missing=$((missing + 1))
    sqlite3 "$(file_of "$n")" "SELECT case_number FROM events WHERE type = 'case.opened'" | LC_ALL=C sort -u >"$tmp/$n.opened"
    missing=$((missing + $(cat "$tmp"/*.numbers 2>/dev/null | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$tmp/$n.opened" | wc -l)))
    missing=$((missing + $(held "$n")))
    "$owctl" --db "${db[$n]}" verify >/dev/null 2>&1 || missing=$((missing + 1))
  done
  echo "$missing"
}
# Three fresh nodes named a b c with the reference data on all of them.
fresh_centres() {
  local dir="$1" n
  mkdir -p "$dir"
  centre[a]=330102
  centre[b]=330103
  centre[c]=330104
  for n in a b c; do
    db[$n]="sqlite3://db=$dir/$n.db"
    "$owctl" --db "${db[$n]}" init --centre "${centre[$n]}" >/dev/null || { fail "init $n"; return 1; }
  done
  "$owctl" --db "${db[a]}" seed-demo --cases 3 --seed 7 >/dev/null || { fail "seed-demo"; return 1; }
}
# The baseline of the convergence rows: one intake at A reaching B and C with no fault.
baseline_convergence() {
  local t0
  t0=$(now)
  intake a 1 || return 1
  wait_until 60 converged || { fail "no convergence without a fault"; return 1; }
  elapsed "$t0" "$(now)"
}

# --- clock skew ---------------------------------------------------------------------------
skew_check() {
  local t0 t1 base n violations=0 held_now expected origins
  fresh_centres "$tmp/skew" || return 1
  read -r port[a] port[b] port[c] <<<"$(free_ports 3)"
  for n in a b c; do start_node "$n"; done
  wait_until 60 converged || { fail "the reference data did not reach every node"; return 1; }
  base=$(baseline_convergence) || return 1
  echo "   baseline: one intake reaches every node in $base s" >&2

  # ±5 minutes: within the tolerated skew (10 minutes), nothing is held.
  local spec node offset label
  for spec in "a:300000:+5 min on A" "b:-300000:-5 min on B"; do
    IFS=: read -r node offset label <<<"$spec"
    stop_node "$node"
    clock_offset[$node]=$offset
    start_node "$node"
    intake "$node" 3 && intake a 1 && intake b 1 && intake c 1 || return 1
    t0=$(now)
    wait_until 120 converged || fail "no convergence with $label"
    t1=$(now)
    held_now=$(($(held a) + $(held b) + $(held c)))
    echo "   $label: converged $(elapsed "$t0" "$t1") s after the last write, $held_now events held" >&2
    row "clock skew $label: events held (within the 10 min tolerance)" "$held_now" events 0 null null \
      "$([ "$held_now" = 0 ] && echo true || echo false)"
    row "clock skew $label: convergence after the last write" "$(elapsed "$t0" "$t1")" s 10 "$base" \
      "$(ratio "$(elapsed "$t0" "$t1")" "$base")" "$(converged && le "$(elapsed "$t0" "$t1")" 10 && echo true || echo false)"
    stop_node "$node"
    unset 'clock_offset[$node]'
    start_node "$node"
  done

  # -1 day on C: C's clock is a day behind, so everything the others write is too far ahead
  # of it and held there (stored, not applied); A and B take C's events. Then C's clock is
  # put right and the next write anywhere releases what C held.
  stop_node c
  clock_offset[c]=-86400000
  start_node c
  local ab_before ab_after
  # Each node's own events, counted where they are written (the others may not have them yet).
  own_events() { sqlite3 "$(file_of "$1")" "SELECT COUNT(*) FROM events WHERE origin = '$(origin_of "$1")'"; }
  ab_before=$(($(own_events a) + $(own_events b)))
  intake c 2 && intake a 2 && intake b 2 || return 1
  ab_after=$(($(own_events a) + $(own_events b)))
  expected=$((ab_after - ab_before))
  c_holds_all() {
    [ "$(held c)" = "$expected" ] && [ "$(hash_of a)" = "$(hash_of b)" ] && [ "$(count a)" = "$(count b)" ] \
      && [ "$(sqlite3 "$(file_of a)" "SELECT COUNT(*) FROM events WHERE origin = '$(origin_of c)'")" \
        = "$(sqlite3 "$(file_of c)" "SELECT COUNT(*) FROM events WHERE origin = '$(origin_of c)'")" ]
  }
  wait_until 60 c_holds_all || fail "-1 day: C holds $(held c) of the $expected events written elsewhere"
  held_now=$(held c)
  local reasons
  reasons=$(sqlite3 "$(file_of c)" "SELECT reason FROM held_events h WHERE seq = (SELECT MIN(seq) FROM held_events
    WHERE origin = h.origin) ORDER BY origin" | sort -u | tr '\n' ' ')
  echo "   -1 day on C: C holds $held_now of the $expected events A and B wrote (first of each origin: $reasons);" \
    "A and B hold $(($(held a) + $(held b)))" >&2
  row "clock skew -1 day on C: events from clocks too far ahead held on C (of $expected)" "$held_now" events \
    "$expected" null null "$([ "$held_now" = "$expected" ] && [ "$reasons" = "clock_ahead " ] \
      && [ "$(($(held a) + $(held b)))" = 0 ] && echo true || echo false)"
  stop_node c
  unset 'clock_offset[c]'
  start_node c
  t0=$(now)
  intake a 1 || return 1
  wait_until 120 converged || fail "no convergence after C's clock was put right"
  t1=$(now)
  row "clock skew -1 day on C: convergence after the clock is put right" "$(elapsed "$t0" "$t1")" s 10 "$base" \
    "$(ratio "$(elapsed "$t0" "$t1")" "$base")" \
    "$(converged && [ "$(held c)" = 0 ] && le "$(elapsed "$t0" "$t1")" 10 && echo true || echo false)"

  # +1 day on A: A's events are held on B and C; A takes theirs. A's clock is put right (its
  # next events must still be later than the ones it wrote a day ahead), and once a day
  # has passed for B and C (their clocks moved a day on) A's events apply everywhere.
  stop_node a
  clock_offset[a]=86400000
  start_node a
  local a_before
  a_before=$(sqlite3 "$(file_of a)" "SELECT COUNT(*) FROM events WHERE origin = '$(origin_of a)'")
  intake a 2 && intake b 1 && intake c 1 || return 1
  stop_node a
  unset 'clock_offset[a]'
  start_node a
  intake a 1 || return 1 # after the correction: still above A's day-ahead events
  expected=$(($(sqlite3 "$(file_of a)" "SELECT COUNT(*) FROM events WHERE origin = '$(origin_of a)'") - a_before))
  a_held_everywhere() {
    [ "$(held b)" = "$expected" ] && [ "$(held c)" = "$expected" ] && [ "$(held a)" = 0 ] \
      && [ "$(hash_of b)" = "$(hash_of c)" ]
  }
  wait_until 60 a_held_everywhere || fail "+1 day: B holds $(held b), C holds $(held c) of A's $expected events"
  row "clock skew +1 day on A: A's events held on B and on C (of $expected each)" \
    "$(python3 -c "print(($(held b) + $(held c)) / 2)")" events "$expected" null null "$(a_held_everywhere && echo true || echo false)"
  for n in b c; do
    stop_node "$n"
    clock_offset[$n]=$((86400000 + 60000))
    start_node "$n"
  done
  # A write at A: what B and C receive next releases what they hold.
  t0=$(now)
  intake a 1 || return 1
  wait_until 120 converged || fail "no convergence once a day had passed for B and C"
  t1=$(now)
  row "clock skew +1 day on A: convergence once a day has passed for the others" "$(elapsed "$t0" "$t1")" s 10 \
    "$base" "$(ratio "$(elapsed "$t0" "$t1")" "$base")" \
    "$(converged && le "$(elapsed "$t0" "$t1")" 10 && echo true || echo false)"

  for n in a b c; do violations=$((violations + $(hlc_violations "$n"))); done
  local lost
  lost=$(lost_events)
  echo "   HLC violations on all nodes: $violations; events lost or held at the end: $lost" >&2
  row "clock skew (all phases): hybrid clock monotonicity violations" "$violations" events 0 null null \
    "$([ "$violations" = 0 ] && echo true || echo false)"
  row "clock skew (all phases): events lost" "$lost" events 0 null null "$([ "$lost" = 0 ] && echo true || echo false)"
  for n in a b c; do stop_node "$n"; unset 'clock_offset[$n]'; done
}
if wants skew; then
  say "clock skew on three centres: +5 min, -5 min, -1 day, +1 day"
  rm -f "$tmp"/*.numbers
  skew_check || row "clock skew: the check did not finish" null events 0 null null false
fi

# --- partitions between three centres ----------------------------------------------------------
# The links go through partition_proxy.py: "a>c" carries what node a sends to node c.
declare -A link_port
peer_url() { echo "http://127.0.0.1:${link_port[$1$2]}"; }
generation=0
set_partition() { # set_partition LINK… (none: healed)
  generation=$((generation + 1))
  printf '%s\n' "$generation" "$@" >"$tmp/net.control.tmp"
  mv "$tmp/net.control.tmp" "$tmp/net.control"
  wait_until 10 grep -qx "$generation" "$tmp/net.state" || fail "the proxy did not apply partition $generation"
}
partition_check() {
  local n m links=() lost base spec shape seconds cut t0 t1 writers=() ok
  fresh_centres "$tmp/part" || return 1
  read -r port[a] port[b] port[c] <<<"$(free_ports 3)"
  local proxy_ports
  read -ra proxy_ports <<<"$(free_ports 6)"
  local i=0
  for n in a b c; do
    for m in a b c; do
      [ "$n" = "$m" ] && continue
      link_port[$n$m]=${proxy_ports[$i]}
      links+=(--link "$n>$m:${proxy_ports[$i]}:${port[$m]}")
      i=$((i + 1))
    done
  done
  python3 "$src/tests/faults/partition_proxy.py" "${links[@]}" --control "$tmp/net.control" --state "$tmp/net.state" \
    2>"$tmp/proxy.log" &
  pids+=($!)
  wait_until 10 test -s "$tmp/net.state" || { fail "the partition proxy did not start"; return 1; }
  # Retries after a failure back off from the interval up to 2 s (the default is 60 s): the
  # time to converge after a heal is then the time of the sync itself, not of the backoff.
  printf '[replication]\nmax_backoff = 2\n' >"$tmp/part/node.ini"
  node_args=(--config "$tmp/part/node.ini")
  for n in a b c; do start_node "$n"; done
  wait_until 60 converged || { fail "the reference data did not reach every node"; return 1; }
  base=$(baseline_convergence) || return 1
  echo "   baseline: one intake reaches every node in $base s" >&2
  for spec in "C|AB:3:a>c c>a b>c c>b" "A|B|C:10:a>b b>a a>c c>a b>c c>b" \
    "A-C cut, B bridges:10:a>c c>a" "C|AB:30:a>c c>a b>c c>b"; do
    IFS=: read -r shape seconds cut <<<"$spec"
    # shellcheck disable=SC2086
    set_partition $cut
    local until=$(($(date +%s) + seconds))
    writers=()
    # Each centre takes about four applications a second (a busy hall), paced, not flat out:
    # the figure is the time to converge, not how three writers saturate two cores.
    for n in a b c; do
      (while [ "$(date +%s)" -lt "$until" ]; do
        intake "$n" 1 || exit 1
        python3 -c 'import time; time.sleep(0.25)'
      done) &
      writers+=($!)
    done
    wait "${writers[@]}" || fail "writes refused during partition $shape"
    ok=true
    # A partition that isolates a node must have kept it apart, or it proved nothing; with
    # B as the bridge, A's and C's events still meet there.
    if [ "$shape" != "A-C cut, B bridges" ] && converged; then
      fail "the nodes converged during partition $shape: the links were not cut"
      ok=false
    fi
    set_partition
    t0=$(now)
    wait_until 120 converged || { fail "no convergence after healing $shape ($seconds s)"; ok=false; }
    t1=$(now)
    echo "   $shape for $seconds s ($(cat "$tmp"/*.numbers | wc -l) intakes so far): converged $(elapsed "$t0" "$t1") s after the heal" >&2
    row "partition $shape for $seconds s: convergence after healing" "$(elapsed "$t0" "$t1")" s 10 "$base" \
      "$(ratio "$(elapsed "$t0" "$t1")" "$base")" "$($ok && le "$(elapsed "$t0" "$t1")" 10 && echo true || echo false)"
  done
  lost=$(lost_events)
  row "partitions (all shapes): events lost" "$lost" events 0 null null "$([ "$lost" = 0 ] && echo true || echo false)"
  for n in a b c; do stop_node "$n"; done
  node_args=()
}
if wants partition; then
  say "partitions between three centres"
  rm -f "$tmp"/*.numbers
  partition_check || row "partitions: the check did not finish" null events 0 null null false
fi

exit "$status"
