#!/usr/bin/env bash
# The starting state: the template tenant stack 'tenant-acme', with the admin connection as a secret.
set -euo pipefail
infra stack init tenant-acme >/dev/null
infra config set infra:kind tenant
infra config set tenant:id acme
infra config set tenant:plan standard
printf %s 'postgres://admin:training-admin-password@db.internal:5432/postgres' | infra config set --secret postgres:connectionString
