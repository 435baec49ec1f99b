#!/usr/bin/env bash
# Brings up the local Kubernetes of the tests, or reuses it if it is already running.
#
#   up.sh                  start (or reuse) a cluster and keep it until `down.sh`
#   up.sh --for-tests PID  the same for a test JVM: registers PID as a user of the cluster;
#                          a cluster started this way is stopped by `down.sh --for-tests PID`
#                          when its last user leaves (see README.md, "Who stops the cluster")
#
# The cluster: etcd, kube-apiserver (RBAC, audit log), kube-controller-manager,
# kube-scheduler and the KWOK controller, all built from source by build.sh and run as
# local processes by `kwokctl --runtime binary`, every listener on 127.0.0.1, plus three
# simulated nodes. Prints the kubeconfig path last; state lives in $ROLLGATE_CLUSTER_DIR
# (default ~/.cache/rollgate/cluster), shared by every clone on this machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

parse_for_tests "$@"

"$here/build.sh" all

# the config the cluster is made of; a running cluster made of another config is replaced
config_hash=$(cat "$here"/{versions.env,stages.yaml,audit-policy.yaml,up.sh,common.sh,node.sh,images.sh,registry.sh} \
  "$here"/coredns/main.go "$here"/registry/main.go | sha256sum | cut -c1-16)

mkdir -p "$STATE"
exec 9>"$LOCK"
if ! flock -w 600 9; then die "timed out waiting for $LOCK"; fi

register_user() {
  [[ -n "$user_pid" ]] || { rm -f "$STATE/ephemeral"; return; }   # a person asked: keep it
  mkdir -p "$STATE/users"; : >"$STATE/users/$user_pid"
}

if cluster_healthy; then
  if [[ "$(cat "$STATE/config-hash" 2>/dev/null)" == "$config_hash" ]]; then
    "$here/registry.sh" up   # restarts the registry if it stopped (same ports); nothing when it runs
    "$here/node.sh" up   # restarts the real node if it stopped; nothing when it runs
    register_user
    log "reusing the running cluster"
    print_result reused
    exit 0
  fi
  prune_users
  if [[ -n "$(live_users)" ]]; then
    die "the running cluster was made from another version of e2e/cluster and is in use by PIDs $(live_users | tr '\n' ' '); stop those, or run down.sh"
  fi
  log "the running cluster was made from another version of e2e/cluster: replacing it"
fi
stop_cluster

started=$(date +%s)
# from here on, a failure stops whatever this run started (no test JVM is registered yet to do it)
trap 'log "up.sh failed: stopping what it started"; stop_cluster' ERR
mkdir -p "$STATE" "$KWOK_WORKDIR"
# local_KUBE_BIN, local_ETCD_BIN, ...: build.sh prints KEY=VALUE lines (values may hold spaces)
while IFS='=' read -r key value; do printf -v "local_$key" '%s' "$value"; done < <("$here/build.sh" paths)
for b in "$local_KUBE_BIN"/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl} "$local_ETCD_BIN/etcd" "$local_KWOK_BIN"/{kwok,kwokctl}; do
  [[ -x "$b" ]] || die "missing binary $b (build.sh should have built it)"
done

# Every binary is a local path: kwokctl downloads only for http(s) URLs, and up.sh has
# checked above that each file exists. kwokctl reads KWOK_* variables too; they are
# set to the same paths so that a stray variable in the caller's environment cannot win.
export KWOK_KUBE_VERSION="$KUBE_VERSION" KWOK_ETCD_VERSION="${ETCD_VERSION#v}"
export KWOK_KUBE_BINARY_PREFIX="$local_KUBE_BIN"
export KWOK_KUBE_APISERVER_BINARY="$local_KUBE_BIN/kube-apiserver"
export KWOK_KUBE_CONTROLLER_MANAGER_BINARY="$local_KUBE_BIN/kube-controller-manager"
export KWOK_KUBE_SCHEDULER_BINARY="$local_KUBE_BIN/kube-scheduler"
export KWOK_KUBECTL_BINARY="$local_KUBE_BIN/kubectl"
export KWOK_ETCD_BINARY="$local_ETCD_BIN/etcd"
export KWOK_CONTROLLER_BINARY="$local_KWOK_BIN/kwok"
export KWOK_WORKDIR

