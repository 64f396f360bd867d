#!/usr/bin/env bash
# ./ow package --check: installs the packages into a clean Debian 12 root and tries them
# there. The root is made by debootstrap (minbase) once and kept as a tarball in
# build/package-check, with apt's downloaded packages and lists beside it, so a second run
# only unpacks it; each run unpacks it into a temporary folder, installs the packages with
# apt-get (dependencies resolved from the Debian mirror this machine uses), runs owctl,
# starts onewindowd as the service would (directly: systemd does not run in a chroot) and
# asks it GET /, starts the client under Xvfb, then upgrades and purges onewindowd. Prints
# PASS/FAIL per check and exits 1 when one failed. Mounts are undone and the root removed
# on every exit, also after a failure or an interrupt.
#
# usage: installer/check-packages.sh [PACKAGES_DIR]   (default build/package/packages; as root)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

packages="${1:-build/package/packages}"
cache="$repo/build/package-check"
suite=bookworm
tarball="$cache/$suite-minbase.tar"
log="$cache/check.log"
started=$SECONDS

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'package --check: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mount)"
for tool in debootstrap chroot mount python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (./ow package installs what it needs)"
done
shopt -s nullglob
debs=("$packages"/*.deb)
shopt -u nullglob
[ "${#debs[@]}" -gt 0 ] || die "no packages in $packages: run ./ow package first"
mkdir -p "$cache/apt-archives/partial" "$cache/apt-lists/partial"
: >"$log"
exec 9>&2 # the terminal's stderr, for the clean-up's words even from inside a logged check

# --- Cleaning up: whatever this run mounted or started goes, on every exit ----------------
temporaries=()
pids=()
unmount_under() {
  local dir="$1" target
  # Deepest first; lazily when something still holds one.
  while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print length($2) " " $2 }' /proc/self/mounts | sort -rn | cut -d' ' -f2-)
}
stop_processes_in() {
  local dir="$1" p link
  # Processes started inside this run's root (the daemon, Xvfb): their root is that folder.
  for p in /proc/[0-9]*; do
    link="$(readlink "$p/root" 2>/dev/null)" || continue
    [ "$link" = "$dir" ] && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  return 0
}
cleanup() {
  local pid dir began=$SECONDS
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for dir in "${temporaries[@]}"; do
    [ -d "$dir" ] || continue
    stop_processes_in "$dir/root"
    unmount_under "$dir"
    if awk -v d="$dir/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
      echo "package --check: still mounted under $dir, left in place" >&9
    else
      rm -rf --one-file-system "$dir"
    fi
  done
  [ "${#temporaries[@]}" -eq 0 ] || echo "cleaned up (processes, mounts, root) in $((SECONDS - began)) s" >&9
}
trap cleanup EXIT
trap 'echo "package --check: interrupted" >&9; exit 130' INT TERM

# --- The Debian mirror this machine uses (deb822 .sources and one-line .list files) --------
mapfile -t sources < <(python3 - "$suite" <<'PY'
import glob, re, sys
suite = sys.argv[1]
wanted = {suite, suite + "-updates", suite + "-security"}
entries = []
for name in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        lines = open(name, encoding="utf-8").read().splitlines()
    except OSError:
        continue
    for line in lines:
        m = re.match(r"deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)", line.split("#")[0].strip())
        if m:
            entries.append((m.group(1), m.group(2), m.group(3).split()))
for name in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(name, encoding="utf-8").read()):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith("#"):
                continue
            if line[:1] in (" ", "\t") and key:
                fields[key] += " " + line.strip()
                continue
            k, _, v = line.partition(":")
            key = k.strip().lower()
            fields[key] = v.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        for uri in fields.get("uris", "").split():
            for s in fields.get("suites", "").split():
                entries.append((uri, s, fields.get("components", "").split()))
seen = set()
for uri, s, components in entries:
    if s in wanted and "main" in components and (uri, s) not in seen:
        seen.add((uri, s))
        print(uri.rstrip("/"), s)
PY
)
mirror=""
for entry in "${sources[@]}"; do
  [ "${entry#* }" = "$suite" ] && { mirror="${entry%% *}"; break; }
done
[ -n "$mirror" ] || die "no Debian $suite mirror with 'main' in /etc/apt/sources.list*"

# --- The clean root: debootstrap once, then the cached tarball -----------------------------
if [ ! -s "$tarball" ]; then
  say "debootstrap --variant=minbase $suite from $mirror (once; kept in ${tarball#"$repo"/})"
  base="$(mktemp -d "${TMPDIR:-/tmp}/ow-debootstrap.XXXXXX")"
  temporaries+=("$base")
  debootstrap --variant=minbase --components=main "$suite" "$base/root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || die "debootstrap failed: see ${cache#"$repo"/}/debootstrap.log"
  unmount_under "$base"
  rm -f "$base/root/var/cache/apt/archives/"*.deb
  tar -C "$base/root" --numeric-owner -cf "$tarball.part" . || die "cannot write $tarball"
  mv "$tarball.part" "$tarball"
  rm -rf --one-file-system "$base"
fi

say "unpacking a clean $suite root ($((SECONDS - started)) s so far)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ow-package-check.XXXXXX")"
temporaries+=("$work")
root="$work/root"
mkdir "$root"
tar -C "$root" --numeric-owner -xpf "$tarball" || die "cannot unpack $tarball"

# apt's sources: the same mirrors as this machine, so that the libraries the packages were
# linked against (point releases, security updates) are there.
: >"$root/etc/apt/sources.list"
for entry in "${sources[@]}"; do
  echo "deb ${entry% *} ${entry#* } main" >>"$root/etc/apt/sources.list"
done
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# A throwaway root: dpkg need not sync every file it unpacks.
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/ow-unsafe-io"
# No service is started by a maintainer script inside the root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

# A /dev of its own (not the host's), proc, and apt's cache and lists kept between runs.
mount -t proc proc "$root/proc" || die "cannot mount proc"
mount -t tmpfs -o mode=0755,nosuid dev "$root/dev" || die "cannot mount a tmpfs on /dev"
for node in "null c 1 3" "zero c 1 5" "full c 1 7" "random c 1 8" "urandom c 1 9" "tty c 5 0"; do
  set -- $node
  mknod -m 666 "$root/dev/$1" "$2" "$3" "$4"
done
mkdir -m 755 "$root/dev/pts" && mkdir -m 1777 "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts" || die "cannot mount devpts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm" || die "cannot mount /dev/shm"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives" || die "cannot bind the apt cache"
mount --bind "$cache/apt-lists" "$root/var/lib/apt/lists" || die "cannot bind the apt lists"

mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
# Runs a command in the root. In the background and waited for, so that a TERM or INT
# reaches the traps at once rather than when a long apt-get is done.
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" &
  wait $!
}

# --- The checks ---------------------------------------------------------------------------
passed=0
failed=0
results=()
check() {
  local name="$1"
  shift
  printf '\n### %s\n' "$name" >>"$log"
  local began=$SECONDS
  if "$@" >>"$log" 2>&1; then
    results+=("PASS  $name ($((SECONDS - began)) s)")
    passed=$((passed + 1))
  else
    results+=("FAIL  $name ($((SECONDS - began)) s)")
    failed=$((failed + 1))
    printf 'FAIL  %s (the end of its log:)\n' "$name" >&2
    tail -n 15 "$log" | sed 's/^/      /' >&2
  fi
}

version="$(dpkg-deb -f "${debs[0]}" Version)"

install_packages() {
  local names=() deb
  for deb in "${debs[@]}"; do names+=("/tmp/debs/${deb##*/}"); done
  in_root apt-get update -q &&
    in_root apt-get install -y -q "${names[@]}" &&
    in_root dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' onewindow onewindowd owctl
}

