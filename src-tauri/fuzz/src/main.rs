//! Runs the fuzzer for as long as you like and keeps what it finds:
//! `cargo run --release -p ledger-fuzz -- --seconds 600 --seed 7`. Inputs that let a panic
//! escape are written to target/fuzz-findings/ to be added to tests/fixtures/hostile/; an
//! input that ends the process is the 当前输入-… file left there.

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut seconds, mut seed) = (60u64, 0x2025_0415u64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--check" => {
                let file = args.next().expect("--check takes a file");
                println!("{}", ledger_fuzz::check_one(std::path::Path::new(&file)));
                return;
            }
            other => {
                eprintln!("未知的选项 {other}；用法：ledger-fuzz [--seconds 秒数] [--seed 数字] | --check 文件");
                std::process::exit(2);
            }
        }
    }
    let seeds = ledger_fuzz::seeds();
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-findings");
    std::fs::create_dir_all(&folder).expect("target/fuzz-findings");
    // Each input is kept as 当前输入-… before it is tried: if one ends the process, it is there.
    let report = ledger_fuzz::run(&seeds, seed, u64::MAX, Some(Instant::now() + Duration::from_secs(seconds)), Some(&folder));
    println!("{report}");
    if !report.escaped.is_empty() {
        for (i, (name, bytes)) in report.escaped.iter().enumerate() {
            std::fs::write(folder.join(format!("{i:03}-{name}")), bytes).expect("a finding");
        }
        println!("escaped panics written to {}", folder.display());
        std::process::exit(1);
    }
}
