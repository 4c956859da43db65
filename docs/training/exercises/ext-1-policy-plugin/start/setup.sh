#!/usr/bin/env bash
# The starting state: the plugin's folder, with the SDK's package where its manifest's PYTHONPATH points.
set -euo pipefail
cp -r "${INFRA_HOME:?set INFRA_HOME to your checkout}/sdk/python/src" short-strings/sdk
