#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (SALESOPS_TEST_PG), from the operating system's
# packages (Debian: initdb and postgres under /usr/lib/postgresql/*/bin).
#
#   bash tests/tools/pg.sh start DIR   # a new server with its data in DIR (which must not exist or be
#                                      # empty), listening on a free port of 127.0.0.1 only, trust
#                                      # authentication, fsync off; prints its admin URL on stdout:
#                                      # postgres://USER@127.0.0.1:PORT/postgres
#   bash tests/tools/pg.sh stop DIR    # stops that server and removes DIR
#
# PostgreSQL refuses to run as root: run as root, the server runs as the `postgres` system user (the
# Debian package creates it), which owns DIR, and the URL's user is `postgres`. Everything but the URL
# goes to stderr; the server's own log is DIR/log.
set -euo pipefail

die() {
  echo "pg.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: bash tests/tools/pg.sh start DIR | stop DIR" >&2
  exit 2
}

# The directory of initdb, postgres, pg_ctl and pg_isready: PATH first, then the newest Debian version.
find_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dir=$(dirname "$(readlink -f "$(command -v initdb)")")
    [ -x "$dir/postgres" ] && { echo "$dir"; return 0; }
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# Run a command as the server's user: ourselves, or `postgres` when we are root.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A TCP port of 127.0.0.1 that nothing listens on now (asked of the kernel, so it is really free).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

start() {
  local dir=$1 bin user port url
  bin=$(find_bin) || die "PostgreSQL is not installed (no initdb): apt-get install postgresql"
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir is not empty: give a new folder (pg.sh stop removes it)"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres system user (apt-get install postgresql)"
    user=postgres
    chown postgres: "$dir"
    chmod 700 "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the postgres user cannot reach $dir (a parent folder is closed to it): choose a folder it can enter, e.g. under /tmp"
  else
    user=$(id -un)
  fi
  # initdb wants an empty folder of its own; DIR holds it beside the log and the socket folder.
  as_server_user "$bin/initdb" --pgdata="$dir/data" --username="$user" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 ||
    as_server_user "$bin/initdb" --pgdata="$dir/data" --username="$user" --auth=trust \
      --encoding=UTF8 --locale=C --no-instructions >"$dir/initdb.log" 2>&1 ||
    die "initdb failed in $dir/data: $(tail -n 5 "$dir/initdb.log")"
  as_server_user mkdir -p "$dir/socket"
  # Another process may take the port between the choice and the listen: try a few.
  local tries=0
  while :; do
    port=$(free_port)
    # fsync and its kin off: the data is thrown away, and the tests should not wait on the disk.
    if as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/log" --wait --timeout=60 \
      --options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >"$dir/pg_ctl.log" 2>&1; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then
      die "the server did not start: $(tail -n 5 "$dir/log" 2>/dev/null || cat "$dir/pg_ctl.log")"
    fi
  done
  echo "$port" >"$dir/port"
  echo "$bin" >"$dir/bin"
  # pg_ctl --wait already waits for the server to accept connections; check it over TCP as the
  # tests will connect.
  local waited=0
  until "$bin/pg_isready" --host=127.0.0.1 --port="$port" --username="$user" --dbname=postgres \
    --quiet; do
    waited=$((waited + 1))
    [ "$waited" -ge 60 ] && die "the server on port $port does not accept connections: see $dir/log"
    sleep 0.5
  done
  url="postgres://$user@127.0.0.1:$port/postgres"
  echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $dir on $url" >&2
  echo "$url"
}

stop() {
  local dir=$1 bin
  [ -d "$dir" ] || die "$dir does not exist"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/data/PG_VERSION" ] || die "$dir holds no server of pg.sh (no data/PG_VERSION): left as it is"
  bin=$(cat "$dir/bin" 2>/dev/null || find_bin) || die "PostgreSQL is not installed"
  if [ -f "$dir/data/postmaster.pid" ]; then
    # Immediate: nothing in it is worth a clean shutdown's checkpoint.
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --timeout=60 stop \
      >/dev/null 2>&1 || die "the server in $dir did not stop: $(tail -n 5 "$dir/log" 2>/dev/null)"
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
