#!/usr/bin/env bash
# PouchDB (pouchdb-node 9, a peer nobody here wrote) replicates with two real onewindowd
# processes: everything of node A (a demo centre written by owctl) into PouchDB, and all
# of that from PouchDB into the empty node B. Every document arrives unchanged on both
# hops (replicate.js compares them key for key), a second replication moves nothing, and
# B, which got its events only through PouchDB, ends with A's state-hash and verifies.
# Usage: test_pouchdb.sh ONEWINDOWD OWCTL SOURCE_DIR
set -uo pipefail
daemon="$1"
owctl="$2"
src="$3"
here="$src/tests/interop"
tmp=$(mktemp -d)
passed=0
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  bash "$src/tests/security/keep_logs.sh" pouchdb "$tmp"/*.log
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  local log
  for log in "$tmp"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }; done
  echo "$passed passed, 1 failed"
  exit 1
}
check() { passed=$((passed + 1)); echo "ok $passed - $*"; }

command -v node >/dev/null 2>&1 || { echo "SKIPPED: node is not installed (./ow deps installs it)"; exit 77; }
[ -d "$here/node_modules/pouchdb-node" ] \
  || { echo "SKIPPED: the npm packages of tests/interop are not installed (./ow deps runs npm ci there)"; exit 77; }

# Starts a node on a free loopback port; its URL is in $tmp/NAME.url once it serves.
start_node() {
  local name="$1" db="$2"
  "$daemon" --db "$db" --listen 127.0.0.1:0 --centre 330102 --ready-file "$tmp/$name.url" >"$tmp/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    [ -s "$tmp/$name.url" ] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || fail "node $name exited at start"
    python3 -c 'import time; time.sleep(0.05)'
  done
  fail "node $name did not start serving within 30 s"
}

a="sqlite3://db=$tmp/a.db"
b="sqlite3://db=$tmp/b.db"
"$owctl" --db "$a" seed-demo --cases 40 --seed 11 >/dev/null || fail "seed-demo on A"
"$owctl" --db "$b" init --centre 330102 >/dev/null || fail "init B"
start_node a "$a"
start_node b "$b"
url_a=$(cat "$tmp/a.url")
url_b=$(cat "$tmp/b.url")
check "two nodes serving at $url_a and $url_b"

out=$(cd "$here" && node replicate.js "${url_a%/}/onewindow" "${url_b%/}/onewindow" 2>"$tmp/node.log")
status=$?
echo "$out"
[ $status -eq 0 ] || { cat "$tmp/node.log" >&2; fail "PouchDB replication (exit $status): $out"; }
echo "$out" | python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if v["identical"] and v["pulled"] == v["documents"] == v["pushed"] and v["documents"] > 300 else 1)' \
  || fail "not every document went both ways unchanged: $out"
check "PouchDB pulled every event of A and pushed them all to B, each unchanged"

ha=$("$owctl" --db "$a" state-hash) || fail "state-hash A"
hb=$("$owctl" --db "$b" state-hash) || fail "state-hash B"
[ "$ha" = "$hb" ] || fail "state-hash differs: A $ha, B $hb"
"$owctl" --db "$b" verify >/dev/null || fail "B does not verify"
check "B, fed only by PouchDB, has A's state-hash and verifies"
echo "$passed passed, 0 failed"
