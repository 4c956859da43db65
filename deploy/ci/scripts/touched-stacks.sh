#!/usr/bin/env bash
# Prints the stacks a change touches, one name a line, comparing HEAD with BASE (a commit or ref):
#   - a stack whose settings file (environments/Pulumi.<stack>.yaml) changed;
#   - every stack when what all stacks run changed: the engine, providers, components, stacks, policies, the
#     charts, the plans, the project file or the build settings.
# Documentation, tests and CI files alone touch no stack.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: touched-stacks.sh BASE" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../../.." && pwd)"
cd "${repo_root}"

base="$(git merge-base "$1" HEAD)" || { echo "touched-stacks: '$1' has no common history with HEAD; fetch it first (fetch-depth: 0)." >&2; exit 1; }
changed="$(git diff --name-only "${base}" HEAD)"

if grep -qE '^(engine|providers|components|stacks|policies|deploy/charts)/|^environments/plans\.yaml$|^(Pulumi\.yaml|Directory\.Build\.props|Directory\.Packages\.props|global\.json)$' <<<"${changed}"; then
  "${here}/stacks.sh"
  exit 0
fi

while IFS= read -r path; do
  if [[ "${path}" =~ ^environments/Pulumi\.(.+)\.yaml$ && -f "${path}" ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
done <<<"${changed}" | sort -u
