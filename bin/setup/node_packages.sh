#!/usr/bin/env bash
# Installs npm packages when package-lock.json changed since the last install. Idempotent.
set -euo pipefail
stamp=node_modules/.aula-lock-hash
hash=$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  exit 0
fi
echo "Installing npm packages (npm ci is not usable here: the registry mirror lacks non-Linux optional builds)"
npm install --no-audit --no-fund --loglevel=error
echo "$hash" > "$stamp"
