//! `sla lsp` driven as an editor drives it: the real binary, JSON-RPC with
//! Content-Length framing over its standard input and output, through a
//! whole conversation. Every read has a deadline (see the client), so a
//! server that hangs fails the test instead of stalling it.

#[path = "support/lsp_client.rs"]
mod client;

use serde_json::{json, Value};

use client::{initialize, Client};

const URI: &str = "file:///tmp/care.sla";

/// A line and UTF-16 character of the first occurrence of `needle` after
/// `after` (both searched in `text`).
fn pos_of(text: &str, after: &str, needle: &str) -> Value {
    let from = text.find(after).expect("anchor in text");
    let at = from + text[from..].find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn care() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/care.sla"))
        .expect("contracts/care.sla")
}

/// care.sla with a label and an exclusion reason outside ASCII, so UTF-16
/// columns, characters and bytes all differ before the point of interest.
fn care_unicode(calendar_in_exclusion: &str) -> String {
    care()
        .replace(
            "cause:        label [third_party, customer, internet]",
            "cause:        label [third_party, customer, internet, \"tiers—é😀\"]",
        )
        .replace(
            "exclude when cause in [third_party, customer] as \"best effort\"",
            &format!(
                "exclude when cause = \"tiers—é😀\" or opened_at inside {calendar_in_exclusion} as \"best effort — géén\""
            ),
        )
}

/// `sla lsp --stdio`, as vscode-languageclient (`TransportKind.stdio`) and
/// other clients start it: the server runs, answers and exits 0. Before this
/// was accepted, the VS Code extension never started the server (issue 16).
#[test]
fn stdio_flag_is_accepted() {
    let mut c = Client::start_with(&["lsp", "--stdio"]);
    let init = initialize(&mut c);
    assert_eq!(init["serverInfo"]["name"], "sla");
    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 0);
}

#[test]
fn full_conversation() {
    let mut c = Client::start();
    let init = initialize(&mut c);
    let caps = &init["capabilities"];
    assert_eq!(
        caps["textDocumentSync"]["change"], 2,
        "incremental sync: {caps}"
    );
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert!(caps["completionProvider"].is_object());
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "sla");

    // Open a contract with an unknown calendar after non-ASCII text.
    let broken = care_unicode("ofice");
    assert!(broken.contains("😀"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": broken}}),
    );
    let diags = c.notification("textDocument/publishDiagnostics");
    assert_eq!(diags["uri"], URI);
    assert_eq!(diags["version"], 1);
    let list = diags["diagnostics"].as_array().expect("a list");
    assert_eq!(list.len(), 1, "{diags}");
    let d = &list[0];
    assert_eq!(d["code"], "E0101");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "sla");
    let start = pos_of(&broken, "exclude when", "ofice");
    // Line 44 of the file; `😀` counts two UTF-16 units, `—` and `é` one each.
    assert_eq!(start, json!({"line": 43, "character": 53}));
    assert_eq!(d["range"]["start"], start);
    assert_eq!(
        d["range"]["end"],
        json!({"line": 43, "character": 53 + "ofice".len()})
    );
    let message = d["message"].as_str().expect("message");
    assert!(message.starts_with("unknown calendar `ofice`"), "{message}");
    assert!(
        message.contains("help: did you mean `office`?"),
        "{message}"
    );

    // Fix it: the diagnostics empty.
    let fixed = care_unicode("office");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let diags = c.notification("textDocument/publishDiagnostics");
    assert_eq!(diags["version"], 2);
    assert_eq!(diags["diagnostics"], json!([]), "{diags}");

    // Outline.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    for want in [
        "CARE Internetservices",
        "office",
        "fields",
        "priority",
        "response",
        "resolution",
        "targets per month",
        "changes",
    ] {
        assert!(names.contains(&want), "no `{want}` in {names:?}");
    }
    let fields = symbols
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "fields"))
        .expect("fields symbol");
    let field_names: Vec<&str> = fields["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(
        field_names,
        [
            "opened_at",
            "priority",
            "cause",
            "responded_at",
            "resolved_at"
        ]
    );

    // Hover on a calendar reference: its time zone and hours.
    let at_ref = pos_of(&fixed, "metric response", "office");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": at_ref}),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("calendar** `office`"), "{text}");
    assert!(text.contains("Europe/Amsterdam"), "{text}");
    assert!(text.contains("open mon..fri 09:00-17:00"), "{text}");
    assert!(text.contains("closed on holidays NL"), "{text}");
    assert_eq!(hover["range"]["start"], at_ref);

    // Hover on a metric in a target row: the target's duration.
    let at_metric = pos_of(&fixed, "medium response", "resolution");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": at_metric}),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("within 16 hours"), "{text}");
    assert!(text.contains("for 85%"), "{text}");

    // Definition: from the reference to the calendar's name.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": at_ref}),
    );
    assert_eq!(def["uri"], URI);
    assert_eq!(
        def["range"]["start"],
        pos_of(&fixed, "calendar office", "office")
    );

    // Definition of a label used in the exclusion, after the non-ASCII text.
    let in_exclusion = pos_of(&fixed, "exclude when", "office");
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": in_exclusion}),
    );
    assert_eq!(
        def["range"]["start"],
        pos_of(&fixed, "calendar office", "office")
    );
    let label = pos_of(&fixed, "exclude when", "\"tiers");
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": label}),
    );
    assert_eq!(def["range"]["start"], pos_of(&fixed, "cause:", "\"tiers"));

    // Completion at a calendar reference (after `inside`): the calendars,
    // and nothing else (tests/lsp_features.rs has one test per context).
    let completion = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": at_ref}),
    );
    let mut labels: Vec<&str> = completion
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    labels.sort_unstable();
    assert_eq!(labels, ["24x7", "office"]);

    // Formatting: one edit over the whole document with `sla fmt`'s output;
    // once applied, formatting again changes nothing.
    let unformatted = fixed.replace("metric response   from", "metric   response from");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": unformatted}]}),
    );
    let options = json!({"tabSize": 2, "insertSpaces": true});
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": options}),
    );
    let edits = edits.as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    let lines = unformatted.lines().count();
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": lines, "character": 0}),
        "the edit covers the whole text"
    );
    let formatted = edits[0]["newText"].as_str().expect("new text");
    assert_eq!(
        Ok(formatted.to_string()),
        sla::fmt::format_source(&unformatted).map_err(|_| ())
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": formatted}]}),
    );
    let again = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": options}),
    );
    assert_eq!(again, json!([]));

    // An unknown request: a proper error, and the server carries on.
    let id = c.send_request("sla/noSuchThing", json!({}));
    let resp = c.response(id);
    assert_eq!(resp["error"]["code"], -32601, "{resp}");

    let none = c.request("shutdown", Value::Null);
    assert_eq!(none, Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 0);
}

