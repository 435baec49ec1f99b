#!/usr/bin/env bash
# Proves an image tarball of Jib (target/jib-image.tar) runs, with no Docker engine: unpacks its
# layers in order into a directory and runs its own entrypoint there with chroot, as its own user,
# in private mount and PID namespaces (a /proc of its own, as a container has).
#
#   e2e/image/verify-image.sh IMAGE_TAR PORT_VARIABLE [LOG_PATTERN]
#
# The entrypoint gets PORT_VARIABLE=<a free loopback port> and QUARKUS_HTTP_HOST=127.0.0.1.
# Passes when GET /q/health/live answers 200 within 90 s, or, when LOG_PATTERN is given, when the
# process prints a line matching it (the operator: it waits for a Kubernetes API before serving).
# Needs root (chroot, unshare); anyone else gets a note and exit 0.
set -euo pipefail

tar_file=${1:?usage: verify-image.sh IMAGE_TAR PORT_VARIABLE [LOG_PATTERN]}
port_variable=${2:?usage: verify-image.sh IMAGE_TAR PORT_VARIABLE [LOG_PATTERN]}
log_pattern=${3:-}

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! command -v chroot >/dev/null; then
  echo "verify-image: skipped (needs root, unshare and chroot to run the image without a container engine)"
  exit 0
fi

work=$(mktemp -d)
pid=
cleanup() {
  # The entrypoint is PID 1 of the new PID namespace, the child of unshare: SIGKILL to it ends
  # every process in that namespace. (--kill-child alone is not enough: chroot --userspec changes
  # the user, and the kernel then drops the parent-death signal it relies on.) Then unshare,
  # which does not act on SIGTERM while it waits.
  if [ -n "$pid" ]; then
    for child in $(pgrep -P "$pid" 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/image" "$work/root"
tar -xf "$tar_file" -C "$work/image"

# manifest.json lists the layers bottom-up; config.json has the entrypoint and the user.
read_json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
for layer in $(read_json "$work/image/manifest.json" "'\n'.join(d[0]['Layers'])"); do
  tar --warning=no-unknown-keyword -xzf "$work/image/$layer" -C "$work/root"
done
user=$(read_json "$work/image/config.json" "d['config'].get('User', '')")
mapfile -t entrypoint < <(read_json "$work/image/config.json" "'\n'.join(d['config']['Entrypoint'])")
echo "verify-image: $(read_json "$work/image/manifest.json" "d[0]['RepoTags'][0]"), user $user, entrypoint ${entrypoint[*]}"

case "$user" in
  "" | 0 | 0:* | root*) echo "verify-image: FAILED: the image runs as root" >&2; exit 1 ;;
esac
mkdir -p "$work/root/proc" "$work/root/dev"

in_image() {
  # env -i: only what the image and this script set, as a container would see it
  unshare --mount --pid --fork --kill-child --mount-proc="$work/root/proc" \
    env -i PATH=/opt/jre/bin "$@"
}

in_image "$(command -v chroot)" --userspec="$user" "$work/root" /opt/jre/bin/java -version 2>&1 | sed 's/^/verify-image:   /'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# unshare itself is the background job (not a subshell running it), so that $pid is what the
# cleanup stops; --kill-child then takes the entrypoint down with it.
unshare --mount --pid --fork --kill-child --mount-proc="$work/root/proc" \
  env -i PATH=/opt/jre/bin "$port_variable=$port" QUARKUS_HTTP_HOST=127.0.0.1 KUBERNETES_MASTER=https://127.0.0.1:9 \
  "$(command -v chroot)" --userspec="$user" "$work/root" "${entrypoint[@]}" >"$work/log" 2>&1 &
pid=$!

for _ in $(seq 1 180); do
  if [ -n "$log_pattern" ]; then
    if grep -Eq "$log_pattern" "$work/log"; then
      echo "verify-image: OK: the entrypoint printed /$log_pattern/"
      exit 0
    fi
  elif [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/live")" = 200 ]; then
    echo "verify-image: OK: GET /q/health/live -> 200 from the entrypoint, as user $user"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
echo "verify-image: FAILED; the entrypoint's output:" >&2
cat "$work/log" >&2
exit 1
