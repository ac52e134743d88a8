#!/bin/sh
# On db1, then db2, as postgres, once: a node of the formation. The first becomes the primary, the second its
# synchronous standby (a commit returns once the standby has it: an acknowledged write survives the primary).
set -eu
node=${1:?usage: pg-node-create.sh db1|db2}
pg_autoctl create postgres --pgdata /var/lib/postgresql/ha/node --pgport 5432 --hostname "$node.konsey.internal" \
  --name "$node" --dbname konsey --auth scram-sha-256 --ssl-self-signed \
  --monitor "postgres://autoctl_node@mon.konsey.internal:5431/pg_auto_failover?sslmode=require"
# WAL to the repository on mon from whichever node is primary (pgbackrest.conf); archive_mode needs a restart.
psql -p 5432 -d postgres -c "ALTER SYSTEM SET archive_mode = on" \
  -c "ALTER SYSTEM SET archive_command = 'pgbackrest --stanza=konsey archive-push %p'"
pg_autoctl stop && echo "archive settings written: start the node again with systemctl start pg-autoctl@node"
