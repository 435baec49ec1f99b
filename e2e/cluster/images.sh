#!/usr/bin/env bash
# Builds, with no container engine and no registry, every image the real node of the local cluster
# needs, as docker-archive tarballs for `ctr -n k8s.io images import <tar>`:
#
#   e2e/cluster/images.sh [all]        pause + postgres + redis (the default)
#   e2e/cluster/images.sh pause|postgres|redis
#   e2e/cluster/images.sh paths        prints NAME_IMAGE=<ref> NAME_IMAGE_TAR=<tar> lines (builds nothing)
#   e2e/cluster/images.sh node         builds what is missing of pause, postgres, redis; prints "<ref> <tar>" lines
#   e2e/cluster/images.sh imagetool    builds the image tool, prints its path
#   e2e/cluster/images.sh verify pause|postgres|redis   runs a cached image's check again
#   e2e/cluster/images.sh clinic-variants <clinic-tar> <out-dir>
#
# Images, into ~/.cache/rollgate/images/<name>-<version>-<hash of its recipe>/<name>.tar (+ `digest`,
# `ref`); a cached image is not rebuilt, so a second run builds nothing:
#   rollgate.dev/pause:3.10-rollgate   e2e/cluster/pause (static Go), entrypoint /pause, user 65535;
#                                      the sandbox image pinned in the containerd config.
#   rollgate.dev/postgres:15-debian    Debian's postgresql-15 files from this machine + busybox-static;
#                                      user 999; initialises $PGDATA from POSTGRES_USER/_PASSWORD/_DB on
#                                      first start (scram-sha-256 over TCP from anywhere, trust on the
#                                      local socket), logs to stderr. Fits helm/clinic/templates/postgres.yaml.
#   rollgate.dev/redis:7-debian        Debian's redis-server; user 999; entrypoint
#                                      `redis-server --bind 0.0.0.0 --protected-mode no`, so the chart's
#                                      container args (`--save "" --appendonly no`) are appended to it.
# Each image is checked after it is built, without a container engine, as e2e/image/verify-image.sh does:
# its layers unpacked, its entrypoint run with chroot as its own user in private mount/PID/IPC
# namespaces, on 127.0.0.1 only and a free port, stopped by PID, the folder removed.
#
# clinic release variants (for rollout scenarios), built from this repository's clinic image
# (app/target/jib-image.tar, tag rollgate/clinic:<v>; `./mvnw -B -q -pl app -am package -Pimage -DskipTests`)
# with `imagetool append`, into <out-dir>/clinic-<variant>.tar, each failing for a real reason:
#   rollgate/clinic:<v>-good2          the same bits plus /app/RELEASE: a second good release, another digest.
#   rollgate/clinic:<v>-badmigration   carries /app/migrations/V3__add_patient_contact_columns.sql, which
#                                      adds a column that V1 already created: PostgreSQL rolls the
#                                      migration back (the schema stays at V2) and the app stays unready
#                                      (/q/health/ready 503, /q/health/live 200), logging the Flyway error.
#                                      Env CLINIC_FLYWAY_LOCATIONS=classpath:db/migration,filesystem:/app/migrations.
#   rollgate/clinic:<v>-crash          carries /app/config/application.properties (read from the working
#                                      directory /app, above the jar's) with
#                                      quarkus.http.port=${CLINIC_LISTEN_PORT}: a release that expects a
#                                      renamed variable nobody sets. Boot fails at once with SRCFG00011 and
#                                      exit code 1; the chart's env (CLINIC_HTTP_PORT, CLINIC_DB_*) cannot
#                                      mask it, only QUARKUS_HTTP_PORT could.
# They are checked against the postgres image above (skip every check with ROLLGATE_IMAGES_VERIFY=0).
#
# Needs root for the checks (chroot, unshare) and to apt-get install busybox-static / redis-server when
# missing. Go builds use the module proxy (GOFLAGS=-mod=mod).
set -euo pipefail
umask 022
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
CACHE="${ROLLGATE_CACHE:-$HOME/.cache/rollgate}"
VERIFY="${ROLLGATE_IMAGES_VERIFY:-1}"
export GOFLAGS="${GOFLAGS:-} -mod=mod"

PAUSE_REF=rollgate.dev/pause:3.10-rollgate
POSTGRES_REF=rollgate.dev/postgres:15-debian
REDIS_REF=rollgate.dev/redis:7-debian
PG_MAJOR=15

PY=/usr/bin/python3; [[ -x $PY ]] || PY=python3

log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=go-cache.sh
source "$here/go-cache.sh"

