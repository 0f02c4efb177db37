//! Windows only: the window is drawn by Microsoft's WebView2 runtime, which an old or
//! offline PC may lack. Without it Tauri cannot open the window and the program would end
//! without a word; instead the clerk is told in Chinese what is missing and what to ask IT
//! for (the installer says the same when it finds the runtime missing).

/// What the clerk is told.
const MISSING: &str = "这台电脑缺少“Microsoft Edge WebView2 运行库”，建议提案办理台账要用它显示窗口，所以现在打不开。\n\n\
请向单位的信息化管理人员（IT）要“Microsoft Edge WebView2 运行库”的离线安装包（Evergreen Standalone Installer，x64），\
安装后再打开本程序。Windows 11 和更新过的 Windows 10 一般已经带有它。\n\n台账数据没有任何改动。";

/// The exit code of a start without the runtime (the Wine check of the build looks for it).
const EXIT_CODE: i32 = 3;

#[link(name = "user32")]
extern "system" {
    fn MessageBoxW(window: *mut std::ffi::c_void, text: *const u16, caption: *const u16, style: u32) -> i32;
}

/// Ends the program with the explanation when WebView2's own loader finds no runtime;
/// returns when there is one.
pub fn require() {
    if tauri::webview_version().is_ok_and(|version| !version.is_empty()) {
        return;
    }
    // Also on the error output, for whoever started the program from a console.
    eprintln!("{MISSING}");
    let wide = |text: &str| text.encode_utf16().chain([0]).collect::<Vec<u16>>();
    const MB_ICONWARNING: u32 = 0x30;
    // SAFETY: both strings are NUL-terminated UTF-16 buffers that outlive the call; no owner
    // window.
    unsafe { MessageBoxW(std::ptr::null_mut(), wide(MISSING).as_ptr(), wide("建议提案办理台账").as_ptr(), MB_ICONWARNING) };
    std::process::exit(EXIT_CODE);
}
