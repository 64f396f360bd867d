# shellcheck shell=bash
# Sourced by the shell tests that work in a PostgreSQL database of their own on the test
# cluster whose settings OW_PG_STATE names (written by tests/pg_cluster.sh), so that other
# tests on the cluster run undisturbed. Calls the caller's skip and fail.
#   pg_scratch_create PREFIX  skips (exit 77) without a cluster or psql; else creates the
#                             database PREFIX_<pid>_<random> (UTF8, C collation) and sets
#                             pg_dbname, pg_admin (libpq settings of the cluster's admin
#                             database) and pg_conn (libpq settings of the new one)
#   pg_scratch_drop           drops it if it was made (for the caller's EXIT trap)
# shellcheck disable=SC2034 # pg_conn is for the caller
pg_dbname="" pg_admin="" pg_conn=""

pg_scratch_create() {
  [ -n "${OW_PG_STATE:-}" ] || skip "OW_PG_STATE is not set: no PostgreSQL test cluster (run through ctest)"
  [ -f "$OW_PG_STATE" ] || skip "the PostgreSQL test cluster state file $OW_PG_STATE is missing: the cluster did not start"
  # shellcheck disable=SC1090
  . "$OW_PG_STATE"
  if [ -z "${OW_PG_PORT:-}" ] || [ -z "${OW_PG_ADMIN:-}" ]; then
    skip "the state file $OW_PG_STATE is incomplete"
  fi
  command -v psql >/dev/null 2>&1 || skip "psql is not installed"
  local name="${1}_$$_$RANDOM"
  pg_admin="${OW_PG_ADMIN#postgresql://}"
  psql "$pg_admin" -XAtq -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $name ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null \
    || fail "could not create the database $name on the test cluster"
  pg_dbname="$name"
  # shellcheck disable=SC2034 # for the caller
  pg_conn="host=127.0.0.1 port=$OW_PG_PORT dbname=$name user=postgres"
}

pg_scratch_drop() {
  [ -z "$pg_dbname" ] || psql "$pg_admin" -XAtq -c "DROP DATABASE IF EXISTS $pg_dbname WITH (FORCE)" >/dev/null 2>&1
}
