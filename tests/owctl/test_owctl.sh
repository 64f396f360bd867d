#!/usr/bin/env bash
# The owctl contract (issue 3, docs/OWCTL.md), checked from the outside as scripts use
# it: exit codes, stdout/stderr discipline, --db/--json anywhere, intake, search, users,
# verify against a tampered SQLite file, --replica with sync and status against an
# unreachable shared database, queue tickets, and that no full identity number leaks.
# Usage: test_owctl.sh OWCTL_BINARY SOURCE_DIR
# Needs bash, coreutils, the sqlite3 CLI and python3. Stops at the first failed check.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 OWCTL_BINARY SOURCE_DIR" >&2
  exit 2
fi
OWCTL=$(realpath "$1")
SRC=$(realpath "$2")
for tool in sqlite3 python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test_owctl.sh: $tool is required" >&2; exit 1; }
done

tmp=$(mktemp -d) || exit 1
# A script that stops before its last line (a bash error, an exit in a helper) fails,
# whatever status it stopped with.
finished=
trap 'status=$?; bash "$SRC/tests/security/keep_logs.sh" owctl "$tmp/all-stderr"; rm -rf "$tmp"; if [ -z "$finished" ] && [ "$status" -eq 0 ]; then
  echo "FAIL: the contract test stopped before its end"; exit 1; fi' EXIT
# Keep the default database (and anything else) inside the scratch folder.
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/xdg"
mkdir -p "$HOME"
unset SPDLOG_LEVEL

DB="sqlite3://db=$tmp/x.db"
EXAMPLE="$SRC/docs/examples/intake.json"
# The identity numbers of the example document; they must never reach stderr in full.
APPLICANT_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applicant"]["idNumber"])' "$EXAMPLE")
AGENT_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applicant"]["agent"]["idNumber"])' "$EXAMPLE")
PHONE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applicant"]["phone"])' "$EXAMPLE")
# The first character of the name, cut by Python: bash would cut bytes in the C locale.
NAME_PREFIX=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["applicant"]["name"][0])' "$EXAMPLE")

passed=0
rc=0
out=""
err=""
label=""

fail() {
  echo "FAIL: $label" >&2
  echo "  expected: $*" >&2
  echo "  exit code: $rc" >&2
  echo "  stdout: $(printf '%s' "$out" | head -c 2000)" >&2
  echo "  stderr: $(printf '%s' "$err" | head -c 2000)" >&2
  echo "$passed passed, 1 failed"
  exit 1
}
pass() { passed=$((passed + 1)); }

# run ARGS…: runs owctl; sets rc, out, err; keeps every stderr for the leak check.
run() {
  label="owctl $*"
  "$OWCTL" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
  rc=$?
  out=$(cat "$tmp/stdout")
  err=$(cat "$tmp/stderr")
  cat "$tmp/stderr" >>"$tmp/all-stderr"
}

# expect CODE ARGS…: the exit code and the stdout/stderr discipline that goes with it.
expect() {
  local code=$1
  shift
  run "$@"
  [ "$rc" -eq "$code" ] || fail "exit code $code"
  case "$code" in
    0) ;;
    1)
      [ -z "$out" ] || fail "nothing on stdout for an error"
      [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "exactly one line on stderr"
      [[ "$err" == "owctl: "*": "* ]] || fail "stderr like 'owctl: <what failed>: <reason>'"
      ;;
    2)
      [ -z "$out" ] || fail "nothing on stdout for a usage error"
      [[ "$err" == "owctl: "* ]] || fail "stderr starting with 'owctl: '"
      grep -q '^usage: owctl' <<<"$err" || fail "a usage line on stderr"
      ;;
    3)
      [ -z "$out" ] || fail "nothing on stdout when there is nothing to do"
      [[ "$err" == "owctl: nothing to do: "* ]] || fail "stderr 'owctl: nothing to do: …'"
      ;;
  esac
  pass
}

# Here-strings, not pipes: grep -q leaving early must not fail the check with SIGPIPE.
stdout_has() { grep -qF -- "$1" <<<"$out" || fail "stdout containing '$1'"; pass; }
stderr_has() { grep -qF -- "$1" <<<"$err" || fail "stderr containing '$1'"; pass; }
stdout_lacks() { ! grep -qF -- "$1" <<<"$out" || fail "stdout not containing '$1'"; pass; }
is_json_array() {
  printf '%s' "$out" | python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if isinstance(v, list) else 1)' \
    || fail "stdout to be one JSON array"
  pass
}
json_check() { # json_check PYTHON-EXPR-ON-v DESCRIPTION
  printf '%s' "$out" | python3 -c "import json,sys; v=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" \
    || fail "$2"
  pass
}
sql() { sqlite3 "$1" "$2"; }
event_count() { sql "$tmp/x.db" "SELECT COUNT(*) FROM events"; }

# ---------------------------------------------------------------- general usage
expect 0 --version
stdout_has "owctl "
expect 0 --help
stdout_has "intake FILE"
expect 2
expect 2 frobnicate
expect 2 cases
expect 2 users
expect 0 cases --help
expect 2 --db
for cmd in init migrate import-catalogue seed-demo intake "cases list" "cases show" search "users add" \
  "users passwd" "users list" verify rebuild-projections state-hash held; do
  # shellcheck disable=SC2086
  expect 0 $cmd --help
  stdout_has "usage: owctl $cmd"
done
expect 0 help intake
stdout_has "usage: owctl intake"

# ---------------------------------------------------------------- bad databases
expect 1 --db nonsense state-hash
stderr_has "not a connection string"
expect 1 --db mysql://host=x state-hash
stderr_has "unknown database backend 'mysql'"
expect 1 --db sqlite3:// cases list
stderr_has "names no file"
touch "$tmp/afile"
expect 1 --db "sqlite3://db=$tmp/afile/sub/x.db" init
stderr_has "cannot open database"
expect 1 --db "sqlite3://db=$tmp/missing.db" cases list
stderr_has "owctl init"
[ ! -e "$tmp/missing.db" ] || fail "a read command not to create a database"
pass
expect 1 --db "postgresql://host=127.0.0.1 port=1 dbname=none user=nobody password=sekret connect_timeout=3" state-hash
stderr_has "cannot connect"
! grep -q sekret <<<"$err" || fail "the password redacted from the message"
pass

# ---------------------------------------------------------------- init, migrate
expect 2 --db "$DB" init --centre 12
expect 2 --db "$DB" init --bogus
expect 0 --db "$DB" init
stdout_has "330102"
expect 3 --db "$DB" init
expect 3 init --db "$DB" --centre 330102
expect 1 --db "$DB" init --centre 330106
stderr_has "already initialised for centre 330102"
expect 0 --db "$DB" --json users list
[ "$out" = "[]" ] || fail "an empty JSON array of users"
pass
# The default database lives under the data directory.
expect 0 init
[ -f "$XDG_DATA_HOME/onewindow/onewindow.db" ] || fail "the default database under \$XDG_DATA_HOME"
pass
expect 3 init --centre=330102

expect 3 --db "$DB" migrate
stderr_has "is current"
expect 2 --db "$DB" migrate now
expect 1 --db "sqlite3://db=$tmp/missing.db" migrate
# An older schema: version 1 had neither case-number blocks (v2), held events (v3) nor
# the hall's tickets and the ratings (v4).
OLD="$tmp/old.db"
TO_V1="DROP TABLE case_number_days; DROP TABLE held_events; DROP TABLE tickets; DROP TABLE evaluations; DROP TABLE evaluation_orphans;
  DROP TABLE case_facts;
  DELETE FROM counters WHERE name = 'hall'; UPDATE meta SET value = '1' WHERE key = 'schema_version';"
expect 0 --db "sqlite3://db=$OLD" init
sql "$OLD" "$TO_V1"
expect 0 --db "sqlite3://db=$OLD" migrate
stdout_has "1 to 5"
expect 3 --db "sqlite3://db=$OLD" migrate
sql "$OLD" "$TO_V1"
expect 0 migrate --json --db "sqlite3://db=$OLD"
json_check 'v == {"from": 1, "to": 5}' '{"from":1,"to":5}'
sql "$OLD" "UPDATE meta SET value = '99' WHERE key = 'schema_version';"
expect 1 --db "sqlite3://db=$OLD" cases list
stderr_has "99"

