#!/usr/bin/env bash
# Starts or stops a private PostgreSQL 15 server for the tests, on 127.0.0.1 and a free port.
#   scripts/postgres.sh start DIR   initialise DIR (if new), start the server, print its URL
#   scripts/postgres.sh stop DIR    stop the server started in DIR
#   scripts/postgres.sh stop DIR immediate   stop it as a crash would (no checkpoint; the next
#                                   start recovers from the WAL), as the simulation does
# The server refuses to run as root, so as root it runs as the `postgres` user, which owns DIR.
set -euo pipefail

action=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
bindir=$(pg_config --bindir)
[[ -x "$bindir/initdb" ]] || bindir=/usr/lib/postgresql/15/bin

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
      chmod a+x "$(dirname "$dir")"   # the postgres user must reach DIR
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # The superuser (the tests' and benchmarks' admin URL) is trusted on this machine; every other
    # role (a node, the old system's reader) logs in with its password (SCRAM), so a counter's
    # password must really reach libpq, from its URL or its passfile.
    as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<'HBA'
local all all                   trust
host  all postgres 127.0.0.1/32 trust
host  all postgres ::1/128      trust
host  all all      127.0.0.1/32 scram-sha-256
host  all all      ::1/128      scram-sha-256
HBA
    # A restarted server keeps its port, so its clients' URLs stay valid.
    if [[ -f "$dir/port" ]]; then
      port=$(cat "$dir/port")
    else
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    mode=fast
    [[ "${3:-}" == immediate ]] && mode=immediate
    [[ -f "$dir/data/postmaster.pid" ]] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null || true
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2; exit 64 ;;
esac