owctl_version() {
  local text
  text="$(in_root owctl --version)" || return 1
  echo "$text"
  [[ "$text" == "owctl $version "* || "$text" == "owctl $version" ]]
}

service_user_and_data() {
  in_root getent passwd onewindow &&
    [ "$(in_root stat -c '%U:%G %a' /var/lib/onewindow)" = "onewindow:onewindow 750" ] &&
    in_root dpkg-query -W -f='${Conffiles}\n' onewindowd | grep -F /etc/onewindow/onewindowd.ini &&
    [ -f "$root/lib/systemd/system/onewindowd.service" ]
}

# GET PATH from the node whose URL is in the root's file $1; prints the answer.
http_get() {
  local url port
  url="$(cat "$root$1")" || return 1
  port="${url##*:}"
  in_root bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$port"' || exit 1
    printf "GET '"$2"' HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3; timeout 10 cat <&3'
}

# Starts onewindowd in the root with ARGS, its URL written to the root's file $1; waits for it.
start_daemon() {
  local ready="$1"
  shift
  rm -f "$root$ready"
  # chroot, env, setpriv and onewindowd exec one another: one process, this pid.
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    "$@" --ready-file "$ready" >>"$log" 2>&1 &
  daemon_pid=$!
  pids+=("$daemon_pid")
  local i
  for i in $(seq 100); do
    [ -s "$root$ready" ] && return 0
    kill -0 "$daemon_pid" 2>/dev/null || { echo "onewindowd exited before serving"; return 1; }
    sleep 0.2
  done
  echo "onewindowd did not serve within 20 s"
  return 1
}

