#!/usr/bin/env bash
# The end-to-end specs again, against the latest Koa 2 (the checkout's own install is Koa 3):
# Koa 2 goes into a temporary prefix and a require hook points `koa` at it. Nothing in the
# checkout changes, so there is nothing to restore.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="$(mktemp -d "${TMPDIR:-/tmp}/tripwire-koa2-XXXXXX")"
trap 'rm -rf "$prefix"' EXIT
npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error koa@2 >/dev/null

TRIPWIRE_KOA_PREFIX="$prefix" TRIPWIRE_KOA_MAJOR=2 \
  npx mocha --require ./scripts/ci-koa-resolve.cjs 'spec/e2e/**/*.spec.ts'
echo "ci: end-to-end specs pass on koa $(node -p "require('$prefix/node_modules/koa/package.json').version")"
