#!/usr/bin/env bash
# Runs the installer under Wine, silently, as on a clerk's PC without WebView2, and checks:
#  - an older version installs, then this one upgrades it in place, and installing again
#    changes nothing else;
#  - what is installed, and where (per user, no administrator rights), with the Start-menu and
#    desktop shortcuts and the entry in 应用和功能;
#  - the installed program, started without WebView2, explains in Chinese and ends;
#  - the uninstaller removes the program and leaves the ledger and its backups as they were;
#  - an installer built with the offline WebView2 runtime runs it, silently, where the
#    runtime is missing, and not where it is there.
# Usage: check-installer.sh INSTALLER OLDER_INSTALLER STAND_IN_INSTALLER VERSION PACKAGE_DIR
set -euo pipefail
installer=$1 older=$2 with_runtime=$3 version=$4 package=$5
cd "$(dirname "$0")/../.."
source scripts/windows/wine-prefix.sh

fail() { echo "安装程序检查失败 / installer check failed: $*" >&2; exit 1; }
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\cn.jianyi.taizhang'
# One value of the uninstall entry, as text ("" when there is none); read through an export,
# since Wine's console cannot print Chinese.
registry() {
  rm -f target/windows/registry.reg
  wine reg export "$key" 'target\windows\registry.reg' /y > /dev/null 2>&1 || return 0
  iconv -f UTF-16 -t UTF-8 target/windows/registry.reg | tr -d '\r' |
    sed -n "s/^\"$1\"=\"\(.*\)\"$/\1/p" | sed 's/\\\\/\\/g; s/\\"/"/g'
}
run() { wine "$@"; wineserver -w; }

fresh_wine_prefix "$PWD/target/windows/wine-installer"
profile="$WINEPREFIX/drive_c/users/办公室"
programs="$profile/AppData/Local/Programs/建议提案办理台账"
start_menu="$profile/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/建议提案办理台账.lnk"
desktop="$profile/Desktop/建议提案办理台账.lnk"

# An older version, and a ledger with a backup where the program keeps them.
run "$older" /S
[[ "$(registry DisplayVersion)" == 0.0.1 ]] || fail "旧版本没有装上（$(registry DisplayVersion)）"
ledger="$profile/AppData/Roaming/cn.jianyi.taizhang/taizhang.sqlite3"
backup="$profile/Documents/建议提案台账备份/台账备份_20250415-093012_自动.sqlite3"
mkdir -p "$(dirname "$ledger")" "$(dirname "$backup")"
cp tests/fixtures/schema-v10.sqlite3 "$ledger"
cp tests/fixtures/schema-v10.sqlite3 "$backup"
kept=$(sha256sum "$ledger" "$backup")

# This version over it, then again.
for round in upgrade again; do
  run "$installer" /S
  [[ "$(registry DisplayVersion)" == "$version" ]] || fail "$round: 版本是 $(registry DisplayVersion)，应为 $version"
  [[ "$(registry InstallLocation)" == 'C:\users\办公室\AppData\Local\Programs\建议提案办理台账' ]] || fail "$round: 安装位置 $(registry InstallLocation)"
  installed=$(cd "$programs" && ls | sort | tr '\n' ' ')
  [[ "$installed" == "WebView2Loader.dll jianyi-taizhang.exe 卸载建议提案办理台账.exe " ]] || fail "$round: 安装的文件是 $installed"
  cmp -s "$programs/jianyi-taizhang.exe" "$package/jianyi-taizhang.exe" || fail "$round: 程序没有换成新版本"
  cmp -s "$programs/WebView2Loader.dll" "$package/WebView2Loader.dll" || fail "$round: WebView2Loader.dll 不同"
  [[ -f "$start_menu" && -f "$desktop" ]] || fail "$round: 没有开始菜单或桌面快捷方式"
  [[ "$(sha256sum "$ledger" "$backup")" == "$kept" ]] || fail "$round: 台账或备份被改动"
done
uninstall_string=$(registry UninstallString)
[[ "$uninstall_string" == '"C:\users\办公室\AppData\Local\Programs\建议提案办理台账\卸载建议提案办理台账.exe"' ]] || fail "卸载命令是 $uninstall_string"

# The program on a PC without WebView2: the explanation, exit code 3, the ledger untouched.
status=0
wine "$programs/jianyi-taizhang.exe" > "$WINEPREFIX.program.log" 2>&1 || status=$?
wineserver -w
((status == 3)) || fail "没有 WebView2 时程序的退出码是 $status，应为 3：$(cat "$WINEPREFIX.program.log")"
grep -q "缺少“Microsoft Edge WebView2 运行库”" "$WINEPREFIX.program.log" || fail "没有 WebView2 时程序没有说明原因：$(cat "$WINEPREFIX.program.log")"
[[ "$(sha256sum "$ledger" "$backup")" == "$kept" ]] || fail "程序改动了台账"

# The uninstaller: the program goes, the ledger and its backup stay.
run "$programs/卸载建议提案办理台账.exe" /S
for _ in $(seq 600); do # the uninstaller runs a copy of itself from %TEMP%, which Wine may start late
  [[ -e "$programs" ]] || break
  sleep 0.1
  wineserver -w
done
[[ ! -e "$programs" ]] || fail "卸载后程序文件夹还在：$(ls "$programs")"
[[ ! -e "$start_menu" && ! -e "$desktop" ]] || fail "卸载后快捷方式还在"
[[ -z "$(registry DisplayName)" ]] || fail "卸载后“应用和功能”中还有它"
[[ "$(sha256sum "$ledger" "$backup")" == "$kept" ]] || fail "卸载改动或删除了台账或备份"

# The offline WebView2 runtime: run where it is missing, silently; not where it is there.
run "$with_runtime" /S
record=$(find "$profile" -name webview2-installer.txt)
[[ "$(tr -d '\r' < "$record")" == "/silent /install" ]] || fail "WebView2 运行库安装程序没有按“/silent /install”运行：$(cat "$record" 2>/dev/null)"
run "$with_runtime" /S
[[ $(wc -l < "$record") == 1 ]] || fail "已有 WebView2 时又运行了它的安装程序"
[[ "$(sha256sum "$ledger" "$backup")" == "$kept" ]] || fail "台账或备份被改动"

echo "安装程序检查通过 / installer checked: per-user install, upgrade over 0.0.1, reinstall, shortcuts, uninstall entry, WebView2 explained, uninstall kept the ledger and its backup, offline runtime run once"
