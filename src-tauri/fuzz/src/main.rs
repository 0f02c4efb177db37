//! Runs the fuzzer for as long as you like and keeps what it finds:
//! `cargo run --release -p ledger-fuzz -- --seconds 1800 --seed 7`, or a fixed number of
//! inputs with `--count N`. Each input is written to the findings folder (`--keep`, by
//! default target/fuzz-findings/) as 当前输入-… before it is tried, so an input that ends the
//! process (an abort cannot be caught) is left there; inputs that let a panic escape or cost
//! more memory than the bound are kept beside it. Exits 1 when it found any.

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut seconds, mut count, mut seed) = (None, u64::MAX, 0x2025_0415u64);
    let mut folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-findings");
    while let Some(arg) = args.next() {
        let mut number = || args.next().and_then(|s| s.parse::<u64>().ok());
        match arg.as_str() {
            "--seconds" => seconds = number(),
            "--count" => count = number().unwrap_or(count),
            "--seed" => seed = number().unwrap_or(seed),
            "--keep" => folder = args.next().expect("--keep takes a folder").into(),
            "--check" => {
                let file = args.next().expect("--check takes a file");
                println!("{}", ledger_fuzz::check_one(std::path::Path::new(&file)));
                return;
            }
            other => {
                eprintln!("未知的选项 {other}；用法：ledger-fuzz [--seconds 秒数 | --count 个数] [--seed 数字] [--keep 文件夹] | --check 文件");
                std::process::exit(2);
            }
        }
    }
    let seconds = seconds.or((count == u64::MAX).then_some(60));
    std::fs::create_dir_all(&folder).expect("the findings folder");
    let seeds = ledger_fuzz::seeds();
    let until = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let report = ledger_fuzz::run(&seeds, seed, count, until, Some(&folder));
    println!("{report}");
    for (i, (name, bytes)) in report.escaped.iter().enumerate() {
        std::fs::write(folder.join(format!("{i:03}-{name}")), bytes).expect("a finding");
    }
    if !report.escaped.is_empty() || !report.over_bound.is_empty() || report.peak_mb > 200 {
        println!("findings written to {}", folder.display());
        std::process::exit(1);
    }
}
