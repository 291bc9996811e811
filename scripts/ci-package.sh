#!/usr/bin/env bash
# The package as published: `npm pack`, then a fresh app outside the checkout installs the
# tarball with only koa and @koa/router (what the README's install line says) and runs the
# README quick start from CommonJS and ES modules, on Koa 3 and on Koa 2; a TypeScript file
# using the public API type-checks with tsc --strict and only @types/koa and @types/node;
# publint and arethetypeswrong check the package's shape, both entries (koa-tripwire and
# koa-tripwire/advanced). `npm pack` builds first (prepack), so a clean clone packs dist.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

work="$(mktemp -d "${TMPDIR:-/tmp}/tripwire-package-XXXXXX")"
trap 'rm -rf "$work"' EXIT
install() { npm install --no-audit --no-fund --loglevel=error "$@" >/dev/null; }
took() { echo "ci: [package ${SECONDS}s] $*"; }

tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -1)"
contents="$(tar -tzf "$tarball")"
if grep -E '\.map$' <<<"$contents"; then echo "ci: the tarball ships source maps" >&2; exit 1; fi
grep -qx 'package/LICENSE' <<<"$contents" || { echo "ci: the tarball has no LICENSE" >&2; exit 1; }
# The README's links to documents (docs/*.md, ARCHITECTURE.md) must resolve inside the installed
# package too; the screenshots stay in the repository (1.2 MB of pictures in every install).
for link in $(grep -oE '\]\((\./)?(docs/|ARCHITECTURE)[^)#: ]*\.md' README.md | sed -E 's/^\]\((\.\/)?//' | sort -u); do
  grep -qx "package/$link" <<<"$contents" || { echo "ci: the README links to $link, which the tarball lacks" >&2; exit 1; }
done
for entry in index advanced; do
  grep -qx "package/dist/lib/$entry.js" <<<"$contents" || { echo "ci: the tarball has no dist/lib/$entry.js (prepack did not build)" >&2; exit 1; }
done

took packed
npx publint --strict
npx attw "$tarball" --format table-flipped
took publint and attw
app="$work/app"
mkdir -p "$app"
cd "$app"
npm init -y >/dev/null
# What a user sees on install: a deprecated package anywhere in the tree prints a warning.
# Exactly the README's install line, with the tarball for koa-tripwire: the quick start must run on it.
read -r -a packages <<<"$(grep -m1 -oE '^npm install koa-tripwire( [@a-z0-9/._-]+)*$' "$repo/README.md" | cut -d' ' -f3-)"
[ ${#packages[@]} -gt 0 ] || { echo "ci: no 'npm install koa-tripwire …' line in the README" >&2; exit 1; }
packages=("${packages[@]/#koa-tripwire/$tarball}")
echo "ci: npm install ${packages[*]##*/}"
npm install --no-audit --no-fund "${packages[@]}" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
node -e 'process.exit(require("koa/package.json").version.startsWith("3.") ? 0 : 1)' || { echo "ci: the install line did not give Koa 3" >&2; exit 1; }
if grep -i 'deprecated' "$work/install.log"; then echo "ci: installing the package prints deprecation warnings" >&2; exit 1; fi

took installed in a fresh app
node "$repo/scripts/ci-quickstart.mjs" "$app" cjs
node "$repo/scripts/ci-quickstart.mjs" "$app" esm
node -e 'const a = require("koa-tripwire/advanced"); if (typeof a.SafeReportFilter !== "function" || "stack" in a) process.exit(1)'
node --input-type=module -e 'import { SafeReportFilter } from "koa-tripwire/advanced"; import { stack } from "koa-tripwire"; if (typeof SafeReportFilter !== "function" || typeof stack !== "function") process.exit(1)'
echo "ci: koa-tripwire/advanced loads from CommonJS and ES modules"
took quick starts run on Koa 3

install --save-dev typescript@5.9.3 @types/koa @types/node@20
cp "$repo/scripts/ci-types-check.ts" check.ts
cp "$repo/scripts/ci-types-check.ts" check.mts
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "module": "nodenext", "moduleResolution": "nodenext", "target": "ES2022", "noEmit": true, "types": ["node"] },
  "files": ["check.ts", "check.mts"] }
JSON
took TypeScript installed
npx tsc -p .
[ ! -e node_modules/@types/koa-bodyparser ] || { echo "ci: @types/koa-bodyparser got installed: ctx.request.body must be typed by our own declarations" >&2; exit 1; }
echo "ci: the public API type-checks (CommonJS and ES module) with only @types/koa and @types/node, ctx.request.body included"

took type-checked
install koa@2
node "$repo/scripts/ci-quickstart.mjs" "$app" cjs
node "$repo/scripts/ci-quickstart.mjs" "$app" esm
echo "ci: the packed tarball works on koa $(node -p 'require("koa/package.json").version') too"
took done
