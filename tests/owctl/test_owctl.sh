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
trap 'rm -rf "$tmp"' EXIT
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
  "users passwd" "users list" verify rebuild-projections state-hash; do
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
TO_V1="DROP TABLE case_number_days; DROP TABLE held_events; DROP TABLE tickets; DROP TABLE evaluations;
  DELETE FROM counters WHERE name = 'hall'; UPDATE meta SET value = '1' WHERE key = 'schema_version';"
expect 0 --db "sqlite3://db=$OLD" init
sql "$OLD" "$TO_V1"
expect 0 --db "sqlite3://db=$OLD" migrate
stdout_has "1 to 4"
expect 3 --db "sqlite3://db=$OLD" migrate
sql "$OLD" "$TO_V1"
expect 0 migrate --json --db "sqlite3://db=$OLD"
json_check 'v == {"from": 1, "to": 4}' '{"from":1,"to":4}'
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
[ "$(sql "$tmp/demo.db" "SELECT MAX(hlc) >> 16 FROM events")" -le "$now_ms" ] || fail "every seeded event in the past"
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

# ---------------------------------------------------------------- no identity number on stderr
for id in "$APPLICANT_ID" "$AGENT_ID" "$BAD_ID" "$BAD_AGENT_ID"; do
  label="stderr of every run"
  out=""
  err=$(grep -F -- "$id" "$tmp/all-stderr" | head -3)
  [ -z "$err" ] || fail "no full identity number on stderr"
  pass
done

echo "$passed passed, 0 failed"
