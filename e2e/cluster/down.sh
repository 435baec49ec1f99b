#!/usr/bin/env bash
# Stops the local cluster started by up.sh — every process by the PID recorded at start —
# and removes its state.
#
#   down.sh                  stop it now, whoever started it
#   down.sh --for-tests PID  a test JVM leaves: unregister PID, and stop the cluster only if
#                            a test JVM started it, no other registered JVM is alive and
#                            ROLLGATE_KEEP_CLUSTER is not "true"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

parse_for_tests "$@"

[[ -d "$STATE" ]] || { log "no cluster state in $STATE: nothing to stop"; exit 0; }
exec 9>"$LOCK"
flock -w 600 9 || die "timed out waiting for $LOCK"

if [[ -n "$user_pid" ]]; then
  rm -f "$STATE/users/$user_pid"
  others=$(live_users | tr '\n' ' ')
  if [[ ! -f "$STATE/ephemeral" ]]; then log "keeping the cluster: it was started outside the tests"; exit 0; fi
  if [[ "${ROLLGATE_KEEP_CLUSTER:-false}" == true ]]; then log "keeping the cluster: ROLLGATE_KEEP_CLUSTER=true"; exit 0; fi
  if [[ -n "$others" ]]; then log "keeping the cluster: still used by PIDs $others"; exit 0; fi
fi

log "stopping the cluster"
stop_cluster
log "cluster stopped, state removed"
