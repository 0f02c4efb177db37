/* For the installer check only, never shipped: stands in for Microsoft's offline WebView2
 * runtime installer, so the check can see the installer run it, with which arguments, and
 * only where the runtime is missing. It records its arguments in %TEMP%\webview2-installer.txt
 * and registers a runtime version where Microsoft's per-user install does. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
    wchar_t path[MAX_PATH];
    GetTempPathW(MAX_PATH, path);
    lstrcatW(path, L"webview2-installer.txt");
    FILE *record = _wfopen(path, L"a");
    if (!record) return 1;
    for (int i = 1; i < argc; i++) fwprintf(record, L"%ls%ls", i > 1 ? L" " : L"", argv[i]);
    fwprintf(record, L"\n");
    fclose(record);
    const wchar_t *version = L"120.0.2210.91";
    return RegSetKeyValueW(HKEY_CURRENT_USER,
        L"Software\\Microsoft\\EdgeUpdate\\Clients\\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}", L"pv",
        REG_SZ, version, (DWORD)((lstrlenW(version) + 1) * sizeof(wchar_t))) == ERROR_SUCCESS ? 0 : 2;
}
