//! The layout, checked: no cycle between the crate's top-level modules. A module names
//! another by `crate::name` (or `super::name` from a file at the root); a cycle means two
//! modules that can no longer be understood, tested or moved one without the other.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The top-level modules (a file `src/x.rs` or a folder `src/x/`), but the binary's root.
fn top_level_modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules = BTreeMap::new();
    for entry in fs::read_dir(src).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        if name == "lib" || name == "main" {
            continue;
        }
        let files = if path.is_dir() {
            rust_files(&path)
        } else if path.extension().is_some_and(|e| e == "rs") {
            vec![path.clone()]
        } else {
            continue;
        };
        modules.insert(name, files);
    }
    modules
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Which other top-level modules each one names, outside its tests.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = top_level_modules(src);
    let names: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    let mut graph = BTreeMap::new();
    for (module, files) in &modules {
        let mut uses = BTreeSet::new();
        for file in files {
            let text = fs::read_to_string(file).unwrap_or_default();
            // Unit tests may reach anywhere; they sit at the end of a file.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if name != *module && names.contains(name.as_str()) {
                    uses.insert(name);
                }
            }
            // `crate::{a, b::c}` names several at once.
            for (at, _) in code.match_indices("crate::{") {
                let group = &code[at + "crate::{".len()..];
                let group = &group[..group.find(';').unwrap_or(group.len())];
                let mut depth = 0;
                let mut word = String::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 && (c.is_alphanumeric() || c == '_') {
                        word.push(c);
                    } else if !word.is_empty() {
                        if word != *module && names.contains(word.as_str()) {
                            uses.insert(word.clone());
                        }
                        word.clear();
                    }
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// The modules from which `start` can be reached again, if any: one cycle through it.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                return Some(path.clone());
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn top_level_modules_have_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = dependencies(&src);
    assert!(graph.len() > 20, "the scan found the modules: {graph:?}");
    assert!(graph["actions"].contains("write"), "the scan reads `crate::` paths");
    let cycles: BTreeSet<String> = graph
        .keys()
        .filter_map(|module| cycle_through(&graph, module))
        .map(|cycle| {
            let mut cycle = cycle;
            // One way of writing each cycle: from its smallest name.
            let first = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, n)| n.as_str())
                .map_or(0, |(i, _)| i);
            cycle.rotate_left(first);
            cycle.push(cycle[0].clone());
            cycle.join(" → ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "cycles between top-level modules:\n{}",
        cycles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// Files of pure domain logic: values in, values out, unit-tested without a server or a
/// database (a folder: every file in it). What they may not name, outside their tests.
const PURE: [&str; 15] = [
    "deadlines/reading/",
    "reports/build.rs",
    "reports/diff.rs",
    "import/parse.rs",
    "import/cells.rs",
    "import/document.rs",
    "import/docx.rs",
    "import/text_form.rs",
    "plans/draft.rs",
    "security/permissions.rs",
    "sheets/review.rs",
    "progress/status.rs",
    "progress/measure.rs",
    "validation/mod.rs",
    "validation/bounded.rs",
];
const IMPURE: [&str; 5] = ["actix", "diesel", "AsyncPgConnection", "routes::", "AppState"];

fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.split("#[cfg(test)]").next().unwrap_or_default().to_owned()
}

#[test]
fn pure_modules_name_no_framework_database_or_route() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let files = PURE.iter().flat_map(|entry| match entry.strip_suffix('/') {
        Some(folder) => fs::read_dir(src.join(folder))
            .unwrap_or_else(|e| panic!("{folder}: {e}"))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .collect::<Vec<_>>(),
        None => vec![src.join(entry)],
    });
    for path in files {
        let code = code_of(&path);
        for word in IMPURE {
            if code.contains(word) {
                found.push(format!("{} names {word}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "pure modules reaching out:\n{}", found.join("\n"));
}

/// Handlers are reached through the router only: the page, the status sheet and every other
/// module call services, never another module's `routes` (only `app` mounts them).
#[test]
fn no_module_calls_into_another_modules_routes() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (module, files) in top_level_modules(&src) {
        if module == "app" {
            continue;
        }
        for file in files {
            let code = code_of(&file);
            // `crate::other::routes::…`, or `crate::other::{…, routes::…}` on one line.
            for line in code.lines().filter(|l| l.contains("routes::")) {
                for (at, _) in line.match_indices("crate::") {
                    let name: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let after = &line[at + 7 + name.len()..];
                    if name != module
                        && (after.starts_with("::routes::") || after.starts_with("::{") && after.contains("routes::"))
                    {
                        found.push(format!("{}: {}", file.display(), line.trim()));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "calls into routes modules:\n{}", found.join("\n"));
}