# ---------------------------------------------------------------- import-catalogue
cat >"$tmp/one.csv" <<'EOF'
record,code,matter,nameZh,nameEn,department,category,statutoryLimit,promisedLimit,feeFen,immediate,form,count,dataShared,matters
matter,330102-YB-009,,医保参保登记,Medical insurance enrolment,区医疗保障局,D,5wd,1wd,0,TRUE,,,,
material,id_card,330102-YB-009,居民身份证,Resident identity card,,,,,,,original,1,TRUE,
EOF
cat >"$tmp/bad.csv" <<'EOF'
record,code,matter,nameZh,nameEn,department,category,statutoryLimit,promisedLimit,feeFen,immediate,form,count,dataShared,matters
matter,330102-YB-008,,医保参保登记,Medical insurance enrolment,区医疗保障局,D,5wd,1wd,0,TRUE,,,,
matter,330102-YB-007,,医保参保登记,Medical insurance enrolment,区医疗保障局,D,5wd,soon,0,TRUE,,,,
EOF
printf '{"matters": [\n  {"code": "330102-X-001",\n' >"$tmp/truncated.json"
printf '{"matters": [{"code": "330102-X-001", "nameZh": "甲", "nameEn": "A", "department": "D", "category": "B",\n "statutoryLimit": "5wd", "promisedLimit": "9wd"}]}\n' >"$tmp/badlimit.json"
before=$(event_count)
expect 1 --db "$DB" import-catalogue "$tmp/bad.csv"
stderr_has "bad.csv"
stderr_has "line 3"
stderr_has "promisedLimit"
[ "$(event_count)" = "$before" ] || fail "nothing half-imported from a bad CSV file"
pass
expect 1 --db "$DB" import-catalogue "$tmp/truncated.json"
stderr_has "truncated.json"
stderr_has "line 3"
expect 1 --db "$DB" import-catalogue "$tmp/badlimit.json"
stderr_has "matters[0].promisedLimit"
[ "$(event_count)" = "$before" ] || fail "nothing imported from bad JSON files"
pass
expect 1 --db "$DB" import-catalogue "$tmp/nothere.json"
stderr_has "nothere.json"
cp "$tmp/one.csv" "$tmp/one.txt"
expect 1 --db "$DB" import-catalogue "$tmp/one.txt"
expect 2 --db "$DB" import-catalogue
expect 0 --db "$DB" import-catalogue "$tmp/one.csv"
stdout_has "1 new"
expect 3 --db "$DB" import-catalogue "$tmp/one.csv"
expect 0 import-catalogue "$SRC/model/demo/catalogue.json" --db "$DB" --json
json_check 'v["added"] > 40 and v["bundles"] >= 5' "the demo catalogue imported (JSON summary)"
expect 3 --json --db "$DB" import-catalogue "$SRC/model/demo/catalogue.json"

