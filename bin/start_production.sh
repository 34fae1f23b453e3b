#!/usr/bin/env bash
# What `bin/aula start` runs once packages and .env are in place: Aula in production mode.
# Built assets (cached by a hash of their sources), NODE_ENV=production (no Vite dev server,
# no debug error pages), migrations, the demo school, then the web process and media sidecar.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bin/setup/build_assets.sh
export NODE_ENV=production
node ace migration:run --force
node ace aula:demo
exec bash bin/run_embedded.sh
