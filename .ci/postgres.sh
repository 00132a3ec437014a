# Prints a PostgreSQL URL that the storage tests can use, starting a server if needed.
# The server refuses to run as root, so a throwaway cluster runs as the postgres user.

pg_ready() { pg_isready -q -h 127.0.0.1 -p "$1" 2>/dev/null; }

ensure_postgres() {
  if pg_ready 5432; then
    echo "postgresql://postgres@127.0.0.1:5432/test"
    return
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start >&2 || true
    sleep 2
    if pg_ready 5432; then
      echo "postgresql://postgres@127.0.0.1:5432/test"
      return
    fi
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  fi
  local bin data port=55432
  bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)")"
  data="$(mktemp -d /tmp/backpace-pg.XXXXXX)"
  chown postgres "$data"
  su postgres -c "$bin/initdb -D $data -A trust -U postgres" >&2
  su postgres -c "$bin/pg_ctl -D $data -o '-p $port -c listen_addresses=127.0.0.1 -k $data' -l $data/log start" >&2
  for _ in $(seq 30); do pg_ready "$port" && break; sleep 1; done
  su postgres -c "$bin/createdb -h 127.0.0.1 -p $port test" >&2 || true
  echo "postgresql://postgres@127.0.0.1:$port/test"
}
