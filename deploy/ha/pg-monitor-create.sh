#!/bin/sh
# On mon, as postgres, once: the pg_auto_failover monitor (TLS with the installation's certificate).
set -eu
pg_autoctl create monitor --pgdata /var/lib/postgresql/ha/monitor --pgport 5431 --hostname mon.konsey.internal \
  --auth scram-sha-256 --ssl-self-signed
# Health checks every two seconds; a node unreachable for ten is failed over (the defaults take about a minute).
psql -p 5431 -d pg_auto_failover -c "ALTER SYSTEM SET pgautofailover.health_check_period = '2000'" \
  -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = '10000'" -c "SELECT pg_reload_conf()"
