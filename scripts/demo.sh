#!/usr/bin/env bash
# The main job on the embedded defaults: installs what is missing, then previews and applies the demo stack
# (SQLite state in .infra/, passphrase secrets). Safe to run again: the second run reports no changes.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

scripts/install.sh
export INFRA_CONFIG_PASSPHRASE="${INFRA_CONFIG_PASSPHRASE:-demo passphrase, change me}"

./infra stack select demo 2>/dev/null || ./infra stack init demo
./infra config set infra:kind synthetic
./infra config set synthetic:count 200
./infra config set synthetic:shape tree
./infra config set --secret synthetic:secret "demo-secret"
./infra preview
./infra up --yes
./infra stack output
