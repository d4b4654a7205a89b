#!/usr/bin/env bash
# Regenerates nephos's typed resource types (dsl/src/generated/, dsl/src/facts_data.rs and
# dsl/tests/generated_roundtrip.rs) from the vendored schema data in dsl/schemas/.
#
#   scripts/regenerate.sh            regenerate from dsl/schemas/
#   scripts/regenerate.sh --refresh  first refresh dsl/schemas/ from the pinned cfn-lint
#                                    (runs scripts/venv.sh; with its format rules' patterns,
#                                    scripts/refresh_format_patterns.py) and the replacement facts of the
#                                    pinned AWS service spec (npm @aws-cdk/aws-service-spec,
#                                    scripts/refresh_service_spec.py), then regenerate
#   scripts/regenerate.sh --check    regenerate nothing; exit 1 if the checked-in files
#                                    differ from what the generator would write (for CI)
#
# The hand-kept supplement (GetAtt attributes and references the schemas lack) is
# dsl/codegen/data/supplement.json; scripts/spec_supplement.py documents where it comes from.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
args=()
for arg in "$@"; do
  case "$arg" in
    --refresh)
      scripts/venv.sh
      "${NEPHOS_VENV:-$root/.venv}/bin/python" scripts/refresh_schemas.py
      "${NEPHOS_VENV:-$root/.venv}/bin/python" scripts/refresh_service_spec.py
      "${NEPHOS_VENV:-$root/.venv}/bin/python" scripts/refresh_format_patterns.py
      ;;
    --check) args+=(--check) ;;
    *) echo "usage: scripts/regenerate.sh [--refresh] [--check]" >&2; exit 2 ;;
  esac
done
cargo run --quiet -p nephos-codegen -- "${args[@]}" "$root"
