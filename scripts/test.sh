#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need (idempotently),
# then formatting, lints, the generated-code check, and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# A CI checkout is built once: incremental caches would only cost time and disk (the
# workspace's crates leave several GB of them, and a full disk failed a CI run).
if [[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]; then
  export CARGO_INCREMENTAL=0
fi

step "Python tools (cfn-lint, moto, zig, cargo-zigbuild) in .venv"
scripts/venv.sh

step "cargo fmt --check"
cargo fmt --all --check

if [[ -x scripts/regenerate.sh ]]; then
  step "generated code is up to date"
  scripts/regenerate.sh --check
  step "every ID-named plain string is reviewed (dsl/codegen/data/id_named_kinds.json)"
  python3 dsl/codegen/scripts/id_named_strings.py --check
fi

step "every ARN-named string property is typed or a reviewed exclusion"
# The generator's ARN-name rule (dsl/codegen/src/arn_names.rs) types them `AnyArn`; the
# listing reads the generated code, so a plain `...Arn` string cannot come back unnoticed
# (cfn-lint's registry schemas from .venv give the descriptions; a few seconds).
python3 dsl/codegen/scripts/arn_named_strings.py --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "the dsl compiles with each default feature off (check only)"
# Every construct is gated on the services it creates, so turning one default service
# off must keep the rest; a Function needs only lambda, iam and logs.
defaults=$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); print(" ".join(next(p for p in m["packages"] if p["name"]=="nephos")["features"]["default"]))')
for off in $defaults; do
  on=$(printf '%s\n' $defaults | grep -vx "$off" | paste -sd, -)
  echo "without $off"
  cargo check --quiet -p nephos --no-default-features --features "$on"
done
cargo check --quiet -p nephos --no-default-features --features lambda,iam,logs --example function_only

step "the dsl compiles with no service, and with one alone (check only)"
# One feature per service (dsl/FEATURES.md). The reference kinds are always compiled, so a
# service alone (EC2: the most types) must build without the ones it refers to. Every service
# at once is compiled below, by the round trip's test build with `--all-features` (a check of
# the same library first would only repeat its front end: minutes).
cargo check --quiet -p nephos --no-default-features
cargo check --quiet -p nephos --no-default-features --features ec2

step "services outside the default set: typed references across services, and the round trip over one type of every service"
# The proof stack and the cross-service compile-fail cases need only their services; the
# round-trip sample needs every service (one test build with `--all-features`: the library
# with every feature, so it is also the check that every service compiles at once).
cargo test --quiet -p nephos --features ec2,cognito,certificatemanager,kms,autoscaling,rds \
  --test services_across_features --test compile_fail --test union_kinds --test security_group_ref_state
# The constructs of services outside the default set: KMS keys, secrets, parameters,
# imported resources, Step Functions state machines and container-image functions from an
# ECR repository (their grants, defaults, synth errors and cfn-lint), and imported resources
# and state machines wired to rules, schedules and event sources, and FIFO limits (own and imported).
cargo test --quiet -p nephos --features kms,secretsmanager,ssm,stepfunctions,ecr,events,scheduler \
  --test secrets_keys --test imports --test state_machines --test state_machine_tasks --test function_image \
  --test state_machine_distributed --test state_machine_text --test compile_fail_stepfunctions --test compile_fail_events \
  --test import_wiring --test dependent_grants --test fifo_limits --test issue14_matchers --test generated_type_checks \
  --test compile_fail_grants --test template_name_checks
cargo test --quiet -p nephos --no-default-features --features kms,kinesis,route53,servicediscovery \
  --test corrected_references
# The schemas' string formats and patterns, and keywords (multipleOf, not-enum) on real
# EC2, RDS and CloudFront types; subnets and groups of one VPC, grant targets, database
# ports into security group rules, and Region needs (a WAF association with an API stage).
cargo test --quiet -p nephos --features ec2,cognito,secretsmanager,rds,events,ecs,kms,kinesis,cloudfront,wafv2 \
  --test typed_references --test construct_kms_key_forms --test schema_strings --test schema_keywords --test one_vpc \
  --test grant_target_arns --test port_attributes --test region_needs \
  --test dynamic_references
# Without incremental caches: every service at once would leave about 8 GB of them.
CARGO_INCREMENTAL=0 cargo test --quiet -p nephos --all-features --test generated_roundtrip_sample

step "cargo test (unit, integration, snapshot, cfn-lint, end-to-end, doctests)"
# users_api_native's handlers are `Code::rust_bin`: the end-to-end deploy builds them with
# cargo-zigbuild (from .venv), in the dev profile (faster than release with fat LTO), and
# caches the zips by source hash under target/nephos-lambda.
NEPHOS_HANDLER_PROFILE=dev cargo test --workspace
