#!/usr/bin/env bash
# Builds the users_api_native example's Lambda handlers (crate users-api-handlers) and lays
# each binary out as the `bootstrap` that a `provided.al2023` function runs:
#   target/lambda/create-user/bootstrap
#   target/lambda/s3-event/bootstrap
#
# Usage: scripts/build-handlers.sh [--debug]   (release by default)
#
# These are HOST builds (x86_64-unknown-linux-gnu). Lambda would want a musl or an aarch64
# cross target, but neither can be installed here (no rustup downloads), so:
#   - the functions must be declared with the x86_64 architecture, not arm64;
#   - the binaries link dynamically against the host's glibc. provided.al2023 ships
#     glibc 2.34; a binary that needs a newer symbol version will not start there. The build
#     prints the newest GLIBC_x.y the binaries require so that can be checked before
#     deploying (this Debian 12 host has glibc 2.36).
# Where a cross target is available, build with --target x86_64-unknown-linux-musl (or
# aarch64-unknown-linux-gnu with a linker for it) and copy from that target's directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

profile=release
cargo_profile=(--release)
case "${1:-}" in
  "") ;;
  --debug) profile=debug; cargo_profile=() ;;
  -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--debug]" >&2; exit 2 ;;
esac

# Only this package: building the workspace would also compile the DSL and the deployer.
cargo build -p users-api-handlers --bins "${cargo_profile[@]}"

# Cargo's own default; a CARGO_TARGET_DIR set by the caller is honoured as cargo honours it.
target_dir="${CARGO_TARGET_DIR:-$root/target}"

for bin in create-user s3-event; do
  out="$target_dir/lambda/$bin"
  mkdir -p "$out"
  # The custom runtime looks for an executable named exactly `bootstrap`.
  install -m 0755 "$target_dir/$profile/$bin" "$out/bootstrap"
  # Symbols are a quarter of a release binary and most of a debug one, and nothing in
  # Lambda reads them; a smaller zip uploads, synthesizes and cold-starts faster. Only the
  # copy is stripped, so the binary under target/<profile> keeps its symbols for debugging.
  if command -v strip >/dev/null; then
    strip "$out/bootstrap"
  fi
  size="$(du -h "$out/bootstrap" | cut -f1)"
  glibc="$( (objdump -T "$out/bootstrap" 2>/dev/null || true) \
    | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n1)"
  echo "$bin: $out/bootstrap ($profile, $size, needs ${glibc:-unknown glibc})"
done
