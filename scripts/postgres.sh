#!/usr/bin/env bash
# A local PostgreSQL cluster of Debian's postgresql package, for `ledger devnet --analytics` (and anyone who wants one
# by hand), the way the tests make theirs (tests/Ledger.TestKit/PostgresCluster.cs): initdb into a folder, trust
# authentication for the superuser "ledger" on 127.0.0.1 only, the socket in that folder; as the postgres user when run
# as root (PostgreSQL refuses to run as root).
#
#   scripts/postgres.sh init DIR            initdb into DIR/data (once) and create the database "ledger"
#   scripts/postgres.sh run DIR PORT        run the server in the foreground on 127.0.0.1:PORT until SIGTERM or SIGINT
#                                           (then a fast shutdown: sessions are ended, nothing committed is lost)
#
# The connection string is then: Host=127.0.0.1;Port=PORT;Username=ledger;Database=ledger
set -euo pipefail

usage() { echo "usage: $0 init DIR | run DIR PORT" >&2; exit 2; }
[ $# -ge 2 ] || usage
verb=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
data="$dir/data"

bin=""
if command -v initdb >/dev/null 2>&1 && [ -x "$(dirname "$(readlink -f "$(command -v initdb)")")/pg_ctl" ]; then
  bin=$(dirname "$(readlink -f "$(command -v initdb)")")
else
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$candidate/initdb" ]; then bin=$candidate; break; fi
  done
fi
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql/*/bin): apt-get install postgresql" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "running as root needs the postgres user (Debian's postgresql package makes it)" >&2; exit 2; }
  # The postgres user must reach DIR; a folder above it that only root may enter (/root, a mktemp -d) stops it. Then
  # the cluster lives in /tmp under a name of DIR's path instead: the same for init and run, and a lost cluster only
  # means the indexer starts again from block 1.
  if ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
    dir="/tmp/ledger-pg-$(printf '%s' "$dir" | sha256sum | cut -c1-16)"
    mkdir -p "$dir"
    data="$dir/data"
    [ "$verb" = init ] && echo "the postgres user cannot enter $(dirname "$2"): the cluster is kept in $dir" >&2
  fi
  chown postgres: "$dir"
  chmod 0700 "$dir"
fi

case "$verb" in
  init)
    [ $# -eq 2 ] || usage
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" -U ledger --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if [ ! -f "$dir/created" ]; then
      # A private port for the one-off start: nothing else can connect while the database is made.
      port=$(( 20000 + RANDOM % 20000 ))
      as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses='' -c unix_socket_directories=$dir" start >/dev/null
      status=0
      as_owner "$bin/psql" -h "$dir" -p "$port" -U ledger -d postgres -qAt -c "CREATE DATABASE ledger" >/dev/null || status=$?
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
      [ $status -eq 0 ] || exit 1
      touch "$dir/created"
    fi
    ;;
  run)
    [ $# -eq 3 ] || usage
    port=$3
    [ -f "$data/PG_VERSION" ] || { echo "$data holds no cluster: run '$0 init $2' first" >&2; exit 2; }
    # A server killed without a shutdown leaves its pid file; postgres itself checks that the pid is not alive.
    as_owner "$bin/postgres" -D "$data" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir" \
      -c logging_collector=off &
    server=$!
    # SIGTERM to postgres is a "smart" shutdown that waits for every client; the devnet wants a fast one (SIGINT).
    # The signal goes to the postmaster itself (its pid heads postmaster.pid): runuser does not pass SIGINT on.
    stop_server() { kill -INT "$(head -1 "$data/postmaster.pid" 2>/dev/null)" 2>/dev/null || kill -INT $server 2>/dev/null || true; }
    trap stop_server TERM INT
    # Started by `ledger devnet` (LEDGER_DEVNET_PID): stop when the devnet is gone, even SIGKILLed.
    if [ -n "${LEDGER_DEVNET_PID:-}" ]; then
      ( while kill -0 "$LEDGER_DEVNET_PID" 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; stop_server ) &
    fi
    wait $server || true
    wait $server 2>/dev/null || true
    ;;
  *) usage ;;
esac
