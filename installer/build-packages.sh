#!/usr/bin/env bash
# ./ow package: builds the Debian packages onewindow, onewindowd and owctl with CPack into
# build/package/packages, then checks them: lintian (fails on an error; warnings and
# infos are printed), desktop-file-validate on the desktop entry and appstreamcli validate
# on the metainfo, both as the client package ships them. docs/PACKAGING.md has the why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=build/package
out="$build/packages"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'package: %s\n' "$*" >&2; exit 1; }

# Debian's hardening flags, as a Debian package build would use them (fortify, stack
# protector, relro, bindnow, PIE; file paths mapped to '.'). The preprocessor's flags go in
# with the compiler's: CMake does not read CPPFLAGS.
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"

say "configuring $build (Release, prefix /usr, OW_PACKAGING=ON)"
cmake -S . -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DOW_BUILD_TESTS=OFF -DOW_PACKAGING=ON \
  -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_CXX_FLAGS="$CPPFLAGS $CXXFLAGS" \
  -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS" \
  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null

say "building the programs, catalogs, man pages and icons"
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" \
  --target onewindow owctl onewindowd translations ow_package_files

say "making the packages (CPack, dpkg-shlibdeps)"
rm -f "$out"/*.deb
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack failed (rerun: cd $build && cpack -G DEB --verbose)"
mapfile -t debs < <(ls "$out"/*.deb)
[ "${#debs[@]}" -eq 3 ] || fail "expected 3 packages in $out, found ${#debs[@]}"
for deb in "${debs[@]}"; do
  printf '%s  %s\n' "$(du -h "$deb" | cut -f1)" "$deb"
  dpkg-deb -f "$deb" Package Version Section Depends Recommends Suggests | sed 's/^/    /'
done

status=0
say "lintian"
# As root lintian unpacks into a private folder of its own; --fail-on error keeps warnings
# from failing the build (docs/PACKAGING.md lists the ones left and why).
lintian --fail-on error --display-level '>=pedantic' "${debs[@]}" || status=1

unpacked="$(mktemp -d "${TMPDIR:-/tmp}/ow-package.XXXXXX")"
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$out"/onewindow_*.deb "$unpacked"

say "desktop-file-validate"
desktop_file="$unpacked/usr/share/applications/onewindow.desktop"
if desktop-file-validate "$desktop_file"; then
  echo "onewindow.desktop: clean"
else
  status=1
fi

say "appstreamcli validate (--no-net --strict --pedantic)"
metainfo=("$unpacked"/usr/share/metainfo/*.metainfo.xml)
appstreamcli validate --no-net --strict --pedantic --explain "${metainfo[@]}" || status=1

[ "$status" -eq 0 ] || fail "the packages do not pass their checks"
say "packages in $out"
