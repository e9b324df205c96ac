#!/bin/sh
# Run once by the postgres image, when it creates the database (docker-entrypoint-initdb.d): lets the
# `replica` service (docker compose --profile scale) stream from this server over the compose network,
# with the database password. A volume created before this script existed needs the same line by hand.
set -e
echo "host replication ${POSTGRES_USER} samenet scram-sha-256" >> "${PGDATA}/pg_hba.conf"
