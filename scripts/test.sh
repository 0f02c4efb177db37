#!/usr/bin/env bash
# Runs every test: the core's unit and database tests, the shell's tests, and the
# end-to-end suite that drives the real app window under Xvfb; then the Windows build
# (scripts/windows.sh): the core's tests under Wine, the release program and its installer,
# checked under Wine. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
# A clean run builds about 9 GB (the Linux and Windows targets, the Wine prefixes); a disk
# short of that ends the build midway with "No space left on device", so say it first.
free_gb=$(( $(df -Pk . | awk 'NR==2 {print $4}') / 1024 / 1024 ))
if (( free_gb < 12 )); then
  echo "注意 / warning: 磁盘只剩 ${free_gb} GB，完整测试约需 9 GB 构建空间 / ${free_gb} GB free, a clean run needs about 9 GB" >&2
fi
export PATH="$HOME/.cargo/bin:$PATH"
# One screen the size of the clerk's (1366×768), so screenshots show what the clerk sees; a
# D-Bus session, through which a second launch of the program finds the first (one instance).
dbus-run-session -- xvfb-run -a -s "-screen 0 1366x768x24" cargo test --workspace --locked
echo "截图 / screenshots: target/e2e-screenshots/"
bash scripts/windows.sh
echo "全部测试用时 / the whole test command took $((SECONDS / 60)) min $((SECONDS % 60)) s"
