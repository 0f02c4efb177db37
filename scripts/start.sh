#!/usr/bin/env bash
# Builds and starts the ledger on a demo data folder (./demo-data), filled on first start
# with a realistic county year, so a newcomer sees a working ledger. A real installation
# starts empty; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run -p jianyi-taizhang -- --data-dir "$PWD/demo-data" --demo
