//! The bounded run in the test command: the reproducers first, unchanged, then a fixed
//! number of mutations from a fixed seed (about 25 seconds here). No panic may escape,
//! and nothing may end the process (an abort would fail this test by ending it).

#[test]
fn mutated_lists_and_ledgers_never_end_the_program() {
    let seeds = ledger_fuzz::seeds();
    assert!(seeds.iter().filter(|s| s.name.contains('_') && !s.name.starts_with("schema")).count() >= 6, "the reproducers are seeds");
    let report = ledger_fuzz::run(&seeds, 0x2025_0415, 15_000, None, None);
    println!("{report}");
    assert!(report.escaped.is_empty(), "panics escaped for: {:?}", report.escaped.iter().map(|(n, b)| (n, b.len())).collect::<Vec<_>>());
    assert!(report.accepted > 0 && report.refused > 0, "mutations reach both outcomes: {report}");
    assert!(report.peak_mb <= 200, "memory stayed under 200 MB: {report}");
}

#[test]
fn the_largest_lists_taken_are_read_whole_within_200_mb() {
    for (name, bytes, read, took, peak) in ledger_fuzz::largest_inputs() {
        println!("{name}: {:.1} MB, previewed in {:.1} s, peak memory {peak} MB", bytes as f64 / 1048576.0, took.as_secs_f64());
        assert!(read, "{name} is read whole");
        assert!(peak <= 200, "{name}: {peak} MB");
    }
}
