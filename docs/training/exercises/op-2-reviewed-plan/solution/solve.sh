#!/usr/bin/env bash
set -euo pipefail
infra preview -s prod --save-plan plan.json
infra up -s prod --plan plan.json --yes