#[test]
fn related_information_and_requests_on_nothing() {
    let mut c = Client::start();
    initialize(&mut c);
    let text = "calendar a { open mon..fri 09:00-17:00 }\ncalendar a { open sat 10:00-12:00 }\n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 7, "text": text}}),
    );
    let diags = c.notification("textDocument/publishDiagnostics");
    let dup = diags["diagnostics"]
        .as_array()
        .and_then(|l| l.iter().find(|d| d["relatedInformation"].is_array()))
        .unwrap_or_else(|| panic!("a diagnostic with related information: {diags}"));
    assert_eq!(dup["range"]["start"]["line"], 1);
    assert_eq!(dup["relatedInformation"][0]["location"]["uri"], URI);
    assert_eq!(
        dup["relatedInformation"][0]["location"]["range"]["start"]["line"],
        0
    );

    // A keyword explains itself: the file starts with `calendar`.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    let text = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.starts_with("**keyword** `calendar`"), "{h}");
    assert_eq!(h["range"]["end"]["character"], 8, "{h}");

    // Positions nowhere near a name, and documents never opened: no answer,
    // no error, no crash.
    for pos in [
        json!({"line": 99, "character": 99}),
        json!({"line": 0, "character": 4000000000u64}),
    ] {
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos}),
        );
        assert_eq!(h, Value::Null);
    }
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.sla"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(h, Value::Null);
    // Malformed parameters: an error response, not a crash.
    let id = c.send_request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(c.response(id)["error"]["code"], -32602);

    // Garbage text is checked, not fatal.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 8}, "contentChanges": [{"text": "}}}{{ \u{0}é—\r\n calendar"}]}),
    );
    let diags = c.notification("textDocument/publishDiagnostics");
    assert!(!diags["diagnostics"].as_array().expect("list").is_empty());
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(symbols.is_array());
    // Formatting a contract with syntax errors fails with the reason.
    let id = c.send_request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let resp = c.response(id);
    assert_eq!(resp["error"]["code"], -32803, "{resp}");
    assert!(
        resp["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("E0001"),
        "{resp}"
    );

    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let diags = c.notification("textDocument/publishDiagnostics");
    assert_eq!(diags["diagnostics"], json!([]));

    // `exit` without `shutdown`: exit code 1, as LSP asks.
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut c = Client::start();
    let id = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(c.response(id)["error"]["code"], -32002);
    initialize(&mut c);
    c.request("shutdown", Value::Null);
    let id = c.send_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(c.response(id)["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 0);
}
