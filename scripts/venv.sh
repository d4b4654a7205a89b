#!/usr/bin/env bash
# Creates (or reuses) the project's Python venv holding the pinned CloudFormation tools:
# cfn-lint (the independent template judge and the source of the registry schemas) and
# moto (the local CloudFormation emulator); and the Lambda cross-build tools for
# `Code::rust_bin` assets: zig (PyPI `ziglang`) and cargo-zigbuild (PyPI `cargo-zigbuild`,
# a prebuilt wheel of the crates.io tool: seconds to install instead of minutes of
# `cargo install`, and cached by the venv like the rest). Idempotent: a venv that already has the pinned
# versions is left alone, so CI pays for the install once per machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${NEPHOS_VENV:-$root/.venv}"
CFN_LINT_VERSION=1.58.0
MOTO_VERSION=5.2.5
AWSCLI_VERSION=1.45.11
# zig and cargo-zigbuild: their versions are part of every Rust handler's cache key, so they
# come from the one list nephos's messages and `nephos init`'s CI workflow use too.
pinned() { sed -n "s/^$1==\([0-9A-Za-z.+-]*\)\$/\1/p" "$root/dsl/build-tools.txt"; }
ZIGLANG_VERSION=$(pinned ziglang)
CARGO_ZIGBUILD_VERSION=$(pinned cargo-zigbuild)
if [[ -z "$ZIGLANG_VERSION" || -z "$CARGO_ZIGBUILD_VERSION" ]]; then
  echo "venv: dsl/build-tools.txt pins no ziglang or cargo-zigbuild version" >&2
  exit 1
fi

want() { "$venv/bin/python" - "$1" "$2" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version(sys.argv[1]) == sys.argv[2] else 1)
PY
}

if [[ ! -x "$venv/bin/python" ]]; then
  echo "venv: creating $venv" >&2
  python3 -m venv "$venv"
fi
missing=()
want cfn-lint "$CFN_LINT_VERSION" || missing+=("cfn-lint==$CFN_LINT_VERSION")
want moto "$MOTO_VERSION" || missing+=("moto[server]==$MOTO_VERSION")
want awscli "$AWSCLI_VERSION" || missing+=("awscli==$AWSCLI_VERSION")
want ziglang "$ZIGLANG_VERSION" || missing+=("ziglang==$ZIGLANG_VERSION")
want cargo-zigbuild "$CARGO_ZIGBUILD_VERSION" || missing+=("cargo-zigbuild==$CARGO_ZIGBUILD_VERSION")
if ((${#missing[@]})); then
  echo "venv: installing ${missing[*]}" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}"
else
  echo "venv: cfn-lint $CFN_LINT_VERSION, moto $MOTO_VERSION, awscli $AWSCLI_VERSION, ziglang $ZIGLANG_VERSION and cargo-zigbuild $CARGO_ZIGBUILD_VERSION already present" >&2
fi
