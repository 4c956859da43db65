#!/usr/bin/env bash
# The starting state: stack 'dev' applied in project folder old/ (its own SQLite state); new/ is an empty project.
set -euo pipefail
cd old
infra stack init dev >/dev/null
infra config set infra:kind synthetic
infra config set synthetic:count 3
infra up --yes >/dev/null
