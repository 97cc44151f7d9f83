#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the server tests and prints its URL.
# PostgreSQL refuses to run as root, so the cluster belongs to the postgres system user.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }
port=${RW_TEST_PG_PORT:-55432}
# A port already taken (another run's cluster, or anything else) moves this cluster to the next free one;
# the URL printed says which.
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
data=$(mktemp -d /tmp/rw-pg-XXXXXX)
chown postgres:postgres "$data"
runuser -u postgres -- "$bin/initdb" -D "$data" -A trust -U postgres --no-instructions >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres rw_test
echo "postgres://postgres@127.0.0.1:$port/rw_test"
