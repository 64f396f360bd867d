#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suites: UTF8, loopback only, in a
# temporary folder, run as the postgres user when we are root.
#   pg_cluster.sh start STATEFILE   start a cluster, write its settings to STATEFILE
#   pg_cluster.sh stop STATEFILE    stop it (immediately) and delete its folder
#   pg_cluster.sh crash STATEFILE   stop it as a crash would (pg_ctl stop -m immediate)
#   pg_cluster.sh restart STATEFILE start a crashed cluster again on the same port
# STATEFILE holds shell assignments: OW_PG_DIR, OW_PG_PORT, OW_PG_CONN, OW_PG_ADMIN.
set -euo pipefail

bindir() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port stays claimed by its cluster from start to stop, also while an outage test has
# crashed it: a cluster started meanwhile by another test must not take the port, or the
# restart on the same port fails. A claim is a symlink from the port to the cluster's
# folder (made atomically); one whose folder is gone (a run that never stopped) is stale.
ports="${TMPDIR:-/tmp}/ow-pg-ports"

claim() {
  local port="$1" dir="$2" owner
  [ -d "$ports" ] || { mkdir -p "$ports" && chmod 1777 "$ports"; } 2>/dev/null || true
  ln -sn "$dir" "$ports/$port" 2>/dev/null && return 0
  owner=$(readlink "$ports/$port" 2>/dev/null) || return 1
  [ -d "$owner" ] && return 1
  rm -f "$ports/$port"
  ln -sn "$dir" "$ports/$port" 2>/dev/null
}

release() {
  local port="$1" dir="$2"
  [ "$(readlink "$ports/$port" 2>/dev/null)" = "$dir" ] && rm -f "$ports/$port"
  return 0
}

start() {
  local state="$1" bin dir port
  bin=$(bindir) || { echo "pg_cluster: PostgreSQL server binaries not found (install postgresql-15)" >&2; exit 1; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ow-pg.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -E UTF8 --locale=C -U postgres --auth=trust >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for port in $(seq 55432 55532); do
    claim "$port" "$dir" || { port=""; continue; }
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=60" start >/dev/null 2>&1; then
      break
    fi
    release "$port" "$dir"
    port=""
  done
  [ -n "$port" ] || { echo "pg_cluster: could not start a server on ports 55432-55532" >&2; tail -5 "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres ow_test
  # A database in another encoding, to test that it is refused.
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres -E LATIN1 -T template0 --locale=C ow_latin1
  cat >"$state" <<STATE
OW_PG_DIR='$dir'
OW_PG_BIN='$bin'
OW_PG_PORT='$port'
OW_PG_CONN='postgresql://host=127.0.0.1 port=$port dbname=ow_test user=postgres'
OW_PG_ADMIN='postgresql://host=127.0.0.1 port=$port dbname=postgres user=postgres'
STATE
  echo "pg_cluster: PostgreSQL running on 127.0.0.1:$port ($dir)"
}

stop() {
  local state="$1"
  [ -f "$state" ] || { echo "pg_cluster: no cluster recorded in $state"; return 0; }
  # shellcheck disable=SC1090
  . "$state"
  as_owner "$OW_PG_BIN/pg_ctl" -D "$OW_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  release "$OW_PG_PORT" "$OW_PG_DIR"
  bash "$(dirname "${BASH_SOURCE[0]}")/security/keep_logs.sh" postgres "$OW_PG_DIR/server.log"
  rm -rf "$OW_PG_DIR" "$state"
  echo "pg_cluster: stopped"
}

# For outage tests: stop the server as a crash would, and start it again as it was.
crash() {
  # shellcheck disable=SC1090
  . "$1"
  as_owner "$OW_PG_BIN/pg_ctl" -D "$OW_PG_DIR/data" -m immediate -w stop >/dev/null
}

restart() {
  # shellcheck disable=SC1090
  . "$1"
  as_owner "$OW_PG_BIN/pg_ctl" -D "$OW_PG_DIR/data" -l "$OW_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $OW_PG_PORT -k $OW_PG_DIR -c fsync=on -c max_connections=60" start >/dev/null \
    || { tail -5 "$OW_PG_DIR/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start) start "${2:?state file}" ;;
  stop) stop "${2:?state file}" ;;
  crash) crash "${2:?state file}" ;;
  restart) restart "${2:?state file}" ;;
  *) echo "usage: $0 start|stop|crash|restart STATEFILE" >&2; exit 2 ;;
esac
