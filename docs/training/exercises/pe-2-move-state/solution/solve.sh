#!/usr/bin/env bash
set -euo pipefail
infra stack export -C old -s dev --file dev.json
infra stack init dev -C new
infra config set infra:kind synthetic -C new -s dev
infra config set synthetic:count 3 -C new -s dev
infra stack import -C new -s dev --file dev.json