stop_daemon() {
  kill -TERM "$daemon_pid" 2>/dev/null
  wait "$daemon_pid"
  local status=$?
  echo "onewindowd exited with $status after SIGTERM"
  [ "$status" -eq 0 ]
}

# The packaged configuration, as the systemd unit runs it (its user, its file). Port 5984
# of the packaged file is shared with this machine (a chroot has no network of its own), so
# when something here holds it the node takes a free port instead.
packaged_daemon() {
  local listen=()
  if (exec 3<>/dev/tcp/127.0.0.1/5984) 2>/dev/null; then
    echo "127.0.0.1:5984 is taken on this machine: --listen 127.0.0.1:0 instead"
    listen=(--listen 127.0.0.1:0)
  fi
  start_daemon /tmp/onewindowd-packaged.url \
    setpriv --reuid=onewindow --regid=onewindow --init-groups \
    /usr/sbin/onewindowd --config /etc/onewindow/onewindowd.ini "${listen[@]}" || return 1
  local answer health
  answer="$(http_get /tmp/onewindowd-packaged.url /)" || { stop_daemon; return 1; }
  health="$(http_get /tmp/onewindowd-packaged.url /_ow/health)"
  printf '%s\n%s\n' "$answer" "$health"
  stop_daemon || return 1
  grep -q '^HTTP/1\.[01] 200' <<<"$answer" && grep -Eq '"couchdb": ?"Welcome"' <<<"$answer" &&
    grep -Eq '"centre": ?"000000"' <<<"$health" && [ -f "$root/var/lib/onewindow/centre.db" ]
}

owctl_database_daemon() {
  start_daemon /tmp/onewindowd-trial.url \
    onewindowd --db sqlite3://db=/tmp/t.db --listen 127.0.0.1:0 --centre 330102 || return 1
  local answer health
  answer="$(http_get /tmp/onewindowd-trial.url /)" || { stop_daemon; return 1; }
  health="$(http_get /tmp/onewindowd-trial.url /_ow/health)"
  printf '%s\n%s\n' "$answer" "$health"
  stop_daemon || return 1
  grep -Eq '"couchdb": ?"Welcome"' <<<"$answer" && grep -Eq '"centre": ?"330102"' <<<"$health"
}

client_libraries() {
  local libraries
  libraries="$(in_root ldd /usr/bin/onewindow)" || return 1
  ! grep 'not found' <<<"$libraries"
}

# The client with its Chinese catalog, found under the installed prefix: the hall display's
# window title is translated.
client_in_chinese() {
  in_root apt-get install -y -q --no-install-recommends xvfb xauth x11-utils || return 1
  in_root xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
    onewindow --lang zh_CN --hall-display --db sqlite3://db=/tmp/t.db & client=$!
    for i in $(seq 60); do
      title="$(xwininfo -root -tree | grep -o "OneWindow — 大厅叫号屏")" && break
      kill -0 $client 2>/dev/null || break
      sleep 0.5
    done
    xwininfo -root -tree | grep -i onewindow
    kill $client 2>/dev/null; wait $client 2>/dev/null
    [ -n "$title" ]'
}

upgrade_and_purge() {
  in_root apt-get install -y -q --reinstall "/tmp/debs/$(basename "$packages"/onewindowd_*.deb)" &&
    in_root apt-get purge -y -q onewindowd &&
    [ ! -e "$root/etc/onewindow/onewindowd.ini" ] &&
    [ -f "$root/var/lib/onewindow/centre.db" ] &&
    in_root getent passwd onewindow &&
    echo "purged: configuration gone, the centre's database and the system user kept"
}

say "installing ${debs[*]##*/} with apt-get"
check "apt-get install of the three packages, dependencies resolved" install_packages
say "trying them"
check "owctl --version prints $version" owctl_version
check "owctl --db sqlite3://db=/tmp/t.db init --centre 330102" in_root owctl --db sqlite3://db=/tmp/t.db init --centre 330102
check "system user onewindow, /var/lib/onewindow 0750, conffile, systemd unit" service_user_and_data
check "onewindowd on the packaged configuration (user onewindow) answers GET / and health" packaged_daemon
check "onewindowd on owctl's database answers GET / (centre 330102)" owctl_database_daemon
check "the client's libraries all resolve" client_libraries
check "the client starts under Xvfb and finds its zh_CN catalog" client_in_chinese
check "onewindowd reinstalled (postinst after an upgrade) and purged" upgrade_and_purge

printf '\n'
printf '%s\n' "${results[@]}"
printf '%d passed, %d failed\n' "$passed" "$failed"
echo "log: ${log#"$repo"/}; $((SECONDS - started)) s"
[ "$failed" -eq 0 ]
