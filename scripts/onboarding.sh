#!/usr/bin/env bash
# The onboarding service on this machine, in the foreground (Ctrl-C or SIGTERM stops it gracefully):
#   scripts/onboarding.sh [--port N]                 -> prints the URL, then serves on 127.0.0.1:N (default 5080)
#   scripts/onboarding.sh token --scope S [--ttl 1h] -> prints only a token (scope admin, operator or tenant:<id>)
# Defaults: a local PostgreSQL in .infra/onboarding-pg (port 55432) holding state, config, jobs and tenant
# databases; the GitOps tree .gitops; backups in .infra/backups; the demo sealing certificate. INFRA_BACKEND_URL
# (the service database) and the Onboarding__* settings of docs/onboarding-service.md override them.
# Tokens are signed with the DEVELOPMENT key, which is public: never expose this service beyond your machine.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
dll="${repo_root}/services/Infra.Onboarding/bin/Release/net10.0/Infra.Onboarding.dll"

build() {
  dotnet build "${repo_root}/services/Infra.Onboarding/Infra.Onboarding.csproj" -c Release -v quiet -nologo >&2 \
    || { echo "onboarding: the build failed" >&2; exit 1; }
}

if [[ "${1:-}" == "token" ]]; then
  shift
  [[ -f "${dll}" ]] || build
  exec dotnet "${dll}" token "$@"
fi

port=5080
while (($# > 0)); do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    *) echo "onboarding: unknown argument '$1'; usage: onboarding.sh [--port N] | token --scope S [--ttl 1h]" >&2; exit 1 ;;
  esac
done
[[ "${port}" =~ ^[0-9]+$ ]] || { echo "onboarding: --port must be a number, not '${port}'" >&2; exit 1; }

if [[ -z "${INFRA_BACKEND_URL:-}" ]]; then
  admin_url="$("${repo_root}/scripts/postgres.sh" start "${repo_root}/.infra/onboarding-pg" 55432)"
  psql "${admin_url}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'onboarding'" | grep -q 1 \
    || psql "${admin_url}" -qc "CREATE DATABASE onboarding" >/dev/null
  export INFRA_BACKEND_URL="${admin_url%/postgres}/onboarding"
  export Onboarding__AdminConnection="${Onboarding__AdminConnection:-${admin_url}}"
fi
export Onboarding__ProjectDirectory="${Onboarding__ProjectDirectory:-${repo_root}}"
export Onboarding__GitOps__SealingCertificate="${Onboarding__GitOps__SealingCertificate:-$("${repo_root}/scripts/demo-sealing-cert.sh")}"
build
echo "onboarding: http://127.0.0.1:${port} (API under /v1, docs at /docs, token: scripts/onboarding.sh token --scope operator)"
cd "${repo_root}"
exec dotnet "${dll}" --urls "http://127.0.0.1:${port}"
