#!/usr/bin/env bash
# Make sure the PostgreSQL server the test suite uses is up; start it if it is not, fail loudly if
# it cannot be reached. Used by `make test` (and so by CI).
set -euo pipefail
HOST=${HOSHIN_PG_HOST:-127.0.0.1}
PORT=${HOSHIN_PG_PORT:-5432}

pg_up() { pg_isready -h "$HOST" -p "$PORT" -q 2>/dev/null; }

if ! pg_up; then
  echo "PostgreSQL is not answering on $HOST:$PORT; trying to start it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! pg_up; then
  echo "FATAL: PostgreSQL at $HOST:$PORT cannot be reached; the PostgreSQL test suite cannot run." >&2
  exit 1
fi
psql -h "$HOST" -p "$PORT" -d test -Atc 'select 1' >/dev/null \
  || { echo "FATAL: PostgreSQL is up but database 'test' is not reachable with trust auth" >&2; exit 1; }
echo "PostgreSQL ready at $HOST:$PORT" >&2
