#!/usr/bin/env bash
# Brings up PostgreSQL, Redis and RabbitMQ for the bridge on this machine and waits until each
# answers. Uses a service that already answers; starts one that is installed but stopped; uses
# docker compose when a Docker engine runs; otherwise says exactly what to install.
set -uo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_PORT=6379 AMQP_PORT=5672
here=$(cd "$(dirname "$0")/.." && pwd)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_ok() { pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null || port_open "$PG_PORT"; }
redis_ok() {
  if command -v redis-cli >/dev/null; then [ "$(redis-cli -h 127.0.0.1 -p $REDIS_PORT ping 2>/dev/null)" = PONG ]; else port_open "$REDIS_PORT"; fi
}
amqp_ok() { port_open "$AMQP_PORT"; }

wait_for() { # name check seconds
  local name=$1 check=$2 left=$3
  until $check; do
    left=$((left - 1))
    if [ "$left" -le 0 ]; then echo "services-up: $name did not answer in time" >&2; return 1; fi
    sleep 1
  done
  echo "services-up: $name is up"
}

if pg_ok && redis_ok && amqp_ok; then
  echo "services-up: PostgreSQL, Redis and RabbitMQ already answer"
  exit 0
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1 && ! command -v pg_ctlcluster >/dev/null; then
  echo "services-up: starting the services with docker compose"
  docker compose -f "$here/docker/compose.yaml" -f "$here/docker/compose.dev.yaml" up -d postgres redis rabbitmq || exit 1
else
  missing=()
  if ! pg_ok; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      version=$(ls /etc/postgresql | sort -V | tail -1)
      echo "services-up: starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    else missing+=("postgresql (apt-get install -y postgresql)"); fi
  fi
  if ! redis_ok; then
    if command -v redis-server >/dev/null; then
      echo "services-up: starting Redis"
      mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
      redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    else missing+=("redis (apt-get install -y redis-server)"); fi
  fi
  if ! amqp_ok; then
    if command -v rabbitmq-server >/dev/null; then
      echo "services-up: starting RabbitMQ"
      rabbitmq-server -detached || true
      rabbitmqctl await_startup >/dev/null 2>&1 || true
    else missing+=("rabbitmq (apt-get install -y rabbitmq-server)"); fi
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "services-up: these services are neither running nor installed: ${missing[*]}" >&2
    echo "services-up: install them, or run a Docker engine and use docker/compose.yaml" >&2
    exit 1
  fi
fi

wait_for PostgreSQL pg_ok 60 && wait_for Redis redis_ok 30 && wait_for RabbitMQ amqp_ok 120
