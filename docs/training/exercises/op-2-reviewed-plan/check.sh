#!/usr/bin/env bash
# Operator, module 2: the change to 'prod' was saved as plan.json, reviewed, and applied from that plan.
source "$(dirname "${BASH_SOURCE[0]}")/../checker.sh"
check "plan.json is a saved plan of stack 'prod'" grep -q '"stack": "prod"' plan.json
check "the plan creates one resource" grep -q '"create": 1' plan.json
equals "3 resources are applied" "3" infra stack output count -s prod
check "the stack has no pending changes" infra preview -s prod --expect-no-changes
finish
