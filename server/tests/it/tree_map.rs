//! The README's "Map of the tree" names every source file: each `*.rs`, `*.sh` and `*.mjs`
//! file under the source folders appears there by its file name, as a whole word, after the
//! line that introduces its directory (`db/`, `components/`, `scripts/`, …). A `mod.rs` needs
//! only its directory's line. A file added without a word in the map fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The repository, one folder above the server crate.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
const HEADING: &str = "## Map of the tree";

/// Where the source files live, relative to the repository.
const SOURCE_FOLDERS: [&str; 9] = [
    "server/src",
    "server/tests",
    "server/examples",
    "frontend/src",
    "frontend/vocabulary/src",
    "frontend/redact/src",
    "frontend/redact/examples",
    "scripts",
    "tests/browser",
];
const EXTENSIONS: [&str; 3] = ["rs", "sh", "mjs"];

/// The text inside the fenced block under the `## Map of the tree` heading.
fn map_block(readme: &str) -> &str {
    let start = readme
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            *offset += line.len();
            Some((*offset, line))
        })
        .find(|(_, line)| line.trim_end() == HEADING)
        .map(|(end, _)| end)
        .unwrap_or_else(|| panic!("README.md has no `{HEADING}` heading"));
    let section = &readme[start..];
    let open = section
        .find("```")
        .unwrap_or_else(|| panic!("README.md has no fenced block under `{HEADING}`"));
    if let Some(next_heading) = section.find("\n## ") {
        assert!(
            open < next_heading,
            "README.md's `{HEADING}` section has no fenced block before the next heading"
        );
    }
    let body = section[open..]
        .find('\n')
        .map(|end| open + end + 1)
        .unwrap_or_else(|| panic!("README.md's `{HEADING}` block is never closed"));
    let close = section[body..]
        .find("```")
        .unwrap_or_else(|| panic!("README.md's `{HEADING}` block is never closed"));
    &section[body..body + close]
}

/// Every `*.rs`, `*.sh` and `*.mjs` file under the source folders, sorted; `node_modules`,
/// `target` and hidden folders are skipped.
fn source_files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for folder in SOURCE_FOLDERS {
        walk(&root.join(folder), &mut found);
    }
    found.sort();
    found
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read the folder {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("read an entry of {}: {e}", dir.display()));
        let path = entry.path();
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("read the file type of {}: {e}", path.display()));
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if !(name.starts_with('.') || name == "node_modules" || name == "target") {
                walk(&path, found);
            }
        } else if path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.contains(&extension))
        {
            found.push(path);
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets where `word` starts in `text` as a whole word: not preceded by a word
/// character, `.` or `-`, and not followed by a word character (so `api.rs` is not found in
/// `admin_api.rs`, nor `main.rs` in `main.rsx`).
fn whole_word_at<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(word)
        .map(|(at, _)| at)
        .filter(move |&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(|c| is_word(c) || c == '.' || c == '-')
                && !after.is_some_and(is_word)
        })
}

/// The line that introduces a directory: the longest tail of its path that the block names
/// (`frontend/src/`, `tests/browser/`), else its last component (`db/`, `components/`), and
/// where that first occurs. `None` with the last component when the block never names it.
fn directory_heading(block: &str, dir: &[String]) -> (String, Option<usize>) {
    for skip in 0..dir.len() {
        let heading = format!("{}/", dir[skip..].join("/"));
        let first = whole_word_at(block, &heading).next();
        if let Some(at) = first {
            let after = at + heading.len();
            return (heading, Some(after));
        }
    }
    let last = dir.last().map(String::as_str).unwrap_or_default();
    (format!("{last}/"), None)
}

/// What `block` fails to name: a line per directory without a heading, and a line per file
/// (other than `mod.rs`) whose name does not occur after its directory's heading. `files`
/// are paths under `root`; the lines name them relative to it.
fn missing(block: &str, files: &[PathBuf], root: &Path) -> Vec<String> {
    let mut misses = BTreeSet::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        let mut parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(name) = parts.pop() else {
            continue;
        };
        let (heading, after) = directory_heading(block, &parts);
        let dir = parts.join("/");
        if after.is_none() {
            misses.insert(format!(
                "{dir}/: no `{heading}` line introduces this directory"
            ));
        }
        if name == "mod.rs" {
            continue;
        }
        let named = after.is_some_and(|after| whole_word_at(block, &name).any(|at| at >= after));
        if !named {
            misses.insert(format!(
                "{dir}/{name}: `{name}` is not named after `{heading}`"
            ));
        }
    }
    misses.into_iter().collect()
}

#[test]
fn the_map_of_the_tree_names_every_source_file() {
    let readme = std::fs::read_to_string(README).unwrap_or_else(|e| panic!("read {README}: {e}"));
    let block = map_block(&readme);
    let root = Path::new(ROOT);
    let files = source_files(root);
    assert!(
        files
            .iter()
            .any(|file| file.ends_with("server/tests/it/tree_map.rs")),
        "the walk of the source folders under {ROOT} did not find this test's own file"
    );
    let misses = missing(block, &files, root);
    assert!(
        misses.is_empty(),
        "add these to README.md's \"Map of the tree\", each in its directory's section with a \
         few words on what it holds:\n  {}",
        misses.join("\n  ")
    );
}

#[test]
fn the_check_reports_a_missing_name_and_a_missing_directory() {
    let root = Path::new("/repo");
    let files: Vec<PathBuf> = [
        "server/src/main.rs",
        "server/src/routes/mod.rs",
        "server/src/routes/admin_api.rs",
        "server/src/routes/api.rs",
        "server/src/routes/health.rs",
        "frontend/src/components/mod.rs",
        "frontend/src/components/shell.rs",
    ]
    .iter()
    .map(|file| root.join(file))
    .collect();
    // `api.rs` only inside `admin_api.rs`, `health.rs` only before `routes/`, no
    // `components/` line (`shell.rs` is named, but not in its directory's section).
    let block = "server/src/\n  main.rs  the command; health.rs\n  routes/  admin_api.rs (the \
                 admin's API)\nfrontend/src/  shell.rs\n";
    assert_eq!(
        missing(block, &files, root),
        [
            "frontend/src/components/: no `components/` line introduces this directory",
            "frontend/src/components/shell.rs: `shell.rs` is not named after `components/`",
            "server/src/routes/api.rs: `api.rs` is not named after `routes/`",
            "server/src/routes/health.rs: `health.rs` is not named after `routes/`",
        ]
    );
    let complete = format!("{block}  routes/ again: api.rs, health.rs\n  components/ shell.rs\n");
    assert_eq!(missing(&complete, &files, root), Vec::<String>::new());
}
