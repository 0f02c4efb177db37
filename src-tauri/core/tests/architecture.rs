//! The core's modules depend on each other in one direction only: no module reaches, through
//! others, back to itself, and each names only modules of its own layer or below (words and
//! rules → store → views → output → flows → workplace, the table LAYERS); SQL is written in
//! the store. A newcomer can then read the core bottom-up without meeting a loop, and knows
//! where a new read goes: SQL in queries/, one file per table or per screen's reads.
//! Read from the sources: a module depends on another when it names it (`crate::x`,
//! `use crate::{x, …}`, `super::x`), tests aside.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path ("queries::items") → its source, without its test module.
fn modules() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap().with_extension("");
            let name = relative.to_string_lossy().replace(['/', '\\'], "::");
            let name = name.strip_suffix("::mod").unwrap_or(&name).to_string();
            if name == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
            found.insert(name, code);
        }
    }
    found
}

fn dependencies(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let known = |path: &str| -> Option<String> {
        let mut parts: Vec<&str> = path.split("::").collect();
        while !parts.is_empty() {
            let candidate = parts.join("::");
            if modules.contains_key(&candidate) {
                return Some(candidate);
            }
            parts.pop();
        }
        None
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    modules
        .iter()
        .map(|(name, code)| {
            let parent = name.rsplit_once("::").map(|(p, _)| p.to_string());
            let mut uses = BTreeSet::new();
            for (marker, base) in [("crate::", None), ("super::", parent.as_deref())] {
                for (at, _) in code.match_indices(marker) {
                    let rest = &code[at + marker.len()..];
                    let end = rest.find(|c| !word(c)).unwrap_or(rest.len());
                    let mut paths: Vec<String> = vec![rest[..end].trim_end_matches(':').to_string()];
                    if rest[end..].starts_with('{') && rest[..end].is_empty() {
                        let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
                        paths = group.split(',').map(|p| p.trim().to_string()).collect();
                    }
                    for path in paths {
                        let full = match base {
                            Some(parent) => format!("{parent}::{path}"),
                            None => path,
                        };
                        if let Some(target) = known(&full).filter(|t| t != name) {
                            uses.insert(target);
                        }
                    }
                }
            }
            (name.clone(), uses)
        })
        .collect()
}

/// A cycle reachable from `start`, if there is one (depth-first search).
fn cycle_from(start: &str, graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            return Some(path[at..].to_vec());
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    visit(start, graph, &mut Vec::new(), &mut BTreeSet::new())
}

#[test]
fn no_module_of_the_core_depends_on_itself_through_others() {
    let modules = modules();
    assert!(modules.len() > 20 && modules.contains_key("queries::items"), "the sources were found: {:?}", modules.keys());
    let graph = dependencies(&modules);
    assert!(graph["output::workbook"].contains("queries::reports"), "the reading sees dependencies");
    for name in graph.keys() {
        if let Some(cycle) = cycle_from(name, &graph) {
            panic!("a cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn queries_never_build_files_and_output_never_reads_the_ledger() {
    let graph = dependencies(&modules());
    for (name, uses) in &graph {
        if name.starts_with("queries") || name == "stats" {
            assert!(!uses.iter().any(|u| u.starts_with("output") || u == "files"), "{name} builds files: {uses:?}");
        }
        if name.starts_with("output") {
            assert!(!uses.contains("db") && !uses.contains("files"), "{name} reads the ledger: {uses:?}");
        }
    }
}

/// Each module's layer, from the bottom: a module names only modules of its own layer or
/// below. (A module not listed here fails the test: every new file takes a place.)
const LAYERS: &[(&str, &[&str])] = &[
    ("words and rules", &["error", "panics", "text", "model", "vocabulary", "input", "validate", "workflow", "deadlines", "reply", "result_words", "sheet", "wordfile", "guide", "likeness"]),
    ("store", &["db", "backup", "queries"]),
    ("views", &["views", "stats", "similar", "evaluation"]),
    ("output", &["output"]),
    ("flows", &["files", "import", "result_grid", "unit_exchange", "upper_form", "demo"]),
    ("workplace", &["workplace"]),
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.iter().any(|m| module == *m || module.starts_with(&format!("{m}::"))))
        .unwrap_or_else(|| panic!("{module} has no place in LAYERS"))
}

#[test]
fn every_module_looks_only_down_its_layers() {
    let graph = dependencies(&modules());
    let mut against = BTreeSet::new();
    for (name, uses) in &graph {
        for used in uses {
            if layer_of(used) > layer_of(name) {
                against.insert((name.as_str(), used.as_str()));
            }
        }
    }
    assert!(against.is_empty(), "arrows against the layers (module → module of a layer above): {against:?}");
}

#[test]
fn sql_is_written_only_in_the_store() {
    let mut writing = BTreeSet::new();
    for (name, code) in &modules() {
        let store = layer_of(name) == 1;
        let sql = [".prepare(", ".prepare_cached(", ".execute(", ".execute_batch(", ".query_row(", ".query_map("].iter().any(|call| code.contains(call));
        if sql && !store {
            writing.insert(name.clone());
        }
    }
    assert!(writing.is_empty(), "SQL written outside the store: {writing:?}");
}
