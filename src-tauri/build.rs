//! Tauri's build step, and the one list of the commands: every `#[tauri::command]` function in
//! src/commands.rs is a command the window may call. From that list this writes the handler
//! list lib.rs includes, has Tauri make each command's permission (allow-<command>), and
//! writes the window's capability granting exactly these and nothing else (no file system, no
//! shell, no HTTP: files are saved by Rust through the native dialog). Adding a command is the
//! function in commands.rs, its call in ui/api.js (a test checks the two agree) and the screen.

use std::path::PathBuf;

/// The names of the `#[tauri::command]` functions of src/commands.rs, in order.
fn commands() -> Vec<String> {
    let source = std::fs::read_to_string("src/commands.rs").expect("src/commands.rs");
    let mut lines = source.lines();
    let mut names = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[tauri::command") {
            let function = lines.find(|l| l.trim_start().starts_with("pub fn ")).expect("a command's function");
            let name = function.trim_start()["pub fn ".len()..].split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().expect("its name");
            names.push(name.to_string());
        }
    }
    names
}

fn main() {
    println!("cargo:rerun-if-changed=src/commands.rs");
    let names = commands();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let handlers: String = names.iter().map(|n| format!("commands::{n}, ")).collect();
    std::fs::write(out.join("handlers.rs"), format!("tauri::generate_handler![{handlers}]")).expect("handlers.rs");
    let capabilities = out.join("capabilities");
    std::fs::create_dir_all(&capabilities).expect("the capabilities folder");
    let granted: Vec<String> = names.iter().map(|n| format!("\"allow-{}\"", n.replace('_', "-"))).collect();
    let capability = format!(
        "{{\n  \"identifier\": \"main-window\",\n  \"description\": \"The ledger window may call the ledger's own commands, nothing else.\",\n  \"windows\": [\"main\"],\n  \"permissions\": [{}]\n}}\n",
        granted.join(", ")
    );
    std::fs::write(capabilities.join("main.json"), capability).expect("the capability");
    let pattern: &'static str = Box::leak(format!("{}/*.json", capabilities.display()).into_boxed_str());
    let commands: Vec<&'static str> = names.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern(pattern)
            .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(commands.into_boxed_slice()))),
    )
    .expect("tauri build step");
}
