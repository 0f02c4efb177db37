#!/usr/bin/env bash
# The clerk's Windows program, built and checked on this Debian machine (scripts/test.sh runs
# it after the Linux suite):
#   1. the core's tests built for x86_64-pc-windows-gnu and run under Wine, in a fresh Wine
#      prefix whose user is 办公室 (so %APPDATA%, %TEMP% and Documents have Chinese in them);
#   2. the release program built for Windows;
#   3. the installer made from scripts/windows/installer.nsi by Debian's makensis;
#   4. the installer run under Wine and checked (scripts/windows/check-installer.sh).
# Everything comes from Debian's packages and crates.io; nothing else is downloaded.
#
# Build option: WEBVIEW2_OFFLINE_INSTALLER=/path/to/MicrosoftEdgeWebView2RuntimeInstallerX64.exe
# (Microsoft's offline WebView2 runtime installer, fetched on a connected machine) makes an
# installer that carries it and installs it where a PC lacks WebView2.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/install-deps.sh --windows

target=x86_64-pc-windows-gnu
out=$root/target/windows
mkdir -p "$out"

# Debian's compiler and std source, not rustup's toolchain: rustup's cargo stays off PATH and
# its cargo home is not shared (its config and caches are for the Linux toolchain).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export CARGO_HOME=$out/cargo-home CARGO_TARGET_DIR=$out/build
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
# -Z build-std on Debian's stable compiler (Debian ships no prebuilt Windows std).
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
cargo_windows() { # SUBCOMMAND [ARGS]
  local subcommand=$1
  shift
  /usr/bin/cargo -Z build-std "$subcommand" --target "$target" --locked "$@"
}

# The tool versions this build was made and checked with (scripts/windows/versions): a
# different one stops the build here rather than making an untested program. The compiler
# and the std source it builds must be the very same package version.
while read -r package expected; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  found=$(dpkg-query -W -f='${Version}' "$package")
  if [[ "$found" != "$expected"* ]]; then
    echo "Windows 构建所用的 $package 版本是 $found，本项目检验过的是 $expected*：请核对后更新 scripts/windows/versions" >&2
    exit 1
  fi
  echo "$package $found"
done < scripts/windows/versions
if [[ $(dpkg-query -W -f='${Version}' rustc-web) != $(dpkg-query -W -f='${Version}' rust-web-src) ]]; then
  echo "rustc-web 与 rust-web-src 的版本不同，标准库的源码与编译器不配套" >&2
  exit 1
fi

# 1. The core's tests under Wine.
echo "== Windows: 核心测试（Wine） / the core's tests under Wine"
cargo_windows test -p ledger-core --no-run --message-format=json > "$out/test-build.json"
mapfile -t test_exes < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") and message["profile"]["test"]:
        print(message["executable"])' "$out/test-build.json")

# Tests that start Linux programs, which a Windows program cannot: they run in the Linux suite.
left_out=(
  # openpyxl, the second reader of our workbooks (python3)
  unit_exchange::a_filled_in_file_comes_back_exactly_once_even_sorted_and_resaved
  unit_exchange::conflicts_tampering_added_and_deleted_rows_foreign_files_and_bad_cells_are_each_caught
  unit_exchange::the_exported_workbook_is_locked_validated_and_printable_as_openpyxl_reads_it
  reports::the_undertaking_table_has_every_cell_and_prints_right
  similar::a_link_shows_on_both_items_is_logged_counted_and_listed
  upper_form::the_filled_form_keeps_every_attribute_of_the_blank_one_as_openpyxl_reads_it
  # a python3 process that holds a ledger open in the middle of a transaction
  hostile::a_ledger_caught_in_an_uncommitted_transaction_is_refused_or_read_as_committed
  hostile::a_wal_ledger_is_restored_with_what_was_committed_and_nothing_else
)
skips=()
for test in "${left_out[@]}"; do
  # A test renamed or moved would no longer be skipped, and fail under Wine for want of Linux.
  file="src-tauri/core/tests/db/${test%%::*}.rs"
  grep -q "fn ${test##*::}(" "$file" 2>/dev/null || { echo "windows.sh: $test, left out under Wine, is not in $file" >&2; exit 1; }
  skips+=(--skip "$test")
