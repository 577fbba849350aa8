//! The workspace's contracts: every `.sla` file under the folders the
//! editor opened, so that their diagnostics are published at start (and
//! when a file changes on disk) even when no editor tab shows them, as a
//! problems list over the whole folder expects.

use std::path::{Path, PathBuf};

use lsp_types::{InitializeParams, Uri};

/// At most this many contracts are checked at start: a folder with more is
/// not a folder of contracts, and checking it would delay the editor.
pub(crate) const MAX_FILES: usize = 2_000;

/// Folders never holding contracts an author edits: build output,
/// dependencies, version control.
const SKIPPED: &[&str] = &["target", "node_modules"];

/// The workspace folders of `initialize` (the older `rootUri` when the
/// client gives no folders), as local paths.
pub(crate) fn roots(p: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &p.workspace_folders {
        return folders.iter().filter_map(|f| path_of(&f.uri)).collect();
    }
    #[allow(deprecated)] // older clients still send only `rootUri`
    let root = p.root_uri.as_ref().and_then(path_of);
    root.into_iter().collect()
}

/// Every `.sla` file under the roots, in path order, skipping hidden
/// folders and [`SKIPPED`]; at most [`MAX_FILES`].
pub(crate) fn contracts(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.file_name()));
        for e in entries {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if !name.starts_with('.') && !SKIPPED.contains(&name.as_ref()) {
                    stack.push(e.path());
                }
            } else if kind.is_file() && is_contract(&e.path()) {
                out.push(e.path());
                if out.len() >= MAX_FILES {
                    out.sort();
                    return out;
                }
            }
        }
    }
    out.sort();
    out
}

/// Whether the path names a contract (`.sla`).
pub(crate) fn is_contract(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "sla")
}

/// Whether the path lies under one of the roots.
pub(crate) fn within(roots: &[PathBuf], path: &Path) -> bool {
    roots.iter().any(|r| path.starts_with(r))
}

/// The local path of a `file:` URI (percent-decoded).
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` has an empty host; `file://localhost/path` names it.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = rest.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file:` URI of an absolute local path, percent-encoding what a URI
/// path may not hold.
pub(crate) fn uri_of(path: &Path) -> Option<Uri> {
    let path = path.to_str()?;
    let mut s = String::from("file://");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_uris_round_trip() {
        let p = PathBuf::from("/tmp/a b/ç.sla");
        let uri = uri_of(&p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%A7.sla");
        assert_eq!(path_of(&uri), Some(p));
        let u: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&u), None);
    }
}
