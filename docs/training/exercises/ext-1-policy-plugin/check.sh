#!/usr/bin/env bash
# Extension developer, module 1: the policy reports what its conformance samples say must fail, passes the rest, and
# tells the user how to fix it.
source "$(dirname "${BASH_SOURCE[0]}")/../checker.sh"
check "the conformance suite passes" infra plugin test short-strings
check "the message says how to fix it" grep -Eq 'report\(.*(set|at most)' short-strings/short_strings.py
finish
