#!/usr/bin/env bash
# Platform engineer, module 2: stack 'dev' moved from old/ to new/ (another state backend) with its resources, so that
# new/ manages them with no change.
source "$(dirname "${BASH_SOURCE[0]}")/../checker.sh"
check "new/ has the stack 'dev' in its own state" test -f new/.infra/state.db
equals "the 3 resources are in new/'s state" "3" infra stack output count -C new -s dev
check "new/ manages them with no change" infra preview -C new -s dev --expect-no-changes
equals "their IDs are the same as in old/" "$(infra stack export -C old -s dev 2>&1 | grep '"id"' | sort)" \
  bash -c "infra stack export -C new -s dev | grep '\"id\"' | sort"
finish
