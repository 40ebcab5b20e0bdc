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

# Redis carries the background-job queue in the queue tests.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis is not answering on 127.0.0.1:6379; trying to start it" >&2
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
  || { echo "FATAL: Redis at 127.0.0.1:6379 cannot be reached; the job-queue tests cannot run." >&2; exit 1; }
echo "Redis ready at 127.0.0.1:6379" >&2
