#!/usr/bin/env bash
set -euo pipefail
infra stack init tenant-globex --copy-config-from tenant-acme
infra config set tenant:id globex
infra config set tenant:plan free
