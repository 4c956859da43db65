#!/usr/bin/env bash
# Shared by every exercise's check.sh: each check prints one line, PASS or FAIL with the reason, and the checker ends
# with "score N/M" and exits 0 only when every check passed. The exam grades from the same lines.
set -uo pipefail
: "${INFRA_CONFIG_PASSPHRASE:=training}"
export INFRA_CONFIG_PASSPHRASE NO_COLOR=1
passed=0
total=0

# check NAME COMMAND...: runs COMMAND quietly; PASS when it exits 0.
check() {
  local name="$1"; shift
  total=$((total + 1))
  if output="$("$@" 2>&1)"; then
    passed=$((passed + 1)); echo "PASS ${name}"
  else
    echo "FAIL ${name}: $(printf '%s' "${output}" | tail -n 1)"
  fi
}

# equals NAME EXPECTED COMMAND...: PASS when COMMAND prints exactly EXPECTED.
equals() {
  local name="$1" expected="$2"; shift 2
  total=$((total + 1))
  local actual
  actual="$("$@" 2>&1)"
  if [[ "${actual}" == "${expected}" ]]; then
    passed=$((passed + 1)); echo "PASS ${name}"
  else
    echo "FAIL ${name}: expected '${expected}', got '$(printf '%s' "${actual}" | tail -n 1)'"
  fi
}

finish() {
  echo "score ${passed}/${total}"
  [[ "${passed}" == "${total}" ]]
}
