#!/usr/bin/env bash
# The real node of the local cluster: containerd v2 + runc + a kubelet, kube-proxy and CoreDNS,
# registered as Node "rollgate-node" beside the simulated KWOK nodes. REAL-NODE.md (../shared)
# has the measured facts behind every choice below; README.md ("The real node") the picture.
#
#   node.sh up        start the node (the control plane must be up: up.sh calls this)
#   node.sh down      stop it and restore the host; prints what differs from before `up`, if anything
#   node.sh check     exit 0 when this machine can run a node, else print one line saying why
#   node.sh import T  import an image tarball (docker-archive or OCI) into the node's containerd
#   node.sh volume N  create a new empty folder for a local PersistentVolume, print its path
#   node.sh logs DIR  copy the node's logs and its pods' logs into DIR
#   node.sh images    the node's own images (pause, postgres, redis): "<ref> <tarball>" a line
#   node.sh exec ...  run a command in the node's namespaces (e.g. ctr, ip, iptables)
#   node.sh memory    RSS of the node's processes and of its containers (a figure, measured)
#   node.sh state     print the host's state that `down` must restore (a fingerprint; see below)
#   node.sh state-before  the same, as `up` recorded it before changing anything
#
# Network rule: everything of the node lives in a network namespace this script creates (owned
# by a holder process, so it vanishes with it). The only link to the host is a veth pair whose
# host end has an address of its own; no process ever connects to a host-side non-loopback
# address: the kubelet, kube-proxy and CoreDNS reach the API server through 127.0.0.1 in the
# namespace, forwarded over a unix socket to 127.0.0.1 on the host. The API server reaches the
# kubelet and pods at their addresses inside the namespace. Pods get no default route, only the
# pod subnet and the Service range; the host's ip_forward stays 0.
#
# Mounts: the node's processes share a private mount namespace (also owned by the holder) in
# which /run, /var/lib, /var/log and /etc/resolv.conf are replaced by folders of the node's own
# state, so that what the kubelet, containerd and the CNI plugins write to their hard-coded
# paths (/var/lib/kubelet/device-plugins, /var/log/pods, /var/lib/cni, /run/containerd, ...)
# never lands on the host, and no mount they make is visible on the host.
set -euo pipefail
exec 9>&-   # up.sh/down.sh hold their lock on fd 9: the node's long-lived processes must not inherit it
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

NODE_NAME=rollgate-node
NODE_DIR="$STATE/node"                  # all of the node's files; removed by down
NODE_BEFORE="$STATE/node-host-before"   # the host's fingerprint taken before up
NODE_IP=198.18.0.1                      # the bridge's address in the namespace = the node's InternalIP
POD_SUBNET=198.18.0.0/24                # the pods, on that bridge
LINK_HOST=198.18.1.1                    # host end of the veth pair (a /30 of its own)
LINK_NODE=198.18.1.2                    # namespace end
CGROUP_ROOT=/rollgate-node              # the kubelet's cgroupRoot, in every v1 hierarchy
VETH_HOST=rgnode-host
VETH_NODE=rgnode-ns
BRIDGE=rgbr0
APISERVER_LOCAL_PORT=6443               # 127.0.0.1:6443 inside the namespace -> the API server
# sysctls of the host that the kubelet sets (kubelet/cm/container_manager_linux.go
# setupKernelTunables); saved by up and restored by down
KUBELET_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes)

node_log() { log "node: $*"; }

holder_pid() { cat "$NODE_DIR/pids/holder" 2>/dev/null || true; }
# a process that exists and is not a zombie: the node's processes outlive the script that
# started them, and whoever inherits them may reap late
alive() { kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }
node_running() { local p; p=$(holder_pid); [[ -n "$p" ]] && alive "$p"; }
# runs a command in the node's network and mount namespaces
in_node() { nsenter --target "$(holder_pid)" --net --mount -- "$@"; }

