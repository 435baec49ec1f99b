#!/usr/bin/env bash
# For machines WITH Docker: a kind cluster that the same test suite can target instead of
# the local KWOK cluster. (It cannot run on the project's build machine, which has no
# Docker engine.)
#
#   e2e/cluster/kind.sh            create the cluster (name: rollgate), write its kubeconfig
#   e2e/cluster/kind.sh delete     delete it
#
# then run the suite against it:
#
#   ROLLGATE_KUBECONFIG=~/.cache/rollgate/kind/kubeconfig ./mvnw -B verify
#
# Pods of kind run real containers, so the image-tag failure rules of stages.yaml
# (-crashloop, -unready, -badpull) do not exist there; the tests that depend on them call
# LocalKubernetes#assumeSimulatedPods() and are skipped. The audit log is enabled with the
# same policy and read from the control-plane container (see README.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
name=rollgate
dir="${ROLLGATE_CACHE:-$HOME/.cache/rollgate}/kind"

if [[ "${1:-}" == delete ]]; then kind delete cluster --name "$name"; rm -rf "$dir"; exit 0; fi
command -v kind >/dev/null || { echo "kind is not installed: https://kind.sigs.k8s.io/docs/user/quick-start/" >&2; exit 1; }
mkdir -p "$dir"
cp "$here/audit-policy.yaml" "$dir/audit-policy.yaml"   # kind mounts it into the node container

cat >"$dir/kind.yaml" <<YAML
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  apiServerAddress: 127.0.0.1   # loopback only, like the local cluster
nodes:
- role: control-plane
  image: kindest/node:$KUBE_VERSION
  extraMounts:
  - {hostPath: $dir/audit-policy.yaml, containerPath: /etc/kubernetes/audit-policy.yaml, readOnly: true}
  kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    apiServer:
      extraArgs:
        audit-policy-file: /etc/kubernetes/audit-policy.yaml
        audit-log-path: /var/log/kubernetes/audit.log
      extraVolumes:
      - {name: audit-policy, hostPath: /etc/kubernetes/audit-policy.yaml, mountPath: /etc/kubernetes/audit-policy.yaml, readOnly: true, pathType: File}
      - {name: audit-log, hostPath: /var/log/kubernetes, mountPath: /var/log/kubernetes, readOnly: false, pathType: DirectoryOrCreate}
- role: worker
  image: kindest/node:$KUBE_VERSION
- role: worker
  image: kindest/node:$KUBE_VERSION
YAML

kind create cluster --name "$name" --config "$dir/kind.yaml" --kubeconfig "$dir/kubeconfig" --wait 120s
echo "KUBECONFIG=$dir/kubeconfig"
echo "audit log: docker exec $name-control-plane cat /var/log/kubernetes/audit.log"
