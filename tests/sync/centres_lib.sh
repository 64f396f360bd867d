# Helpers for scripts that run several centres on loopback, each a real onewindowd on a
# SQLite file (tests/sync/test_three_centres.sh, tests/faults/run_faults.sh). Source it after
# setting: daemon, owctl, tmp (a folder of the script's own) and a fail() function.
#   nodes              the node names (default a b c)
#   db[n] centre[n]    connection string and centre code of node n
#   port[n]            the port node n listens on (free_ports finds some)
#   clock_offset[n]    OW_CLOCK_OFFSET_MS for node n's daemon (unset: the true clock)
#   node_args          more onewindowd arguments for every node (e.g. --config FILE)
#   peer_url N M       the URL node N uses for peer M (default: M's own port; a script
#                      may redefine it, e.g. to go through a proxy)
# pid[n] is the running daemon of node n; pids lists every daemon ever started, for cleanup.
# shellcheck shell=bash
declare -A db port centre pid clock_offset
[ -n "${nodes+set}" ] || nodes=(a b c)
[ -n "${pids+set}" ] || pids=()
[ -n "${node_args+set}" ] || node_args=()

# wait_until SECONDS COMMAND…: polls COMMAND every 0.1 s until it succeeds.
wait_until() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    python3 -c 'import time; time.sleep(0.1)'
  done
}

# free_ports N: N free loopback ports, space-separated.
free_ports() {
  python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

peer_url() { echo "http://127.0.0.1:${port[$2]}"; }

start_node() {
  local n="$1" peers=() m
  for m in "${nodes[@]}"; do [ "$m" = "$n" ] || peers+=(--peer "$(peer_url "$n" "$m")"); done
  rm -f "$tmp/$n.url"
  env ${clock_offset[$n]:+OW_CLOCK_OFFSET_MS="${clock_offset[$n]}"} \
    "$daemon" --db "${db[$n]}" --centre "${centre[$n]}" --listen "127.0.0.1:${port[$n]}" --ready-file "$tmp/$n.url" \
    --interval 0.3 "${node_args[@]}" "${peers[@]}" >>"$tmp/$n.log" 2>&1 &
  pid[$n]=$!
  pids+=("${pid[$n]}")
  wait_until 30 test -s "$tmp/$n.url" || fail "node $n did not start"
}

# stop_node N [SIGNAL]: stops node N's daemon (SIGTERM by default) and waits for it.
stop_node() {
  kill -"${2:-TERM}" "${pid[$1]}" 2>/dev/null
  { wait "${pid[$1]}"; } 2>/dev/null
  return 0
}

hash_of() { "$owctl" --db "${db[$1]}" state-hash 2>/dev/null; }
count() { sqlite3 "${db[$1]#sqlite3://db=}" "SELECT COUNT(*) FROM events"; }
# Every node has the same state-hash and the same number of events.
converged() {
  local n h c first_h="" first_c=""
  for n in "${nodes[@]}"; do
    h=$(hash_of "$n") || return 1
    c=$(count "$n") || return 1
    if [ -z "$first_h" ]; then
      first_h="$h"
      first_c="$c"
    elif [ "$h" != "$first_h" ] || [ "$c" != "$first_c" ]; then
      return 1
    fi
  done
}
