#!/usr/bin/env bash
set -euo pipefail
cp "$(dirname "${BASH_SOURCE[0]}")/short-strings/short_strings.py" short-strings/short_strings.py
