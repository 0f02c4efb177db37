//! The bounded run in the test command: the reproducers first, unchanged, then a fixed
//! number of mutations from a fixed seed. The fuzzer runs as a child process, so an input
//! that ends it (an abort, which no guard can catch) fails this test with the input named,
//! instead of ending the test. No panic may escape, and no input may cost more memory than
//! 20 times its size and 50 MB (200 MB at most).

use std::process::Command;

#[test]
fn mutated_lists_returned_files_drafts_forms_and_ledgers_never_end_the_program() {
    let seeds = ledger_fuzz::seeds();
    assert!(seeds.iter().filter(|s| s.name.contains('_') && !s.name.starts_with("schema")).count() >= 6, "the reproducers are seeds");
    let keep = tempfile::tempdir().expect("a folder for the inputs");
    let output = Command::new(env!("CARGO_BIN_EXE_ledger-fuzz"))
        .args(["--count", "15000", "--seed", "538051605", "--keep"])
        .arg(keep.path())
        .output()
        .expect("the fuzzer runs");
    let said = String::from_utf8_lossy(&output.stdout);
    println!("{said}");
    if output.status.code().is_none() {
        let current: Vec<String> = std::fs::read_dir(keep.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("当前输入")).collect();
        panic!("the fuzzer was ended ({}) by the input it was trying: {current:?}\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    assert!(output.status.success(), "findings: {said}");
    for door in ["Import", "TakeBack", "Word", "Restore", "UpperForm"] {
        assert!(said.split("inputs per door:").nth(1).is_some_and(|doors| doors.contains(&format!("{door} "))), "{door} had inputs: {said}");
    }
    let counts: Vec<u64> = said.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(counts.len() >= 3 && counts[1] > 0 && counts[2] > 0, "mutations reach both outcomes: {said}");
}

#[test]
fn the_largest_lists_taken_are_read_whole_within_their_memory_bound() {
    for (name, bytes, read, took, cost) in ledger_fuzz::largest_inputs() {
        println!("{name}: {:.1} MB, previewed in {:.1} s, cost {} MB of memory", bytes as f64 / 1048576.0, took.as_secs_f64(), cost >> 20);
        assert!(read, "{name} is read whole");
        assert!(cost <= ledger_fuzz::memory_bound(bytes), "{name}: {} MB, bound {} MB", cost >> 20, ledger_fuzz::memory_bound(bytes) >> 20);
    }
}
