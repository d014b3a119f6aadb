#!/usr/bin/env bash
# db.sh: print a DATABASE_URL to use. When DATABASE_URL is set it is printed as
# is. Otherwise a project-local PostgreSQL cluster is started (or reused) in
# .local/pg on 127.0.0.1 (port: see below), installing the server from apt
# when its binaries are missing. Idempotent; all chatter goes to stderr.
# An optional argument names the database (default juta): `make demo` keeps
# the simulator's sessions in juta_demo, apart from the real ones of `make run`.
set -euo pipefail
dbname=${1:-juta}
case "$dbname" in *[!a-z0-9_]*|'') echo "db.sh: bad database name '$dbname'" >&2; exit 2;; esac

if [ -n "${DATABASE_URL:-}" ]; then
  echo "$DATABASE_URL"
  exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.local/pg/data"
log="$root/.local/pg/server.log"

say() { echo "db.sh: $*" >&2; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port: JUTA_PG_PORT when given; else the one this checkout's cluster was
# made with; else the first free one from 54329, so that a second checkout on
# the same machine (another clone, CI) gets a cluster of its own.
if [ -n "${JUTA_PG_PORT:-}" ]; then
  port=$JUTA_PG_PORT
elif [ -f "$data/postgresql.conf" ] && grep -qE '^port = [0-9]+' "$data/postgresql.conf"; then
  port=$(grep -E '^port = [0-9]+' "$data/postgresql.conf" | tail -1 | tr -dc '0-9')
else
  port=54329
  while port_busy "$port"; do
    port=$((port + 1))
    [ "$port" -le 54429 ] || { say "no free port in 54329-54429; set JUTA_PG_PORT"; exit 1; }
  done
fi
url="postgres://juta@127.0.0.1:$port/$dbname?sslmode=disable"

find_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  say "PostgreSQL server binaries missing; installing the postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  bindir=$(find_bindir)
fi

# The server refuses to run as root: run it as the postgres system user.
runas=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /nonexistent --shell /usr/sbin/nologin postgres
  runas=(runuser -u postgres --)
fi

mkdir -p "$root/.local/pg"
if [ "$(id -u)" = 0 ]; then chown postgres "$root/.local/pg"; fi

if [ ! -f "$data/PG_VERSION" ]; then
  say "initialising a local cluster in .local/pg"
  "${runas[@]}" "$bindir/initdb" -D "$data" -U juta --auth=trust -E UTF8 --locale=C.UTF-8 >&2
  cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
CONF
fi

if ! "${runas[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  if port_busy "$port"; then
    say "port $port is taken by another server; stop it or set JUTA_PG_PORT"
    exit 1
  fi
  say "starting PostgreSQL on 127.0.0.1:$port"
  "${runas[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 -o "-p $port" start >&2
fi

if ! "$bindir/psql" "postgres://juta@127.0.0.1:$port/postgres" -tAc "select 1 from pg_database where datname='$dbname'" | grep -q 1; then
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U juta "$dbname"
fi
echo "$url"
