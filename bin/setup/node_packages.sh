#!/usr/bin/env bash
# Installs npm packages when package.json or package-lock.json changed since the last install.
# Idempotent. A copy of the last install is kept in ~/.cache/aula (one, for the current lock file):
# a fresh checkout of the same lock file copies it (about 12 s) instead of running npm (about 2-4 min).
set -euo pipefail
stamp=node_modules/.aula-lock-hash
hash=$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  exit 0
fi
cache_root=${AULA_CACHE_DIR:-$HOME/.cache/aula}
cached="$cache_root/node_modules-$hash"
if [ -f "$cached/.aula-lock-hash" ]; then
  echo "Copying npm packages from the cache of the same package-lock.json ($cached)"
  rm -rf node_modules
  cp -a "$cached" node_modules
  exit 0
fi
echo "Installing npm packages (npm ci is not usable here: the registry mirror lacks non-Linux optional builds)"
npm install --no-audit --no-fund --loglevel=error
mkdir -p node_modules
echo "$hash" > "$stamp"
# Cached right after the install, before anything (Vite's dependency cache) writes into node_modules.
mkdir -p "$cache_root"
rm -rf "$cache_root"/node_modules-*
cp -a node_modules "$cached.tmp.$$" && mv "$cached.tmp.$$" "$cached"
