#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster (creating it if needed) and a `mamori` role for the tests.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q .; then pg_createcluster "$version" main >/dev/null; fi
cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
status=$(pg_lsclusters -h | head -1 | awk '{print $4}')
if [ "$status" != "online" ]; then pg_ctlcluster $cluster start; fi
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qv ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mamori') THEN
    CREATE ROLE mamori LOGIN CREATEDB PASSWORD 'mamori';
  END IF;
END $$;
SQL
echo "PostgreSQL $version is up on 127.0.0.1:5432 (role mamori/mamori)"
