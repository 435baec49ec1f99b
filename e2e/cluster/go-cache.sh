# Sourced by the scripts that build a Go program of ours into the cache (kube-score.sh, kstatus.sh,
# promrules.sh, registry.sh, images.sh), after defining CACHE, here and log (common.sh does). up.sh
# does not hash it: what it builds is keyed by the program's own sources.
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

# go_source_key NAME: the key of $here/NAME/ (a Go module; $here is the sourcing script's folder)
# in the cache, a hash of its sources and of the Go version, so that a change to either builds it anew.
go_source_key() {
  { (cd "$here/$1" && cat go.mod go.sum ./*.go); go env GOVERSION; } | sha256sum | cut -c1-16
}

# cached_go_build NAME: $CACHE/NAME/<go_source_key NAME>/NAME, built when missing from the Go module
# in $here/NAME/ (a main package of ours over a library) with this machine's Go (GOTOOLCHAIN=local:
# never a toolchain download). Prints its path.
cached_go_build() {
  local name=$1 src="$here/$1"
  _go_build_into() {
    (cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -buildvcs=false \
      -ldflags "-s -w" -o "$1/$name" .)
  }
  cached_binary "$CACHE/$name/$(go_source_key "$name")" "$name" _go_build_into
}
