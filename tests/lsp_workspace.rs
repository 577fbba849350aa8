//! Workspace diagnostics through the real `sla lsp`: every contract of the
//! folder the editor opened is checked from disk at start, not only the
//! open ones; a closed contract keeps the problems of its saved text; a
//! change on disk is checked again. Expected codes are worked out from the
//! files' text: a misspelled calendar is E0101, a clean contract has none.

#[path = "support/lsp_client.rs"]
mod client;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use client::Client;

fn care() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/care.sla"))
        .expect("a shipped contract")
}

/// A fresh folder under the target directory (removed first if left over).
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a test folder");
    dir.canonicalize().expect("a real path")
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The folder: a clean contract, one with `ofice` for `office`, one in a
/// subfolder, and copies in `target/`, `node_modules/` and `.git/`, which
/// are build output and tools' folders, not the author's contracts.
fn workspace(name: &str) -> PathBuf {
    let dir = folder(name);
    let bad = care().replace("responded_at in office", "responded_at in ofice");
    for (path, text) in [
        ("good.sla", care()),
        ("bad.sla", bad.clone()),
        ("sub/nested.sla", bad.clone()),
        ("target/built.sla", bad.clone()),
        ("node_modules/dep.sla", bad.clone()),
        (".git/x.sla", bad.clone()),
        ("notes.txt", "not a contract".to_string()),
    ] {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The diagnostics published for `n` files, by URI.
fn published(c: &mut Client, n: usize) -> BTreeMap<String, Vec<String>> {
    (0..n)
        .map(|_| {
            let p = c.notification("textDocument/publishDiagnostics");
            (p["uri"].as_str().unwrap().to_string(), codes(&p))
        })
        .collect()
}

#[test]
fn every_contract_of_the_folder_is_checked_at_start() {
    let dir = workspace("lsp-workspace-start");
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": uri(&dir), "name": "contracts"}]}),
    );
    c.notify("initialized", json!({}));
    let got = published(&mut c, 3);
    let expected: BTreeMap<String, Vec<String>> = [
        (uri(&dir.join("bad.sla")), vec!["E0101".to_string()]),
        (uri(&dir.join("good.sla")), vec![]),
        (uri(&dir.join("sub/nested.sla")), vec!["E0101".to_string()]),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, expected);

    // Opened and fixed in the editor: the editor's text rules.
    let bad = dir.join("bad.sla");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&bad), "languageId": "sla", "version": 1, "text": care()}}),
    );
    let p = c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        (p["uri"].as_str().unwrap(), codes(&p)),
        (uri(&bad).as_str(), vec![])
    );
    // Closed without saving: the file on disk still has its problem.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&bad)}}),
    );
    let p = c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        (p["uri"].as_str().unwrap(), codes(&p)),
        (uri(&bad).as_str(), vec!["E0101".to_string()])
    );
    // Fixed on disk (a `git checkout`, another editor): the watched-files
    // notification has it checked again; a deleted one is cleared.
    std::fs::write(&bad, care()).unwrap();
    std::fs::remove_file(dir.join("sub/nested.sla")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&bad), "type": 2},
                           {"uri": uri(&dir.join("sub/nested.sla")), "type": 3}]}),
    );
    let got = published(&mut c, 2);
    let expected: BTreeMap<String, Vec<String>> = [
        (uri(&bad), vec![]),
        (uri(&dir.join("sub/nested.sla")), vec![]),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, expected);
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 0);
}

/// An older client gives only `rootUri`; a client with no folder gets no
/// workspace diagnostics, and the server still answers.
#[test]
fn root_uri_and_no_folder() {
    let dir = workspace("lsp-workspace-root");
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"processId": null, "capabilities": {}, "rootUri": uri(&dir)}),
    );
    c.notify("initialized", json!({}));
    assert_eq!(published(&mut c, 3).len(), 3);

    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"processId": null, "capabilities": {}, "rootUri": null}),
    );
    c.notify("initialized", json!({}));
    // The next message is the answer to this request, not a diagnostic.
    let symbols = c.send_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///nowhere.sla"}}),
    );
    let next = c.recv("the answer");
    assert_eq!(next["id"], symbols, "{next}");
}
