#!/usr/bin/env bash
# Two real onewindowd processes on free loopback ports: B accepts only the account of A,
# A replicates with B. Before A replicates, B refuses wrong credentials (401), malformed
# JSON (400) and a body over its limit (413, Content-Length and chunked) and stores
# nothing. Then what owctl writes on A (demo reference data, intakes, case work) reaches
# B, and what is written on B reaches A: equal state-hashes, verify clean on both, health
# and metrics reporting the peer; SIGTERM stops both cleanly.
#   sqlite    both databases are SQLite files
#   postgres  A's database is one of its own on the PostgreSQL test cluster (OW_PG_STATE)
#   tls       B serves HTTPS with a certificate of a throwaway centre CA that A pins; a
#             third node pinning another CA is refused by its TLS check
# Waits poll a condition until a deadline; nothing sleeps to synchronise.
# Usage: test_onewindowd.sh ONEWINDOWD OWCTL SOURCE_DIR [sqlite|postgres|tls]
set -uo pipefail
daemon="$1"
owctl="$2"
src="$3"
mode="${4:-sqlite}"
probe=(python3 "$src/tests/sync/couch_probe.py")
tmp=$(mktemp -d)
passed=0
pids=()
# shellcheck source=SCRIPTDIR/../pg_scratch.sh
. "$(dirname "${BASH_SOURCE[0]}")/../pg_scratch.sh"
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  pg_scratch_drop
  bash "$src/tests/security/keep_logs.sh" "onewindowd-$mode" "$tmp"/*.log
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  local log
  for log in "$tmp"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 25 "$log" >&2; }; done
  echo "$passed passed, 1 failed"
  exit 1
}
skip() { echo "SKIPPED: $*"; exit 77; }
check() { passed=$((passed + 1)); echo "ok $passed - $*"; }

# Polls "$@" until it succeeds or DEADLINE seconds have passed.
wait_until() {
  local deadline=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (the HTTP probes use it)"
db_a="sqlite3://db=$tmp/a.db"
db_b="sqlite3://db=$tmp/b.db"
case "$mode" in
  sqlite) ;;
  postgres)
    pg_scratch_create onewindowd
    db_a="postgresql://$pg_conn"
    ;;
  tls)
    command -v openssl >/dev/null 2>&1 || skip "the openssl command is not installed (it makes the test CA)"
    ;;
  *) echo "usage: $0 ONEWINDOWD OWCTL SOURCE_DIR [sqlite|postgres|tls]" >&2; exit 2 ;;
esac
doc="$src/docs/examples/intake.json"
umask 077
printf 'a-secret-%s\n' "$RANDOM$RANDOM" >"$tmp/a.password"
printf 'wrong\n' >"$tmp/wrong.password"

# Starts a node NAME with the given options; its URL lands in $tmp/NAME.url once serving.
start_node() {
  local name="$1"; shift
  rm -f "$tmp/$name.url"
  "$daemon" --listen 127.0.0.1:0 --ready-file "$tmp/$name.url" --interval 0.3 "$@" >>"$tmp/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  eval "pid_$name=$pid"
  wait_until 30 test -s "$tmp/$name.url" || fail "node $name did not start"
}
# Stops a node with SIGTERM and expects a clean exit (status 0) within 30 seconds.
stop_node() {
  local name="$1" pid
  pid=$(eval echo "\$pid_$name")
  kill -TERM "$pid" || fail "node $name is not running"
  local deadline=$(($(date +%s) + 30))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "node $name did not stop within 30 s of SIGTERM"
    sleep 0.1
  done
  wait "$pid"
  local status=$?
  [ "$status" = 0 ] || fail "node $name exited with status $status after SIGTERM"
  [ ! -e "$tmp/$name.url" ] || fail "node $name left its ready file behind"
}
url() { cat "$tmp/$1.url"; }
b_auth=(--user centre_a --password-file "$tmp/a.password")
count_b() { "${probe[@]}" doc-count "$(url b)" "${b_auth[@]}"; }
hash_of() { "$owctl" --db "$1" state-hash; }
same_state() { [ "$(hash_of "$db_a")" = "$(hash_of "$db_b")" ]; }

# Refusals at start, before anything is opened.
out=$("$daemon" --db "sqlite3://db=$tmp/never.db" --centre 330102 --listen 0.0.0.0:0 2>&1)
[ $? = 78 ] && [[ "$out" == *"refusing to serve plain HTTP"* ]] || fail "plain HTTP on 0.0.0.0 was not refused: $out"
out=$("$daemon" --db "sqlite3://db=$tmp/never.db" --centre 330102 --listen 0.0.0.0:0 --allow-plain-http 2>&1)
[ $? = 78 ] && [[ "$out" == *"without accounts"* ]] || fail "open access on 0.0.0.0 was not refused: $out"
out=$("$daemon" --db "sqlite3://db=$tmp/never.db" --centre 330102 --peer http://192.0.2.1:5984 2>&1)
[ $? = 78 ] && [[ "$out" == *"allow_plain_http"* ]] || fail "plain HTTP to a remote peer was not refused: $out"
out=$("$daemon" --db "sqlite3://db=$tmp/never.db" --centre 330102 --peer https://192.0.2.1:6984 2>&1)
[ $? = 78 ] && [[ "$out" == *"CA file"* ]] || fail "https to a peer without a pinned CA was not refused: $out"
[ ! -e "$tmp/never.db" ] || fail "a refused configuration created its database"
check "unsafe configurations are refused before the database is opened"

# Centre A: reference data and two intakes with case work, written by owctl on A's database.
"$owctl" --db "$db_a" init --centre 330102 >/dev/null || fail "init A"
"$owctl" --db "$db_a" seed-demo --cases 0 --seed 11 >/dev/null || fail "seed-demo A"
n1=$("$owctl" --db "$db_a" intake "$doc") || fail "intake 1 on A"
n2=$("$owctl" --db "$db_a" intake "$doc") || fail "intake 2 on A"
"$owctl" --db "$db_a" cases route "$n1" --step review --department 区不动产登记中心 --as clerk01 >/dev/null \
  || fail "routing on A"
"$owctl" --db "$db_a" cases note "$n2" "电话确认材料" --as clerk01 >/dev/null || fail "note on A"

b_tls=()
a_tls=()
if [ "$mode" = tls ]; then
  ca() { # NAME: a self-signed CA
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=OneWindow test $1 CA" \
      -keyout "$tmp/$1.key" -out "$tmp/$1.pem" >/dev/null 2>&1 || fail "making the $1 CA"
  }
  ca centre-ca
  ca other-ca
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tmp/b.key" -out "$tmp/b.csr" \
    >/dev/null 2>&1 || fail "making B's key"
  printf 'subjectAltName=IP:127.0.0.1\n' >"$tmp/b.ext"
  openssl x509 -req -in "$tmp/b.csr" -CA "$tmp/centre-ca.pem" -CAkey "$tmp/centre-ca.key" -CAcreateserial \
    -days 2 -extfile "$tmp/b.ext" -out "$tmp/b.crt" >/dev/null 2>&1 || fail "signing B's certificate"
  b_tls=(--tls-certificate "$tmp/b.crt" --tls-key "$tmp/b.key")
  a_tls=(--peer-ca "$tmp/centre-ca.pem")
fi

# Centre B: accepts only A's account, and bodies up to 1 MiB.
start_node b --db "$db_b" --centre 330103 --account "centre_a:$tmp/a.password" --max-body-bytes 1048576 "${b_tls[@]}"
if [ "$mode" = tls ]; then
  [[ "$(url b)" == https://* ]] || fail "B does not serve HTTPS: $(url b)"
fi
[ "$(count_b)" = 0 ] || fail "B is not empty"
check "B serves $(url b) and answers its account"

# Faults: whole requests refused, nothing stored. A serves its events (no peer yet) so
# that the refused requests carry real event documents.
start_node a0 --db "$db_a"
"${probe[@]}" docs "$(url a0)" --limit 20 >"$tmp/docs.json" || fail "reading A's documents"
stop_node a0
check "A serves its events and stops cleanly on SIGTERM"

res=$("${probe[@]}" request POST "$(url b)/onewindow/_bulk_docs" --body-file "$tmp/docs.json" --header WWW-Authenticate)
[ "$(sed -n 1p <<<"$res")" = 401 ] || fail "no credentials: expected 401, got: $res"
[ "$(sed -n 2p <<<"$res")" = 'Basic realm="onewindow"' ] || fail "401 without the basic-auth challenge: $res"
[[ "$(sed -n 3p <<<"$res")" == *'"error":"unauthorized"'* ]] || fail "401 without a CouchDB error: $res"
res=$("${probe[@]}" request POST "$(url b)/onewindow/_bulk_docs" --body-file "$tmp/docs.json" \
  --user centre_a --password-file "$tmp/wrong.password")
[ "$(head -n 1 <<<"$res")" = 401 ] || fail "wrong password: expected 401, got: $res"
res=$("${probe[@]}" request GET "$(url b)/onewindow/_changes" --user centre_b --password-file "$tmp/a.password")
[ "$(head -n 1 <<<"$res")" = 401 ] || fail "unknown user: expected 401, got: $res"
[ "$(count_b)" = 0 ] || fail "refused credentials stored something"
check "wrong or missing credentials: 401 with the challenge, nothing stored"

res=$("${probe[@]}" request POST "$(url b)/onewindow/_bulk_docs" "${b_auth[@]}" \
  --body '{"docs":[{"_id":"ev-x-000000000001",}],"new_edits":false}')
[ "$(head -n 1 <<<"$res")" = 400 ] || fail "malformed JSON: expected 400, got: $res"
res=$("${probe[@]}" request POST "$(url b)/onewindow/_bulk_docs" "${b_auth[@]}" --body "$(head -c 300 "$tmp/docs.json")")
[ "$(head -n 1 <<<"$res")" = 400 ] || fail "truncated JSON: expected 400, got: $res"
[ "$(count_b)" = 0 ] || fail "malformed JSON stored something"
check "malformed JSON: 400, nothing stored"

res=$("${probe[@]}" request POST "$(url b)/onewindow/_bulk_docs" "${b_auth[@]}" --body-bytes 2097152)
[ "$(head -n 1 <<<"$res")" = 413 ] || fail "2 MiB body (Content-Length): expected 413, got: $(head -c 300 <<<"$res")"
[[ "$res" == *'"error":"too_large"'* ]] || fail "413 without a CouchDB error: $(head -c 300 <<<"$res")"
res=$("${probe[@]}" request POST "$(url b)/onewindow/_bulk_docs" "${b_auth[@]}" --body-bytes 2097152 --chunked)
[ "$(head -n 1 <<<"$res")" = 413 ] || fail "2 MiB body (chunked): expected 413, got: $(head -c 300 <<<"$res")"
[ "$(count_b)" = 0 ] || fail "an oversized body stored something"
check "a body over the limit: 413 (by Content-Length and chunked), nothing stored"

# A replicates with B: everything written on A reaches B.
start_node a --db "$db_a" --peer "$(url b)" --peer-user centre_a --peer-password-file "$tmp/a.password" "${a_tls[@]}"
wait_until 60 same_state || fail "B did not reach A's state-hash within 60 s"
for n in "$n1" "$n2"; do
  [ "$("$owctl" --db "$db_b" cases show "$n" --json)" = "$("$owctl" --db "$db_a" cases show "$n" --json)" ] \
    || fail "case $n differs between A and B"
done
"$owctl" --db "$db_a" verify >/dev/null || fail "verify A"
"$owctl" --db "$db_b" verify >/dev/null || fail "verify B"
check "A's events reached B: equal state-hash, verify clean on both"

# Written on B (an intake of B's own and a note on A's case) reaches A.
n3=$("$owctl" --db "$db_b" intake "$doc") || fail "intake on B"
[[ "$n3" == 330103-* ]] || fail "B's case number is not B's: $n3"
"$owctl" --db "$db_b" cases note "$n1" "异地窗口补充说明" --as clerk01 >/dev/null || fail "note on B"
wait_until 60 same_state || fail "A did not reach B's state-hash within 60 s"
"$owctl" --db "$db_a" cases show "$n3" >/dev/null || fail "B's case $n3 missing on A"
"$owctl" --db "$db_a" verify >/dev/null || fail "verify A after B's writes"
"$owctl" --db "$db_b" verify >/dev/null || fail "verify B after B's writes"
check "B's events reached A: equal state-hash, verify clean on both"

# Writes while A is stopped go across after its restart, from the checkpoints.
stop_node a
n4=$("$owctl" --db "$db_a" intake "$doc") || fail "intake on A while its daemon is down"
before=$(wc -l <"$tmp/a.log")
start_node a --db "$db_a" --peer "$(url b)" --peer-user centre_a --peer-password-file "$tmp/a.password" "${a_tls[@]}"
wait_until 60 same_state || fail "B did not get what A wrote while its daemon was down"
"$owctl" --db "$db_b" cases show "$n4" >/dev/null || fail "case $n4 missing on B"
# One push of the intake's two events, from where the last run left off.
tail -n +"$((before + 1))" "$tmp/a.log" | grep -Eq "pushed 2 event\(s\) to peer1 \(our arrivals [1-9][0-9]*→" \
  || fail "A's restart did not resume from its checkpoint (expected one push of 2 events)"
check "after a restart A resumes from its checkpoints"

wait_until 30 "${probe[@]}" health "$(url a)" "$(url b)" \
  || fail "A's health does not report B: $("${probe[@]}" health "$(url a)" "$(url b)")"
metrics=$("${probe[@]}" request GET "$(url a)/_ow/metrics")
grep -q "^onewindow_peer_up{peer=\"peer1\",url=\"$(url b)\"} 1$" <<<"$metrics" || fail "metrics: peer not up: $metrics"
grep -q '^onewindow_held_events{' <<<"$metrics" || fail "metrics: no held events"
res=$("${probe[@]}" request GET "$(url b)/_ow/health")
[ "$(head -n 1 <<<"$res")" = 401 ] || fail "B's health answered without credentials"
check "health and metrics report the peer; B's health needs credentials"

if [ "$mode" = tls ]; then
  # A node pinning another CA refuses B's certificate, and says so in its health.
  start_node c --db "sqlite3://db=$tmp/c.db" --centre 330104 --peer "$(url b)" --peer-user centre_a \
    --peer-password-file "$tmp/a.password" --peer-ca "$tmp/other-ca.pem"
  tls_refused() {
    "${probe[@]}" request GET "$(url c)/_ow/health" | grep -q '"last_error": "pull: sync.tls_failed'
  }
  wait_until 30 tls_refused || fail "C did not report B's certificate as refused: $("${probe[@]}" request GET "$(url c)/_ow/health")"
  [ "$("$owctl" --db "sqlite3://db=$tmp/c.db" state-hash)" != "$(hash_of "$db_b")" ] \
    || fail "C replicated through a certificate it must refuse"
  stop_node c
  check "a peer certificate from another CA is refused (sync.tls_failed in health)"
fi

stop_node a
stop_node b
check "both nodes stop cleanly on SIGTERM"
grep -h "a-secret-" "$tmp"/*.log && fail "a password reached a log"
echo "$passed passed, 0 failed"
