#!/usr/bin/env bash
# Starts a local PostgreSQL (Debian's package, no systemd) with a database for the trial-store
# tests, and prints the environment the tests read. Run as root: scripts/postgres-local.sh start|stop
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
case "${1:-start}" in
  start)
    # Only the export lines go to stdout (fd 3); everything the server tools print goes to stderr.
    exec 3>&1 1>&2
    if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
      pg_ctlcluster "$version" main start 3>&-
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    pg_isready -h 127.0.0.1 >/dev/null
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='optbench'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"CREATE USER optbench PASSWORD 'optbench'\""
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='optbench_test'\"" | grep -q 1 \
      || su postgres -c "createdb -O optbench optbench_test"
    echo "export OPTBENCH_TEST_POSTGRES=jdbc:postgresql://127.0.0.1:5432/optbench_test" >&3
    echo "export OPTBENCH_TEST_POSTGRES_USER=optbench OPTBENCH_TEST_POSTGRES_PASSWORD=optbench" >&3
    ;;
  stop)
    pg_ctlcluster "$version" main stop || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
