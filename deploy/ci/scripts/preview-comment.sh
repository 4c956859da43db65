#!/usr/bin/env bash
# Previews each stack named on standard input (one a line) with `infra preview --format markdown` and writes the
# pull request's one comment to FILE: every stack's section, each capped so the whole stays under GitHub's limit.
# Writes `blocked=true` to $GITHUB_OUTPUT (when set) if any stack has a mandatory policy violation (exit 3), and
# exits 1 when a preview failed for another reason. The policy gate is a later step that reads `blocked`.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: preview-comment.sh FILE < stacks" >&2; exit 2; }
out="$1"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
mapfile -t stacks
# GitHub refuses comments over 65,536 characters: the stacks share 60,000.
total=60000
count=${#stacks[@]}
per_stack=$(( count > 0 ? total / count : total ))
(( per_stack >= 2000 )) || per_stack=2000

blocked=false
failed=false
{
  echo "<!-- infra-preview -->"
  echo "## infra preview"
  if (( count == 0 )); then
    echo "This change touches no stack."
  fi
} >"${out}"

for stack in "${stacks[@]}"; do
  section="$(mktemp)"
  set +e
  "${repo_root}/infra" preview -s "${stack}" --format markdown --max-chars "${per_stack}" >"${section}" 2>"${section}.err"
  code=$?
  set -e
  cat "${section}" >>"${out}"
  case "${code}" in
    0) ;;
    3) blocked=true ;;
    *)
      failed=true
      { echo "### Preview of stack \`${stack}\` failed (exit ${code})"; echo '```'; tail -n 5 "${section}.err"; echo '```'; } >>"${out}"
      ;;
  esac
  cat "${section}.err" >&2
  rm -f "${section}" "${section}.err"
done

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "blocked=${blocked}" >>"${GITHUB_OUTPUT}"
fi

[[ "${failed}" == false ]]
