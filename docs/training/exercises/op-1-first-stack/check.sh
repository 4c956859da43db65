#!/usr/bin/env bash
# Operator, module 1: a stack 'dev' of kind synthetic with 4 resources applied, and a secret set as a secret.
source "$(dirname "${BASH_SOURCE[0]}")/../checker.sh"
check "the stack 'dev' exists" infra stack select dev
equals "synthetic:count is 4" "4" infra config get synthetic:count -s dev
check "synthetic:secret is stored encrypted" grep -q 'secure:' environments/Pulumi.dev.yaml
equals "synthetic:secret prints as [secret]" "[secret]" infra config get synthetic:secret -s dev
equals "4 resources are applied" "4" infra stack output count -s dev
check "the stack has no pending changes" infra preview -s dev --expect-no-changes
finish
