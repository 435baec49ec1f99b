#!/usr/bin/env bash
# The Rollgate demo, in one command:
#
#   e2e/demo.sh                        build, start the local cluster, install both charts, then
#                                      good rollout -> bad rollout -> automatic revert; on the real
#                                      node when this machine can run one (root, cgroups): real
#                                      containers, clinic's readiness 503 -> 200, and a revert caused
#                                      by a migration that fails against the live schema
#   e2e/demo.sh --simulated            the same on the simulated (KWOK) pods, whose readiness follows
#                                      image-tag rules; also: good -> crash-loop -> revert -> fix
#   e2e/demo.sh --use-current-cluster  the same on the cluster of KUBECONFIG (or ROLLGATE_KUBECONFIG=...)
#   e2e/demo.sh down                   stop the demo's operator (by PID) and the local cluster
#
# The first run on a machine builds the local Kubernetes from the Go modules (about 6 minutes,
# progress shown); later runs reuse it. Everything listens on 127.0.0.1. The cluster and the
# operator keep running after the demo, so that you can look around with kubectl.
#
# On a cluster of your own (--use-current-cluster) the operator runs in the cluster from the
# chart's image: load it first (kind: `kind load image-archive operator/target/jib-image.tar`),
# and make the clinic images <repo>:1.0.0, :1.1.0 and :1.2.1 runnable there
# (ROLLGATE_DEMO_IMAGE_REPOSITORY, default rollgate/clinic); :1.2.0-crashloop is the one meant to fail.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${ROLLGATE_DEMO_DIR:-$HOME/.cache/rollgate/demo}"
mkdir -p "$STATE"

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
}

# Runs a function of the local cluster's scripts (cluster/common.sh) in a subshell: its STATE, log and
# die would shadow the demo's own.
cluster_common() (
  # shellcheck source=cluster/common.sh
  source "$ROOT/e2e/cluster/common.sh"
  "$@"
)

# Stops the operator the demo started, by the PID it recorded (SIGTERM, then SIGKILL).
stop_operator() {
  local pidfile="$STATE/operator.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'quarkus-run.jar'; then
    echo "stopping the demo's operator (PID $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "the operator did not stop within 10 s of SIGTERM; sending SIGKILL"
      kill -KILL "$pid"
    fi
  fi
  rm -f "$pidfile"
}

# The demo's Java side (dev.rollgate.e2e.demo.Demo) on the e2e module's test classpath:
# run_demo_main <kubeconfig> <run|clean> [JVM options...]
run_demo_main() {
  local kubeconfig="$1" command="$2"; shift 2
  [[ -f "$ROOT/e2e/target/demo-classpath.txt" ]] || die "not built yet: run e2e/demo.sh without arguments"
  ROLLGATE_KUBECONFIG="$kubeconfig" java \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dlogging.configuration="file:$STATE/logging.properties" \
    -Drollgate.demo.dir="$STATE" \
    -Drollgate.operator.jar="$ROOT/operator/target/quarkus-app/quarkus-run.jar" \
    "$@" \
    -cp "$ROOT/e2e/target/test-classes:$(cat "$ROOT/e2e/target/demo-classpath.txt")" \
    dev.rollgate.e2e.demo.Demo "$command"
}

down() {
  stop_operator
  if [[ -f "$STATE/cluster" && "$(cat "$STATE/cluster")" != local ]]; then
    say "removing the demo from the cluster of $(cat "$STATE/cluster")"
    run_demo_main "$(cat "$STATE/cluster")" clean
  else
    # Test JVMs register in users/<pid> (e2e/cluster/README.md); do not pull the cluster from under them.
    local users
    users=$(cluster_common live_users | tr '\n' ' ')
    if [[ -n "$users" ]]; then
      say "leaving the local cluster up: test JVMs (PIDs $users) are using it; removing only the demo"
      run_demo_main "$(cluster_common eval 'echo "$KUBECONFIG_PATH"')" clean
      echo "stop the cluster once they are done: e2e/cluster/down.sh"
    else
      say "stopping the local cluster"
      "$ROOT/e2e/cluster/down.sh"
    fi
  fi
  rm -f "$STATE/cluster" "$STATE/operator.kubeconfig"
}

use_current=false
simulated=false
case "${1:-}" in
  down) down; exit 0 ;;
  --use-current-cluster) use_current=true ;;
  --simulated) simulated=true ;;
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac
started=$(date +%s)

# A previous demo's operator would reconcile alongside the new one: stop it first.
stop_operator

say "Building the operator and the demo (Maven; the first build downloads dependencies)"
# Only the module headings and the result are shown; the whole log is kept.
set +e
(cd "$ROOT" && ./mvnw -B --no-transfer-progress -pl app,e2e -am package -DskipTests \
    org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
    -Dmdep.outputFile=target/demo-classpath.txt -Dmdep.includeScope=test -Dmdep.excludeTypes=pom) 2>&1 \
  | tee "$STATE/build.log" \
  | { grep --line-buffered -E '^\[INFO\] Building .*\[[0-9]+/[0-9]+\]|BUILD (SUCCESS|FAILURE)' \
        | sed -u -e 's/^\[INFO\] /    /' -e 's/ 0\.1\.0-SNAPSHOT */ /'; true; }
