#!/usr/bin/env bash
# Runs once when the compose postgres volume is new: the application role of design.md section 5.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$DOSSIER_APP_PASSWORD" <<'SQL'
CREATE ROLE dossier_app LOGIN PASSWORD :'app_password';
SQL
