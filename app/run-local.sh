#!/usr/bin/env bash
# Runs clinic against a throwaway PostgreSQL that this script starts and stops itself.
#   app/run-local.sh            # api role on http://127.0.0.1:8080
#   CLINIC_ROLE=worker app/run-local.sh
# PostgreSQL lives in app/target/local-pg (as root: a fresh /tmp/rollgate-local-pg-* folder, removed on exit), listens on 127.0.0.1 only, on a free port,
# and is stopped (by the PID in its postmaster.pid) when this script exits, however it exits.
set -euo pipefail
app_dir="$(cd "$(dirname "$0")" && pwd)"
root_dir="$(dirname "$app_dir")"

bindir="${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || true)}"
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  bindir=/usr/lib/postgresql/15/bin
fi
if [[ ! -x "$bindir/initdb" ]]; then
  echo "PostgreSQL server binaries not found: install the postgresql-15 package (or set PG_BINDIR)." >&2
  exit 1
fi

# initdb refuses to run as root; run the server as the postgres user then.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# As root the server runs as postgres, which may not traverse the checkout (e.g. a clone under a
# 0700 folder): its files then go to a fresh folder under /tmp, removed on exit.
if [[ $EUID -eq 0 ]]; then
  pg_root="$(mktemp -d /tmp/rollgate-local-pg-XXXXXX)"
else
  pg_root="$app_dir/target/local-pg"
  rm -rf "$pg_root"
fi
mkdir -p "$pg_root/socket"
if [[ $EUID -eq 0 ]]; then chown -R postgres: "$pg_root"; fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

echo clinic > "$pg_root/pwfile"
as_pg "$bindir/initdb" -D "$pg_root/data" -U clinic --pwfile="$pg_root/pwfile" --auth-host=scram-sha-256 \
  --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$pg_root/initdb.log"
echo "CREATE DATABASE clinic" | as_pg "$bindir/postgres" --single -D "$pg_root/data" postgres >/dev/null

app_pid=""
cleanup() {
  if [[ -n "$app_pid" ]]; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  local pid_file="$pg_root/data/postmaster.pid"
  if [[ -f "$pid_file" ]]; then
    local pid; pid="$(head -1 "$pid_file")"
    echo "Stopping PostgreSQL (pid $pid)"
    kill -INT "$pid" 2>/dev/null || true   # SIGINT = fast shutdown
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  if [[ $EUID -eq 0 ]]; then rm -rf "$pg_root"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg "$bindir/pg_ctl" -D "$pg_root/data" -l "$pg_root/postgres.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_root/socket" start >/dev/null
echo "PostgreSQL on 127.0.0.1:$port (data in $pg_root)"

jar="$app_dir/target/quarkus-app/quarkus-run.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$root_dir" && ./mvnw -B -q -pl app -DskipTests package)
fi

export CLINIC_DB_URL="jdbc:postgresql://127.0.0.1:$port/clinic"
export CLINIC_DB_USER=clinic CLINIC_DB_PASSWORD=clinic
export CLINIC_HTTP_PORT="${CLINIC_HTTP_PORT:-8080}"
echo "clinic (${CLINIC_ROLE:-api}) on http://127.0.0.1:$CLINIC_HTTP_PORT — try /api/info, /q/health/ready; Ctrl-C stops both"
java -Dquarkus.http.host=127.0.0.1 -jar "$jar" &
app_pid=$!
wait "$app_pid"