build_status=${PIPESTATUS[0]}
set -e
if [[ $build_status -ne 0 ]]; then
  tail -40 "$STATE/build.log"
  die "the build failed; the whole log is in $STATE/build.log"
fi

# Quiet logging for the demo's JVM: the fabric8 client warns about the v1alpha1 API otherwise.
cat > "$STATE/logging.properties" <<'EOF'
loggers=io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils
logger.level=WARN
logger.handlers=CONSOLE
logger.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils.level=ERROR
handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler
handler.CONSOLE.properties=autoFlush,target
handler.CONSOLE.target=SYSTEM_ERR
handler.CONSOLE.autoFlush=true
handler.CONSOLE.formatter=PATTERN
formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter
formatter.PATTERN.properties=pattern
formatter.PATTERN.pattern=%d{HH:mm:ss} %-5p [%c{1}] %s%e%n
EOF

extra=()
$simulated && extra+=(-Drollgate.demo.simulated=true)
if $use_current || [[ -n "${ROLLGATE_KUBECONFIG:-}" ]]; then
  if [[ -n "${ROLLGATE_KUBECONFIG:-}" ]]; then
    kubeconfig="$ROLLGATE_KUBECONFIG"
  else
    kubeconfig="${KUBECONFIG:-$HOME/.kube/config}"
    kubeconfig="${kubeconfig%%:*}"
  fi
  [[ -f "$kubeconfig" ]] || die "no kubeconfig at $kubeconfig"
  kubectl_bin=kubectl
  say "Using the cluster of $kubeconfig"
  echo "$kubeconfig" > "$STATE/cluster"
  extra+=(-Drollgate.demo.inClusterOperator=true)
  [[ -n "${ROLLGATE_DEMO_IMAGE_REPOSITORY:-}" ]] && extra+=(-Drollgate.demo.imageRepository="$ROLLGATE_DEMO_IMAGE_REPOSITORY")
else
  say "Starting the local Kubernetes (etcd, kube-apiserver, controller manager, scheduler, KWOK, the real node) on 127.0.0.1"
  # up.sh builds the binaries on first use (progress on stderr) and prints KEY=VALUE lines on stdout.
  up_out="$("$ROOT/e2e/cluster/up.sh")"
  kubeconfig="$(sed -n 's/^KUBECONFIG=//p' <<<"$up_out")"
  kubectl_bin="$(sed -n 's/^ROLLGATE_KUBECTL=//p' <<<"$up_out")"
  [[ -n "$kubeconfig" && -n "$kubectl_bin" ]] || die "e2e/cluster/up.sh did not report its kubeconfig: $up_out"
  echo "    cluster $(sed -n 's/^ROLLGATE_CLUSTER=//p' <<<"$up_out"), API server $(sed -n 's/^ROLLGATE_API_SERVER=//p' <<<"$up_out")"
  real_node="$(sed -n 's/^ROLLGATE_REAL_NODE=//p' <<<"$up_out")"
  if $simulated; then
    echo "    simulated pods (--simulated): readiness follows the image-tag rules of e2e/cluster/stages.yaml"
  elif [[ "$real_node" == ready:* ]]; then
    echo "    real node ${real_node#ready: }: the clinic runs in real containers; the kubelet probes it"
  else
    echo "    no real node here (${real_node#unavailable: }): simulated pods instead"
  fi
  echo local > "$STATE/cluster"
  # the demo's JVM uses this cluster as an existing one: tell it about the real node and the scripts
  extra+=(-Drollgate.realNode="$real_node" -Drollgate.clusterScripts="$ROOT/e2e/cluster")
fi
rm -f "$STATE/try-next"

run_demo_main "$kubeconfig" run "${extra[@]}" || die "see above"

# what to try next: on the real node, the release that exits at start (built by the demo)
hint_what="never gets ready"; hint_image="rollgate/clinic:1.3.0-unready"
if ! $simulated && [[ "${real_node:-}" == ready:* ]]; then
  hint_what="exits at start"
  hint_image="$(cat "$STATE/try-next" 2>/dev/null || echo "rollgate/clinic:<version>-crash")"
fi
path_line=""
[[ "$kubectl_bin" == */* ]] && path_line="    export PATH=$(dirname "$kubectl_bin"):\$PATH    # kubectl $("$kubectl_bin" version --client 2>/dev/null | sed -n 's/^Client Version: //p')"
cat <<EOF

The cluster and the operator keep running ($(( $(date +%s) - started )) s in all). Look around:

    export KUBECONFIG=$kubeconfig
${path_line}
    kubectl get apid -A
    kubectl describe apid clinic -n clinic-demo
    kubectl get deployments,statefulsets,pods -n clinic-demo
    kubectl get apid clinic -n clinic-demo -w      # in a second terminal, then roll an image that ${hint_what}:
    kubectl patch apid clinic -n clinic-demo --type=merge -p '{"spec":{"image":"${hint_image}"}}'
    tail -f $STATE/operator.log

Tear it all down with:  e2e/demo.sh down
EOF
