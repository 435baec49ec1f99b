#!/usr/bin/env bash
# kube-score, the linter the charts must pass (e2e KubeScoreTest; the testkit's KubeScore), built
# from its Go module github.com/zegl/kube-score with this machine's Go and the Go module proxy: it
# has no replace directives, so `go install pkg@version` builds it.
#
#   kube-score.sh    builds it into ~/.cache/rollgate/kube-score/<version>/ when missing (about
#                    1.5 min on 2 cores with empty Go caches), prints the binary's path
#
# (Issue 11 names kube-linter, whose module the proxy does not serve here; kube-score runs the same
# kinds of checks: probes, security contexts, resources, network policies, disruption budgets.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"
# shellcheck source=go-cache.sh
source "$here/go-cache.sh"

# Pinned here, not in versions.env: up.sh hashes versions.env and replaces a running cluster made
# from another version of it, which a linter's version has no reason to do.
KUBE_SCORE_VERSION=v1.20.0

# GOTOOLCHAIN=local: this machine's Go, never a toolchain download
install_kube_score() {
  GOBIN="$1" GOTOOLCHAIN=local CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X main.version=$KUBE_SCORE_VERSION" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
}

cached_binary "$CACHE/kube-score/$KUBE_SCORE_VERSION" kube-score install_kube_score
