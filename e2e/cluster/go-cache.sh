# Sourced by the scripts that build a Go tool of the tests into the cache (kube-score.sh, kstatus.sh,
# promrules.sh), after common.sh. Not part of the cluster: up.sh does not hash it.
# shellcheck shell=bash

# cached_binary DIR NAME BUILD...: DIR/NAME, built first when missing. BUILD... runs with one more
# argument, a fresh folder of this run's own to leave NAME in; it is moved into place from there,
# so that two builds at once (two test JVMs) never leave half a binary. Prints DIR/NAME.
cached_binary() {
  local dir=$1 name=$2; shift 2
  if [[ ! -x "$dir/$name" ]]; then
    log "building $name into $dir (first time only)"
    mkdir -p "$dir"
    local tmp
    tmp=$(mktemp -d "$dir/.build.XXXXXX")
    if ! "$@" "$tmp"; then rm -rf "$tmp"; return 1; fi
    mv "$tmp/$name" "$dir/$name"
    rm -rf "$tmp"
    log "built $dir/$name"
  fi
  echo "$dir/$name"
}

# cached_go_build NAME: $CACHE/NAME/<key>/NAME, built when missing from the Go module in
# $here/NAME/ (a main package of ours over a library; $here is the sourcing script's folder) with
# this machine's Go (GOTOOLCHAIN=local: never a toolchain download). The key hashes its sources and
# the Go version, so that a change to either builds it anew. Prints its path.
cached_go_build() {
  local name=$1 src="$here/$1"
  _go_build_into() {
    (cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -buildvcs=false \
      -ldflags "-s -w" -o "$1/$name" .)
  }
  local key
  key=$({ (cd "$src" && cat go.mod go.sum ./*.go); go env GOVERSION; } | sha256sum | cut -c1-16)
  cached_binary "$CACHE/$name/$key" "$name" _go_build_into
}
