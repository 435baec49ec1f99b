#!/usr/bin/env bash
# The local cluster's OCI registry (registry/main.go): go-containerregistry's registry behind a
# bearer-token challenge (and, on a second port, a basic-auth one), on 127.0.0.1 only.
#
#   registry.sh build   builds it into ~/.cache/rollgate/registry/<sha of its sources + Go>/ and prints the path
#   registry.sh up      starts the cluster's registry under $STATE/registry (nothing when it runs)
#   registry.sh down    stops it, by its PID
#   registry.sh env     KEY=VALUE lines: where it listens and its credentials
#
# The real node (node.sh) forwards both ports into its namespace, so that an image named
# 127.0.0.1:<port>/clinic:1.0 means the same registry to the tests, the operator and containerd.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"
# shellcheck source=go-cache.sh
source "$here/go-cache.sh"
exec 9>&-   # up.sh/down.sh hold their lock on fd 9: the registry must not inherit it

REG_DIR="$STATE/registry"
REG_USER=rollgate

registry_binary() { cached_go_build registry; }

running() { [[ -f "$REG_DIR/pid" ]] && kill -0 "$(cat "$REG_DIR/pid")" 2>/dev/null; }

registry_up() {
  if running; then return 0; fi
  local bin; bin=$(registry_binary)
  mkdir -p "$REG_DIR"
  [[ -s "$REG_DIR/password" ]] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$REG_DIR/password")
  # the ports of its first start: the real node forwards them, and images are named by them
  local bearer=127.0.0.1:0 basic=127.0.0.1:0
  if [[ -s "$REG_DIR/ports" ]]; then bearer=$(sed -n 1p "$REG_DIR/ports"); basic=$(sed -n 2p "$REG_DIR/ports"); fi
  rm -f "$REG_DIR/addr"
  "$bin" --addr "$bearer" --basic-addr "$basic" --dir "$REG_DIR/blobs" --user "$REG_USER" \
    --password-file "$REG_DIR/password" --addr-file "$REG_DIR/addr" </dev/null >"$REG_DIR/registry.log" 2>&1 &
  echo $! >"$REG_DIR/pid"
  local i
  for ((i = 0; i < 100; i++)); do [[ -s "$REG_DIR/addr" ]] && break; running || break; sleep 0.1; done
  [[ -s "$REG_DIR/addr" ]] || die "the registry did not start (log: $REG_DIR/registry.log)"
  cp "$REG_DIR/addr" "$REG_DIR/ports"
  log "registry on $(paste -sd' ' "$REG_DIR/addr") (bearer token, basic auth)"
}

registry_down() {
  running || { rm -f "$REG_DIR/pid"; return 0; }
  local pid i; pid=$(cat "$REG_DIR/pid")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$REG_DIR/pid" "$REG_DIR/addr"
}

registry_env() {
  running || return 0
  echo "ROLLGATE_REGISTRY=$(sed -n 1p "$REG_DIR/addr")"
  echo "ROLLGATE_REGISTRY_BASIC=$(sed -n 2p "$REG_DIR/addr")"
  echo "ROLLGATE_REGISTRY_USER=$REG_USER"
  echo "ROLLGATE_REGISTRY_PASSWORD_FILE=$REG_DIR/password"
}

case "${1:-}" in
  build) registry_binary ;;
  up) registry_up ;;
  down) registry_down ;;
  env) registry_env ;;
  *) echo "usage: $0 build|up|down|env" >&2; exit 2 ;;
esac
