#!/usr/bin/env bash
# Builds and starts the ledger on a demo data folder (./demo-data), filled on first start
# with a realistic county year and opened as of 2025-04-15, in the middle of the handling
# season, so the reminders and task lists have work to show. A real installation starts
# empty and counts from the real date; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run -p jianyi-taizhang -- --data-dir "$PWD/demo-data" --demo --today 2025-04-15
