//! Pages and redirects name a page only through `vocabulary::paths`: no source file writes a
//! page's address as a string (`"/staff/issues"`, `format!("/b/{code}")`), so a link cannot
//! drift from the route registered under the same declaration. The test reads the sources.

use std::path::Path;

/// The repository, one folder above the server crate.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Where pages, components, handlers and services live.
const FOLDERS: [&str; 4] = [
    "frontend/src/pages",
    "frontend/src/components",
    "server/src/routes",
    "server/src/service",
];

/// The beginnings of the pages' addresses, as a string literal would start.
const ADDRESSES: [&str; 8] = [
    "\"/staff",
    "\"/b/",
    "\"/r\"",
    "\"/r?",
    "\"/r/",
    "\"/s/",
    "\"/a/",
    "\"/privacy",
];

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_page_address_is_written_as_a_string() {
    let mut files = Vec::new();
    for folder in FOLDERS {
        rust_files(&Path::new(ROOT).join(folder), &mut files);
    }
    assert!(files.len() > 60, "only {} files read", files.len());
    let mut written = Vec::new();
    // The API's routes are declared on their handlers (`routes/*_api.rs`, `routes/api.rs`).
    let pages = files.iter().filter(|f| {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        !(name.ends_with("_api.rs") || name == "api.rs")
    });
    for file in pages {
        let source = std::fs::read_to_string(file).expect("a source file");
        // Tests may ask for an address as a client would.
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            if ADDRESSES.iter().any(|a| line.contains(a))
                || line.contains("format!(\"/t/")
                || line.contains("\"/t/{")
            {
                written.push(format!("{}:{}: {line}", file.display(), number + 1));
            }
        }
    }
    assert!(
        written.is_empty(),
        "page addresses written as strings (use vocabulary::paths):\n{}",
        written.join("\n")
    );
}
