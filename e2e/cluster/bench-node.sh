#!/usr/bin/env bash
# Figures of the real node, measured on this machine (a command that prints figures; no test
# asserts a time). Needs the local cluster up (up.sh) with its real node; leaves it up.
#
#   e2e/cluster/bench-node.sh [RUNS]   RUNS down/up cycles of the node (default 3), then its memory
#
# Prints, per cycle, the seconds `node.sh down` and `node.sh up` took (up: from nothing to the
# Node Ready with CoreDNS and kube-proxy answering, the images already built), then the RSS of
# the node's processes with no pod of ours on it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"
runs=${1:-3}

[[ "$(cat "$STATE/real-node" 2>/dev/null)" == ready:* ]] || die "no real node running: start the cluster with up.sh"
now() { date +%s.%N; }
for i in $(seq 1 "$runs"); do
  t0=$(now); "$here/node.sh" down 2>/dev/null
  t1=$(now); "$here/node.sh" up 2>/dev/null
  t2=$(now)
  awk -v i="$i" -v d="$(echo "$t1 - $t0" | awk '{print $1 - $3}')" -v u="$(echo "$t2 - $t1" | awk '{print $1 - $3}')" \
    'BEGIN { printf "cycle %d: node.sh down %.1f s, node.sh up %.1f s\n", i, d, u }'
done
echo "memory, idle:"
"$here/node.sh" memory | sed 's/^/  /'
