#!/usr/bin/env bash
# A private PostgreSQL cluster on a loopback port, for the tests (scripts/test,
# tests/support/postgres.rs) and the PostgreSQL benchmark.
#
#   tests/support/pg-cluster.sh start DIR [--tls]   create (once) and start a cluster in DIR; print its URL
#   tests/support/pg-cluster.sh stop DIR            stop it and delete DIR
#   tests/support/pg-cluster.sh kill DIR            SIGKILL the server (a crash); `start DIR` restarts it
#
# The URL is postgres://socctl:socctl-test@127.0.0.1:PORT/postgres (password
# authentication, so wrong passwords can be tested). With --tls the server also speaks TLS
# with a certificate for "localhost" signed by a throw-away CA in DIR/ca.pem. Runs the
# server as the `postgres` user when started as root (PostgreSQL refuses to run as root).
# Exit status 3: no PostgreSQL server binaries are installed.
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|kill DIR [--tls]" >&2; exit 2; }

bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg.sh: no PostgreSQL server found (install Debian's postgresql package)" >&2
  exit 3
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$command" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    chmod 0700 "$dir"
    runuser -u postgres -- test -x "$dir" \
      || { echo "pg.sh: the postgres user cannot reach $dir; use a directory like /tmp/NAME" >&2; exit 1; }
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" >"$dir/port"
    echo "socctl-test" >"$dir/password"
    chmod 0600 "$dir/password" "$dir/port"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/password" "$dir/port"
    as_owner "$bindir/initdb" -D "$dir/data" -U socctl --pwfile="$dir/password" \
      --auth=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = '$dir'"
      echo "max_connections = 300"
      # A test cluster: speed over durability of the whole machine (no fsync); a killed
      # server still recovers what it wrote (the kernel keeps it). Commits stay
      # synchronous: with synchronous_commit off, a server killed just after a commit
      # loses that transaction, which the kill test rightly reports as a lost import.
      echo "fsync = off"
      echo "full_page_writes = off"
    } >>"$dir/data/postgresql.conf"
    if [ "${3:-}" = "--tls" ]; then
      (
        cd "$dir"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=socctl test CA" \
          -keyout ca.key -out ca.pem >/dev/null 2>&1
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
          -keyout server.key -out server.csr >/dev/null 2>&1
        printf 'subjectAltName=DNS:localhost\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
          -extfile server.ext -out server.pem >/dev/null 2>&1
        chmod 0600 server.key
        chmod 0644 ca.pem
        [ "$(id -u)" = 0 ] && chown postgres: server.key server.pem ca.pem
      )
      {
        echo "ssl = on"
        echo "ssl_cert_file = '$dir/server.pem'"
        echo "ssl_key_file = '$dir/server.key'"
      } >>"$dir/data/postgresql.conf"
    fi
  fi
  port=$(cat "$dir/port")
  # After a crash the old server's processes may still be leaving.
  for _ in $(seq 1 50); do
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
      echo "postgres://socctl:socctl-test@127.0.0.1:$port/postgres"
      exit 0
    fi
    sleep 0.2
  done
  tail -n 20 "$dir/server.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
kill)
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  kill -9 "$pid"
  # Its other processes exit once they notice it is gone; `start` waits for them.
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  ;;
*)
  echo "usage: $0 start|stop|kill DIR [--tls]" >&2
  exit 2
  ;;
esac
