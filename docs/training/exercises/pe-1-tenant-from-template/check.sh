#!/usr/bin/env bash
# Platform engineer, module 1: 'tenant-globex' made from the template 'tenant-acme' (same salt, same admin secret),
# on the free plan, without the admin connection ever passing through an argument.
source "$(dirname "${BASH_SOURCE[0]}")/../checker.sh"
salt() { grep '^encryptionsalt:' "environments/Pulumi.$1.yaml"; }
check "the stack 'tenant-globex' exists" infra stack select tenant-globex
equals "tenant:id is globex" "globex" infra config get tenant:id -s tenant-globex
equals "tenant:plan is free" "free" infra config get tenant:plan -s tenant-globex
equals "infra:kind is tenant" "tenant" infra config get infra:kind -s tenant-globex
equals "the admin connection is the template's" \
  "$(infra config get postgres:connectionString -s tenant-acme --show-secrets 2>&1)" \
  infra config get postgres:connectionString -s tenant-globex --show-secrets
check "the admin connection is stored encrypted" grep -q 'secure:' environments/Pulumi.tenant-globex.yaml
equals "it shares the template's encryption salt (one key derivation for both)" "$(salt tenant-acme)" salt tenant-globex
finish
