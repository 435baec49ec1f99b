# Shared by up.sh and down.sh: where the cluster's state lives and how to look at it.
# shellcheck shell=bash
# shellcheck source=versions.env
source "$(dirname "${BASH_SOURCE[0]}")/versions.env"

CACHE="${ROLLGATE_CACHE:-$HOME/.cache/rollgate}"
STATE="${ROLLGATE_CLUSTER_DIR:-$CACHE/cluster}"   # everything of the running cluster
LOCK="$STATE.lock"                                 # serialises up/down (outside STATE: down removes STATE)
CLUSTER_NAME=rollgate
KWOK_WORKDIR="$STATE/kwok"                         # kwokctl's home: clusters/<name>/{pids,logs,pki,...}
CLUSTER_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
KUBECONFIG_PATH="$STATE/kubeconfig"                # -> $CLUSTER_DIR/kubeconfig.yaml
AUDIT_LOG="$STATE/audit.log"                       # -> $CLUSTER_DIR/logs/audit.log
NODE_COUNT=3
# ClusterIPs. Not loopback: a real pod's packet to 127.x never leaves the pod. This range
# (RFC 2544's benchmarking block, like the real node's addresses) is routed only inside the
# real node's network namespace, by kube-proxy; nothing on the host connects to it.
SERVICE_CIDR=198.19.0.0/16

# up.sh and down.sh take an optional `--for-tests PID`: sets user_pid ("" without it)
parse_for_tests() {
  user_pid=""
  case "${1:-}" in
    --for-tests) user_pid="${2:?--for-tests needs the PID of the test JVM}" ;;
    "") ;;
    *) echo "usage: $0 [--for-tests PID]" >&2; exit 2 ;;
  esac
}

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

kctl() { "$CACHE/k8s/$KUBE_VERSION/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

# PIDs that kwokctl recorded for the components it started
# (kwokctl writes them without a trailing newline, hence awk rather than cat)
cluster_pids() { awk 1 "$CLUSTER_DIR"/pids/*.pid 2>/dev/null || true; }

cluster_healthy() {
  [[ -f "$KUBECONFIG_PATH" ]] || return 1
  local pid n=0
  for pid in $(cluster_pids); do kill -0 "$pid" 2>/dev/null || return 1; n=$((n + 1)); done
  [[ $n -ge 5 ]] || return 1
  [[ "$(kctl get --raw /readyz --request-timeout=5s 2>/dev/null)" == ok ]] || return 1
  [[ "$(kctl get nodes -l type=kwok --no-headers 2>/dev/null | grep -c ' Ready ')" -ge "$NODE_COUNT" ]]
}

# test JVMs that registered with `up.sh --for-tests PID` and are still alive
prune_users() {
  local f
  for f in "$STATE"/users/*; do
    [[ -e "$f" ]] || continue
    kill -0 "$(basename "$f")" 2>/dev/null || rm -f "$f"
  done
}
live_users() { prune_users; ls "$STATE/users" 2>/dev/null || true; }

# Stops the real node (node.sh), then every process kwokctl started, by the PIDs it recorded,
# then removes all state.
stop_cluster() {
  [[ -d "$STATE" ]] || return 0
  "$(dirname "${BASH_SOURCE[0]}")/node.sh" down || log "stopping the real node failed"
  "$(dirname "${BASH_SOURCE[0]}")/registry.sh" down || log "stopping the registry failed"
  local pids pid
  pids=$(cluster_pids)
  if [[ -x "$CACHE/kwok/$KWOK_VERSION/kwokctl" && -d "$CLUSTER_DIR" ]]; then
    # --kubeconfig: kwokctl would otherwise edit ~/.kube/config
    KWOK_WORKDIR="$KWOK_WORKDIR" "$CACHE/kwok/$KWOK_VERSION/kwokctl" --name "$CLUSTER_NAME" \
      delete cluster --kubeconfig "$STATE/no-kubeconfig" >/dev/null 2>&1 || log "kwokctl delete cluster failed; stopping by PID"
  fi
  for pid in $pids; do kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 50); do
    local alive=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
    [[ -z "$alive" ]] && break
    sleep 0.2
  done
  for pid in $pids; do kill -0 "$pid" 2>/dev/null && { log "killing $pid"; kill -KILL "$pid" 2>/dev/null; }; done
  rm -rf "$STATE"
  return 0
}

# Last lines of up.sh's output, read by the test kit: KEY=VALUE, one a line.
print_result() {
  local server
  server=$(kctl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  echo "ROLLGATE_CLUSTER=$1"
  echo "ROLLGATE_API_SERVER=$server"
  echo "ROLLGATE_AUDIT_LOG=$AUDIT_LOG"
  echo "ROLLGATE_KUBECTL=$CACHE/k8s/$KUBE_VERSION/kubectl"
  echo "ROLLGATE_REAL_NODE=$(cat "$STATE/real-node" 2>/dev/null || echo "unavailable: not started")"
  "$(dirname "${BASH_SOURCE[0]}")/registry.sh" env
  echo "KUBECONFIG=$KUBECONFIG_PATH"
}
