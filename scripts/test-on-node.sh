#!/usr/bin/env bash
# Runs the whole test suite (the same command as `pnpm test`) on other Node
# release lines, one after the other:
#
#   bash scripts/test-on-node.sh 22 24
#
# The `node` package from the npm registry brings each line's binary; `npx -p`
# puts it first on PATH, so the harness, turbo, pnpm and every vitest run on it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || { echo "usage: bash scripts/test-on-node.sh MAJOR [MAJOR...]" >&2; exit 2; }
for major in "$@"; do
  echo "== the test suite on Node $major"
  npx -y -p "node@$major" -- bash -c \
    'echo "node $(node --version)"; node scripts/test-summary.mjs -- node scripts/with-test-services.mjs -- turbo run test --continue'
done
