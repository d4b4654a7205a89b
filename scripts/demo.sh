#!/usr/bin/env bash
# The README's main command: build nephos, start the local emulator, synthesize the app,
# diff it, deploy it, show its outputs, and stop the emulator.
#   scripts/demo.sh
# NEPHOS_DEMO_SOURCE picks the stacks (default: the users_api example app); for a template:
#   NEPHOS_DEMO_SOURCE='--template deployer/tests/fixtures/users-api.json --stack-name users-api-demo' \
#   NEPHOS_DEMO_STACK=users-api-demo scripts/demo.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export NEPHOS_MOTO_PORT="${NEPHOS_MOTO_PORT:-4566}"
source_args="${NEPHOS_DEMO_SOURCE:---app \"cargo run -q --example users_api\"}"
stack_name="${NEPHOS_DEMO_STACK:-users-api-dev}"
# moto 5.2.5 publishes outputs (and exports) only for stacks made with CreateStack/UpdateStack,
# not through change sets, so the demo deploys directly; against AWS, keep the default
# (change sets): NEPHOS_DEMO_METHOD=change-set.
method="${NEPHOS_DEMO_METHOD:-direct}"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "build"
cargo build -q -p nephos-cli
nephos="$root/target/debug/nephos"
scripts/venv.sh

step "start the emulator (moto on 127.0.0.1:$NEPHOS_MOTO_PORT)"
scripts/moto.sh start
trap 'step "stop the emulator"; scripts/moto.sh stop' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$NEPHOS_MOTO_PORT"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
# The Lambda code the users-api template reads from S3.
"$root/.venv/bin/aws" s3 mb s3://nephos-e2e-code >/dev/null
"$root/.venv/bin/aws" s3 cp deployer/tests/fixtures/handler.zip s3://nephos-e2e-code/handler.zip >/dev/null

step "synth"
eval "\"$nephos\" synth $source_args"

step "diff (exit code 2: there are changes)"
set +e
eval "\"$nephos\" diff $source_args"
code=$?
set -e
echo "(nephos diff exited $code)"
[[ $code == 2 ]]

step "deploy"
eval "\"$nephos\" deploy $source_args --yes --method $method"

step "deploy again: nothing to do"
eval "\"$nephos\" deploy $source_args --yes"

step "outputs and status"
"$nephos" outputs "$stack_name"
"$nephos" status "$stack_name"
