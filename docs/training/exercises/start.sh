#!/usr/bin/env bash
# Lays out an exercise's starting state in a new folder:  start.sh EXERCISE DIR
# Then work in DIR, and check your work there with:       EXERCISE/check.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exercise="${1:?usage: start.sh EXERCISE DIR (exercises: $(cd "${here}" && ls -d */ | tr -d / | tr '\n' ' '))}"
dir="${2:?usage: start.sh EXERCISE DIR}"
[[ -d "${here}/${exercise}/start" ]] || { echo "start.sh: no exercise '${exercise}' in ${here}" >&2; exit 1; }
[[ ! -e "${dir}" || -z "$(ls -A "${dir}")" ]] || { echo "start.sh: ${dir} is not empty; give a new folder" >&2; exit 1; }
mkdir -p "${dir}"
cp -r "${here}/${exercise}/start/." "${dir}/"
export INFRA_HOME="${INFRA_HOME:-$(cd "${here}/../../.." && pwd)}"
: "${INFRA_CONFIG_PASSPHRASE:=training}"
export INFRA_CONFIG_PASSPHRASE
if [[ -f "${dir}/setup.sh" ]]; then
  (cd "${dir}" && bash ./setup.sh) && rm "${dir}/setup.sh"
fi
echo "exercise ${exercise} is ready in ${dir}"
