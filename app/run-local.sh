#!/usr/bin/env bash
# Runs clinic against a throwaway PostgreSQL that this script starts and stops itself.
#   app/run-local.sh            # api role on http://127.0.0.1:8080
#   CLINIC_ROLE=worker app/run-local.sh
# PostgreSQL is the one the tests use (LocalPostgres, a test class, drives PostgresServer): it lives in
# app/target/pg/local (as root: a fresh /tmp/rollgate-pg-local-* folder, removed on exit), listens on
# 127.0.0.1 only, on a free port, and is stopped when this script exits, however it exits.
set -euo pipefail
app_dir="$(cd "$(dirname "$0")" && pwd)"
root_dir="$(dirname "$app_dir")"

pg_pid="" pg_in="" app_pid=""
cleanup() {
  # clinic first, so that it does not log a lost database on its way out
  if [[ -n "$app_pid" ]]; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  # The end of its stdin tells the launcher to stop PostgreSQL (fast shutdown) and exit.
  if [[ -n "$pg_in" ]]; then exec {pg_in}>&-; fi
  if [[ -n "$pg_pid" ]]; then wait "$pg_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jar="$app_dir/target/quarkus-app/quarkus-run.jar"
launcher="dev.rollgate.clinic.testing.LocalPostgres"
# package compiles the test classes too, without running them.
if [[ ! -f "$jar" || ! -f "$app_dir/target/test-classes/${launcher//.//}.class" ]]; then
  (cd "$root_dir" && ./mvnw -B -q -pl app -DskipTests package)
fi

# Run from app/: without root, PostgresServer puts its files under target/pg there.
coproc pg { cd "$app_dir" && exec java -cp "$app_dir/target/test-classes" "$launcher"; }
pg_pid=$pg_PID
# Own copies of the pipe ends (bash drops pg[] as soon as the launcher exits), and only those: closing
# pg_in must be the launcher's end of input. Holding it open keeps the launcher running; if this script
# dies, even by kill -9, the kernel closes the pipe and the launcher stops PostgreSQL.
exec {pg_in}>&"${pg[1]}" {pg_out}<&"${pg[0]}"
fd="${pg[1]}"; exec {fd}>&-
fd="${pg[0]}"; exec {fd}<&-

db_url=""
while IFS= read -r line <&"$pg_out"; do
  if [[ "$line" == CLINIC_DB_URL=* ]]; then db_url="${line#CLINIC_DB_URL=}"; break; fi
done
if [[ -z "$db_url" ]]; then
  echo "PostgreSQL did not start: see the launcher's messages above." >&2
  exit 1
fi

export CLINIC_DB_URL="$db_url"
export CLINIC_DB_USER=clinic CLINIC_DB_PASSWORD=clinic
export CLINIC_HTTP_PORT="${CLINIC_HTTP_PORT:-8080}"
echo "clinic (${CLINIC_ROLE:-api}) on http://127.0.0.1:$CLINIC_HTTP_PORT — try /api/info, /q/health/ready; Ctrl-C stops both"
# Without the launcher's pipe ends: clinic must not keep PostgreSQL alive should this script be killed.
java -Dquarkus.http.host=127.0.0.1 -jar "$jar" {pg_in}>&- {pg_out}<&- &
app_pid=$!
wait "$app_pid"
