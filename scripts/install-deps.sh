#!/usr/bin/env bash
# Installs what building, running and testing the ledger needs on Debian/Ubuntu, and only
# what is missing (--windows: what the Windows build needs, and nothing else): WebKitGTK and the other Tauri build packages, a CJK font, and (with
# --test) Xvfb, a D-Bus session bus, WebKitWebDriver, tauri-driver, openpyxl (the second reader of our .xlsx),
# Chromium with poppler to print pages to PDF and measure them, and LibreOffice Calc to
# render our .xlsx and .docx files as an office would print them. Safe to run again; it changes nothing
# when everything is there.
set -euo pipefail

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
want_test=false want_windows=false
[[ "${1:-}" == "--test" ]] && want_test=true
[[ "${1:-}" == "--windows" ]] && want_windows=true

packages=(libwebkit2gtk-4.1-dev build-essential file pkg-config libssl-dev libayatana-appindicator3-dev
  librsvg2-dev libxdo-dev fonts-noto-cjk)
if $want_test; then
  packages+=(xvfb xauth dbus webkit2gtk-driver python3-openpyxl chromium poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui)
fi

# The Windows build (scripts/windows.sh): Debian's Rust with its standard library's source (to
# build std for x86_64-pc-windows-gnu), MinGW-w64 to link, NSIS for the installer, and Wine,
# with its 32-bit half for the (32-bit) installer, to run the tests and the installer.
if $want_windows; then
  packages=(rustc-web cargo-web rust-web-src mingw-w64 nsis wine wine64 wine32:i386 python3)
  dpkg --print-foreign-architectures | grep -qx i386 || {
    echo "启用 i386 软件包 / enabling i386 packages (32-bit Wine)"
    $sudo dpkg --add-architecture i386
  }
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "安装系统软件包 / installing: ${missing[*]}"
  # A fresh machine may be running its own updates: wait up to ten minutes for apt's lock.
  wait_lock=(-o DPkg::Lock::Timeout=600)
  $sudo apt-get "${wait_lock[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get "${wait_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}"
fi

$want_windows && exit 0

if ! command -v cargo >/dev/null 2>&1; then
  [[ -x "$HOME/.cargo/bin/cargo" ]] || {
    echo "安装 Rust 工具链 / installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  }
fi

if $want_test && ! command -v tauri-driver >/dev/null 2>&1 && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
  echo "安装 tauri-driver / installing tauri-driver"
  # NOTE: crates.io already serves tauri-driver 3 alphas; the suite is written for Tauri 2.
  "${CARGO:-$HOME/.cargo/bin/cargo}" install tauri-driver --locked --version "^2"
fi
