#!/usr/bin/env bash
# The main job on the embedded defaults, end to end, with no cluster: installs what is missing, starts a local
# PostgreSQL 15 on 127.0.0.1:54329, makes a local Sealed Secrets key pair, then previews and applies the demo
# tenant (stack tenant-demo): its database on that server, and its namespace, sealed database credentials and
# release of the platform chart as rendered manifests, committed to the local GitOps work tree .gitops/.
# State is SQLite in .infra/, secrets use a placeholder passphrase. Safe to run again: the second run reports
# no changes. Set INFRA_DEMO_POSTGRES_PORT to use another port.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

scripts/install.sh
export INFRA_CONFIG_PASSPHRASE="${INFRA_CONFIG_PASSPHRASE:-demo passphrase, change me}"
readonly stack=tenant-demo
port="${INFRA_DEMO_POSTGRES_PORT:-54329}"

# The server's files live in .infra/postgres. As root the server runs as 'postgres', which cannot enter a
# checkout under a private folder such as /root; then they live in that user's home instead, one folder per checkout.
pg_dir="${repo_root}/.infra/postgres"
mkdir -p "${pg_dir}"
if [[ "$(id -u)" == 0 ]] && ! runuser -u postgres -- test -x "${pg_dir}"; then
  pg_dir="$(getent passwd postgres | cut -d: -f6)/infra-demo-$(printf '%s' "${repo_root}" | sha256sum | cut -c1-12)"
fi
admin_url="$(scripts/postgres.sh start "${pg_dir}" "${port}")"
scripts/demo-sealing-cert.sh >/dev/null

./infra stack select "${stack}" 2>/dev/null || ./infra stack init "${stack}"
./infra config set infra:kind tenant
./infra config set tenant:id demo
./infra config set tenant:plan standard
./infra config set tenant:displayName "Demo Tenant"
./infra config set tenant:branding '{"primaryColor":"#0055ff","secondaryColor":"#1b1f24","logoUrl":"https://assets.example.com/logos/demo.svg"}'
# On stdin, not as an argument: argv is visible to every user of the machine (ps, /proc/<pid>/cmdline).
printf %s "${admin_url}" | ./infra config set --secret postgres:connectionString
./infra config set kubernetes:sealedSecretsCert .infra/sealed-secrets/tls.crt
./infra config set backup:location .infra/backups
# 'up' shows its preview before it applies; a separate 'preview' first would print the same plan twice.
./infra up --yes
./infra stack output

gitops="${repo_root}/.gitops"
echo
echo "PostgreSQL: ${admin_url} (data in ${pg_dir}; stop it with scripts/postgres.sh stop ${pg_dir})"
echo "GitOps work tree: ${gitops}; this tenant's manifests: ${gitops}/${stack} ($(find "${gitops}/${stack}" -name '*.yaml' | wc -l) files)"
echo "Last commit: $(git -C "${gitops}" log -1 --format='%h %s')"
echo "Build them as Flux would: .tools/bin/kubectl kustomize ${gitops}/${stack}"
echo "Secrets passphrase: ${INFRA_CONFIG_PASSPHRASE}"
echo "To use this stack from a new shell: export INFRA_CONFIG_PASSPHRASE=$(printf %q "${INFRA_CONFIG_PASSPHRASE}")"
