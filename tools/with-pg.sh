#!/bin/sh
# Run a command beside a throwaway PostgreSQL cluster: started in a new
# temporary directory (tools/pg-cluster.sh), named to the command as
# $RECTIFY_PG_CLUSTER, stopped and removed when the command ends.
#   tools/with-pg.sh COMMAND [ARGS...]
# The tests that find $RECTIFY_PG_CLUSTER set run against PostgreSQL, each
# on a new database of the cluster (tools/pg-cluster.sh db).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rectify-pg-XXXXXX)
trap '"$top/tools/pg-cluster.sh" stop "$dir"' EXIT INT TERM
"$top/tools/pg-cluster.sh" start "$dir" >/dev/null
RECTIFY_PG_CLUSTER=$dir
export RECTIFY_PG_CLUSTER
set +e
"$@"
status=$?
set -e
exit $status
