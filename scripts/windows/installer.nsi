; 建议提案办理台账的安装程序，由 Debian 的 makensis（3.08）从本仓库的文件生成，不下载任何东西。
; The installer of 建议提案办理台账, built by Debian's makensis 3.08 from the repository's own
; files (scripts/windows.sh passes the defines below); nothing is downloaded.
;
; Per user, no administrator rights: the program goes to %LOCALAPPDATA%\Programs\建议提案办理台账.
; The ledger (%APPDATA%\cn.jianyi.taizhang) and its backups (Documents\建议提案台账备份) are the
; program's, never the installer's: installing again replaces only the program's files, and the
; uninstaller deletes the files it installed by name and nothing else (no folder is removed
; with what is in it).
;
; Defines: VERSION (0.1.0), SOURCE (folder with jianyi-taizhang.exe and WebView2Loader.dll),
; ICON (.ico), OUTFILE; WEBVIEW2_INSTALLER (optional: Microsoft's offline WebView2 runtime
; installer, MicrosoftEdgeWebView2RuntimeInstallerX64.exe, carried and run where the PC has
; no WebView2).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh

!define PRODUCT "建议提案办理台账"
!define EXE "jianyi-taizhang.exe"
!define UNINSTALLER "卸载建议提案办理台账.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\cn.jianyi.taizhang"
; The WebView2 runtime's client id, under which Microsoft's installers record its version.
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define ASK_IT "请向单位的信息化管理人员（IT）要“Microsoft Edge WebView2 运行库”的离线安装包（Evergreen Standalone Installer，x64），安装后再打开本程序。Windows 11 和更新过的 Windows 10 一般已经带有它。"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${PRODUCT}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${PRODUCT}需要 64 位的 Windows（Windows 10 或更新）。这台电脑是 32 位的，无法安装。" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

; The program must be closed before its files are replaced: an open program's file cannot be
; written on Windows. Asks to close it and try again; a silent install gives up.
Function WaitForClosedProgram
  ${Do}
    ${IfNot} ${FileExists} "$INSTDIR\${EXE}"
      Return
    ${EndIf}
    ClearErrors
    FileOpen $0 "$INSTDIR\${EXE}" a
    ${IfNot} ${Errors}
      FileClose $0
      Return
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${PRODUCT}正在运行。请先关闭它（台账不受影响），再点“重试”。" /SD IDCANCEL IDRETRY again
    Abort "${PRODUCT}正在运行，没有安装。"
    again:
  ${Loop}
FunctionEnd

; Where the PC has no WebView2 runtime, installs it from what this installer carries, or says
; what to ask IT for. The program explains the same at its start, so nothing is lost when the
; clerk clicks past this.
Function WebView2
  ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}" "pv"
  ${If} $1 == ""
  ${OrIf} $1 == "0.0.0.0"
    ReadRegStr $1 HKCU "Software\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $1 != ""
  ${AndIf} $1 != "0.0.0.0"
    DetailPrint "本机已有 WebView2 运行库（版本 $1）。"
    Return
  ${EndIf}
!ifdef WEBVIEW2_INSTALLER
  DetailPrint "本机没有 WebView2 运行库，正在安装（需要一两分钟）……"
  InitPluginsDir
  File "/oname=$PLUGINSDIR\MicrosoftEdgeWebView2RuntimeInstallerX64.exe" "${WEBVIEW2_INSTALLER}"
  ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebView2RuntimeInstallerX64.exe" /silent /install' $2
  ${If} $2 == 0
    DetailPrint "WebView2 运行库已安装。"
  ${Else}
    MessageBox MB_ICONEXCLAMATION "WebView2 运行库没有装上（返回 $2）。${PRODUCT}已经安装，但要有它才能打开。${ASK_IT}" /SD IDOK
  ${EndIf}
!else
  MessageBox MB_ICONINFORMATION "这台电脑缺少“Microsoft Edge WebView2 运行库”，${PRODUCT}要用它显示窗口。程序已经安装好，但在装上它之前打不开。${ASK_IT}" /SD IDOK
!endif
FunctionEnd

Section "${PRODUCT}"
  SetShellVarContext current
  Call WaitForClosedProgram
  SetOutPath "$INSTDIR"
  File "${SOURCE}\${EXE}"
  File "${SOURCE}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${EXE}"
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  Call WebView2
SectionEnd

; Deletes what the installer put there, by name. The ledger and its backups are elsewhere and
; stay; the program's folder goes only when nothing else is left in it.
Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
