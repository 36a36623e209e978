#!/bin/sh
# The image's command: the role first, then that process's own arguments. Heap
# limits as in package.json's scripts (NODE_OPTIONS may add more).
set -eu
role=${1:-start}
[ $# -gt 0 ] && shift
cd /app
case "$role" in
  ingest) exec node --max-semi-space-size=4 --max-old-space-size=96 packages/ingest/dist/main.js "$@" ;;
  api) exec node --max-semi-space-size=4 --max-old-space-size=128 packages/api/dist/main.js "$@" ;;
  worker) exec node --max-semi-space-size=16 --max-old-space-size=128 packages/worker/dist/main.js "$@" ;;
  migrate) exec node packages/db/dist/bin/migrate.js "$@" ;;
  start) exec node --max-semi-space-size=8 --max-old-space-size=160 packages/standalone/dist/main.js "$@" ;;
  *)
    echo "kyc-webhooks: unknown role '$role'; the first argument is one of: ingest, api, worker, migrate, start" >&2
    exit 64
    ;;
esac
