#!/usr/bin/env bash
# Builds the local Kubernetes from the Go module proxy into a version-keyed cache:
#   ~/.cache/rollgate/k8s/<KUBE_VERSION>/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   ~/.cache/rollgate/etcd/<ETCD_VERSION>/etcd
#   ~/.cache/rollgate/kwok/<KWOK_VERSION>/{kwok,kwokctl}
# A component whose binaries are already cached is not rebuilt.
#
# k8s.io/kubernetes and etcd's server module both carry `replace` directives in their
# go.mod, so `go install pkg@version` refuses them. We build them from a throwaway
# wrapper module that requires the main module and replaces each local staging path
# with the published module of the matching version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
CACHE="${ROLLGATE_CACHE:-$HOME/.cache/rollgate}"
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export CGO_ENABLED=0

log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Runs a command, printing a line every 30 s: a first build of the apiserver takes
# minutes with no output of its own, and should not look hung.
with_progress() {
  local what=$1; shift
  "$@" &
  local pid=$! start=$SECONDS n=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1; n=$((n + 1))
    if (( n % 30 == 0 )); then log "... still building $what ($((SECONDS - start)) s)"; fi
  done
  wait "$pid"
}

all_present() { local d=$1 b; shift; for b in "$@"; do [[ -x "$d/$b" ]] || return 1; done; }