cat >"$STATE/kwokctl.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: $KUBE_VERSION
  etcdVersion: ${ETCD_VERSION#v}
  kubeBinaryPrefix: $local_KUBE_BIN
  kubeApiserverBinary: $local_KUBE_BIN/kube-apiserver
  kubeControllerManagerBinary: $local_KUBE_BIN/kube-controller-manager
  kubeSchedulerBinary: $local_KUBE_BIN/kube-scheduler
  kubectlBinary: $local_KUBE_BIN/kubectl
  etcdBinary: $local_ETCD_BIN/etcd
  kwokControllerBinary: $local_KWOK_BIN/kwok
  components: [etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok-controller]
  securePort: true
  kubeAuthorization: true
  kubeAdmission: true
  kubeAuditPolicy: $here/audit-policy.yaml
  nodeLeaseDurationSeconds: 40
  heartbeatFactor: 1
  quietPull: true
  # the controllers must not be the bottleneck when many ApiDeployments roll at once (ScaleBench):
  # no client-side rate limits for the API server's clients (kwokctl: --kube-api-qps/burst)
  disableQPSLimits: true
componentsPatches:
# one replica of each: leader election would only add lease writes to the audit log
- name: kube-controller-manager
  extraArgs:
  - {key: leader-elect, value: "false"}
  - {key: concurrent-deployment-syncs, value: "20"}
  - {key: concurrent-replicaset-syncs, value: "20"}
- name: kube-scheduler
  extraArgs:
  - {key: leader-elect, value: "false"}
# kwokctl starts the KWOK controller with --manage-all-nodes: it would fake the real node's
# status and its pods' too. Only the simulated nodes (annotated below) are KWOK's.
- name: kwok-controller
  extraArgs:
  - {key: manage-all-nodes, value: "false"}
  - {key: manage-nodes-with-annotation-selector, value: "kwok.x-k8s.io/node=fake"}
- name: kube-apiserver
  extraArgs:
  # no "kubernetes" Endpoints: they would hold this host's non-loopback address
  - {key: endpoint-reconciler-type, value: none}
  # routed by kube-proxy inside the real node's namespace only (common.sh)
  - {key: service-cluster-ip-range, value: $SERVICE_CIDR}
  # the real node (node.sh): reach the kubelet at its address inside the node's namespace,
  # never by a name the host's resolver would answer; authenticate as the cluster's admin
  - {key: kubelet-preferred-address-types, value: InternalIP}
  - {key: kubelet-client-certificate, value: $CLUSTER_DIR/pki/admin.crt}
  - {key: kubelet-client-key, value: $CLUSTER_DIR/pki/admin.key}
  - {key: audit-log-maxsize, value: "100"}
  - {key: audit-log-maxbackup, value: "1"}
---
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  # pods on nodes without spec.podCIDR (up.sh gives its nodes one) take IPs from here
  cidr: 127.1.255.0/24
  # kwokctl does not default a KwokConfiguration given in --config: restate the defaults
  podPlayStageParallelism: 16
  nodePlayStageParallelism: 4
  nodeLeaseParallelism: 4
  podsOnNodeSyncParallelism: 1
  enablePodsOnNodeSyncListPager: true
  enablePodsOnNodeSyncStreamWatch: false
  # no kubectl logs/exec/port-forward against simulated pods
  enableDebuggingHandlers: false
EOF

log "starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok-controller on 127.0.0.1"
if ! "$local_KWOK_BIN/kwokctl" --name "$CLUSTER_NAME" \
      -c "$STATE/kwokctl.yaml" -c "$here/stages.yaml" \
      create cluster --kubeconfig "" --wait 2m --timeout 4m >"$STATE/kwokctl-create.log" 2>&1 9>&-; then
  cat "$STATE/kwokctl-create.log" >&2
  die "kwokctl create cluster failed; component logs are in $CLUSTER_DIR/logs"
fi
if grep -qi 'download' "$STATE/kwokctl-create.log"; then
  cat "$STATE/kwokctl-create.log" >&2
  stop_cluster
  die "kwokctl tried to download something: every binary must be a local path"
fi
ln -sf "$CLUSTER_DIR/kubeconfig.yaml" "$KUBECONFIG_PATH"
ln -sf "$CLUSTER_DIR/logs/audit.log" "$AUDIT_LOG"

log "creating simulated nodes"
nodes=""
for i in $(seq 1 "$NODE_COUNT"); do
  # Status is accepted on create for Nodes: each node gets a loopback InternalIP and a
  # loopback pod CIDR, so that every IP the cluster hands out lies in 127.0.0.0/8.
  nodes+="
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: zone-$i
  annotations:
    kwok.x-k8s.io/node: fake
spec:
  podCIDR: 127.1.$((i * 16)).0/20
  podCIDRs: [127.1.$((i * 16)).0/20]
status:
  addresses:
  - {type: InternalIP, address: 127.0.1.$i}
  - {type: Hostname, address: kwok-node-$i}
  allocatable: {cpu: '32', memory: 256Gi, pods: '500'}
  capacity: {cpu: '32', memory: 256Gi, pods: '500'}"
done
kctl apply -f - <<<"$nodes" >/dev/null
kctl wait --for=condition=Ready node --all --timeout=120s >/dev/null
# pods need the namespace's default ServiceAccount (ServiceAccount admission is on)
for _ in $(seq 1 120); do kctl -n default get serviceaccount default >/dev/null 2>&1 && break; sleep 0.5; done

"$here/registry.sh" up
"$here/node.sh" up

trap - ERR
echo "$config_hash" >"$STATE/config-hash"
if [[ -n "$user_pid" ]]; then : >"$STATE/ephemeral"; fi
register_user
log "cluster up in $(( $(date +%s) - started )) s"
print_result started
