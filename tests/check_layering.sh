#!/usr/bin/env bash
# Fails when a layer includes what it must not (see docs/ARCHITECTURE.md):
#   model/   no wx, SOCI or Poco
#   SOCI     only in db/ (and tests, bench)
#   Poco     only in sync/ (and tests, bench)
#   wx       only in client/ (and tests)
#   _( )     only in client/: lower layers return codes, the client translates
# Usage: check_layering.sh ROOT | --selftest
set -uo pipefail

check() {
  local root="$1" failed=0 hits
  cd "$root" || { echo "cannot enter $root" >&2; return 2; }
  sources() { find "$@" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' \) 2>/dev/null; }
  report() {
    if [ -n "$2" ]; then
      echo "layering violation: $1" >&2
      echo "$2" | sed 's/^/  /' >&2
      failed=1
    fi
  }
  hits=$(sources model | xargs -r grep -nE '#[[:space:]]*include[[:space:]]*[<"](wx/|soci/|Poco/)')
  report "model/ includes wx, SOCI or Poco" "$hits"
  hits=$(sources . | grep -vE '^\./(db|tests|bench|build)/' | xargs -r grep -nE '#[[:space:]]*include[[:space:]]*[<"]soci/')
  report "SOCI included outside db/" "$hits"
  hits=$(sources . | grep -vE '^\./(sync|tests|bench|build)/' | xargs -r grep -nE '#[[:space:]]*include[[:space:]]*[<"]Poco/')
  report "Poco included outside sync/" "$hits"
  hits=$(sources . | grep -vE '^\./(client|tests|build)/' | xargs -r grep -nE '#[[:space:]]*include[[:space:]]*[<"]wx/')
  report "wxWidgets included outside client/" "$hits"
  hits=$(sources . | grep -vE '^\./(client|tests|build)/' | xargs -r grep -nE '(^|[^A-Za-z0-9_])_\("')
  report "_() called outside client/" "$hits"
  [ "$failed" -eq 0 ] && echo "layering: ok"
  return "$failed"
}

selftest() {
  local status
  selftest_dir=$(mktemp -d) || exit 2
  trap 'rm -rf "$selftest_dir"' EXIT
  local tmp="$selftest_dir"
  mkdir -p "$tmp/model" "$tmp/client" "$tmp/db"
  echo '#include <string>' > "$tmp/model/Good.h"
  echo '#include <soci/soci.h>' > "$tmp/db/Store.cpp"
  echo '#include <wx/wx.h>' > "$tmp/client/Frame.cpp"
  if ! check "$tmp" >/dev/null 2>&1; then echo "selftest: a clean tree was rejected" >&2; exit 1; fi
  for bad in '#include <wx/string.h>' '#include "soci/soci.h"' '#  include <Poco/JSON/Parser.h>'; do
    echo "$bad" > "$tmp/model/Bad.h"
    check "$tmp" >/dev/null 2>&1; status=$?
    if [ "$status" -ne 1 ]; then echo "selftest: '$bad' in model/ was not caught" >&2; exit 1; fi
  done
  rm "$tmp/model/Bad.h"
  echo 'auto s = _("Hello");' > "$tmp/db/Text.cpp"
  check "$tmp" >/dev/null 2>&1; status=$?
  if [ "$status" -ne 1 ]; then echo "selftest: _() in db/ was not caught" >&2; exit 1; fi
  echo "layering selftest: ok"
}

case "${1:-}" in
  --selftest) selftest ;;
  "") echo "usage: $0 ROOT | --selftest" >&2; exit 2 ;;
  *) check "$1" ;;
esac
