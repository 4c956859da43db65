#!/usr/bin/env bash
# Starts or stops a local PostgreSQL 15 cluster in a folder of ours, on 127.0.0.1 only.
#   scripts/postgres.sh start DIR PORT   -> prints the admin URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/postgres.sh stop DIR
# initdb and pg_ctl refuse to run as root, so as root they run as the 'postgres' user. Authentication is
# scripts/postgres-hba.conf: the 'postgres' admin is trusted on 127.0.0.1, every other role needs its password.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
hba="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/postgres-hba.conf"
command="${1:?usage: postgres.sh start DIR PORT | stop DIR}"
dir="$(mkdir -p "${2:?DIR is required}" && cd "$2" && pwd)"

as_owner() {
  # From /, because the postgres user may not be allowed into the caller's folder (e.g. under /root).
  if [[ "$(id -u)" == 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "${command}" in
  start)
    port="${3:?PORT is required}"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "${dir}"
    if [[ ! -f "${dir}/data/PG_VERSION" ]]; then
      as_owner "${bin}/initdb" -D "${dir}/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # Written on every start, so a cluster made before the file changed gets the same rules.
    as_owner tee "${dir}/data/pg_hba.conf" <"${hba}" >/dev/null
    if ! as_owner "${bin}/pg_ctl" -D "${dir}/data" status >/dev/null 2>&1; then
      as_owner "${bin}/pg_ctl" -D "${dir}/data" -l "${dir}/log" -w -t 60 \
        -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
    else
      as_owner "${bin}/pg_ctl" -D "${dir}/data" reload >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:${port}/postgres"
    ;;
  stop)
    if [[ -f "${dir}/data/PG_VERSION" ]]; then
      as_owner "${bin}/pg_ctl" -D "${dir}/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "postgres.sh: unknown command '${command}' (start or stop)" >&2
    exit 1
    ;;
esac