# ---------------------------------------------------------------- users
expect 2 --db "$DB" users add clerk01
expect 2 --db "$DB" users add clerk01 --role janitor
expect 2 --db "$DB" users add "bad name" --role clerk
expect 0 --db "$DB" users add clerk01 --role window_staff --display-name 王芳
generated=$(printf '%s\n' "$out" | sed -n 's/^password: //p')
[ ${#generated} -ge 10 ] || fail "a generated password printed once as 'password: …'"
pass
expect 1 --db "$DB" users add clerk01 --role clerk
stderr_has "already exists"
printf 'correct horse battery\n' >"$tmp/pw"
expect 0 users add admin --role admin,reviewer --password-file "$tmp/pw" --db "$DB"
stdout_lacks "correct horse"
stdout_lacks "password:"
printf 'short\n' >"$tmp/shortpw"
expect 1 --db "$DB" users add rev01 --role reviewer --password-file "$tmp/shortpw"
stderr_has "shorter than"
expect 1 --db "$DB" users add rev01 --role reviewer --password-file "$tmp/nothere"
expect 0 --db "$DB" users list
stdout_has "clerk01"
stdout_has "王芳"
stdout_has "reviewer,administrator"
stdout_lacks "argon2"
expect 0 users list --json --db "$DB"
is_json_array
json_check 'sorted(u["user"] for u in v) == ["admin", "clerk01"]' "users admin and clerk01 in the JSON list"
expect 0 --db "$DB" users passwd clerk01
stdout_has "password: "
expect 0 --db "$DB" --json users passwd admin --password-file "$tmp/pw"
json_check '"password" not in v' "no password in the output when it came from a file"
expect 1 --db "$DB" users passwd nobody
stderr_has "nobody"
expect 2 --db "$DB" users passwd
expect 2 --db "$DB" users frob
! grep -q "correct horse" "$tmp/all-stderr" || fail "a password from a file never on stderr"
pass

# ---------------------------------------------------------------- intake
expect 0 --db "$DB" intake "$EXAMPLE"
first="$out"
[[ "$first" =~ ^330102-[0-9]{8}-[0-9]{6}$ ]] || fail "a case number alone on stdout"
pass
expect 0 intake "$EXAMPLE" --db "$DB"
second="$out"
[[ "$second" =~ ^330102-[0-9]{8}-[0-9]{6}$ ]] || fail "a case number alone on stdout"
[ "$first" != "$second" ] || fail "two intakes of one document to make two cases"
pass
expect 0 --json intake --db "$DB" "$EXAMPLE"
json_check 'v["status"] == "accepted" and v["maskedId"].count("*") >= 8' "the case summary as JSON"
third=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
stdout_lacks "$APPLICANT_ID"

make_doc() { # make_doc NAME PYTHON-STATEMENTS-ON-d
  python3 - "$EXAMPLE" "$tmp/$1.json" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
}
wrong_digit() { python3 -c 'import sys; s=sys.argv[1]; print(s[:17] + ("0" if s[17] != "0" else "1"))' "$1"; }
BAD_ID=$(wrong_digit "$APPLICANT_ID")
BAD_AGENT_ID=$(wrong_digit "$AGENT_ID")
make_doc badid "d['applicant']['idNumber'] = '$BAD_ID'"
make_doc badagent "d['applicant']['agent']['idNumber'] = '$BAD_AGENT_ID'"
make_doc baduscc "d['applicant'].update(type='enterprise', idKind='uscc', idNumber='91330106MA2001ABC1', agent=None)"
make_doc typo "d['applicant']['nmae'] = 'x'"
make_doc missing "d['materialsReceived'] = ['id_card']"
make_doc nobundle "d['bundle'] = '330102-NOPE-001'"
make_doc noclerk "del d['clerk']"
make_doc deficient "d['materialsReceived'] = ['property_certificate']; d['decision'] = {'kind': 'accept_deficient', 'commitmentDue': 10}"
make_doc notice "d['materialsReceived'] = []; d['decision'] = {'kind': 'notice'}"
make_doc refuse "d['decision'] = {'kind': 'refuse', 'reason': '不属于本中心受理范围', 'legalBasis': '《中华人民共和国行政许可法》第三十二条'}"
make_doc consult "d['decision'] = None; d['window'] = 'W07'"
printf '{"applicant": {"name": "王芳",' >"$tmp/broken.json"
cases_before=$(sql "$tmp/x.db" "SELECT COUNT(*) FROM cases")
expect 1 --db "$DB" intake "$tmp/badid.json"
stderr_has "applicant.idNumber"
stderr_has "check digit"
expect 1 --db "$DB" intake "$tmp/badagent.json"
stderr_has "applicant.agent.idNumber"
expect 1 --db "$DB" intake "$tmp/baduscc.json"
stderr_has "applicant.idNumber"
expect 1 --db "$DB" intake "$tmp/typo.json"
stderr_has "applicant.nmae"
expect 1 --db "$DB" intake "$tmp/missing.json"
stderr_has "sale_contract"
expect 1 --db "$DB" intake "$tmp/nobundle.json"
stderr_has "330102-NOPE-001"
expect 1 --db "$DB" intake "$tmp/noclerk.json"
stderr_has "--as"
expect 1 --db "$DB" intake "$tmp/broken.json"
stderr_has "line 1"
expect 1 --db "$DB" intake "$tmp/nothere.json"
expect 1 --db "$DB" intake "$EXAMPLE" --as nobody
stderr_has "nobody"
expect 1 --db "$DB" intake "$EXAMPLE" --as admin
stderr_has "may not"
[ "$(sql "$tmp/x.db" "SELECT COUNT(*) FROM cases")" = "$cases_before" ] || fail "no case left behind by a failed intake"
pass
expect 2 --db "$DB" intake
expect 2 --db "$DB" intake "$EXAMPLE" --decision accept
expect 0 --db "$DB" intake "$tmp/noclerk.json" --as clerk01
for doc in deficient notice refuse consult; do
  expect 0 --db "$DB" intake "$tmp/$doc.json"
done
# Debug logging must not leak identity numbers either.
SPDLOG_LEVEL=trace run --db "$DB" intake "$EXAMPLE"
[ "$rc" -eq 0 ] || fail "intake with trace logging"
pass

# ---------------------------------------------------------------- cases, search
expect 0 --db "$DB" cases list
stdout_has "$first"
stdout_has "accepted_deficient"
stdout_lacks "$APPLICANT_ID"
expect 0 --db "$DB" cases list --json
is_json_array
json_check 'len(v) == 9 and all("number" in c for c in v)' "all nine cases in one JSON array"
expect 0 cases list --json --limit 2 --db "$DB"
json_check 'len(v) == 2' "two cases with --limit 2"
expect 0 --json --db "$DB" cases list --status refused
json_check 'len(v) == 1 and v[0]["status"] == "refused"' "one refused case"
expect 0 --db "$DB" cases list --status closed --json
json_check 'v == []' "an empty array when nothing matches"
expect 2 --db "$DB" cases list --status bogus
expect 2 --db "$DB" cases list --limit 0
expect 2 --db "$DB" cases list --limit many
expect 0 --db "$DB" cases show "$first"
stdout_has "Status"
stdout_has "accepted"
stdout_has "330102-BDC-001"
stdout_has "[x]"
stdout_has "Deadline"
stdout_has "deadline "
stdout_has "${APPLICANT_ID:0:4}**********${APPLICANT_ID:14:4}"
stdout_lacks "$APPLICANT_ID"
stdout_lacks "$AGENT_ID"
expect 0 --db "$DB" cases show "$first" --json
json_check 'v["number"] and v["status"] == "accepted" and "*" in v["applicant"]["idNumber"] and "*" in v["applicant"]["agent"]["idNumber"]' "the case state as JSON with masked ID numbers"
stdout_lacks "$APPLICANT_ID"
expect 1 --db "$DB" cases show 330102-20000101-000001
stderr_has "no case"
expect 2 --db "$DB" cases show
expect 0 --db "$DB" search "$second"
stdout_has "$second"
expect 0 --db "$DB" --json search "$third"
json_check 'len(v) == 1' "exactly one case for a case number"
expect 0 --db "$DB" search "$PHONE" --json
json_check "'$first' in [c['number'] for c in v] and '$second' in [c['number'] for c in v]" "both cases found by phone"
expect 0 --db "$DB" search "$NAME_PREFIX" --json
json_check "'$first' in [c['number'] for c in v]" "the case found by a name prefix"
expect 0 --db "$DB" search "$APPLICANT_ID" --json
json_check "'$first' in [c['number'] for c in v]" "the case found by the full ID number"
stdout_lacks "$APPLICANT_ID"
expect 0 --db "$DB" search "查无此人" --json
json_check 'v == []' "no case for an unknown name"
expect 2 --db "$DB" search
expect 2 --db "$DB" search a b
expect 1 --db "sqlite3://db=$tmp/missing.db" search x

# ---------------------------------------------------------------- --db and --json anywhere
run --json --db "$DB" cases list
a="$out"
run cases list --db "$DB" --json
[ "$a" = "$out" ] || fail "the same output with --db/--json before and after the command"
pass
run cases list "--db=$DB" --json
[ "$a" = "$out" ] || fail "the same output with --db=…"
pass

# ---------------------------------------------------------------- state-hash, rebuild
expect 0 --db "$DB" state-hash
[[ "$out" =~ ^[0-9a-f]{64}$ ]] || fail "64 lowercase hex characters alone on stdout"
pass
hash="$out"
expect 0 state-hash --db "$DB" --json
json_check "v == {'stateHash': '$hash'}" "the hash as JSON"
expect 0 --db "$DB" rebuild-projections
stdout_has "9 cases"
expect 0 --db "$DB" state-hash
[ "$out" = "$hash" ] || fail "the same state-hash after rebuild-projections"
pass
expect 2 --db "$DB" state-hash extra
expect 2 --db "$DB" rebuild-projections --force
expect 1 --db "sqlite3://db=$tmp/missing.db" state-hash
expect 1 --db "sqlite3://db=$tmp/missing.db" rebuild-projections

# ---------------------------------------------------------------- verify and tampering
expect 0 --db "$DB" verify
stdout_has "problems  0"
expect 0 --db "$DB" verify --json
json_check 'v["ok"] is True and v["problems"] == [] and v["events"] > 60' "a clean verify report as JSON"
expect 2 --db "$DB" verify --deep
expect 1 --db "sqlite3://db=$tmp/missing.db" verify

tamper() { # tamper NAME SQL: a copy of the database with SQL applied
  sqlite3 "$tmp/x.db" ".backup '$tmp/$1.db'"
  sqlite3 "$tmp/$1.db" "$2"
}
verify_names() { # verify_names DBNAME EVENT-ID
  run --db "sqlite3://db=$tmp/$1.db" verify
  [ "$rc" -eq 1 ] || fail "verify to exit 1 on a tampered database ($1)"
  grep -qF -- "$2" <<<"$out" || fail "verify to name event $2 ($1)"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "one line on stderr"
  pass
}
id2=$(sql "$tmp/x.db" "SELECT id FROM events WHERE seq = 2")
id3=$(sql "$tmp/x.db" "SELECT id FROM events WHERE seq = 3")
id4=$(sql "$tmp/x.db" "SELECT id FROM events WHERE seq = 4")
[[ "$id2" == ev-*-000000000002 ]] || fail "event ids of the form ev-<origin>-<12 digits> (got '$id2')"
pass
tamper altered "UPDATE events SET doc = replace(doc, '\"actor\":\"', '\"actor\":\"x') WHERE seq = 2"
[ "$(sql "$tmp/altered.db" "SELECT COUNT(*) FROM events WHERE seq = 2 AND doc LIKE '%\"actor\":\"x%'")" = 1 ] \
  || fail "the tampering to change the document"
pass
verify_names altered "$id2"
tamper deleted "DELETE FROM events WHERE seq = 3"
verify_names deleted "$id3"
tamper swapped "UPDATE events SET seq = -1 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 4; UPDATE events SET seq = 4 WHERE seq = -1"
verify_names swapped "$id4"
tamper projection "UPDATE cases SET state = replace(state, '\"status\":\"accepted\"', '\"status\":\"closed\"') WHERE number = '$first'"
run --db "sqlite3://db=$tmp/projection.db" verify --json
[ "$rc" -eq 1 ] || fail "verify to exit 1 when a projected row was altered"
json_check "v['ok'] is False and any(p['subject'] == '$first' for p in v['problems'])" "the altered case named"

# ---------------------------------------------------------------- seed-demo
DEMO="sqlite3://db=$tmp/demo.db"
expect 2 --db "$DEMO" seed-demo
expect 2 --db "$DEMO" seed-demo --cases lots
expect 2 --db "$DEMO" seed-demo --cases 5 --centre 1
expect 1 --db "$DB" seed-demo --cases 0 --centre 330106
stderr_has "already initialised"
expect 0 --db "$DEMO" seed-demo --cases 20 --seed 7 --json
json_check 'v["cases"] == 20 and len(v["staff"]) == 15 and all(s["password"] for s in v["staff"]) and {"clerk01", "clerk12", "reviewer01", "manager01", "admin"} <= {s["user"] for s in v["staff"]}' \
  '{"staff":[{"user","role","password"}…],"cases":20} with 15 accounts'
json_check 'v["windows"] == 12 and v["categories"] == 6' "windows W01-W12 and categories A-F"
expect 0 --db "$DEMO" cases list --json
json_check 'len(v) == 20 and len({c["status"] for c in v}) >= 10' "twenty demo cases in many statuses"
now_ms=$(($(date +%s) * 1000))
[ "$(sql "$tmp/demo.db" "SELECT MAX(hlc) >> 10 FROM events")" -le "$now_ms" ] || fail "every seeded event in the past"
pass
expect 0 --db "$DEMO" verify
expect 3 --db "$DEMO" seed-demo --cases 0 --seed 7
expect 0 seed-demo --db "$DEMO" --cases 3 --seed 8
stdout_has "3 cases"
stdout_has "existing account"

# ---------------------------------------------------------------- case work
expect 0 --db "$DEMO" intake "$EXAMPLE"
work_case=$out
expect 2 --db "$DEMO" cases route "$work_case" --step review --department 区不动产登记中心
stderr_has "--as USER"
expect 2 --db "$DEMO" cases route "$work_case" --department 区不动产登记中心 --as clerk01
stderr_has "--step ID is required"
expect 2 --db "$DEMO" cases extend "$work_case" --by 5 --reason r --requested-by clerk01 --as reviewer01
stderr_has "5wd"
expect 2 --db "$DEMO" cases deliver "$work_case" --method drone --as clerk01
expect 2 --db "$DEMO" cases conclude "$work_case" --approve --deny --as reviewer01
expect 2 --db "$DEMO" cases conclude "$work_case" --deny --as reviewer01
stderr_has "--reason"
expect 2 --db "$DEMO" cases transfer "$work_case" --to-centre 33 --reason r --as manager01
expect 1 --db "$DEMO" cases route 330102-20990101-000001 --step s --department d --as clerk01
expect 1 --db "$DEMO" cases route "$work_case" --step review --department 区不动产登记中心 --as nobody
before=$(sql "$tmp/demo.db" "SELECT COUNT(*) FROM events")
# The role decides: a window clerk does not complete back-office steps.
expect 0 --db "$DEMO" cases route "$work_case" --step review --department 区不动产登记中心 --assignee reviewer01 --as clerk01
stdout_has "$work_case in_review deadline 20"
expect 1 --db "$DEMO" cases complete "$work_case" --step review --outcome 通过 --as clerk01
stderr_has "window_staff"
# The state machine decides: nothing to resume.
expect 1 --db "$DEMO" cases resume "$work_case" --as reviewer01
stderr_has "is not suspended (in_review)"
expect 0 --db "$DEMO" cases suspend "$work_case" --reason 专家评审 --as reviewer01
stdout_has "suspended"
stdout_lacks "deadline"
expect 0 --db "$DEMO" cases resume "$work_case" --as reviewer01
expect 0 --db "$DEMO" cases extend "$work_case" --by 3wd --reason 现场核查 --requested-by clerk01 --as reviewer01
expect 1 --db "$DEMO" cases conclude "$work_case" --approve --as reviewer01
stderr_has "open steps: review"
expect 0 --db "$DEMO" cases complete "$work_case" --step review --outcome 通过 --as reviewer01
expect 1 --db "$DEMO" cases complete "$work_case" --step review --outcome 通过 --as reviewer01
stderr_has "already done"
expect 0 --db "$DEMO" cases note "$work_case" "申请人来电询问进度" --as clerk01
expect 0 --db "$DEMO" cases assign "$work_case" --to clerk02 --window W02 --as manager01
expect 0 --db "$DEMO" --json cases conclude "$work_case" --approve --as reviewer01
json_check 'v["status"] == "approved" and v["number"] == "'"$work_case"'" and "deadline" in v' "approved, with its deadline"
expect 0 --db "$DEMO" cases deliver "$work_case" --method window --as clerk02
expect 0 --db "$DEMO" cases close "$work_case" --as clerk02
stdout_has "closed"
expect 2 --db "$DEMO" cases note "$work_case" "" --as clerk01
after=$(sql "$tmp/demo.db" "SELECT COUNT(*) FROM events")
[ $((after - before)) -eq 10 ] || fail "10 events written by the 10 accepted actions, got $((after - before))"
pass
expect 0 --db "$DEMO" cases show "$work_case"
stdout_has "closed"
expect 0 --db "$DEMO" intake "$EXAMPLE"
expect 0 --db "$DEMO" cases withdraw "$out" --reason 申请人撤回 --as clerk01
stdout_has "withdrawn"
expect 0 --db "$DEMO" intake "$EXAMPLE"
expect 0 --db "$DEMO" cases terminate "$out" --reason 申请人死亡 --as manager01
stdout_has "terminated"
expect 0 --db "$DEMO" intake "$EXAMPLE"
expect 0 --db "$DEMO" cases transfer "$out" --to-centre 330106 --reason 通办 --as clerk01
expect 1 --db "$DEMO" cases resolve "$out" --group status --choose x --as manager01
expect 0 --db "$DEMO" verify

# ---------------------------------------------------------------- --replica, sync, status
SHARED="sqlite3://db=$tmp/shared.db"
LOCAL="sqlite3://db=$tmp/replica.db"
DOWN="postgresql://host=127.0.0.1 port=1 dbname=x user=postgres"
expect 2 --db "$SHARED" sync
expect 2 --db "$SHARED" status
expect 2 --db "$SHARED" --replica "$LOCAL" seed-demo --cases 0
expect 2 --db "$SHARED" --replica "$LOCAL" init
expect 2 --db "$SHARED" --replica
expect 0 --db "$SHARED" seed-demo --cases 0 --seed 3
# A fresh replica that never met the shared database cannot decide anything offline.
expect 1 --db "$DOWN" --replica "sqlite3://db=$tmp/fresh.db" intake "$EXAMPLE"
stderr_has "never been synced"
expect 1 --db "$DOWN" --replica "sqlite3://db=$tmp/fresh.db" users add offline.clerk --role clerk
stderr_has "never been synced"
# (a) the shared database answers: written through the replica, pushed at once, and the
# replica kept warm (catalogue, staff and the centre's events come down with it).
expect 0 --db "$SHARED" --replica "$LOCAL" intake "$EXAMPLE"
online_case=$out
[[ "$online_case" =~ ^330102-[0-9]{8}-0*1$ ]] || fail "the first number of a reserved block"
pass
expect 0 --db "$SHARED" --replica "$LOCAL" status --json
json_check 'v == {"online": True, "pending": 0, "held": 0}' '{"online":true,"pending":0,"held":0}'
expect 0 --db "$SHARED" cases show "$online_case"
expect 0 status --replica="$LOCAL" --db "$SHARED" --json
json_check 'v["pending"] == 0' "--replica after the command"
expect 3 --db "$SHARED" --replica "$LOCAL" sync
expect 0 --db "$LOCAL" users list
stdout_has "reviewer01"
# Reference data goes through the replica too.
expect 0 --db "$SHARED" --replica "$LOCAL" users add window.temp --role clerk --password-file <(echo 'Temp-pass-2026')
expect 0 --db "$SHARED" users list
stdout_has "window.temp"
expect 0 --db "$SHARED" --replica "$LOCAL" cases route "$online_case" --step review --department 区不动产登记中心 --as clerk01
# (b) the shared database is down: intake and case work go on. Numbers come from the
# block reserved while online (19 left of 20), then from the workstation fallback.
block_prefix=${online_case%-*}
expect 0 --db "$DOWN" --replica "$LOCAL" intake "$EXAMPLE"
offline_case=$out
[ "$offline_case" = "$block_prefix-000002" ] || fail "the next number of the reserved block"
pass
stderr_has "; 2 events wait"
expect 0 --db "$DOWN" --replica "$LOCAL" cases complete "$online_case" --step review --outcome 通过 --as reviewer01
stderr_has "wait in the replica"
expect 0 --db "$DOWN" --replica "$LOCAL" cases conclude "$online_case" --approve --as reviewer01
for ((i = 3; i <= 20; i++)); do
  "$OWCTL" --db "$DOWN" --replica "$LOCAL" intake "$EXAMPLE" >"$tmp/n" 2>/dev/null || fail "offline intake $i"
  [ "$(cat "$tmp/n")" = "$block_prefix-$(printf '%06d' "$i")" ] || fail "block number $i offline, got $(cat "$tmp/n")"
done
pass
expect 0 --db "$DOWN" --replica "$LOCAL" intake "$EXAMPLE"
[[ "$out" =~ ^330102-[0-9]{8}-W01-0001$ ]] || fail "a W01 fallback number once the block is used up"
pass
fallback_case=$out
expect 0 --db "$DOWN" --replica "$LOCAL" intake "$EXAMPLE" --workstation W07
[[ "$out" =~ ^330102-[0-9]{8}-W07-0002$ ]] || fail "the fallback sequence goes on, never repeats"
pass
expect 2 --db "$DOWN" --replica "$LOCAL" intake "$EXAMPLE" --workstation 7
sed 's/,8000,TRUE/,9000,TRUE/' "$SRC/docs/examples/catalogue.csv" >"$tmp/fee-change.csv"
expect 0 --db "$DOWN" --replica "$LOCAL" import-catalogue "$tmp/fee-change.csv" --as admin
stdout_has "1 changed"
expect 0 --db "$DOWN" --replica "$LOCAL" status
stdout_has "online no"
stdout_has "last error"
grep -Eq '^pending [1-9][0-9]*$' <<<"$out" || fail "pending >= 1"
pass
expect 0 --db "$DOWN" --replica "$LOCAL" status --json
json_check 'v["online"] is False and v["pending"] >= 45 and v["held"] == 0' '{"online":false,"pending":>=45}'
expect 1 --db "$DOWN" --replica "$LOCAL" sync
stderr_has "port=1 dbname=x"
expect 1 --db "$SHARED" cases show "$offline_case"
# (c) the shared database answers again: sync sends the offline cases up.
expect 0 --db "$SHARED" --replica "$LOCAL" sync
stdout_has "events up"
expect 0 --db "$SHARED" --replica "$LOCAL" status --json
json_check 'v == {"online": True, "pending": 0, "held": 0}' "nothing pending after the sync"
expect 0 --db "$SHARED" cases show "$offline_case"
expect 0 --db "$SHARED" cases show "$fallback_case"
expect 0 --db "$SHARED" cases show "$online_case"
stdout_has "approved"
# The catalogue change made offline reached the shared database.
expect 3 --db "$SHARED" import-catalogue "$tmp/fee-change.csv"
expect 0 --db "$SHARED" search "$block_prefix-000020"
stdout_has "1 case"
expect 3 --db "$SHARED" --replica "$LOCAL" sync
expect 0 --db "$SHARED" verify
expect 0 --db "$LOCAL" verify
expect 0 --db "$SHARED" state-hash
shared_hash=$out
expect 0 --db "$LOCAL" state-hash
[ "$out" = "$shared_hash" ] || fail "the same state-hash on both sides"
pass
# Events written on a clock a day ahead come down to a replica whose clock is right: held
# there (the first as clock_ahead, the rest of its origin behind it) and listed by
# `owctl held`; once the replica's clock has caught up (here: moved on a day too) the next
# sync applies them.
expect 0 --db "$LOCAL" held
stdout_has "no held events"
OW_CLOCK_OFFSET_MS=86400000 expect 0 --db "$SHARED" intake "$EXAMPLE"
ahead_case=$out
expect 0 --db "$SHARED" --replica "$LOCAL" sync
stdout_has "0 events down"
grep -Eq ' [1-9][0-9]* held$' <<<"$out" || fail "events held after the sync"
pass
expect 0 --db "$LOCAL" held
stdout_has "clock_ahead (1): stamped more than 10 minutes ahead"
stdout_has "missing_predecessor ("
expect 0 --db "$LOCAL" --json held
json_check 'len(v) >= 2 and v[0]["reason"] == "clock_ahead"
  and all(e["reason"] == "missing_predecessor" and e["origin"] == v[0]["origin"] for e in v[1:])
  and [e["seq"] for e in v] == list(range(v[0]["seq"], v[0]["seq"] + len(v)))
  and all(e["id"] == "ev-%s-%012d" % (e["origin"], e["seq"]) for e in v)' "the held events as JSON, in sequence"
held_count=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$out")
expect 3 --db "$SHARED" --replica "$LOCAL" sync
stderr_has "($held_count of them held in the replica until they can apply: owctl held)"
expect 1 --db "$LOCAL" cases show "$ahead_case"
OW_CLOCK_OFFSET_MS=86400000 expect 0 --db "$SHARED" --replica "$LOCAL" sync
stdout_has "$held_count events down"
stdout_has " 0 held"
expect 0 --db "$LOCAL" held
stdout_has "no held events"
expect 0 --db "$LOCAL" cases show "$ahead_case"

# ---------------------------------------------------------------- queue tickets
# Tickets live in the shared database only (--db); the demo hall: W01/W02 serve A (the
# general category, which takes every category), W03/W04 B, W05/W06 C, … W11/W12 F.
HALL_FILE="$tmp/hall.db"
HALL="sqlite3://db=$HALL_FILE"
# call_line: the one JSON line of 'ticket call' on stdout, nothing else.
call_line() {
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "exactly one line on stdout"
  [[ "$out" == '{"ticket":'* ]] || fail "a line starting with {\"ticket\":"
  pass
}
expect 2 ticket
expect 0 ticket --help
stdout_has "usage: owctl ticket call --window W --staff USER"
for cmd in issue call list recall no-show park resume end cancel transfer; do
  expect 0 ticket "$cmd" --help
  stdout_has "usage: owctl ticket $cmd"
done
expect 0 --help
stdout_has "ticket issue CATEGORY"
expect 0 --db "$HALL" seed-demo --cases 0 --seed 11
expect 0 --db "$HALL" ticket list --json
json_check 'v == []' "no tickets in a fresh hall"
# Issue: the category's next number of the day, from a kiosk without --as.
expect 0 --db "$HALL" ticket issue A
[[ "$out" =~ ^A001\ 330102-[0-9]{8}-A001\ waiting$ ]] || fail "'A001 330102-YYYYMMDD-A001 waiting'"
pass
today_prefix=$(cut -d' ' -f2 <<<"$out")
today_prefix=${today_prefix%-A001}
expect 0 ticket issue A --json --db "$HALL"
json_check 'v["number"] == "A002" and v["status"] == "waiting" and v["category"] == "A" and v["priority"] == "normal" and v["id"].endswith("-A002")' \
  "the ticket as JSON: A002, waiting"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "the ticket JSON on one line"
pass
[ "$(sql "$HALL_FILE" "SELECT COUNT(*) FROM events WHERE type = 'ticket.issued' AND actor = 'kiosk:owctl'")" = 2 ] \
  || fail "kiosk tickets recorded with the actor kiosk:owctl"
pass
# Bad input: nothing issued.
issued_before=$(sql "$HALL_FILE" "SELECT COUNT(*) FROM events WHERE type = 'ticket.issued'")
expect 1 --db "$HALL" ticket issue Z
stderr_has "category: there is no queue category 'Z'"
stderr_has "A, B, C, D, E, F"
expect 2 --db "$HALL" ticket issue A --priority vip
stderr_has "--priority"
expect 2 --db "$HALL" ticket issue A --as clerk01 --appointment "tomorrow 9:30"
stderr_has "--appointment expects \"YYYY-MM-DD HH:MM\""
expect 2 --db "$HALL" ticket issue A --as clerk01 --appointment "2099-02-30 09:30"
expect 2 --db "$HALL" ticket issue A --appointment "2099-01-05 09:30"
stderr_has "--appointment needs --as"
expect 2 --db "$HALL" ticket issue A --kiosk K1 --as clerk01
expect 2 --db "$HALL" ticket issue
expect 1 --db "$HALL" ticket issue A --as clerk01 --appointment "2020-01-06 09:30"
stderr_has "--appointment: the appointment day 2020-01-06 is in the past"
expect 1 --db "$HALL" ticket issue A --as reviewer01
stderr_has "--as: reviewer01 (reviewer) may not issue ticket"
expect 1 --db "$HALL" ticket issue A --as nobody
stderr_has "nobody"
[ "$(sql "$HALL_FILE" "SELECT COUNT(*) FROM events WHERE type = 'ticket.issued'")" = "$issued_before" ] \
  || fail "no ticket issued by a refused command"
pass
# An appointment belongs to its own day (tomorrow in China time here), not today's list.
tomorrow=$(date -u -d '+32 hours' +%F)
expect 0 --db "$HALL" ticket issue A --as clerk01 --appointment "$tomorrow 09:30"
[[ "$out" =~ ^A001\ 330102-${tomorrow//-/}-A001\ waiting\ appointment\ $tomorrow\ 09:30$ ]] \
  || fail "an appointment ticket of tomorrow: 'A001 …-A001 waiting appointment $tomorrow 09:30'"
pass
# A kiosk that read an ID card: 60 or older gives the elderly priority; the number itself
# is neither printed nor stored. (A hall of its own: these tickets would come first below.)
HALL2_FILE="$tmp/hall2.db"
HALL2="sqlite3://db=$HALL2_FILE"
expect 0 --db "$HALL2" seed-demo --cases 0 --seed 12
resident_id() { python3 -c 'import sys; f=sys.argv[1]; w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; print(f+"10X98765432"[sum(int(c)*x for c,x in zip(f,w))%11])' "$1"; }
old_id=$(resident_id 11010519491231002)
young_id=$(resident_id 11010519991231002)
expect 0 --db "$HALL2" ticket issue F --id-number "$old_id"
stdout_has "priority elderly"
expect 0 --db "$HALL2" ticket issue F --id-number "$young_id"
young_re='^F[0-9]{3} [^ ]+ waiting$'
[[ "$out" =~ $young_re ]] || fail "a younger applicant's ticket has no priority: $out"
pass
expect 2 --db "$HALL2" ticket issue F --id-number 110105194912310029
stderr_has "--id-number: not a valid identity number"
expect 2 --db "$HALL2" ticket issue F --id-number "$old_id" --priority disabled
[ "$(sql "$HALL2_FILE" "SELECT COUNT(*) FROM events WHERE doc LIKE '%$old_id%' OR doc LIKE '%$young_id%'")" = 0 ] \
  || fail "the identity numbers read at the kiosk are not stored"
pass
# Appointments imported from a booking system's export: each good line booked, each bad
# one named with its line, the rest still booked; exit 1 when a line was refused.
printf 'time,category\n%s 10:30,E\n# a comment\n%s 25:00,E\n%s 10:45,Z\nnot a line\n%s 11:00,E\n' \
  "$tomorrow" "$tomorrow" "$tomorrow" "$tomorrow" >"$tmp/appointments.csv"
run --db "$HALL2" ticket import "$tmp/appointments.csv" --as clerk01
[ "$rc" -eq 1 ] || fail "exit code 1 when a line was refused (the good ones still booked and printed)"
pass
stdout_has "E001 330102-${tomorrow//-/}-E001 waiting appointment $tomorrow 10:30"
stdout_has "E002 330102-${tomorrow//-/}-E002 waiting appointment $tomorrow 11:00"
stderr_has "$tmp/appointments.csv:4: time: expected"
stderr_has "$tmp/appointments.csv:5: there is no queue category 'Z'"
stderr_has "$tmp/appointments.csv:6: expected two fields"
stderr_has "2 booked, 3 lines refused"
expect 2 --db "$HALL2" ticket import "$tmp/appointments.csv"
stderr_has "--as USER is required"
expect 1 --db "$HALL2" ticket import "$tmp/missing.csv" --as clerk01
printf '%s 09:00,E\n' "$tomorrow" >"$tmp/one.csv"
expect 0 --db "$HALL2" ticket import "$tmp/one.csv" --as clerk01 --json
json_check 'len(v) == 1 and v[0]["number"] == "E003" and v[0]["priority"] == "appointment"' "the imported ticket as JSON"
# Call: a window not serving A finds nobody (exit 3, still the JSON line).
run --db "$HALL" ticket call --window W05 --staff clerk05
[ "$rc" -eq 3 ] || fail "exit code 3 when nobody is waiting for the window"
pass
call_line
json_check 'v == {"ticket": None, "ended": None}' '{"ticket":null,"ended":null}'
stderr_has "owctl: nothing to do: nobody is waiting for window W05"
expect 0 --db "$HALL" ticket call --window W01 --staff clerk01
call_line
json_check 'v["ticket"]["number"] == "A001" and v["ticket"]["status"] == "called" and v["ticket"]["window"] == "W01" and v["ticket"]["staff"] == "clerk01" and v["ended"] is None' \
  "A001 called to W01, nothing ended"
# Calling again ends the previous ticket; the same line with --json.
expect 0 --json --db "$HALL" ticket call --window W01 --staff clerk01
call_line
json_check 'v["ticket"]["number"] == "A002" and v["ended"] == "A001"' "A002 called, A001 ended"
expect 1 --db "$HALL" ticket call --window W99 --staff clerk01
stderr_has "--window: there is no open window 'W99'"
expect 1 --db "$HALL" ticket call --window W01 --staff nobody
stderr_has "--staff: there is no staff account 'nobody'"
expect 1 --db "$HALL" ticket call --window W01 --staff manager01
stderr_has "may not call ticket"
expect 2 --db "$HALL" ticket call --window W01
stderr_has "--staff USER is required"
# Recall, park, resume; another clerk may not touch clerk01's ticket.
expect 0 --db "$HALL" ticket recall A002 --staff clerk01
[ "$out" = "A002 $today_prefix-A002 called window W01 staff clerk01" ] || fail "the ticket line after a recall"
pass
expect 0 --db "$HALL" --json ticket recall "$today_prefix-A002" --staff clerk01
json_check 'v["recalls"] == 2' "recalled twice, by short number and by full id"
expect 1 --db "$HALL" ticket recall A002 --staff clerk02
stderr_has "is served by clerk01"
expect 1 --db "$HALL" ticket park A002 --staff clerk02
expect 1 --db "$HALL" ticket end A002 --staff clerk02
expect 0 --db "$HALL" ticket park a2 --staff clerk01
stdout_has "A002 $today_prefix-A002 parked"
expect 1 --db "$HALL" ticket recall A002 --staff clerk01
stderr_has "ticket A002 is parked and cannot be recalled"
expect 0 --db "$HALL" ticket resume A002 --window W01 --staff clerk01
stdout_has "called window W01 staff clerk01"
# Transfer: refused to a window not serving A, then to W02, which calls it first.
expect 1 --db "$HALL" ticket transfer A002 --staff clerk01 --to-window W03
stderr_has "--to-window: window W03 does not serve category A"
expect 2 --db "$HALL" ticket transfer A002 --staff clerk01
stderr_has "--to-window"
expect 1 --db "$HALL" ticket transfer A002 --staff clerk01 --to-staff nobody
stderr_has "--to-staff"
expect 0 --db "$HALL" ticket issue A --priority elderly --kiosk K7
stdout_has "A003 $today_prefix-A003 waiting priority elderly"
expect 0 --db "$HALL" ticket transfer A002 --staff clerk01 --to-window W02
stdout_has "A002 $today_prefix-A002 waiting to-window W02"
expect 0 --db "$HALL" ticket call --window W02 --staff clerk02
json_check 'v["ticket"]["number"] == "A002" and v["ticket"]["transfers"] == 1' "the transferred A002 first at W02 (before elderly A003)"
# End with the case it led to.
expect 0 --db "$HALL" intake "$EXAMPLE" --as clerk02
hall_case=$out
expect 2 --db "$HALL" ticket end A002 --staff clerk02 --case nonsense
expect 0 --db "$HALL" ticket end A002 --staff clerk02 --case "$hall_case"
[ "$out" = "A002 $today_prefix-A002 ended window W02 staff clerk02 case $hall_case" ] || fail "the ended ticket line with its case"
pass
expect 1 --db "$HALL" ticket end A002 --staff clerk02
stderr_has "ticket A002 is ended and cannot be ended"
expect 0 --db "$HALL" ticket call --window W01 --staff clerk01
json_check 'v["ticket"]["number"] == "A003" and v["ticket"]["priority"] == "elderly" and v["ended"] is None' "elderly A003 called"
expect 0 --db "$HALL" ticket no-show A003 --staff clerk01
stdout_has "no_show"
expect 0 --db "$HALL" ticket issue B --as clerk03
expect 0 --db "$HALL" ticket cancel B001 --staff clerk03
stdout_has "B001 $today_prefix-B001 cancelled"
expect 1 --db "$HALL" ticket cancel B001 --staff clerk03
# Unknown and malformed tickets.
expect 1 --db "$HALL" ticket recall A099 --staff clerk01
stderr_has "there is no ticket A099 today"
expect 1 --db "$HALL" ticket recall 330102-20000101-A001 --staff clerk01
stderr_has "there is no ticket 330102-20000101-A001"
expect 2 --db "$HALL" ticket recall first --staff clerk01
# The day's list.
expect 0 --db "$HALL" ticket list
stdout_has "NUMBER"
stdout_has "no_show"
stdout_has "cancelled"
stdout_has "$hall_case"
stdout_has "4 tickets on "
stdout_has "2 ended, 1 no_show, 1 cancelled"
expect 0 --db "$HALL" ticket list --json
is_json_array
json_check '[(t["number"], t["status"]) for t in v] == [("A001", "ended"), ("A002", "ended"), ("A003", "no_show"), ("B001", "cancelled")]' \
  "today's tickets in issue order with their statuses"
expect 0 --db "$HALL" ticket list --status ended --json
json_check '[t["number"] for t in v] == ["A001", "A002"]' "the ended tickets"
expect 0 --db "$HALL" ticket list --day "$tomorrow" --json
json_check 'len(v) == 1 and v[0]["priority"] == "appointment"' "tomorrow's appointment"
expect 0 --db "$HALL" ticket list --day 2000-01-01 --json
json_check 'v == []' "no tickets on another day"
expect 2 --db "$HALL" ticket list --day 2000-13-01
expect 2 --db "$HALL" ticket list --status done
# The shared database only: --replica is ignored, an unreachable one is an error.
expect 0 --db "$HALL" --replica "sqlite3://db=$tmp/ticket-replica.db" ticket list --json
json_check 'len(v) == 4' "--replica ignored by ticket list"
[ ! -e "$tmp/ticket-replica.db" ] || fail "no replica created by a ticket command"
pass
expect 1 --db "$DOWN" --replica "$LOCAL" ticket call --window W01 --staff clerk01
stderr_has "cannot open the shared database"
stderr_has "port=1 dbname=x"
expect 1 --db "sqlite3://db=$tmp/missing.db" ticket issue A
stderr_has "owctl init"
expect 0 --db "$HALL" verify

# ---------------------------------------------------------------- ratings (好差评)
# The evaluator of a window rates the service that window has ended (no staff account);
# a queue manager records ratings taken otherwise and follows up the bad ones. Straight
# on --db, like the tickets they rate.
expect 2 rating
expect 0 rating --help
stdout_has "usage: owctl rating give"
for cmd in give record list follow-up; do
  expect 0 rating "$cmd" --help
  stdout_has "usage: owctl rating $cmd"
done
expect 0 --help
stdout_has "rating follow-up ID"
rating_day=${today_prefix#*-}
rating_day="${rating_day:0:4}-${rating_day:4:2}-${rating_day:6:2}"
expect 0 --db "$HALL" rating list --json
json_check 'v == []' "no ratings in the hall yet"
expect 0 --db "$HALL" rating list
stdout_has "0 ratings on $rating_day"
# A fresh service through the ticket commands: issued, called to W01, ended with a case.
expect 0 --db "$HALL" ticket issue A
rated=$(cut -d' ' -f1 <<<"$out")
expect 0 --db "$HALL" ticket call --window W01 --staff clerk01
json_check "v['ticket']['number'] == '$rated' and v['ticket']['window'] == 'W01'" "$rated called to W01"
expect 1 --db "$HALL" rating give --window W01 --ticket "$rated" --level 5
stderr_has "--ticket: ticket $rated has not been served at window W01"
expect 0 --db "$HALL" ticket end "$rated" --staff clerk01 --case "$hall_case"
expect 1 --db "$HALL" rating give --window W02 --ticket "$rated" --level 5
stderr_has "has not been served at window W02"
ratings_before=$(sql "$HALL_FILE" "SELECT COUNT(*) FROM events WHERE type = 'case.evaluated' OR type LIKE 'evaluation.%'")
# Malformed options (exit 2) and refusals (exit 1) write nothing.
expect 2 --db "$HALL" rating give --window W01 --ticket "$rated" --level 6
expect 2 --db "$HALL" rating give --window W01 --ticket "$rated" --level 0
expect 2 --db "$HALL" rating give --window W01 --ticket "$rated" --level x
expect 2 --db "$HALL" rating give --window W01 --level 3
expect 2 --db "$HALL" rating give --window W01 --ticket 12 --level 3
expect 1 --db "$HALL" rating give --window W01 --ticket A099 --level 3
stderr_has "there is no ticket A099 today"
expect 1 --db "$HALL" rating give --window W99 --ticket "$rated" --level 3
stderr_has "--window: there is no open window 'W99' (open windows: W01"
long_comment=$(python3 -c 'print("好" * 167)')
expect 1 --db "$HALL" rating give --window W01 --ticket "$rated" --level 3 --comment "$long_comment"
stderr_has "--comment: the comment is longer than 500 bytes"
[ "$(sql "$HALL_FILE" "SELECT COUNT(*) FROM events WHERE type = 'case.evaluated' OR type LIKE 'evaluation.%'")" = "$ratings_before" ] \
  || fail "no rating written by a refused command"
pass
# The evaluator's rating: the ticket's case, staff member and window; a bad one is due later.
expect 0 --db "$HALL" rating give --window W01 --ticket "$rated" --level 1 --comment "等了很久"
[[ "$out" =~ ^ev-[a-z0-9_]+-[0-9]{12}\ level\ 1\ open\ due\ [0-9]{4}-[0-9]{2}-[0-9]{2}\ channel\ evaluator\ ticket\ $today_prefix-$rated\ case\ $hall_case\ staff\ clerk01\ window\ W01$ ]] \
  || fail "'ID level 1 open due YYYY-MM-DD channel evaluator ticket … case … staff clerk01 window W01'"
pass
bad_id=$(cut -d' ' -f1 <<<"$out")
bad_due=$(cut -d' ' -f6 <<<"$out")
[[ "$bad_due" > "$rating_day" ]] || fail "a follow-up due after the day of the rating"
pass
[ "$(sql "$HALL_FILE" "SELECT type || ' ' || actor || ' ' || case_number FROM events WHERE id = '$bad_id'")" \
  = "case.evaluated evaluator:W01 $hall_case" ] || fail "a case.evaluated event of the case by evaluator:W01"
pass
expect 0 --db "$HALL" cases show "$hall_case" --json
json_check 'len(v["evaluations"]) == 1 and v["evaluations"][0]["level"] == 1' "the case keeps its rating"
expect 1 --db "$HALL" rating give --window W01 --ticket "$rated" --level 5
stderr_has "--ticket: ticket $rated has already been rated"
# A service without a case: evaluation.recorded; anonymous; a good one needs no follow-up.
expect 0 --db "$HALL" --json rating give --window W01 --ticket A001 --level 5 --anonymous
json_check 'v["level"] == 5 and v["case"] == "" and v["followUpDue"] == "" and v["anonymous"] is True and v["channel"] == "evaluator" and v["staff"] == "clerk01" and v["window"] == "W01" and v["ticket"].endswith("-A001")' \
  "the good rating as JSON, without a case or follow-up"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "the rating JSON on one line"
pass
good_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$out")
[ "$(sql "$HALL_FILE" "SELECT type FROM events WHERE id = '$good_id'")" = "evaluation.recorded" ] \
  || fail "an evaluation.recorded event for a service without a case"
pass
# Recorded by a queue manager: the ticket names staff, window and case.
expect 2 --db "$HALL" rating record --as manager01 --level 4 --channel phone
expect 2 --db "$HALL" rating record --as manager01 --ticket A002 --level 4 --channel fax
expect 2 --db "$HALL" rating record --as manager01 --ticket A002 --level 4 --channel evaluator
expect 2 --db "$HALL" rating record --as manager01 --case x --level 4 --channel phone
expect 2 --db "$HALL" rating record --ticket A002 --level 4 --channel phone
expect 1 --db "$HALL" rating record --as clerk01 --ticket A002 --level 4 --channel phone
stderr_has "--as: clerk01 (window_staff) may not record evaluation"
expect 0 --db "$HALL" rating record --as manager01 --ticket A002 --level 4 --channel phone --comment "电话回访"
[[ "$out" == *" level 4 no-follow-up channel phone ticket $today_prefix-A002 case $hall_case staff clerk02 window W02" ]] \
  || fail "the recorded rating with the ticket's case, staff member and window"
pass
expect 1 --db "$HALL" rating record --as manager01 --ticket A002 --level 2 --channel sms
stderr_has "has already been rated"
expect 0 --db "$HALL" rating record --as manager01 --case "$hall_case" --level 2 --channel paper
[[ "$out" == *" level 2 open due $bad_due channel paper case $hall_case"* ]] || fail "a bad paper rating of the case, due the same day"
pass
paper_id=$(cut -d' ' -f1 <<<"$out")
# Listing: today's ratings in the order given; the open follow-ups earliest due first.
expect 0 --db "$HALL" rating list --json
is_json_array
json_check '[r["level"] for r in v] == [1, 5, 4, 2] and [r["channel"] for r in v] == ["evaluator", "evaluator", "phone", "paper"]' \
  "today's four ratings in the order given"
expect 0 --db "$HALL" rating list
stdout_has "4 ratings on $rating_day: 2 satisfied, 2 bad (2 open, 0 overdue)"
stdout_has "1 非常不满意"
stdout_has "等了很久"
stdout_has "FOLLOW-UP"
expect 0 --db "$HALL" rating list --open --json
json_check "[r['id'] for r in v] == ['$bad_id', '$paper_id']" "the two open follow-ups"
expect 0 --db "$HALL" rating list --open
stdout_has "2 open follow-ups, 0 overdue"
expect 0 --db "$HALL" rating list --from 2000-01-01 --to 2000-01-31 --json
json_check 'v == []' "no ratings in January 2000"
expect 0 --db "$HALL" rating list --from 2000-01-01 --json
json_check 'len(v) == 4' "--from alone runs to today"
expect 2 --db "$HALL" rating list --from yesterday
expect 2 --db "$HALL" rating list --from 2000-02-01 --to 2000-01-01
# Follow-up: queue managers only; closing needs a callback, a rectification or a decided appeal.
expect 1 --db "$HALL" rating follow-up "$bad_id" --as clerk01 --action callback --note "x"
stderr_has "--as: clerk01 (window_staff) may not follow up rating"
expect 1 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action appeal --note "申诉" --close
stderr_has "--close: the follow-up of rating $bad_id cannot be closed"
expect 1 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action callback --note "  "
stderr_has "--note: a follow-up step needs a note"
expect 2 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action praise --note "x"
expect 2 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action callback --note "x" --outcome upheld
expect 2 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action appeal --note "x" --outcome maybe
expect 2 --db "$HALL" rating follow-up "$bad_id" --action callback --note "x"
expect 2 --db "$HALL" rating follow-up nonsense --as manager01 --action callback --note "x"
expect 1 --db "$HALL" rating follow-up ev-nzzzz-000000000001 --as manager01 --action callback --note "x"
stderr_has "there is no rating ev-nzzzz-000000000001"
expect 1 --db "$HALL" rating follow-up "$good_id" --as manager01 --action callback --note "x"
stderr_has "is not a bad rating"
expect 0 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action callback --note "已回访"
[ "$out" = "${out%% *} level 1 open due $bad_due steps callback channel evaluator ticket $today_prefix-$rated case $hall_case staff clerk01 window W01" ] \
  || fail "an open follow-up with its callback step"
pass
expect 0 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action rectification --note "增开窗口" --close
[[ "$out" == "$bad_id level 1 closed due $bad_due closed-on $rating_day steps callback,rectification "* ]] \
  || fail "the closed follow-up with its steps"
pass
expect 1 --db "$HALL" rating follow-up "$bad_id" --as manager01 --action callback --note "again"
stderr_has "is already closed"
expect 0 --db "$HALL" --json rating follow-up "$paper_id" --as manager01 --action appeal --note "恶意差评" --close --outcome upheld
json_check 'v["appeal"] == "upheld" and v["closed"] is True and [s["action"] for s in v["steps"]] == ["appeal"] and v["steps"][0]["actor"] == "manager01"' \
  "an appeal upheld closes the follow-up"
expect 0 --db "$HALL" rating list --open --json
json_check 'v == []' "no open follow-ups left"
expect 0 --db "$HALL" rating list
stdout_has "closed, appeal upheld"
stdout_has "(0 open, 0 overdue)"
# --replica is ignored; a rebuild keeps the ratings; the audit trail stays sound.
expect 0 --db "$HALL" --replica "sqlite3://db=$tmp/rating-replica.db" rating list --json
ratings_json=$out
[ ! -e "$tmp/rating-replica.db" ] || fail "no replica created by a rating command"
pass
expect 0 --db "$HALL" rebuild-projections
expect 0 --db "$HALL" rating list --json
[ "$out" = "$ratings_json" ] || fail "the same ratings after rebuild-projections"
pass
expect 1 --db "sqlite3://db=$tmp/missing.db" rating list
stderr_has "owctl init"
expect 0 --db "$HALL" verify

# ---------------------------------------------------------------- KPI report
# A demo centre (a year of cases and ratings) and a tiny hall of today made by hand: A001
# served at W01 and ended with a case, A002 a no-show at W01, A003 served at W02. The
# report (docs/KPIS.md) must agree with what 'ticket list', 'cases list' and the
# evaluations table say; CSV and XLSX must be what they claim to be.
KPI_FILE="$tmp/kpi.db"
KPI="sqlite3://db=$KPI_FILE"
kpi_to=$(date -u -d '+8 hours' +%F)
kpi_from=$(date -u -d '+8 hours -400 days' +%F)
expect 0 report --help
stdout_has "usage: owctl report"
expect 0 --db "$KPI" seed-demo --cases 40 --seed 21
for i in 1 2 3; do
  expect 0 --db "$KPI" ticket issue A
done
expect 0 --db "$KPI" ticket call --window W01 --staff clerk01
expect 0 --db "$KPI" intake "$EXAMPLE" --as clerk01
kpi_case=$out
expect 0 --db "$KPI" ticket end A001 --staff clerk01 --case "$kpi_case"
expect 0 --db "$KPI" ticket call --window W01 --staff clerk01
expect 0 --db "$KPI" ticket no-show A002 --staff clerk01
expect 0 --db "$KPI" ticket call --window W02 --staff clerk02
expect 0 --db "$KPI" ticket end A003 --staff clerk02
expect 0 --db "$KPI" ticket list --json
printf '%s' "$out" >"$tmp/kpi-tickets.json"
expect 0 --db "$KPI" cases list --json
printf '%s' "$out" >"$tmp/kpi-cases.json"
kpi_ratings=$(sql "$KPI_FILE" "SELECT COUNT(*) || ' ' || SUM(level >= 3) || ' ' || SUM(level <= 2) FROM evaluations WHERE day >= '$kpi_from' AND day <= '$kpi_to'")
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to"
printf '%s' "$out" >"$tmp/kpi-report.json"
label="the report agrees with ticket list, cases list and the ratings"
KPI_FROM=$kpi_from KPI_TO=$kpi_to KPI_RATINGS=$kpi_ratings \
  python3 - "$tmp/kpi-report.json" "$tmp/kpi-tickets.json" "$tmp/kpi-cases.json" <<'PY' \
  || fail "figures that agree (the assertion above says which)"
import json, os, sys
r = json.load(open(sys.argv[1]))
tickets = json.load(open(sys.argv[2]))
cases = json.load(open(sys.argv[3]))
frm, to = os.environ["KPI_FROM"], os.environ["KPI_TO"]
assert r["query"] == {"from": frm, "to": to, "centre": None, "department": None}, r["query"]
t = r["tickets"]
assert t["issued"] == len(tickets) == 3, t
assert t["called"] == 3 and t["served"] == sum(x["status"] == "ended" for x in tickets) == 2, t
assert t["noShow"] == sum(x["status"] == "no_show" for x in tickets) == 1, t
waits = sorted(x["waitingMs"] for x in tickets if x["firstCalledAt"])
# nearest rank of 3 values: the median is the 2nd, the 90th percentile the 3rd
assert t["waitingSeconds"]["count"] == 3 and t["waitingSeconds"]["median"] == round(waits[1] / 1000, 3), (t, waits)
assert t["waitingSeconds"]["p90"] == round(waits[2] / 1000, 3), (t, waits)
serving = sorted(x["servingMs"] for x in tickets if x["status"] == "ended")
assert t["servingSeconds"]["count"] == 2 and t["servingSeconds"]["median"] == round(serving[0] / 1000, 3), t
assert [c["category"] for c in t["byCategory"]] == ["A"], t["byCategory"]
windows = {w["window"]: w for w in t["byWindow"]}
assert sorted(windows) == ["W01", "W02"] and windows["W01"]["issued"] == 2 and windows["W01"]["noShow"] == 1, windows
assert windows["W02"]["served"] == 1, windows
c = r["cases"]
accepted = [x for x in cases if x["acceptedOn"] and frm <= x["acceptedOn"] <= to]
assert c["accepted"] == len(accepted), (c["accepted"], len(accepted))
running = {"accepted", "accepted_deficient", "in_review", "suspended", "extended"}
overdue = [x for x in cases if x["status"] in running and x["deadline"] and x["deadline"] < to]
assert c["runningOverdue"] == len(overdue), (c["runningOverdue"], len(overdue))
assert c["overdue"] == c["concludedLate"] + c["runningOverdue"], c
assert c["concluded"] > 0 and c["onTimeRate"] == round((c["concluded"] - c["concludedLate"]) / c["concluded"], 4), c
assert 0 <= c["coverage"] <= 1 and c["matters"] > 50, c
assert sum(d["accepted"] for d in c["byDepartment"]) >= c["accepted"], c["byDepartment"]
n, good, bad = (int(x or 0) for x in os.environ["KPI_RATINGS"].split())
g = r["ratings"]
assert g["ratings"] == n and sum(g["byLevel"].values()) == n and g["bad"] == bad, (g, n, good, bad)
assert g["satisfied"] == good and g["satisfactionRate"] == (round(good / n, 4) if n else None), g
PY
pass
# A department: the cases with a matter of it, and their tickets (A001 carries the
# example's bundle, which holds a tax matter; A002 and A003 carry no case).
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --department 区税务局 --json
json_check 'v["query"]["department"] == "区税务局" and v["tickets"]["issued"] == 1 and v["cases"]["accepted"] >= 1 and [d["department"] for d in v["cases"]["byDepartment"]] == ["区税务局"]' \
  "the department's report: one ticket, its cases only"
expect 1 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --department 没有这个部门
stderr_has "--department: no matter of the catalogue belongs to '没有这个部门'"
stderr_has "区税务局"
# Another centre: nothing, and rates n/a.
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --centre 330106
json_check 'v["tickets"]["issued"] == 0 and v["cases"]["accepted"] == 0 and v["cases"]["onTimeRate"] is None and v["tickets"]["waitingSeconds"]["median"] is None' \
  "another centre's report: zeros and nulls"
# CSV on stdout: a byte-order mark, CRLF, RFC 4180, one section per sheet, as wide as the widest.
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --format csv
label="the CSV report"
python3 - "$tmp/stdout" <<'PY' || fail "a CSV with BOM, CRLF and the five sections"
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line ends only"
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
assert len({len(row) for row in rows}) == 1, "every record equally wide"
titles = [rows[i][0] for i in range(len(rows)) if i == 0 or not any(rows[i - 1])]
assert titles == ["Summary", "Tickets by category", "Tickets by window", "Cases", "Ratings"], titles
assert rows[0][1] == "概要" and rows[1][:4] == ["Figure key", "Figure", "Figure (Chinese)", "Value"], rows[:3]
summary = {row[0]: row[3] for row in rows[3:] if row[0]}
assert summary["tickets_issued"] == "3" and summary["tickets_served"] == "2", summary
assert summary["on_time_rate"] != "n/a" and 0 <= float(summary["on_time_rate"]) <= 1, summary
assert summary["department"] == "all" and summary["period_to"], summary
cases = rows.index(["Cases", "办件"] + [""] * (len(rows[0]) - 2))
assert rows[cases + 1][0] == "Department" and rows[cases + 2][0] == "部门" and rows[cases + 3][0] == "all", rows[cases:cases + 4]
PY
pass
# XLSX: a valid zip holding the five sheets, headings in both languages.
expect 2 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --format xlsx
stderr_has "--output"
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --format xlsx --output "$tmp/kpi.xlsx"
stdout_has "wrote $tmp/kpi.xlsx (xlsx, $kpi_from to $kpi_to)"
label="the XLSX report"
python3 - "$tmp/kpi.xlsx" <<'PY' || fail "an XLSX workbook with the five sheets"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
assert names == ["Summary", "Tickets by category", "Tickets by window", "Cases", "Ratings"], names
strings = z.read("xl/sharedStrings.xml").decode()
for text in ("On-time rate", "按时办结率", "即办件率", "Satisfaction rate", "满意率"):
    assert text in strings, text
PY
pass
expect 0 --db "$KPI" --json report --from "$kpi_from" --to "$kpi_to" --format csv --output "$tmp/kpi.csv"
json_check 'v == {"file": "'"$tmp/kpi.csv"'", "format": "csv", "from": "'"$kpi_from"'", "to": "'"$kpi_to"'"}' \
  "the written file as JSON"
[ "$(head -c 3 "$tmp/kpi.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "the CSV file starts with a BOM"
pass
expect 1 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --format json --output "$tmp/no/such/dir/r.json"
stderr_has "cannot write $tmp/no/such/dir/r.json"
# Usage errors name the option.
expect 2 --db "$KPI" report --to "$kpi_to"
stderr_has "--from YYYY-MM-DD is required"
expect 2 --db "$KPI" report --from 2026-13-01 --to "$kpi_to"
stderr_has "--from expects a date YYYY-MM-DD, got '2026-13-01'"
expect 2 --db "$KPI" report --from "$kpi_from" --to tomorrow
stderr_has "--to expects a date"
expect 2 --db "$KPI" report --from "$kpi_to" --to "$kpi_from"
stderr_has "--from $kpi_to is after --to $kpi_from"
expect 2 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --format pdf
stderr_has "--format expects xlsx, csv or json, got 'pdf'"
expect 2 --db "$KPI" report --from "$kpi_from" --to "$kpi_to" --centre 33
stderr_has "--centre"
expect 2 --db "$KPI" --json report --from "$kpi_from" --to "$kpi_to" --format csv
stderr_has "--json"
expect 1 --db "sqlite3://db=$tmp/missing.db" report --from "$kpi_from" --to "$kpi_to"
stderr_has "owctl init"
# The facts survive a rebuild: the same report.
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to"
kpi_before=$out
expect 0 --db "$KPI" rebuild-projections
expect 0 --db "$KPI" report --from "$kpi_from" --to "$kpi_to"
[ "$out" = "$kpi_before" ] || fail "the same report after rebuild-projections"
pass
expect 0 --db "$KPI" verify

# ---------------------------------------------------------------- no identity number on stderr
for id in "$APPLICANT_ID" "$AGENT_ID" "$BAD_ID" "$BAD_AGENT_ID"; do
  label="stderr of every run"
  out=""
  err=$(grep -F -- "$id" "$tmp/all-stderr" | head -3)
  [ -z "$err" ] || fail "no full identity number on stderr"
  pass
done

echo "$passed passed, 0 failed"
finished=1
