#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs what is missing, starts a throwaway PostgreSQL 15 on
# 127.0.0.1, runs every test project, and stops the server again.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

scripts/install.sh

pg_dir="$(mktemp -d /tmp/infra-test-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
trap 'scripts/postgres.sh stop "${pg_dir}"; rm -rf "${pg_dir}"' EXIT
export INFRA_TEST_POSTGRES_URL="$(scripts/postgres.sh start "${pg_dir}" "${port}")"
echo "test PostgreSQL: ${INFRA_TEST_POSTGRES_URL}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Infra.sln -c Release --nologo -v quiet -tl:off
./infra --help >/dev/null
dotnet test Infra.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@"
