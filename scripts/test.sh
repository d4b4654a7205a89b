#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need (idempotently),
# then formatting, lints, the generated-code check, and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Python tools (cfn-lint, moto) in .venv"
scripts/venv.sh

step "cargo fmt --check"
cargo fmt --all --check

if [[ -x scripts/regenerate.sh ]]; then
  step "generated code is up to date"
  scripts/regenerate.sh --check
fi

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "compiled Lambda handlers for users_api_native (debug)"
scripts/build-handlers.sh --debug

step "cargo test (unit, integration, snapshot, cfn-lint, end-to-end, doctests)"
cargo test --workspace