# wrapper_module DIR MODULE VERSION STAGING_PREFIX
# Writes a go.mod in DIR requiring MODULE@VERSION, replacing each "=> ./staging/..."
# (or "=> ../x") line of MODULE's own go.mod with the published module at PUBVER.
wrapper_module() {
  local dir=$1 module=$2 version=$3 pubver=$4
  mkdir -p "$dir"
  ( cd "$dir"
    [[ -f go.mod ]] || go mod init rollgate.dev/localbuild >/dev/null 2>&1
    log "downloading $module@$version (first time only; a few hundred MB)"
    local modfile
    modfile=$(go mod download -json "$module@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    go mod edit -require="$module@$version"
    # every module the upstream go.mod replaces with a local path gets its published version
    grep -E '^\s*[^ ]+ => \.\.?/' "$modfile" | awk '{print $1}' | sort -u | while read -r m; do
      go mod edit -replace="$m=$m@$pubver"
    done
  )
}

build_kubernetes() {
  local out="$CACHE/k8s/$KUBE_VERSION"
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
  if all_present "$out" "${bins[@]}"; then log "kubernetes $KUBE_VERSION cached in $out"; return; fi
  local staging="v0${KUBE_VERSION#v1}"   # v1.34.4 -> v0.34.4
  local work="$CACHE/src/kubernetes-$KUBE_VERSION"
  wrapper_module "$work" k8s.io/kubernetes "$KUBE_VERSION" "$staging"
  local major minor
  major=$(echo "$KUBE_VERSION" | cut -d. -f1 | tr -d v); minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  mkdir -p "$out"
  ( cd "$work"
    for b in "${bins[@]}"; do
      [[ -x "$out/$b" ]] && continue
      log "building $b $KUBE_VERSION (several minutes each on 2 cores)"
      # cmd/kubectl is a thin main in k8s.io/kubernetes; the command itself is the staging module k8s.io/kubectl
      local pkg="k8s.io/kubernetes/cmd/$b"
      go get "$pkg@$KUBE_VERSION" >/dev/null 2>&1 || true
      with_progress "$b" go build -trimpath -tags selinux,notest -ldflags "$ld" -o "$out/$b.tmp" "$pkg"
      mv "$out/$b.tmp" "$out/$b"
      log "built $out/$b"
    done )
}

build_etcd() {
  local out="$CACHE/etcd/$ETCD_VERSION"
  if all_present "$out" etcd; then log "etcd $ETCD_VERSION cached in $out"; return; fi
  local work="$CACHE/src/etcd-$ETCD_VERSION"
  wrapper_module "$work" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "$ETCD_VERSION"
  mkdir -p "$out"
  ( cd "$work"
    log "building etcd $ETCD_VERSION"
    with_progress etcd go build -trimpath -ldflags "-s -w" -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3
    mv "$out/etcd.tmp" "$out/etcd"
    log "built $out/etcd" )
}

build_kwok() {
  local out="$CACHE/kwok/$KWOK_VERSION"
  if all_present "$out" kwok kwokctl; then log "kwok $KWOK_VERSION cached in $out"; return; fi
  mkdir -p "$out"
  log "installing kwok and kwokctl $KWOK_VERSION"
  GOBIN="$out" with_progress "kwok and kwokctl" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  log "installed $out/kwok $out/kwokctl"
}

# containerd v2, its runc shim and ctr: no replace directives, so `go install` works.
# The btrfs/devmapper/zfs snapshotters need cgo and are not used (overlayfs is).
build_containerd() {
  local out="$CACHE/containerd/$CONTAINERD_VERSION"
  if all_present "$out" containerd containerd-shim-runc-v2 ctr; then log "containerd $CONTAINERD_VERSION cached in $out"; return; fi
  mkdir -p "$out"
  log "installing containerd, containerd-shim-runc-v2 and ctr $CONTAINERD_VERSION (a few minutes)"
  local m=github.com/containerd/containerd/v2/cmd
  GOBIN="$out" with_progress containerd go install -trimpath -tags "no_btrfs no_devmapper no_zfs" \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
    "$m/containerd@$CONTAINERD_VERSION" "$m/containerd-shim-runc-v2@$CONTAINERD_VERSION" "$m/ctr@$CONTAINERD_VERSION"
  log "installed $out/{containerd,containerd-shim-runc-v2,ctr}"
}

# CoreDNS with the few plugins cluster DNS needs (coredns/main.go says why not upstream's main)
build_coredns() {
  local key; key=$(sha256sum "$here/coredns/main.go" | cut -c1-12)
  local out="$CACHE/coredns/$COREDNS_VERSION-$key"
  if all_present "$out" coredns; then log "coredns $COREDNS_VERSION cached in $out"; return; fi
  local work="$CACHE/src/coredns-$COREDNS_VERSION-$key"
  mkdir -p "$work" "$out"
  cp "$here/coredns/main.go" "$work/main.go"
  ( cd "$work"
    [[ -f go.mod ]] || go mod init rollgate.dev/coredns >/dev/null 2>&1
    go get "github.com/coredns/coredns@$COREDNS_VERSION" >/dev/null 2>&1
    log "building coredns $COREDNS_VERSION"
    with_progress coredns go build -trimpath -ldflags "-s -w" -o "$out/coredns.tmp" .
    mv "$out/coredns.tmp" "$out/coredns"
    log "built $out/coredns" )
}

case "${1:-all}" in
  all) build_etcd; build_kwok; build_kubernetes; build_containerd; build_coredns ;;
  etcd) build_etcd ;; kwok) build_kwok ;; kubernetes) build_kubernetes ;;
  containerd) build_containerd ;; coredns) build_coredns ;;
  # KEY=VALUE, one a line (read by up.sh)
  paths) printf '%s\n' "KUBE_BIN=$CACHE/k8s/$KUBE_VERSION" "ETCD_BIN=$CACHE/etcd/$ETCD_VERSION" "KWOK_BIN=$CACHE/kwok/$KWOK_VERSION" \
    "CONTAINERD_BIN=$CACHE/containerd/$CONTAINERD_VERSION" \
    "COREDNS_BIN=$CACHE/coredns/$COREDNS_VERSION-$(sha256sum "$here/coredns/main.go" | cut -c1-12)" ;;
  *) echo "usage: $0 [all|etcd|kwok|kubernetes|containerd|coredns|paths]" >&2; exit 2 ;;
esac
