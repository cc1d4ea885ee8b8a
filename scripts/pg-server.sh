#!/usr/bin/env bash
# A throwaway PostgreSQL server for development and benchmarks, with default settings, on loopback.
#
#   eval "$(scripts/pg-server.sh start /tmp/registry-pg)"   # starts it; exports REGISTRY_TEST_PG and REGISTRY_BENCH_PG
#   scripts/pg-server.sh stop /tmp/registry-pg              # stops it and removes the directory
#   scripts/pg-server.sh crash /tmp/registry-pg             # stops it in immediate mode (a crash: no checkpoint)
#   scripts/pg-server.sh restart /tmp/registry-pg           # starts it again on the same port (crash recovery)
#
# When run as root, initdb and the server run as the `postgres` user. The tests do not need this script: they
# start and stop a private server themselves (Tests/PostgresStoreTests/TestServer.swift) unless REGISTRY_TEST_PG
# or PGHOST names one.
set -euo pipefail
cmd=${1:?usage: pg-server.sh start|stop|crash|restart DIR}
dir=${2:?usage: pg-server.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
    echo "$port" >"$dir/port"
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres registry
    echo "export REGISTRY_TEST_PG='host=127.0.0.1 port=$port user=postgres dbname=registry'"
    echo "export REGISTRY_BENCH_PG='host=127.0.0.1 port=$port user=postgres dbname=registry'"
    ;;
crash)
    as_pg "$bin/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null
    ;;
restart)
    port=$(cat "$dir/port")
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*) echo "usage: pg-server.sh start|stop|crash|restart DIR" >&2; exit 2 ;;
esac
