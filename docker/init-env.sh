#!/bin/sh
# Writes docker/.env once, with a fresh secret for everything that needs one. The file stays on
# the host (never in the image: .dockerignore leaves it out); docker compose reads it on every
# `up`. An existing file is never overwritten: BRIDGE_SECRET_KEY decrypts the stored agency
# credentials, and a new one would lose them. Add your own settings (LOG_LEVEL, the agencies'
# BRIDGE_AGENCY_* secrets, ...) to the same file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
env_file="$here/.env"
key_file="$here/prometheus/metrics-key"

# Hex only: every value also goes verbatim into a URL.
secret() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

if [ -e "$env_file" ]; then
  echo "init-env: $env_file exists; keeping it"
else
  umask 077
  db=$(secret 24) redis=$(secret 24) amqp=$(secret 24)
  cat >"$env_file" <<ENV
# Written by docker/init-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Keep a copy somewhere safe:
# BRIDGE_SECRET_KEY decrypts the agencies' stored credentials.
BRIDGE_SECRET_KEY=$(secret 32)
BRIDGE_BOOTSTRAP_ADMIN_KEY=$(secret 24)
POSTGRES_PASSWORD=$(secret 24)
BRIDGE_DB_PASSWORD=$db
DATABASE_URL=postgres://bridge:$db@postgres:5432/bridge
REDIS_PASSWORD=$redis
REDIS_URL=redis://:$redis@redis:6379
BRIDGE_AMQP_PASSWORD=$amqp
AMQP_URL=amqp://bridge:$amqp@rabbitmq:5672
GRAFANA_ADMIN_PASSWORD=$(secret 16)
LOG_LEVEL=info
ENV
  echo "init-env: wrote $env_file"
fi
# Prometheus mounts this file; until it holds an operator key its scrapes are refused (401).
# Readable by the Prometheus container's own user.
if [ ! -e "$key_file" ]; then : >"$key_file" && chmod 0644 "$key_file"; fi
