#!/usr/bin/env bash
# Starts or stops a local monitoring stack on 127.0.0.1: Prometheus, Alertmanager and postgres_exporter (Debian's
# packages; scripts/install.sh installs them), loading exactly the files our C# code renders.
#   scripts/monitoring.sh start DIR [POSTGRES_URL]   -> prints PROMETHEUS_URL=..., ALERTMANAGER_URL=..., EXPORTER_URL=...
#   scripts/monitoring.sh stop DIR
# DIR holds what is rendered (rules/*.rules.yml, alertmanager.yml, postgres-exporter-queries.yaml). When DIR has no
# rules yet, the platform's monitoring is rendered into it first (tests/Infra.Observability.Render, from
# environments/plans.yaml). POSTGRES_URL (or INFRA_TEST_POSTGRES_URL) is the server holding tenant databases; without
# one no exporter is started. Blocks already in DIR/prometheus-data (e.g. from promtool tsdb create-blocks-from)
# are served too. MONITORING_INTERVAL sets the scrape and evaluation interval (default 15s).
# The exporter never signs in as the admin of POSTGRES_URL: the script makes (or resets) the login role
# MONITORING_ROLE (default infra_monitor) with pg_monitor and nothing more, a fresh password, and CONNECT on the
# postgres database, and the exporter connects as it.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command="${1:?usage: monitoring.sh start DIR [POSTGRES_URL] | stop DIR}"
dir="$(mkdir -p "${2:?DIR is required}" && cd "$2" && pwd)"
interval="${MONITORING_INTERVAL:-15s}"

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then echo "${port}"; return; fi
  done
  echo "monitoring.sh: no free port found" >&2; exit 1
}

wait_ready() { # name url log
  for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "$2"; then return; fi
    sleep 0.2
  done
  echo "monitoring.sh: $1 did not become ready at $2; its log ($3):" >&2
  tail -n 20 "$3" >&2 || true
  exit 1
}


stop_daemons() {
  for name in prometheus alertmanager exporter; do
    local pid_file="${dir}/${name}.pid"
    if [[ -f "${pid_file}" ]]; then
      local pid
      pid="$(cat "${pid_file}")"
      kill "${pid}" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.1; done
      kill -9 "${pid}" 2>/dev/null || true
      rm -f "${pid_file}"
    fi
  done
}

case "${command}" in
  start)
    postgres_url="${3:-${INFRA_TEST_POSTGRES_URL:-}}"
    stop_daemons
    if ! compgen -G "${dir}/rules/*.rules.yml" >/dev/null; then
      dotnet run --project "${repo_root}/tests/Infra.Observability.Render" -c Release -- "${dir}" >&2
    fi
    prometheus_port="$(free_port)"; alertmanager_port="$(free_port)"; exporter_port="$(free_port)"

    prometheus-alertmanager --config.file="${dir}/alertmanager.yml" --storage.path="${dir}/alertmanager-data" \
      --web.listen-address="127.0.0.1:${alertmanager_port}" --cluster.listen-address= \
      >"${dir}/alertmanager.log" 2>&1 &
    echo $! >"${dir}/alertmanager.pid"

    scrape_exporter=""
    if [[ -n "${postgres_url}" ]]; then
      monitor_role="${MONITORING_ROLE:-infra_monitor}"
      monitor_password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      # Made with the admin URL, as the platform stack does in the cluster: a login role that is a member of
      # pg_monitor (read the server's statistics and sizes) and of nothing else, with no attribute beyond LOGIN.
      psql "${postgres_url}" -X -q -v ON_ERROR_STOP=1 -v role="${monitor_role}" -v password="${monitor_password}" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT 5 PASSWORD %L', :'role', :'password') \gexec
SELECT format('REVOKE %I FROM %I', r.rolname, :'role') FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
 WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = :'role') AND r.rolname <> 'pg_monitor' \gexec
SELECT format('GRANT pg_monitor TO %I', :'role') \gexec
SELECT format('GRANT CONNECT ON DATABASE postgres TO %I', :'role') \gexec
SQL
      server="${postgres_url#*://}"; server="${server#*@}"; server="${server%%/*}"; server="${server%%\?*}"
      # The exporter's session never resolves a name outside pg_catalog: tenants own databases on this server.
      DATA_SOURCE_NAME="postgresql://${monitor_role}:${monitor_password}@${server}/postgres?sslmode=disable&search_path=pg_catalog" \
        prometheus-postgres-exporter --web.listen-address="127.0.0.1:${exporter_port}" \
        --extend.query-path="${dir}/postgres-exporter-queries.yaml" >"${dir}/exporter.log" 2>&1 &
      echo $! >"${dir}/exporter.pid"
      scrape_exporter="
  - job_name: postgres
    static_configs: [{ targets: ['127.0.0.1:${exporter_port}'] }]"
    fi

    cat >"${dir}/prometheus.yml" <<YAML
# Written by scripts/monitoring.sh; the rule files are the rendered ones in ${dir}/rules.
global:
  scrape_interval: ${interval}
  evaluation_interval: ${interval}
rule_files: ['${dir}/rules/*.rules.yml']
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['127.0.0.1:${alertmanager_port}'] }]
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ['127.0.0.1:${prometheus_port}'] }]
  - job_name: alertmanager
    static_configs: [{ targets: ['127.0.0.1:${alertmanager_port}'] }]${scrape_exporter}
YAML
    # Backfilled history may be months old: keep it rather than let the default 15 days delete it.
    prometheus --config.file="${dir}/prometheus.yml" --storage.tsdb.path="${dir}/prometheus-data" \
      --storage.tsdb.retention.time=3650d --web.listen-address="127.0.0.1:${prometheus_port}" --web.enable-lifecycle \
      >"${dir}/prometheus.log" 2>&1 &
    echo $! >"${dir}/prometheus.pid"

    wait_ready alertmanager "http://127.0.0.1:${alertmanager_port}/-/ready" "${dir}/alertmanager.log"
    wait_ready prometheus "http://127.0.0.1:${prometheus_port}/-/ready" "${dir}/prometheus.log"
    {
      echo "PROMETHEUS_URL=http://127.0.0.1:${prometheus_port}"
      echo "ALERTMANAGER_URL=http://127.0.0.1:${alertmanager_port}"
      if [[ -n "${postgres_url}" ]]; then
        wait_ready postgres_exporter "http://127.0.0.1:${exporter_port}/metrics" "${dir}/exporter.log"
        echo "EXPORTER_URL=http://127.0.0.1:${exporter_port}"
      fi
    } | tee "${dir}/monitoring.env"
    ;;
  stop)
    stop_daemons
    ;;
  *)
    echo "monitoring.sh: unknown command '${command}' (start or stop)" >&2
    exit 1
    ;;
esac
