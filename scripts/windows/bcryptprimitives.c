/* For the Wine test run only, never shipped: Debian's Wine 8.0 has no bcryptprimitives.dll,
 * whose ProcessPrng Rust's standard library calls for random numbers on Windows (Windows 10
 * and later have it; Wine added it in 8.13). This one hands the call to RtlGenRandom
 * (SystemFunction036 of advapi32), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
