#!/usr/bin/env bash
# Builds the browser assets (vite build into public/assets) for production mode, once per
# version of their sources: a second `bin/aula start` with unchanged sources skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
stamp=public/assets/.aula-source-hash
hash=$( (find resources plugins -type f \( -path '*/ui/*' -o -path '*/shared/*' -o -path 'resources/*' \) -not -name '*.spec.ts' -print0 \
  | sort -z | xargs -0 sha256sum; sha256sum vite.config.ts package-lock.json) | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ -f public/assets/.vite/manifest.json ] && [ "$(cat "$stamp")" = "$hash" ]; then
  exit 0
fi
echo "Building browser assets (vite build, once per source version)"
rm -rf public/assets
NODE_ENV=production npx vite build --logLevel warn
echo "$hash" > "$stamp"
