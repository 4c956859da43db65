#!/usr/bin/env bash
# The reference solution, run in the exercise's folder.
set -euo pipefail
infra stack init dev
infra config set infra:kind synthetic
infra config set synthetic:count 4
printf %s 'a training secret' | infra config set --secret synthetic:secret
infra up --yes
