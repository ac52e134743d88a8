#!/usr/bin/env bash
# Rebuild platform/web/static/vendor/noble/noble-ristretto.js: ristretto255 from @noble/curves and SHA-2 from
# @noble/hashes (npm registry), bundled into one ES module with esbuild. Bump the versions here and in SOURCE.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/platform/web/static/vendor/noble"
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm install --silent @noble/curves@2.4.0 @noble/hashes@2.4.0 esbuild@0.28.2
printf "export { ristretto255 } from '@noble/curves/ed25519.js';\nexport { sha256, sha512 } from '@noble/hashes/sha2.js';\n" > entry.js
npx esbuild entry.js --bundle --format=esm --minify --legal-comments=inline --outfile="$out/noble-ristretto.js"
cp node_modules/@noble/curves/LICENSE "$out/LICENSE"
rm -rf "$work"