# One line saying why this machine cannot run the node, or nothing.
why_not() {
  [[ "${ROLLGATE_REAL_NODE:-auto}" == off ]] && { echo "ROLLGATE_REAL_NODE=off"; return; }
  [[ $(id -u) == 0 ]] || { echo "not root (a kubelet needs root)"; return; }
  [[ -d /sys/fs/cgroup/memory && -w /sys/fs/cgroup/memory ]] || { echo "no writable cgroup v1 memory hierarchy at /sys/fs/cgroup/memory"; return; }
  unshare --net --mount true 2>/dev/null || { echo "cannot create network and mount namespaces (unshare --net --mount failed)"; return; }
  command -v nsenter >/dev/null || { echo "nsenter (util-linux) is missing"; return; }
  command -v apt-get >/dev/null || command -v runc >/dev/null || { echo "runc is missing and apt-get is not available to install it"; return; }
}

# Debian's runc, CNI plugins, iptables and socat (REAL-NODE.md: crun does not work here)
install_packages() {
  local missing=()
  [[ -x /usr/sbin/runc ]] || missing+=(runc)
  [[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v socat >/dev/null || missing+=(socat)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v ip >/dev/null || missing+=(iproute2)
  [[ ${#missing[@]} -eq 0 ]] && return
  node_log "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$STATE/apt.log" 2>&1 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update >>"$STATE/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$STATE/apt.log" 2>&1; } ||
    die "apt-get install ${missing[*]} failed; see $STATE/apt.log"
}

# --- the host's fingerprint ------------------------------------------------------------------
# What `down` must leave exactly as `up` found it: host sysctls (minus counters that move on
# their own), iptables and ip6tables rules of every table, links, addresses, routes, named
# network namespaces, mounts, the cgroup folders at the top of each hierarchy, and the paths
# the kubelet and containerd create by default.
host_state() {
  echo "## sysctl"
  sysctl -a 2>/dev/null | grep -vE '^(fs\.(dentry-state|file-nr|inode-nr|inode-state|quota)|kernel\.(random|ns_last_pid|pty\.nr|sched_domain)|net\.netfilter\.nf_conntrack_count|vm\.stat|net\.ipv4\.tcp_fastopen_key|kernel\.perf_event_max|fs\.aio-nr|dev\.cdrom|kernel\.tainted|net\.core\.netdev_rss_key|net\.ipv6\.conf\..*\.stable_secret)' | sort
  local t
  for t in filter nat mangle raw security; do
    echo "## iptables $t"; iptables -t "$t" -S 2>/dev/null || true
    echo "## ip6tables $t"; ip6tables -t "$t" -S 2>/dev/null || true
  done
  echo "## links"; ip -o link show | sed -E 's/^[0-9]+: //; s/ qlen [0-9]+//' | awk '{print $1, $2}'
  echo "## addresses"; ip -o addr show | awk '{print $2, $3, $4}'
  echo "## routes"; ip route show table all 2>/dev/null | grep -v '^local\|^broadcast\|^multicast' || true
  echo "## netns"; ip netns list 2>/dev/null || true; ls /run/netns 2>/dev/null || true
  echo "## mounts"; awk '{print $5, $9}' /proc/self/mountinfo | sort
  echo "## cgroups"; find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d 2>/dev/null | sort
  echo "## paths"
  local p
  for p in /var/lib/kubelet /var/lib/containerd /var/lib/cni /var/log/pods /var/log/containers \
           /run/containerd /run/netns /run/runc /etc/cni /opt/cni /etc/containerd /var/run/netns; do
    [[ -e "$p" ]] && echo "$p"
  done
  return 0
}

# --- certificates ------------------------------------------------------------------------------
# client certificate signed by the cluster's CA (kwokctl's pki): cert NAME CN O
sign_client_cert() {
  local name=$1 cn=$2 org=$3 pki="$CLUSTER_DIR/pki" subj="/CN=$2"
  [[ -n "$org" ]] && subj="/O=$org/CN=$cn"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$NODE_DIR/pki/$name.key" -subj "$subj" \
    -out "$NODE_DIR/pki/$name.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$NODE_DIR/pki/$name.ext"
  openssl x509 -req -in "$NODE_DIR/pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -CAserial "$NODE_DIR/pki/ca.srl" -days 30 -extfile "$NODE_DIR/pki/$name.ext" -out "$NODE_DIR/pki/$name.crt" 2>/dev/null
  # a kubeconfig that reaches the API server through the namespace's 127.0.0.1 forwarder
  cat >"$NODE_DIR/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: rollgate
  cluster: {server: "https://127.0.0.1:$APISERVER_LOCAL_PORT", certificate-authority: "$pki/ca.crt"}
users:
- name: $name
  user: {client-certificate: "$NODE_DIR/pki/$name.crt", client-key: "$NODE_DIR/pki/$name.key"}
contexts:
- name: $name
  context: {cluster: rollgate, user: $name}
current-context: $name
EOF
}

# --- up ------------------------------------------------------------------------------------------
start_bg() { # start_bg NAME CMD... : a process of the node, in its namespaces, logged, PID recorded
  local name=$1; shift
  nsenter --target "$(holder_pid)" --net --mount -- "$@" </dev/null >"$NODE_DIR/logs/$name.log" 2>&1 &
  echo $! >"$NODE_DIR/pids/$name"
}

wait_for() { # wait_for SECONDS WHAT CMD... : polls CMD every 0.2 s
  local secs=$1 what=$2; shift 2
  local i
  for ((i = 0; i < secs * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "timed out after ${secs}s waiting for $what (logs: $NODE_DIR/logs)"
}

node_up() {
  local reason; reason=$(why_not)
  [[ -z "$reason" ]] || { node_log "no real node on this machine: $reason"; echo "unavailable: $reason" >"$STATE/real-node"; return 0; }
  node_running && { node_log "already running"; return 0; }
  # one real node per machine: its link names, addresses and cgroup root are fixed
  if ip link show "$VETH_HOST" >/dev/null 2>&1; then
    die "another real node runs on this machine (link $VETH_HOST exists), from another cluster folder than $STATE; stop it with its down.sh, or set ROLLGATE_REAL_NODE=off"
  fi
  local started=$SECONDS
  install_packages
  eval "$("$here/build.sh" paths | tr ' ' '\n' | sed 's/^/local_/')"
  local kube="$local_KUBE_BIN" ctrd="$local_CONTAINERD_BIN" coredns="$local_COREDNS_BIN/coredns"
  for b in "$kube/kubelet" "$kube/kube-proxy" "$ctrd/containerd" "$ctrd/containerd-shim-runc-v2" "$ctrd/ctr" "$coredns"; do
    [[ -x "$b" ]] || die "missing binary $b (build.sh should have built it)"
  done
  local images; images=$("$here/images.sh" node)   # lines "<ref> <tarball>": pause, postgres, redis

  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"/{pids,logs,pki,fs/run,fs/var-lib,fs/var-log,cni,kubelet,pod-logs,containerd/root,containerd/state,containerd/opt}
  [[ -f "$NODE_BEFORE" ]] || host_state >"$NODE_BEFORE"
  local s
  for s in "${KUBELET_SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done >"$NODE_DIR/sysctl.before"

  # The holder owns the network and mount namespaces; every node process joins both. When the
  # holder and those processes are gone, the namespaces, the veth pair, the bridge, the
  # namespace's iptables rules and every mount inside go with them.
  echo "nameserver $NODE_IP" >"$NODE_DIR/fs/resolv.conf"
  unshare --net --mount --propagation private -- bash -c '
    set -e
    mount --bind "$1/fs/run" /run
    mount --bind "$1/fs/var-lib" /var/lib
    mount --bind "$1/fs/var-log" /var/log
    mount --bind "$1/fs/resolv.conf" /etc/resolv.conf
    exec sleep infinity' holder "$NODE_DIR" </dev/null >"$NODE_DIR/logs/holder.log" 2>&1 &
  echo $! >"$NODE_DIR/pids/holder"
  wait_for 10 "the node's namespaces and mounts" in_node mountpoint -q /etc/resolv.conf

  # network: lo, a bridge for the pods holding the node IP, a /30 link to the host
  in_node ip link set lo up
  in_node sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip link add "$VETH_HOST" type veth peer name "$VETH_NODE" netns "$(holder_pid)"
  ip addr add "$LINK_HOST/30" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  in_node ip addr add "$LINK_NODE/30" dev "$VETH_NODE"
  in_node ip link set "$VETH_NODE" up
  in_node ip link add "$BRIDGE" type bridge
  in_node ip addr add "$NODE_IP/24" dev "$BRIDGE"
  in_node ip link set "$BRIDGE" up
  ip route add "$POD_SUBNET" via "$LINK_NODE" dev "$VETH_HOST"
  # Forwarding inside the namespace only (it is per namespace; the host's stays 0): kube-proxy's
  # Service DNAT turns a pod's packet to a ClusterIP into one routed back onto the bridge, and
  # the API server's service proxy reaches pods through the link. Nothing new may leave the
  # namespace towards the host: only replies to connections the host opened.
  in_node sysctl -qw net.ipv4.ip_forward=1
  in_node iptables -w -A FORWARD -o "$VETH_NODE" -m conntrack --ctstate NEW,INVALID -j REJECT
  in_node iptables -w -A OUTPUT -o "$VETH_NODE" -m conntrack --ctstate NEW,INVALID -j REJECT
  # The API server's connections to pods (its pod and service proxy) come from the host's end of
  # the link; pods have no route back to it, and must not get one. They see the node's address.
  in_node iptables -w -t nat -A POSTROUTING -s "$LINK_HOST/32" -o "$BRIDGE" -j MASQUERADE
  [[ "$(sysctl -n net.ipv4.ip_forward)" == 0 ]] || log "WARNING: the host's net.ipv4.ip_forward is not 0 (it was so before up)"

  # the API server, for the node's processes: 127.0.0.1:6443 in the namespace -> unix socket -> 127.0.0.1 on the host
  local server port
  server=$(kctl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  port=${server##*:}
  socat "UNIX-LISTEN:$NODE_DIR/apiserver.sock,fork,mode=600" "TCP:127.0.0.1:$port" </dev/null >"$NODE_DIR/logs/forward-host.log" 2>&1 &
  echo $! >"$NODE_DIR/pids/forward-host"
  start_bg forward-node socat "TCP-LISTEN:$APISERVER_LOCAL_PORT,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$NODE_DIR/apiserver.sock"
  # the cluster's registry (registry.sh), the same way and at the same ports, so that an image
  # named 127.0.0.1:<port>/... means one registry to the tests, the operator and containerd
  local reg n=0
  for reg in $(cat "$STATE/registry/addr" 2>/dev/null); do
    n=$((n + 1))
    socat "UNIX-LISTEN:$NODE_DIR/registry-$n.sock,fork,mode=600" "TCP:$reg" </dev/null >"$NODE_DIR/logs/forward-registry-host-$n.log" 2>&1 &
    echo $! >"$NODE_DIR/pids/forward-registry-host-$n"
    start_bg "forward-registry-$n" socat "TCP-LISTEN:${reg##*:},bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$NODE_DIR/registry-$n.sock"
    mkdir -p "$NODE_DIR/containerd/certs.d/$reg"
    printf 'server = "http://%s"\n[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' "$reg" "$reg" \
      >"$NODE_DIR/containerd/certs.d/$reg/hosts.toml"
  done

  # identities: the kubelet (Node authorizer), kube-proxy (system:node-proxier), CoreDNS (a role below)
  sign_client_cert kubelet-client "system:node:$NODE_NAME" system:nodes
  sign_client_cert kube-proxy system:kube-proxy ""
  sign_client_cert coredns rollgate:coredns ""
  kctl apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "rollgate:coredns"}
rules:
- {apiGroups: [""], resources: [services, namespaces, pods], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "rollgate:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "rollgate:coredns"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "rollgate:coredns"}]
EOF

  # containerd: everything under NODE_DIR; runc from Debian; the local pause image pinned; a pull
  # from anywhere but the cluster's registry fails at once (no registry answers on 127.0.0.1:9)
  local pause_ref; pause_ref=$(awk '$1 ~ /pause/ {print $1}' <<<"$images")
  mkdir -p "$NODE_DIR/containerd/certs.d/_default"
  printf 'server = "http://127.0.0.1:9"\n[host."http://127.0.0.1:9"]\n  capabilities = ["pull", "resolve"]\n' \
    >"$NODE_DIR/containerd/certs.d/_default/hosts.toml"
  cat >"$NODE_DIR/cni/10-rollgate.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "rollgate",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": false, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$NODE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$POD_SUBNET", "rangeStart": "198.18.0.16", "rangeEnd": "198.18.0.250", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "$SERVICE_CIDR", "gw": "$NODE_IP"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$NODE_DIR/containerd/config.toml" <<EOF
version = 3
root = "$NODE_DIR/containerd/root"
state = "$NODE_DIR/containerd/state"
[grpc]
  address = "$NODE_DIR/containerd/containerd.sock"
[ttrpc]
  address = "$NODE_DIR/containerd/containerd.sock.ttrpc"
[debug]
  address = "$NODE_DIR/containerd/debug.sock"
[metrics]
  address = ""
[plugins.'io.containerd.internal.v1.opt']
  path = "$NODE_DIR/containerd/opt"
[plugins.'io.containerd.nri.v1.nri']
  disable = true
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$pause_ref"
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = "$NODE_DIR/containerd/certs.d"
[plugins.'io.containerd.cri.v1.runtime']
  # root may not lower oom_score_adj here (no CAP_SYS_RESOURCE): without this every sandbox fails
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$NODE_DIR/cni"
    max_conf_num = 1
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
  # our containerd first in PATH: it starts the shim it finds there, not a Debian one
  start_bg containerd env PATH="$ctrd:/usr/sbin:/usr/bin:/sbin:/bin" \
    "$ctrd/containerd" --config "$NODE_DIR/containerd/config.toml" --log-level warn
  wait_for 30 containerd in_node "$ctrd/ctr" --address "$NODE_DIR/containerd/containerd.sock" version
  local ref tar
  while read -r ref tar; do
    [[ -n "$ref" ]] || continue
    node_import "$tar"
  done <<<"$images"

  # the kubelet
  local ctrl
  for ctrl in /sys/fs/cgroup/*/; do
    [[ -f "$ctrl/cgroup.procs" && "$ctrl" != */unified/ ]] && mkdir -p "$ctrl$CGROUP_ROOT"
  done
  cat >"$NODE_DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$CLUSTER_DIR/pki/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$NODE_DIR/containerd/containerd.sock
imageServiceEndpoint: unix://$NODE_DIR/containerd/containerd.sock
# imported images cannot be pulled again: never collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# the disk of a development machine may be fuller than a node's: evict only when really short
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, nodefs.inodesFree: 1%, imagefs.available: 1%}
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
# pods never get the host's resolv.conf (its search domains or nameserver)
resolvConf: ""
podLogsDir: $NODE_DIR/pod-logs
registerWithTaints:
- {key: rollgate.dev/real-node, value: "true", effect: NoSchedule}
maxPods: 40
serializeImagePulls: false
nodeStatusReportFrequency: 10s
shutdownGracePeriod: 0s
EOF
  start_bg kubelet "$kube/kubelet" --config "$NODE_DIR/kubelet.yaml" \
    --kubeconfig "$NODE_DIR/kubelet-client.kubeconfig" --root-dir "$NODE_DIR/kubelet" --cert-dir "$NODE_DIR/pki" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
    --node-labels "rollgate.dev/node=real,type=real" --v=1

  # Service routing and cluster DNS on the node
  cat >"$NODE_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$NODE_DIR/kube-proxy.kubeconfig"}
hostnameOverride: $NODE_NAME
mode: iptables
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
clusterCIDR: $POD_SUBNET
nodePortAddresses: ["$NODE_IP/32"]
iptables:
  # a pod and the pod behind a ClusterIP share one bridge: without masquerading the reply
  # would bypass the DNAT
  masqueradeAll: true
  localhostNodePorts: false
  syncPeriod: 30s
  minSyncPeriod: 1s
# 0 = leave the kernel's conntrack settings alone (nf_conntrack_max is host-wide)
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start_bg kube-proxy "$kube/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml" --v=1
  cat >"$NODE_DIR/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 {
    bind $NODE_IP
    errors
    health 127.0.0.1:10254
    ready 127.0.0.1:10253
    kubernetes cluster.local in-addr.arpa {
        kubeconfig $NODE_DIR/coredns.kubeconfig coredns
        pods insecure
    }
    cache 10
}
EOF
  start_bg coredns "$coredns" -conf "$NODE_DIR/Corefile"

  wait_for 120 "node $NODE_NAME Ready" node_ready
  wait_for 30 "CoreDNS ready (127.0.0.1:10253 in the namespace)" in_node curl -sf http://127.0.0.1:10253/ready
  wait_for 30 "kube-proxy healthy (127.0.0.1:10256 in the namespace)" in_node curl -sf http://127.0.0.1:10256/healthz
  echo "ready: $NODE_NAME" >"$STATE/real-node"
  node_log "node $NODE_NAME Ready in $((SECONDS - started)) s (IP $NODE_IP in its own network namespace)"
}

node_ready() {
  [[ "$(kctl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

node_import() {
  local tar=$1 ctr ref digest
  eval "$("$here/build.sh" paths | tr ' ' '\n' | grep CONTAINERD_BIN | sed 's/^/local_/')"
  ctr=("$local_CONTAINERD_BIN/ctr" --address "$NODE_DIR/containerd/containerd.sock" -n k8s.io)
  # (ctr repeats containerd's cgroup v1 deprecation warning on every call: not shown)
  in_node "${ctr[@]}" images import --local "$tar" 2>&1 >/dev/null |
    { grep -v 'DEPRECATION: The support for cgroup v1' >&2 || true; }
  # Each tag also gets its repository digest name, <repository>@sha256:<manifest digest>, as a
  # pull from a registry would give it (only names with a tag: not the CRI's "sha256:<id>" ones):
  # the kubelet then reports that as the pods' imageID, and
  # a reference pinned to the digest runs without a pull. (ctr's own --digests names the digest
  # image after the import, "import-<date>@sha256:...", not after the repository.)
  in_node "${ctr[@]}" images ls 2>/dev/null | awk 'NR > 1 && $1 !~ /@/ && $1 !~ /^sha256:/ { n = split($1, p, "/"); if (p[n] ~ /:/) print $1, $3 }' |
    while read -r ref digest; do
      in_node "${ctr[@]}" images tag --force "$ref" "${ref%:*}@$digest" >/dev/null 2>&1 ||
        log "node: could not name $ref by its digest $digest"
    done
  return 0
}

# --- down ----------------------------------------------------------------------------------------
# Every process of the node: those recorded at start, those in the holder's mount namespace
# (containerd's shims among them), and those in the kubelet's cgroups (the containers).
node_processes() {
  local holder mnt p
  holder=$(holder_pid)
  cat "$NODE_DIR"/pids/* 2>/dev/null || true
  if [[ -n "$holder" && -e /proc/$holder/ns/mnt ]]; then
    mnt=$(readlink "/proc/$holder/ns/mnt")
    for p in /proc/[0-9]*; do
      [[ "$(readlink "$p/ns/mnt" 2>/dev/null)" == "$mnt" ]] && echo "${p#/proc/}"
    done
  fi
  find /sys/fs/cgroup/*"$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}

signal_all() { local sig=$1 p; for p in $(node_processes | sort -u); do [[ "$p" == "$$" ]] || kill "-$sig" "$p" 2>/dev/null || true; done; }
any_alive() { local p; for p in $(node_processes | sort -u); do [[ "$p" != "$$" ]] && alive "$p" && return 0; done; return 1; }

stop_pid_file() { # stop_pid_file NAME SECONDS [SIGNAL]
  local f="$NODE_DIR/pids/$1" p i
  [[ -f "$f" ]] || return 0
  p=$(cat "$f")
  kill "-${3:-TERM}" "$p" 2>/dev/null || return 0
  for ((i = 0; i < $2 * 5; i++)); do alive "$p" || return 0; sleep 0.2; done
  node_log "$1 ($p) did not stop in $2 s: SIGKILL"
  kill -KILL "$p" 2>/dev/null || true
}

node_down() {
  [[ -d "$NODE_DIR" ]] || { rm -f "$STATE/real-node"; return 0; }
  node_log "stopping the real node"
  local f
  if node_running; then
    # the order of REAL-NODE.md: pods, kubelet, sandboxes, containerd; the kubelet goes first so
    # that it does not restart what we stop
    stop_pid_file kubelet 10
    local ctr="$CACHE/containerd/$CONTAINERD_VERSION/ctr"
    if [[ -x "$ctr" && -S "$NODE_DIR/containerd/containerd.sock" ]]; then
      local a=(--address "$NODE_DIR/containerd/containerd.sock" -n k8s.io) t
      for t in $(in_node "$ctr" "${a[@]}" tasks list -q 2>/dev/null); do in_node "$ctr" "${a[@]}" tasks kill -s SIGTERM "$t" >/dev/null 2>&1 || true; done
      for _ in $(seq 1 25); do [[ -z "$(in_node "$ctr" "${a[@]}" tasks list -q 2>/dev/null | head -1)" ]] && break
        [[ -n "$(in_node "$ctr" "${a[@]}" tasks list 2>/dev/null | awk 'NR>1 && $3!="STOPPED"')" ]] || break; sleep 0.2; done
      for t in $(in_node "$ctr" "${a[@]}" tasks list -q 2>/dev/null); do in_node "$ctr" "${a[@]}" tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    fi
    stop_pid_file kube-proxy 5
    stop_pid_file coredns 5
    stop_pid_file containerd 10
    # a forwarder has nothing to finish; socat waits for its connection children on SIGTERM
    stop_pid_file forward-node 2 KILL
    for f in "$NODE_DIR"/pids/forward-registry-[0-9]*; do [[ -e "$f" ]] && stop_pid_file "$(basename "$f")" 2 KILL; done
  fi
  # the Node object goes once its kubelet is gone (it would register it again); its pods are
  # then orphans, which the pod garbage collector deletes
  if [[ -f "$KUBECONFIG_PATH" ]]; then
    kctl delete node "$NODE_NAME" --ignore-not-found --wait=false --request-timeout=10s >/dev/null 2>&1 || true
  fi
  stop_pid_file forward-host 2 KILL
  for f in "$NODE_DIR"/pids/forward-registry-host-*; do [[ -e "$f" ]] && stop_pid_file "$(basename "$f")" 2 KILL; done
  # whatever is left (shims, containers, the holder): TERM, then KILL
  signal_all TERM
  for _ in $(seq 1 25); do any_alive || break; sleep 0.2; done
  any_alive && { node_log "SIGKILL to what is left"; signal_all KILL; sleep 0.5; }
  any_alive && node_log "WARNING: processes of the node are still alive: $(node_processes | sort -u | tr '\n' ' ')"

  # the host's side: sysctls back, cgroups removed (deepest first), the veth (gone with the namespace)
  if [[ -f "$NODE_DIR/sysctl.before" ]]; then
    local kv; while read -r kv; do sysctl -qw "$kv" >/dev/null || node_log "could not restore $kv"; done <"$NODE_DIR/sysctl.before"
  fi
  local d
  for d in /sys/fs/cgroup/*"$CGROUP_ROOT"; do
    [[ -d "$d" ]] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    [[ -d "$d" ]] && node_log "WARNING: could not remove cgroup $d"
  done
  ip link del "$VETH_HOST" 2>/dev/null || true
  rm -rf "$NODE_DIR" "$STATE/real-node"
  if [[ -f "$NODE_BEFORE" ]]; then
    if diff <(cat "$NODE_BEFORE") <(host_state) >"$STATE/node-host-diff" 2>&1; then
      node_log "host restored: nothing differs from before up"
      rm -f "$STATE/node-host-diff"
    else
      node_log "WARNING: the host differs from before up:"; sed 's/^/    /' "$STATE/node-host-diff" >&2
    fi
    rm -f "$NODE_BEFORE"
  fi
  return 0
}

# a new, empty folder for a local PersistentVolume (same path on the host and in the node's
# mount namespace); what a previous volume of that name held is gone
node_volume() {
  local name=$1
  [[ "$name" =~ ^[a-z0-9][a-z0-9.-]{0,200}$ ]] || die "a volume name is a DNS subdomain, not '$name'"
  rm -rf "${NODE_DIR:?}/volumes/$name"
  mkdir -p "$NODE_DIR/volumes/$name"
  chmod 1777 "$NODE_DIR/volumes/$name"
  echo "$NODE_DIR/volumes/$name"
}

# the node's own logs and its pods' container logs, for a failed test's artifacts
node_logs() {
  local out=$1
  mkdir -p "$out"
  cp -r "$NODE_DIR/logs/." "$out/" 2>/dev/null || true
  [[ -d "$NODE_DIR/pod-logs" ]] && cp -rL "$NODE_DIR/pod-logs" "$out/pods" 2>/dev/null || true
  return 0
}

# memory of the node: RSS of each of its processes (containerd, shims, kubelet, kube-proxy,
# CoreDNS, the forwarders) and of its containers, from /proc
node_memory() {
  node_running || die "the real node is not running"
  local p comm rss total=0 pods=0 line
  declare -A by_name=()
  local containers; containers=" $(find /sys/fs/cgroup/memory"$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null | tr '\n' ' ') "
  for p in $(node_processes | sort -u); do
    [[ -r /proc/$p/status ]] || continue
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null); rss=${rss:-0}
    if [[ "$containers" == *" $p "* ]]; then pods=$((pods + rss)); continue; fi
    by_name[$comm]=$(( ${by_name[$comm]:-0} + rss ))
    total=$((total + rss))
  done
  mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
  for line in "${!by_name[@]}"; do printf '%-26s %7s MiB\n' "$line" "$(mib "${by_name[$line]}")"; done | sort -k2 -rn
  printf '%-26s %7s MiB\n' "node (all of the above)" "$(mib "$total")"
  printf '%-26s %7s MiB  (%s pods)\n' "containers" "$(mib "$pods")" \
    "$(kctl get pods -A --field-selector spec.nodeName="$NODE_NAME" --no-headers 2>/dev/null | wc -l)"
}

case "${1:-}" in
  up) node_up ;;
  down) node_down ;;
  check) r=$(why_not); [[ -z "$r" ]] || { echo "$r"; exit 1; } ;;
  import) node_running || die "the real node is not running"; node_import "${2:?usage: node.sh import TARBALL}" ;;
  volume) node_running || die "the real node is not running"; node_volume "${2:?usage: node.sh volume NAME}" ;;
  logs) node_logs "${2:?usage: node.sh logs DIR}" ;;
  images) "$here/images.sh" node ;;
  exec) shift; node_running || die "the real node is not running"; in_node "$@" ;;
  state) host_state ;;
  memory) node_memory ;;
  state-before) cat "$NODE_BEFORE" ;;
  *) echo "usage: $0 up|down|check|import TAR|volume NAME|logs DIR|images|exec CMD...|memory|state|state-before" >&2; exit 2 ;;
esac
