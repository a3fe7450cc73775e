#!/bin/sh
# Runs once, when the database volume is first initialized: the role the bridge connects as.
# It owns the bridge database (the migration creates its tables) and is not a superuser, so a
# leaked DATABASE_URL reaches the bridge's data and nothing else on the server.
set -eu
if [ -z "${BRIDGE_DB_PASSWORD:-}" ]; then
  echo "init-bridge-role: BRIDGE_DB_PASSWORD must be set (run docker/init-env.sh)" >&2
  exit 1
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$BRIDGE_DB_PASSWORD" <<'SQL'
CREATE ROLE bridge LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
ALTER DATABASE bridge OWNER TO bridge;
ALTER SCHEMA public OWNER TO bridge;
SQL
