#!/bin/sh
# Builds kubectl-rollgate and installs it into DIR (default /usr/local/bin), where kubectl finds
# it as the plugin `kubectl rollgate`. Needs Java 17 or later, to build and to run it.
#   cli/install.sh              # /usr/local/bin/kubectl-rollgate
#   cli/install.sh ~/.local/bin # any directory on PATH
set -eu
dir="${1:-/usr/local/bin}"
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && ./mvnw -B -q -pl cli -am package -DskipTests)
install -d "$dir"
install -m 0755 "$root/cli/target/kubectl-rollgate" "$dir/kubectl-rollgate"
echo "installed $dir/kubectl-rollgate; try: kubectl rollgate --help"
