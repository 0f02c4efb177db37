//! Runs the fuzzer for as long as you like and keeps what it finds:
//! `cargo run --release -p ledger-fuzz -- --seconds 600 --seed 7`. Inputs that let a panic
//! escape are written to target/fuzz-findings/ to be added to tests/fixtures/hostile/.

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut seconds, mut seed) = (60u64, 0x2025_0415u64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            other => {
                eprintln!("未知的选项 {other}；用法：ledger-fuzz [--seconds 秒数] [--seed 数字]");
                std::process::exit(2);
            }
        }
    }
    let seeds = ledger_fuzz::seeds();
    let report = ledger_fuzz::run(&seeds, seed, u64::MAX, Some(Instant::now() + Duration::from_secs(seconds)));
    println!("{report}");
    if !report.escaped.is_empty() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-findings");
        std::fs::create_dir_all(&folder).expect("target/fuzz-findings");
        for (i, (name, bytes)) in report.escaped.iter().enumerate() {
            std::fs::write(folder.join(format!("{i:03}-{name}")), bytes).expect("a finding");
        }
        println!("escaped panics written to {}", folder.display());
        std::process::exit(1);
    }
}