done

source scripts/windows/wine-prefix.sh
fresh_wine_prefix "$out/wine-tests"
passed=0 failed=0
for exe in "${test_exes[@]}"; do
  log="$out/$(basename "$exe" .exe).log"
  status=0
  wine "$exe" --exact "${skips[@]}" > "$log" 2>&1 || status=$?
  grep -E '^test result:|FAILED|panicked' "$log" || true
  read -r p f < <(sed -n 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$log" | tail -1)
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0}))
  if ((status != 0)) || [[ -z "${p:-}" ]]; then
    echo "Wine 下的测试失败 / failed under Wine: $(basename "$exe") (exit $status); see $log" >&2
    tail -40 "$log" >&2
    exit 1
  fi
done
echo "Wine 下未运行（要启动 Linux 程序，在 Linux 测试中运行） / left out under Wine: ${#left_out[@]} tests"
echo "Wine: $passed passed, $failed failed"

# 2. The release program.
echo "== Windows: 发布版程序 / the release program"
cargo_windows build -p jianyi-taizhang --release --features tauri/custom-protocol
package=$out/package
rm -rf "$package" && mkdir -p "$package"
cp "$out/build/$target/release/jianyi-taizhang.exe" "$package/"
# The gnu target links the WebView2 loader dynamically: its DLL, from the webview2-com-sys
# crate of the lock file, goes beside the program.
loader_version=$(sed -n '/^name = "webview2-com-sys"$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)
cp "$CARGO_HOME"/registry/src/*/"webview2-com-sys-$loader_version/x64/WebView2Loader.dll" "$package/"
# Only system DLLs and the loader: no MinGW runtime DLL may be needed.
strays=$(x86_64-w64-mingw32-objdump -p "$package/jianyi-taizhang.exe" | sed -n 's/.*DLL Name: //p' | sort -fu |
  grep -viE '^(kernel32|msvcrt|ntdll|webview2loader|bcryptprimitives|advapi32|api-ms-win-.*|combase|comctl32|dwmapi|gdi32|imm32|ole32|oleaut32|shell32|shlwapi|user32|uxtheme|version|winmm|ws2_32|userenv|crypt32|secur32|bcrypt|dbghelp|propsys|dxgi|d3d11|setupapi|winspool\.drv|comdlg32)\.dll$' || true)
if [[ -n "$strays" ]]; then
  echo "程序需要不随 Windows 提供的 DLL / the program needs DLLs Windows does not have: $strays" >&2
  exit 1
fi

# 3. The installer.
echo "== Windows: 安装程序 / the installer"
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
installer="$out/建议提案办理台账-$version-安装程序.exe"
make_installer() { # VERSION OUTFILE [more makensis options]
  local version=$1 outfile=$2
  shift 2
  makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSOURCE="$package" -DICON="$root/assets/icons/icon.ico" \
    -DOUTFILE="$outfile" "$@" scripts/windows/installer.nsi
}
offline=()
[[ -n "${WEBVIEW2_OFFLINE_INSTALLER:-}" ]] && offline=(-DWEBVIEW2_INSTALLER="$WEBVIEW2_OFFLINE_INSTALLER")
make_installer "$version" "$installer" "${offline[@]}"

# 4. The installer checked under Wine.
echo "== Windows: 检查安装程序（Wine） / the installer under Wine"
make_installer 0.0.1 "$out/older-installer.exe"
x86_64-w64-mingw32-gcc -municode -O2 -o "$out/stand-in-webview2-installer.exe" scripts/windows/stand-in-webview2-installer.c -ladvapi32
make_installer "$version" "$out/with-runtime-installer.exe" -DWEBVIEW2_INSTALLER="$out/stand-in-webview2-installer.exe"
bash scripts/windows/check-installer.sh "$installer" "$out/older-installer.exe" "$out/with-runtime-installer.exe" "$version" "$package"
printf '程序 / exe: %s bytes; WebView2Loader.dll: %s bytes; 安装程序 / installer: %s bytes\n' \
  "$(stat -c %s "$package/jianyi-taizhang.exe")" "$(stat -c %s "$package/WebView2Loader.dll")" "$(stat -c %s "$installer")"
echo "安装程序 / installer: $installer"
