#!/usr/bin/env bash
# Runs every test: the core's unit and database tests, the shell's tests, and the
# end-to-end suite that drives the real app window under Xvfb; then the Windows build
# (scripts/windows.sh): the core's tests under Wine, the release program and its installer,
# checked under Wine. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
# One screen the size of the clerk's (1366×768), so screenshots show what the clerk sees; a
# D-Bus session, through which a second launch of the program finds the first (one instance).
dbus-run-session -- xvfb-run -a -s "-screen 0 1366x768x24" cargo test --workspace --locked
echo "截图 / screenshots: target/e2e-screenshots/"
bash scripts/windows.sh
echo "全部测试用时 / the whole test command took $((SECONDS / 60)) min $((SECONDS % 60)) s"