# Everything this script starts or creates goes away on any exit: background images (by PID) and
# scratch folders.
TMP_DIRS=()
V_PIDS=()
cleanup() {
  local p d
  for p in "${V_PIDS[@]}"; do stop_pid "$p"; done
  for d in "${TMP_DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
# new_tmp VAR: a fresh scratch folder, removed on exit.
new_tmp() { local d; d=$(mktemp -d); TMP_DIRS+=("$d"); printf -v "$1" '%s' "$d"; }

sha() { sha256sum | cut -c1-16; }
# A version string usable in a folder name (Debian versions hold ':', '~', '+').
clean() { tr -c 'A-Za-z0-9._\n-' '_' <<<"$1"; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }

# ---------------------------------------------------------------------------------------------------
# imagetool: ~/.cache/rollgate/imagetool/<sha of its sources and of the Go version>/imagetool
imagetool_key() { go_source_key imagetool; }
IMAGETOOL=
imagetool() { IMAGETOOL=$(cached_go_build imagetool); }

# The key of a cached image: its name, its inputs' versions, and a hash of the functions that make it
# (as bash prints them: comments and the checks do not count), of the tool and of any extra inputs.
# Changing what goes into an image rebuilds it; editing anything else in this script does not.
recipe() { # recipe "FUNCTION..." EXTRA...
  local fns=$1; shift
  # shellcheck disable=SC2086
  { declare -f $fns; imagetool_key; printf '%s\n' "$@"; } | sha
}
pause_key() {
  echo "pause-3.10-rollgate-$(recipe build_pause "$PAUSE_REF" "$(cd "$here/pause" && cat go.mod ./*.go | sha)" "$(go env GOVERSION)")"
}
postgres_key() {
  local v; v=$(pkg_version postgresql-$PG_MAJOR)
  echo "postgres-$(clean "$v")-$(recipe "build_postgres postgres_entrypoint base_tree copy_with_libs" "$POSTGRES_REF" "$v" "$(pkg_version postgresql-client-$PG_MAJOR)" "$(pkg_version libpq5)" \
    "$(pkg_version busybox-static)" "$(pkg_version libc6)" "$(pkg_version libssl3)" "$(pkg_version libicu72)")"
}
redis_key() {
  local v; v=$(pkg_version redis-server)
  echo "redis-$(clean "$v")-$(recipe "build_redis base_tree copy_with_libs" "$REDIS_REF" "$v" "$(pkg_version redis-tools)" "$(pkg_version libc6)" \
    "$(pkg_version libjemalloc2)" "$(pkg_version libssl3)")"
}

# cached NAME: true when the image of that key is complete in the cache (prints its folder).
image_dir() { echo "$CACHE/images/$("${1}_key")"; }
cached() { [[ -f "$(image_dir "$1")/done" ]]; }

# finish NAME DIR REF: records the digest; the `done` marker is written last.
finish() {
  local name=$1 dir=$2 ref=$3
  "$IMAGETOOL" digest --tar "$dir/$name.tar" >"$dir/digest"
  echo "$ref" >"$dir/ref"
  touch "$dir/done"
  log "$ref $(cat "$dir/digest") $(du -h "$dir/$name.tar" | cut -f1) $dir/$name.tar"
}

# ---------------------------------------------------------------------------------------------------
# Root filesystem helpers.

# usrmerge layout, as Debian bookworm: /bin, /sbin, /lib, /lib64 are links into /usr.
base_tree() {
  local root=$1
  mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/etc "$root"/run "$root"/var "$root"/tmp
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  ln -s ../run "$root/var/run"
  chmod 1777 "$root/tmp"
}

# copy_with_libs ROOT FILE...: each file at its own path (links resolved), plus every shared library
# ldd resolves for it, at the path the loader found it (as e2e/image/make-rootfs.sh does).
copy_with_libs() {
  local root=$1; shift
  local f lib
  for f in "$@"; do
    mkdir -p "$root$(dirname "$f")"
    cp -L "$f" "$root$f"
  done
  for lib in $(printf '%s\0' "$@" | xargs -0 -r ldd 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u); do
    [[ -e "$root$lib" ]] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  [[ -e "$root/lib64/ld-linux-x86-64.so.2" ]] || die "no dynamic loader among the libraries of $*"
}

ensure_package() {
  local pkg=$1
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] && return
  [[ "$(id -u)" -eq 0 ]] || die "package $pkg is missing: apt-get install -y --no-install-recommends $pkg (as root)"
  log "installing Debian package $pkg"
  # policy-rc.d exit 101: Debian's way to keep a package's service from starting on install.
  local policy=/usr/sbin/policy-rc.d created=
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; created=1; fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" >/dev/null || rc=$?
  if [[ $rc -ne 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" >/dev/null || rc=$?
    [[ $rc -eq 0 ]] || { [[ -n $created ]] && rm -f "$policy"; die "apt-get install $pkg failed"; }
  fi
  [[ -n $created ]] && rm -f "$policy"
  if [[ $pkg == redis-server ]]; then
    # in case a service started anyway: stop it (by its own PID file) and keep it from starting at boot
    local pid
    pid=$(cat /run/redis/redis-server.pid 2>/dev/null || true)
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      log "stopping the redis-server service the package started (PID $pid)"
      kill -TERM "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
    update-rc.d redis-server disable >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------------------------------------------
# pause

build_pause() {
  if cached pause; then log "$PAUSE_REF cached in $(image_dir pause)"; return; fi
  local dir work
  dir=$(image_dir pause)
  new_tmp work
  log "building $PAUSE_REF"
  mkdir -p "$work/root" "$dir"
  (cd "$here/pause" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w" -o "$work/root/pause" .)
  "$IMAGETOOL" build --rootfs "$work/root" --tag "$PAUSE_REF" --out "$dir/pause.tar" \
    --entrypoint /pause --user 65535:65535 >/dev/null
  [[ $VERIFY == 1 ]] && verify_pause "$dir/pause.tar"
  finish pause "$dir" "$PAUSE_REF"
}

# ---------------------------------------------------------------------------------------------------
# postgres

# The entrypoint of the postgres image (busybox sh). Initialises $PGDATA once, then execs the server.
postgres_entrypoint() {
  cat <<'ENTRYPOINT'
#!/bin/sh
# rollgate.dev/postgres entrypoint: on the first start (no $PGDATA/PG_VERSION) initdb with
# POSTGRES_USER (superuser) / POSTGRES_PASSWORD, create POSTGRES_DB owned by that user, accept
# scram-sha-256 logins over TCP from any address; then exec the server (logs on stderr).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA

if [ "${1:-postgres}" != postgres ]; then
  exec "$@"
fi
[ $# -gt 0 ] && shift

if [ "$(id -u)" = 0 ]; then
  echo "postgres-entrypoint: running as root; PostgreSQL must run as its own user (the image's 999)" >&2
  exit 1
fi

mkdir -p "$PGDATA"
chmod 700 "$PGDATA" 2>/dev/null || true

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres-entrypoint: POSTGRES_PASSWORD is empty; refusing to initialise a database without one" >&2
    exit 1
  fi
  echo "postgres-entrypoint: initialising $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)" >&2
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust --locale=C --encoding=UTF8 >&2
  rm -f "$pwfile"
  trap - EXIT
  cat >>"$PGDATA/postgresql.conf" <<'CONF'

# rollgate.dev/postgres
listen_addresses = '*'
logging_collector = off
log_destination = 'stderr'
# the image carries no LLVM
jit = off
CONF
  printf '\n# rollgate.dev/postgres: password logins from anywhere\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
    echo "CREATE DATABASE $(quote "$POSTGRES_DB") OWNER $(quote "$POSTGRES_USER");" |
      postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "postgres-entrypoint: initialised" >&2
fi

exec postgres "$@"
ENTRYPOINT
}

build_postgres() {
  if cached postgres; then log "$POSTGRES_REF cached in $(image_dir postgres)"; return; fi
  ensure_package busybox-static
  local dir work bindir
  dir=$(image_dir postgres)   # again: busybox-static's version is part of the key
  if [[ -f "$dir/done" ]]; then log "$POSTGRES_REF cached in $dir"; return; fi
  command -v pg_config >/dev/null || die "pg_config not found: install postgresql-$PG_MAJOR"
  bindir=$(pg_config --bindir)
  [[ $bindir == /usr/lib/postgresql/$PG_MAJOR/bin ]] || die "unexpected PostgreSQL bindir $bindir (want major $PG_MAJOR)"
  log "building $POSTGRES_REF from postgresql-$PG_MAJOR $(pkg_version postgresql-$PG_MAJOR)"
  new_tmp work
  local root=$work/root
  base_tree "$root"

  local libdir=/usr/lib/postgresql/$PG_MAJOR/lib share=/usr/share/postgresql/$PG_MAJOR
  local files=() f
  for f in initdb postgres pg_ctl pg_isready psql pg_dump pg_restore pg_controldata; do files+=("$bindir/$f"); done
  # the server's loadable modules (plpgsql, btree_gist that clinic's schema needs, encodings, contrib);
  # not llvmjit (it pulls LLVM, and jit is off)
  for f in "$libdir"/*.so; do
    case "$(basename "$f")" in llvmjit*) continue ;; esac
    files+=("$f")
  done
  copy_with_libs "$root" "${files[@]}"
  mkdir -p "$root$share" "$root/usr/share"
  (cd "$share" && tar -cf - --exclude=./man .) | tar -xf - -C "$root$share"
  cp -a /usr/share/zoneinfo "$root/usr/share/zoneinfo"

  # busybox: the shell (initdb and pg_ctl run /bin/sh, the chart's probes `sh -c`) and the entrypoint's tools
  cp /bin/busybox "$root/usr/bin/busybox"
  for f in sh cat chmod id ls mkdir mktemp rm sed env ps grep; do ln -s busybox "$root/usr/bin/$f"; done
  mkdir -p "$root/usr/local/bin"
  postgres_entrypoint >"$root/usr/local/bin/postgres-entrypoint"
  chmod 755 "$root/usr/local/bin/postgres-entrypoint"

  cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PASSWD
  cat >"$root/etc/group" <<'GROUP'
root:x:0:
postgres:x:999:
nogroup:x:65534:
GROUP
  mkdir -p "$root/var/lib/postgresql/data" "$root/run/postgresql"
  chmod 755 "$root/var/lib/postgresql"; chmod 700 "$root/var/lib/postgresql/data"; chmod 2775 "$root/run/postgresql"

  mkdir -p "$dir"
  # --stop-signal SIGINT: PostgreSQL's "fast" shutdown. SIGTERM is its "smart" one, which waits
  # for every client to disconnect: with clinic's pool connected, until the kubelet's SIGKILL.
  "$IMAGETOOL" build --rootfs "$root" --tag "$POSTGRES_REF" --out "$dir/postgres.tar" \
    --entrypoint /usr/local/bin/postgres-entrypoint --cmd postgres --user 999:999 --port 5432 \
    --stop-signal SIGINT \
    --env "PATH=/usr/local/bin:/usr/lib/postgresql/$PG_MAJOR/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --env PGDATA=/var/lib/postgresql/data \
    --chown var/lib/postgresql=999:999 --chown var/lib/postgresql/data=999:999 \
    --chown run/postgresql=999:999 >/dev/null
  rm -rf "$work"
  [[ $VERIFY == 1 ]] && verify_postgres "$dir/postgres.tar"
  finish postgres "$dir" "$POSTGRES_REF"
}

# ---------------------------------------------------------------------------------------------------
# redis

build_redis() {
  if cached redis; then log "$REDIS_REF cached in $(image_dir redis)"; return; fi
  ensure_package redis-server
  local dir work
  dir=$(image_dir redis)
  if [[ -f "$dir/done" ]]; then log "$REDIS_REF cached in $dir"; return; fi
  log "building $REDIS_REF from redis-server $(pkg_version redis-server)"
  new_tmp work
  local root=$work/root
  base_tree "$root"
  # /usr/bin/redis-server is a link to redis-check-rdb: one binary that picks its mode by argv[0], so it
  # is copied as a file named redis-server.
  copy_with_libs "$root" /usr/bin/redis-server /usr/bin/redis-cli
  cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/usr/sbin/nologin
redis:x:999:999:redis:/data:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PASSWD
  cat >"$root/etc/group" <<'GROUP'
root:x:0:
redis:x:999:
nogroup:x:65534:
GROUP
  mkdir -p "$root/data"
  mkdir -p "$dir"
  # Kubernetes `args` replace the image's Cmd and keep its Entrypoint: the defaults live in the
  # entrypoint, so the chart's args come after them (and a later --bind would still win).
  "$IMAGETOOL" build --rootfs "$root" --tag "$REDIS_REF" --out "$dir/redis.tar" \
    --entrypoint /usr/bin/redis-server,--bind,0.0.0.0,--protected-mode,no --cmd '[]' \
    --user 999:999 --workdir /data --port 6379 \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --chown data=999:999 >/dev/null
  rm -rf "$work"
  [[ $VERIFY == 1 ]] && verify_redis "$dir/redis.tar"
  finish redis "$dir" "$REDIS_REF"
}

# ---------------------------------------------------------------------------------------------------
# Running an image without a container engine (as e2e/image/verify-image.sh).

need_root() {
  if [[ "$(id -u)" -ne 0 ]] || ! command -v unshare >/dev/null; then
    die "checking images needs root and unshare (or ROLLGATE_IMAGES_VERIFY=0)"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# extract TAR DIR: the image's layers, bottom-up, into DIR/root; its config into DIR/config.json.
extract() {
  local tar_file=$1 d=$2
  mkdir -p "$d/image" "$d/root"
  tar -xf "$tar_file" -C "$d/image"
  "$PY" - "$d" <<'PY'
import json, os, shutil, subprocess, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "image", "manifest.json")))[0]
shutil.copy(os.path.join(d, "image", m["Config"]), os.path.join(d, "config.json"))
for layer in m["Layers"]:
    subprocess.run(["tar", "--warning=no-unknown-keyword", "-xzf", os.path.join(d, "image", layer),
                    "-C", os.path.join(d, "root")], check=True)
PY
  rm -rf "$d/image"
  mkdir -p "$d/root/proc" "$d/root/dev"
}

# The process side of a container: chroot into the image, its working directory, its user, exactly
# the environment given (image env + the caller's), then exec. Run by python3 from the host.
write_launcher() {
  cat >"$1" <<'PY'
import json, os, sys
root, config, user = sys.argv[1], sys.argv[2], sys.argv[3]
cfg = json.load(open(config)).get("config") or {}
env = dict(e.split("=", 1) for e in cfg.get("Env") or [])
args = sys.argv[4:]
if "--" in args:
    i = args.index("--")
    env.update(dict(e.split("=", 1) for e in args[:i]))
    args = args[i + 1:]
if args and args[0] == "@image":          # the image's own entrypoint + cmd (+ extra args replacing cmd)
    args = (cfg.get("Entrypoint") or []) + (args[1:] or cfg.get("Cmd") or [])
user = user or cfg.get("User") or "0"
uid, _, gid = user.partition(":")
uid, gid = int(uid), int(gid or uid)
os.chroot(root)
os.chdir(cfg.get("WorkingDir") or "/")
os.setgroups([])
os.setgid(gid)
os.setuid(uid)
env.setdefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
# the PATH search by hand: os.execvpe imports modules, which the image does not have
exe = args[0]
if "/" not in exe:
    for p in env["PATH"].split(":"):
        if os.access(p + "/" + exe, os.X_OK):
            exe = p + "/" + exe
            break
os.execve(exe, args, env)
PY
}

# start_image DIR LOG [ENV=V... --] ARGS: runs in the background in private mount, PID and IPC
# namespaces (a /proc of its own, /dev/{null,zero,random,urandom} and a /dev/shm tmpfs, as a
# container has); sets STARTED_PID (the unshare process: stopping it stops everything inside).
STARTED_PID=
start_image() {
  local d=$1 logf=$2; shift 2
  unshare --mount --pid --ipc --fork --kill-child --mount-proc="$d/root/proc" \
    /bin/bash -c '
      set -e; PY=$1; d=$2; shift 2
      for n in null zero random urandom; do : >"$d/root/dev/$n"; mount --bind "/dev/$n" "$d/root/dev/$n"; done
      mkdir -p "$d/root/dev/shm"; mount -t tmpfs -o mode=1777,size=64m shm "$d/root/dev/shm"
      exec "$PY" "$d/launch.py" "$d/root" "$d/config.json" "" "$@"' _ "$PY" "$d" "$@" >"$logf" 2>&1 &
  STARTED_PID=$!
}

# run_image DIR USER ENV... -- CMD...: a short command in the image (a probe, a client), in the foreground.
run_image() {
  local d=$1 user=$2; shift 2
  "$PY" "$d/launch.py" "$d/root" "$d/config.json" "$user" "$@"
}

# stop_pid PID: SIGTERM to the process inside (unshare's child, PID 1 of the namespace), SIGKILL to it
# after 10 s, then to unshare. The child is signalled itself: --kill-child does not reach it, because
# the kernel clears the parent-death signal when the launcher switches to the image's user.
stop_pid() {
  local pid=$1 child
  [[ -n $pid ]] || return 0
  child=$(awk '{print $1}' "/proc/$pid/task/$pid/children" 2>/dev/null || true)
  if [[ -n $child ]]; then
    kill -TERM "$child" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2>/dev/null || true
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Verification state: every background image and the scratch folder go away on any exit.
V_WORK=
v_begin() {
  need_root
  new_tmp V_WORK
  write_launcher "$V_WORK/launch.py"
}
v_end() {
  local p
  for p in "${V_PIDS[@]}"; do stop_pid "$p"; done
  V_PIDS=()
  rm -rf "$V_WORK"
  V_WORK=
}
v_fail() { log "CHECK FAILED: $*"; local f; for f in "$V_WORK"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -40 "$f" >&2; }; done; exit 1; }
v_image() { # v_image NAME TAR: unpacked into $V_WORK/NAME
  extract "$2" "$V_WORK/$1"
  cp "$V_WORK/launch.py" "$V_WORK/$1/launch.py"
}
wait_for() { # wait_for SECONDS PID CMD...: until CMD succeeds; fails early when PID exited
  local secs=$1 pid=$2; shift 2
  local i
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.25
  done
  return 1
}

verify_pause() {
  v_begin
  v_image pause "$1"
  local d=$V_WORK/pause
  start_image "$d" "$V_WORK/pause.log" @image; V_PIDS+=("$STARTED_PID")
  sleep 1
  kill -0 "$STARTED_PID" 2>/dev/null || v_fail "pause exited by itself"
  local child; child=$(awk '{print $1}' "/proc/$STARTED_PID/task/$STARTED_PID/children")
  kill -TERM "$child"
  local rc=0; wait "$STARTED_PID" || rc=$?
  V_PIDS=()
  [[ $rc -eq 0 ]] || v_fail "pause exited $rc on SIGTERM"
  grep -q 'got signal' "$V_WORK/pause.log" || v_fail "pause did not report the signal"
  log "check: $PAUSE_REF blocks as user 65535 and exits 0 on SIGTERM"
  v_end
}

# pg_start DIR PORT PASSWORD LOG: the postgres image as the chart runs it (env of the Secret, PGDATA
# under the data volume), on 127.0.0.1:PORT.
pg_start() {
  local d=$1 port=$2 pw=$3 logf=$4
  start_image "$d" "$logf" POSTGRES_USER=clinic POSTGRES_PASSWORD="$pw" POSTGRES_DB=clinic \
    PGDATA=/var/lib/postgresql/data/pgdata -- @image postgres -c listen_addresses=127.0.0.1 -p "$port"
  V_PIDS+=("$STARTED_PID")
}
pg_probe() { # the chart's readiness probe, port changed
  run_image "$1" 999:999 POSTGRES_USER=clinic POSTGRES_DB=clinic -- \
    sh -c "pg_isready -U \"\$POSTGRES_USER\" -d \"\$POSTGRES_DB\" -h 127.0.0.1 -p $2"
}
pg_sql() { # pg_sql DIR PORT PASSWORD SQL: psql over TCP with the password
  run_image "$1" 999:999 PGPASSWORD="$3" -- psql -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$2" -U clinic -d clinic -c "$4"
}

verify_postgres() {
  v_begin
  v_image pg "$1"
  local d=$V_WORK/pg port pw out
  port=$(free_port); pw="pw-$RANDOM$RANDOM"
  pg_start "$d" "$port" "$pw" "$V_WORK/pg.log"
  wait_for 60 "$STARTED_PID" pg_probe "$d" "$port" || v_fail "pg_isready never answered"
  out=$(pg_sql "$d" "$port" "$pw" "select current_user || ' ' || current_database() || ' ' || pg_get_userbyid(datdba) from pg_database where datname = current_database()") ||
    v_fail "psql login with the password failed"
  [[ $out == "clinic clinic clinic" ]] || v_fail "unexpected psql answer: $out"
  if pg_sql "$d" "$port" "wrong-$pw" "select 1" >/dev/null 2>&1; then v_fail "a wrong password was accepted"; fi
  pg_sql "$d" "$port" "$pw" "create extension if not exists btree_gist" >/dev/null || v_fail "btree_gist (clinic's schema needs it) is missing"
  grep -q 'database system is ready to accept connections' "$V_WORK/pg.log" || v_fail "no server log on stderr"
  [[ "$(pg_sql "$d" "$port" "$pw" "show listen_addresses")" == 127.0.0.1 ]] || v_fail "listens beyond 127.0.0.1"
  # a restarted container finds PGDATA initialised and only starts the server
  stop_pid "${V_PIDS[-1]}"; unset 'V_PIDS[-1]'
  pg_start "$d" "$port" "$pw" "$V_WORK/pg2.log"
  wait_for 60 "$STARTED_PID" pg_probe "$d" "$port" || v_fail "pg_isready never answered after a restart"
  ! grep -q initialising "$V_WORK/pg2.log" || v_fail "re-initialised an initialised PGDATA"
  log "check: $POSTGRES_REF initialised PGDATA as 999, pg_isready (chart's probe) answers, psql logs in with the password (not with a wrong one), restart keeps the data"
  v_end
}

verify_redis() {
  v_begin
  v_image redis "$1"
  local d=$V_WORK/redis port
  port=$(free_port)
  # the chart's args, then the check's own (a later --bind wins: 127.0.0.1 only)
  start_image "$d" "$V_WORK/redis.log" @image --save "" --appendonly no --port "$port" --bind 127.0.0.1
  V_PIDS+=("$STARTED_PID")
  redis_ping() { [[ "$(run_image "$d" 999:999 -- redis-cli -h 127.0.0.1 -p "$port" ping)" == PONG ]]; }
  wait_for 30 "$STARTED_PID" redis_ping || v_fail "redis never answered PING"
  [[ "$(run_image "$d" 999:999 -- redis-cli -h 127.0.0.1 -p "$port" config get bind | tail -1)" == 127.0.0.1 ]] || v_fail "bind is not 127.0.0.1"
  [[ "$(run_image "$d" 999:999 -- redis-cli -h 127.0.0.1 -p "$port" config get save | tail -1)" == "" ]] || v_fail "the chart's --save \"\" was not applied"
  log "check: $REDIS_REF answers PING as user 999 with the chart's args appended to its entrypoint"
  v_end
}

# ---------------------------------------------------------------------------------------------------
# clinic release variants

V3_MIGRATION='-- A release whose migration cannot apply to the live schema: patients.email exists since V1,
-- so the second statement fails (42701 duplicate_column). Flyway runs the file in one transaction and
-- PostgreSQL rolls all of it back: no phone column either, the schema stays at V2.
ALTER TABLE patients ADD COLUMN phone text;
ALTER TABLE patients ADD COLUMN email text;
'
CRASH_PROPERTIES='# A release that reads its listen port from a renamed variable, CLINIC_LISTEN_PORT, which neither the
# chart nor the operator sets. This file (/app/config/application.properties, ordinal 260) outranks the
# jar'"'"'s application.properties, so CLINIC_HTTP_PORT cannot mask it (only QUARKUS_HTTP_PORT could, and
# nothing sets that): boot fails with SRCFG00011 and exit code 1.
quarkus.http.port=${CLINIC_LISTEN_PORT}
'

clinic_variants() {
  local base=${1:?usage: images.sh clinic-variants <clinic-tar> <out-dir>} out=${2:?usage: images.sh clinic-variants <clinic-tar> <out-dir>}
  [[ -f $base ]] || die "no clinic image tarball at $base (./mvnw -B -q -pl app -am package -Pimage -DskipTests)"
  local ref repo_ v
  ref=$(tar -xOf "$base" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RepoTags"][0])')
  repo_=${ref%:*}; v=${ref##*:}
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  local stamp
  stamp=$( { sha256sum <"$base"; recipe clinic_variants "$V3_MIGRATION" "$CRASH_PROPERTIES" "$VERIFY"; } | sha)
  if [[ -f $out/.clinic-variants && "$(cat "$out/.clinic-variants")" == "$stamp" ]]; then
    log "clinic variants of $ref up to date in $out"
  else
    rm -f "$out/.clinic-variants"
    local work; new_tmp work
    mkdir -p "$work/good2/app" "$work/badmigration/app/migrations" "$work/crash/app/config"
    printf 'release=%s-good2\nbase=%s\n' "$v" "$ref" >"$work/good2/app/RELEASE"
    printf '%s' "$V3_MIGRATION" >"$work/badmigration/app/migrations/V3__add_patient_contact_columns.sql"
    printf '%s' "$CRASH_PROPERTIES" >"$work/crash/app/config/application.properties"
    "$IMAGETOOL" append --base "$base" --dir "$work/good2" --tag "$repo_:$v-good2" --out "$out/clinic-good2.tar" >/dev/null
    "$IMAGETOOL" append --base "$base" --dir "$work/badmigration" --tag "$repo_:$v-badmigration" --out "$out/clinic-badmigration.tar" \
      --env CLINIC_FLYWAY_LOCATIONS=classpath:db/migration,filesystem:/app/migrations >/dev/null
    "$IMAGETOOL" append --base "$base" --dir "$work/crash" --tag "$repo_:$v-crash" --out "$out/clinic-crash.tar" >/dev/null
    rm -rf "$work"
    [[ $VERIFY == 1 ]] && verify_clinic_variants "$out" "$repo_:$v"
    echo "$stamp" >"$out/.clinic-variants"
  fi
  local variant
  # stdout, for the tests and the demo: "<ref> <tarball>" a line, the clinic image itself first
  echo "$ref $base"
  for variant in good2 badmigration crash; do
    log "$repo_:$v-$variant $("$IMAGETOOL" digest --tar "$out/clinic-$variant.tar") $(du -h "$out/clinic-$variant.tar" | cut -f1) $out/clinic-$variant.tar"
    echo "$repo_:$v-$variant $out/clinic-$variant.tar"
  done
}

# clinic_start NAME PGPORT PASSWORD HTTPPORT: a variant as the operator runs it (the Secret's env,
# ROLLGATE_ROLE=api), HTTP on 127.0.0.1 only.
clinic_start() {
  local name=$1 pgport=$2 pw=$3 http=$4
  start_image "$V_WORK/$name" "$V_WORK/$name.log" \
    CLINIC_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/clinic" CLINIC_DB_USER=clinic CLINIC_DB_PASSWORD="$pw" \
    POSTGRES_USER=clinic POSTGRES_PASSWORD="$pw" POSTGRES_DB=clinic ROLLGATE_ROLE=api \
    CLINIC_HTTP_PORT="$http" QUARKUS_HTTP_HOST=127.0.0.1 -- @image
  V_PIDS+=("$STARTED_PID")
}
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1$2" || true; }
http_is() { [[ "$(http_code "$1" "$2")" == "$3" ]]; }

verify_clinic_variants() {
  local out=$1 ref=$2
  build_postgres   # the database the variants run against
  v_begin
  local pgd=$V_WORK/pg pgport pw http schema before after
  v_image pg "$(image_dir postgres)/postgres.tar"
  pgport=$(free_port); pw="pw-$RANDOM$RANDOM"
  pg_start "$pgd" "$pgport" "$pw" "$V_WORK/pg.log"
  wait_for 60 "$STARTED_PID" pg_probe "$pgd" "$pgport" || v_fail "postgres never became ready"
  schema="select string_agg(table_name || '.' || column_name, ',' order by table_name, column_name) from information_schema.columns where table_schema = 'public'"

  # good2: migrates the empty database to V2 and becomes ready
  v_image good2 "$out/clinic-good2.tar"
  http=$(free_port)
  clinic_start good2 "$pgport" "$pw" "$http"
  wait_for 90 "$STARTED_PID" http_is "$http" /q/health/ready 200 || v_fail "$ref-good2 never became ready"
  [[ -f $V_WORK/good2/root/app/RELEASE ]] || v_fail "no /app/RELEASE in $ref-good2"
  stop_pid "${V_PIDS[-1]}"; unset 'V_PIDS[-1]'
  before=$(pg_sql "$pgd" "$pgport" "$pw" "$schema")
  [[ "$(pg_sql "$pgd" "$pgport" "$pw" "select max(version::int) from flyway_schema_history where success")" == 2 ]] || v_fail "schema not at V2 after good2"
  log "check: $ref-good2 migrated to V2 and became ready (/q/health/ready 200)"
  rm -rf "$V_WORK/good2"

  # badmigration: Flyway fails V3, the app stays alive and unready, the schema is unchanged
  v_image bad "$out/clinic-badmigration.tar"
  http=$(free_port)
  clinic_start bad "$pgport" "$pw" "$http"
  wait_for 90 "$STARTED_PID" grep -q 'column "email" of relation "patients" already exists' "$V_WORK/bad.log" ||
    v_fail "$ref-badmigration logged no failed V3 migration"
  wait_for 30 "$STARTED_PID" http_is "$http" /q/health/live 200 || v_fail "$ref-badmigration: liveness is not 200"
  sleep 3
  http_is "$http" /q/health/ready 503 || v_fail "$ref-badmigration: readiness is $(http_code "$http" /q/health/ready), not 503"
  http_is "$http" /q/health/live 200 || v_fail "$ref-badmigration: liveness went away"
  stop_pid "${V_PIDS[-1]}"; unset 'V_PIDS[-1]'
  after=$(pg_sql "$pgd" "$pgport" "$pw" "$schema")
  [[ $before == "$after" ]] || v_fail "the failed migration changed the schema"
  [[ "$(pg_sql "$pgd" "$pgport" "$pw" "select count(*) from flyway_schema_history where version = '3'")" == 0 ]] || v_fail "V3 recorded in flyway_schema_history"
  log "check: $ref-badmigration: V3 failed and was rolled back (schema unchanged, history at V2), ready 503, live 200; the log says:"
  grep -m3 -E 'version "3|rolled back|Database not usable yet' "$V_WORK/bad.log" | cut -c1-220 | sed 's/^/[images]   /' >&2 || true
  rm -rf "$V_WORK/bad"

  # crash: exits non-zero at once, whatever the chart's env says
  v_image crash "$out/clinic-crash.tar"
  http=$(free_port)
  local start=$SECONDS rc=0 pid
  clinic_start crash "$pgport" "$pw" "$http"
  pid=$STARTED_PID
  wait_for 60 "" bash -c "! kill -0 $pid" || v_fail "$ref-crash did not exit within 60 s"
  wait "$pid" || rc=$?
  unset 'V_PIDS[-1]'
  [[ $rc -ne 0 ]] || v_fail "$ref-crash exited 0"
  grep -q 'SRCFG00011: Could not expand value CLINIC_LISTEN_PORT' "$V_WORK/crash.log" || v_fail "$ref-crash did not fail with SRCFG00011"
  log "check: $ref-crash exited $rc after $((SECONDS - start)) s (CLINIC_HTTP_PORT and CLINIC_DB_* set): $(grep -m1 -o 'SRCFG00011.*' "$V_WORK/crash.log" | cut -c1-120)"
  v_end
}

# ---------------------------------------------------------------------------------------------------

paths() {
  local n ref d
  for n in pause postgres redis; do
    case $n in pause) ref=$PAUSE_REF ;; postgres) ref=$POSTGRES_REF ;; redis) ref=$REDIS_REF ;; esac
    d=$(image_dir $n)
    local up; up=$(tr a-z A-Z <<<"$n")
    echo "${up}_IMAGE=$ref"
    if [[ -f $d/done ]]; then echo "${up}_IMAGE_TAR=$d/$n.tar"; else echo "${up}_IMAGE_TAR=  # not built: e2e/cluster/images.sh $n"; fi
  done
}

summary() {
  local n d
  for n in "$@"; do
    d=$(image_dir "$n")
    printf '%-34s %s %6s %s\n' "$(cat "$d/ref")" "$(cat "$d/digest")" "$(du -h "$d/$n.tar" | cut -f1)" "$d/$n.tar"
  done
}

start=$SECONDS
case "${1:-all}" in
  all) imagetool; build_pause; build_postgres; build_redis; summary pause postgres redis ;;
  pause | postgres | redis) imagetool; "build_$1"; summary "$1" ;;
  paths) paths ;;
  # for node.sh: build what is missing, then "<ref> <tarball>" a line
  node) imagetool >/dev/null; for n in pause postgres redis; do cached "$n" || "build_$n"; echo "$(cat "$(image_dir "$n")/ref") $(image_dir "$n")/$n.tar"; done ;;
  imagetool) imagetool; echo "$IMAGETOOL" ;;
  verify)
    imagetool
    n=${2:?usage: images.sh verify pause|postgres|redis}
    cached "$n" || die "$n is not built"
    "verify_$n" "$(image_dir "$n")/$n.tar" ;;
  clinic-variants) imagetool; clinic_variants "${2:-}" "${3:-}" ;;
  -h | --help | help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: $0 [all|pause|postgres|redis|paths|imagetool|verify NAME|clinic-variants <clinic-tar> <out-dir>]" >&2; exit 2 ;;
esac
log "done in $((SECONDS - start)) s"
