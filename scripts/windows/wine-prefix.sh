# Sourced by the Windows scripts: fresh_wine_prefix DIR makes a new 64-bit Wine prefix in DIR,
# as a new Windows user would have it, for one run.
#  - The user is 办公室, so %USERPROFILE%, %APPDATA%, %TEMP% and Documents hold Chinese, as on
#    many county office PCs; HOME is a folder of the prefix's own, so Wine links no folder of
#    this machine's user (Desktop, Documents) into it.
#  - No display: nothing run in it can wait on a window.
#  - bcryptprimitives.dll (scripts/windows/bcryptprimitives.c) goes into its system32, since
#    Debian's Wine 8.0 lacks the ProcessPrng that Rust's standard library calls.
fresh_wine_prefix() {
  local dir=$1
  rm -rf "$dir" "$dir.home"
  mkdir -p "$dir.home"
  export WINEPREFIX=$dir HOME=$dir.home USER=办公室 LOGNAME=办公室 WINEDEBUG=-all
  # No Mono or Gecko prompts, no menu entries written into this machine's desktop.
  export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
  unset DISPLAY WAYLAND_DISPLAY
  wineboot -i > "$dir.boot.log" 2>&1
  wineserver -w
  x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$(dirname "${BASH_SOURCE[0]}")/bcryptprimitives.c" -ladvapi32
}
