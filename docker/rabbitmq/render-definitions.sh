#!/bin/sh
# Writes the definitions RabbitMQ loads at boot (rabbitmq.conf: load_definitions) from the
# committed template, then starts the broker. A definitions file cannot read the environment,
# so the bridge user's password is filled in here.
set -eu

template=/etc/rabbitmq/definitions.template.json
out_dir=/tmp/rabbitmq-definitions
password=${BRIDGE_AMQP_PASSWORD:-}

if [ -z "$password" ]; then
  echo "render-definitions: BRIDGE_AMQP_PASSWORD must be set" >&2
  exit 1
fi
# The password also goes verbatim into the bridge's AMQP_URL, so it must be URL-safe; the same
# rule keeps it safe inside JSON and the sed replacement below.
case "$password" in
  *[!A-Za-z0-9._~-]*)
    echo "render-definitions: BRIDGE_AMQP_PASSWORD may hold only letters, digits and . _ ~ -" >&2
    exit 1
    ;;
esac

mkdir -p "$out_dir"
if [ "${BRIDGE_AMQP_LOCAL_GUEST:-false}" = "true" ]; then
  drop_guest=''
else
  # The guest user and its permission are one line each in the template, first in their lists.
  drop_guest='/"guest"/d'
fi
sed -e "$drop_guest" -e "s/@@BRIDGE_AMQP_PASSWORD@@/$password/" "$template" >"$out_dir/definitions.json"
chmod 0644 "$out_dir/definitions.json"

exec docker-entrypoint.sh "$@"
