#!/usr/bin/env bash
# kstatus (kstatus/main.go): one object as JSON on stdin -> what sigs.k8s.io/cli-utils/pkg/kstatus
# (the library behind Helm 4's --wait and Flux's health checks) computes for it, as a JSON line.
#
#   kstatus.sh    builds it into ~/.cache/rollgate/kstatus/<sha of its sources + Go>/ when missing
#                 (about 25 s the first time), prints the binary's path
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"
# shellcheck source=go-cache.sh
source "$here/go-cache.sh"

cached_go_build kstatus
