#!/usr/bin/env bash
# Stops the throwaway cluster scripts/start-test-postgres.sh started for URL and removes its folder (the
# folder is the socket directory holding the port's lock file). Nothing to stop is not an error.
set -euo pipefail
url=${1:?usage: stop-test-postgres.sh postgres://…:PORT/…}
port=$(sed -E 's#^postgres://[^/]*:([0-9]+)/.*$#\1#' <<<"$url")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
for data in /tmp/rw-pg-*; do
  [ -e "$data/.s.PGSQL.$port.lock" ] || continue
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
  rm -rf "$data"
done
