#!/usr/bin/env bash
# Lists the stacks of this project, one name a line, from environments/Pulumi.<stack>.yaml.
#   stacks.sh                       every stack
#   stacks.sh --environment NAME    the stacks whose config sets infra:environment to NAME (development, staging,
#                                   production); the deploy workflow runs them environment by environment
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
environment=""
if [[ $# -gt 0 ]]; then
  [[ $# -eq 2 && "$1" == "--environment" ]] || { echo "usage: stacks.sh [--environment NAME]" >&2; exit 2; }
  environment="$2"
fi

shopt -s nullglob
for file in "${repo_root}"/environments/Pulumi.*.yaml; do
  stack="$(basename "${file}" .yaml)"
  stack="${stack#Pulumi.}"
  if [[ -z "${environment}" ]]; then
    echo "${stack}"
    continue
  fi

  # The key as `infra config set` writes it: two spaces, the key, a colon, the value (maybe quoted).
  value="$(sed -nE 's/^  infra:environment:[[:space:]]*"?([A-Za-z0-9_-]+)"?[[:space:]]*$/\1/p' "${file}" | head -n 1)"
  if [[ "${value}" == "${environment}" ]]; then
    echo "${stack}"
  fi
done
