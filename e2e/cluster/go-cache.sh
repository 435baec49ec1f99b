# Sourced by the scripts that build a Go tool of the tests into the cache (kube-score.sh), after
# common.sh. Not part of the cluster: up.sh does not hash it.
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
