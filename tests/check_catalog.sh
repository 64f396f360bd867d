#!/usr/bin/env bash
# The zh_CN catalog is complete and current: no untranslated or fuzzy entry (msgfmt
# --check --statistics), and no string of the client missing from it (msgcmp against a
# template freshly extracted from the sources with the build's own xgettext arguments).
# Usage: check_catalog.sh CATALOG XGETTEXT-ARGS… -- SOURCES…
set -uo pipefail
catalog="$1"
shift
args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }

stats=$(msgfmt --check --statistics --output-file=/dev/null "$catalog" 2>&1) || fail "msgfmt --check: $stats"
echo "$stats"
case "$stats" in
  *untranslated* | *fuzzy*) fail "$catalog has untranslated or fuzzy entries: $stats" ;;
esac
xgettext "${args[@]}" --output="$tmp/fresh.pot" "$@" || fail "xgettext could not extract the strings"
fresh=$(grep -c '^msgid ' "$tmp/fresh.pot")
msgcmp --use-untranslated "$catalog" "$tmp/fresh.pot" 2>"$tmp/msgcmp.txt" \
  || fail "strings of the client missing from $catalog (run the update-pot target, then translate):
$(head -20 "$tmp/msgcmp.txt")"
echo "$((fresh - 1)) strings of the client, all translated"
echo "2 passed, 0 failed"
