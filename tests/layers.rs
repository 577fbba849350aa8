//! The module tree is a pipeline: no module imports from a layer above its
//! own (README, "Architecture"). This test reads every `crate::` path in
//! `src/` and checks it against the layer order below, and checks that the
//! files of the evaluator do not import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate's top-level modules, bottom first. Modules on one line form one
/// layer and may use each other (the diagnostic model points into source
/// spans; the syntax tree reports diagnostics).
const CRATE_LAYERS: &[&[&str]] = &[
    &["time"],
    &["syntax", "diagnostic"],
    &["rules"],
    &["check", "fmt", "contract_term"],
    &["lower", "lsp"],
    &["eval"],
    &["report"],
    &["diff"],
    &["cli"],
    // Entry points for the cargo fuzz targets: they drive the commands.
    &["fuzzing"],
    &["lib", "main"],
];

/// The evaluator's layers, bottom first (src/eval/mod.rs describes them).
const EVAL_LAYERS: &[&[&str]] = &[
    &["error", "problems"],
    &["contract"],
    &["input"],
    &["timeline"],
    &["clock"],
    &["verdict"],
    &["run"],
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::a::b::…` path in the code (comments left out), as its
/// segments, with the line it is on.
fn crate_paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().last();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // e.g. `some_crate::`
            }
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let segs: Vec<String> = rest[..end]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if !segs.is_empty() {
                out.push((n + 1, segs));
            }
        }
    }
    out
}

fn crate_rank(module: &str) -> Option<usize> {
    CRATE_LAYERS.iter().position(|l| l.contains(&module))
}

fn eval_rank(layer: &str) -> Option<usize> {
    EVAL_LAYERS.iter().position(|l| l.contains(&layer))
}

/// The top-level module and (inside `src/eval/`) the evaluator layer and
/// module path of a source file.
fn place(rel: &Path) -> (String, Option<String>, Vec<String>) {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    let top = parts[0].clone();
    let module: Vec<String> = parts
        .iter()
        .filter(|p| p.as_str() != "mod")
        .cloned()
        .collect();
    let layer = (top == "eval" && parts.len() > 1 && parts[1] != "mod").then(|| parts[1].clone());
    (top, layer, module)
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    // Evaluator modules and the modules they use, for the cycle check.
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let (top, layer, module) = place(rel);
        let Some(rank) = crate_rank(&top) else {
            wrong.push(format!(
                "src/{}: module `{top}` is in no layer of tests/layers.rs; add it there",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for (line, segs) in crate_paths(&text) {
            let to = segs[0].as_str();
            let here = format!("src/{}:{line}", rel.display());
            match crate_rank(to) {
                Some(r) if r > rank => wrong.push(format!(
                    "{here}: `{top}` (layer {rank}) imports `crate::{}` (layer {r}, above it)",
                    segs.join("::")
                )),
                None if to.chars().next().is_some_and(char::is_lowercase) => wrong.push(format!(
                    "{here}: `crate::{to}` is in no layer of tests/layers.rs"
                )),
                _ => {}
            }
            let Some(layer) = &layer else { continue };
            if to != "eval" {
                continue;
            }
            let Some(target) = segs.get(1) else { continue };
            let (Some(own), Some(theirs)) = (eval_rank(layer), eval_rank(target)) else {
                wrong.push(format!(
                    "{here}: inside the evaluator, name the layer: `crate::eval::{}` is not one of {EVAL_LAYERS:?}",
                    segs[1..].join("::")
                ));
                continue;
            };
            if theirs > own {
                wrong.push(format!(
                    "{here}: eval layer `{layer}` imports `crate::{}` from layer `{target}`, above it",
                    segs.join("::")
                ));
            }
            // The file it names (`crate::eval::input::cells::Ticket` → eval::input::cells).
            if let Some(file_seg) = segs.get(2) {
                if file_seg.chars().next().is_some_and(char::is_lowercase) {
                    let from = module.join("::");
                    let to = format!("eval::{target}::{file_seg}");
                    if from != to {
                        uses.entry(from).or_default().insert(to);
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layer order:\n{}",
        wrong.join("\n")
    );
    if let Some(cycle) = find_cycle(&uses) {
        panic!(
            "the evaluator's modules import each other in a circle: {}",
            cycle.join(" -> ")
        );
    }
}

/// A circle in the `uses` graph, if there is one.
fn find_cycle(uses: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        uses: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[at..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in uses.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, uses, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in uses.keys() {
        if let Some(c) = visit(node, uses, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_checker_sees_an_upward_import() {
    let paths = crate_paths("use crate::eval::verdict::row::Row; // crate::cli::x\nfoo::crate::no");
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0].1, ["eval", "verdict", "row", "Row"]);
    let (top, layer, module) = place(Path::new("eval/input/cells.rs"));
    assert_eq!((top.as_str(), layer.as_deref()), ("eval", Some("input")));
    assert_eq!(module, ["eval", "input", "cells"]);
    let mut uses = BTreeMap::new();
    uses.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    uses.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(find_cycle(&uses).is_some());
}
