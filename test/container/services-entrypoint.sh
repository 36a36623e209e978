#!/bin/sh
# `redis-server ...` or `postgres ...`, as the official images run them.
set -eu
case "${1:-}" in
  redis-server)
    exec "$@"
    ;;
  postgres)
    shift
    as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
    mkdir -p "$PGDATA" /run/postgresql
    chown postgres:postgres "$PGDATA" /run/postgresql
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      printf '%s\n' "${POSTGRES_PASSWORD:?}" >/tmp/pw
      chown postgres /tmp/pw
      as_postgres initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile=/tmp/pw \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
      rm /tmp/pw
      echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
      if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
        echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"${POSTGRES_USER:-postgres}\";" \
          | as_postgres postgres --single -D "$PGDATA" postgres >/dev/null
      fi
    fi
    exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
