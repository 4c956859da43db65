#!/usr/bin/env bash
# Brings the exercise's stack to its starting state: 'prod' applied with 2 resources, then changed to 3 and not applied.
set -euo pipefail
infra stack init prod >/dev/null
infra config set infra:kind synthetic
infra config set synthetic:count 2
infra up --yes >/dev/null
infra config set synthetic:count 3
