//! Quick fixes, find references and rename of `sla lsp`, through the real
//! binary: one test per quick fix and per kind of name. Every expected edit
//! is worked out by hand from the contract's text.

#[path = "support/lsp_client.rs"]
mod client;

use serde_json::{json, Value};

use client::{initialize, initialize_with, Client};

const URI: &str = "file:///tmp/contract.sla";

fn contract(name: &str) -> String {
    std::fs::read_to_string(format!("{}/contracts/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("a shipped contract")
}

/// The LSP position (line, UTF-16 column) of byte offset `at` in `text`.
fn pos(text: &str, at: usize) -> Value {
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The byte offset of the `nth` (0-based) occurrence of `needle` as a whole
/// word, searching from the first line that contains `anchor`.
fn word_at(text: &str, anchor: &str, needle: &str, nth: usize) -> usize {
    let from = text.find(anchor).expect("anchor in text");
    let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text[line_start..]
        .match_indices(needle)
        .map(|(i, _)| line_start + i)
        .filter(|&i| {
            !text[..i].chars().next_back().is_some_and(is_word)
                && !text[i + needle.len()..].chars().next().is_some_and(is_word)
        })
        .nth(nth)
        .expect("needle after anchor")
}

fn offset(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let character = p["character"].as_u64().unwrap() as usize;
    let start = text
        .split_inclusive('\n')
        .take(line)
        .map(str::len)
        .sum::<usize>();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with LSP text edits applied.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, new) in spans {
        out.replace_range(a..b, new);
    }
    out
}

/// The day the server is told it is (`initializationOptions.today`), so
/// that hover's examples and closed days do not depend on the clock: a
/// Monday, in another year than the one these tests were written in, so
/// that a server reading its clock instead fails them.
const TODAY: &str = "2025-06-02";

fn open(text: &str) -> Client {
    let mut c = Client::start();
    initialize_with(&mut c, json!({ "today": TODAY }));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": text}}),
    );
    c.notification("textDocument/publishDiagnostics");
    c
}

/// The code actions offered at byte offset `at`.
fn actions_at(c: &mut Client, text: &str, at: usize) -> Vec<Value> {
    let p = pos(text, at);
    let result = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": p, "end": p},
               "context": {"diagnostics": []}}),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn edits_of(action: &Value) -> Vec<Value> {
    action["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The text after the check, for asserting a fix leaves a clean contract.
fn errors_after(text: &str) -> Vec<Value> {
    let mut c = open_quiet();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/after.sla", "languageId": "sla", "version": 1, "text": text}}),
    );
    let d = c.notification("textDocument/publishDiagnostics");
    d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == 1)
        .cloned()
        .collect()
}

fn open_quiet() -> Client {
    let mut c = Client::start();
    initialize(&mut c);
    c
}

// ---- quick fixes ---------------------------------------------------------

/// "did you mean `office`?" on a misspelled calendar: one preferred fix
/// that writes `office` over `ofice`, and the contract is clean after it.
#[test]
fn quick_fix_did_you_mean() {
    let text = contract("care.sla").replace(
        "metric response   from opened_at to responded_at in office",
        "metric response   from opened_at to responded_at in ofice",
    );
    let mut c = open(&text);
    let at = word_at(&text, "metric response", "ofice", 0);
    let actions = actions_at(&mut c, &text, at + 2);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], "Replace with `office`");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    let fixed = apply(&text, &edits_of(&actions[0]));
    assert_eq!(fixed, contract("care.sla"));
}

/// Every kind of "did you mean" the checker gives becomes the same quick
/// fix: each case misspells one name of a shipped contract, the fix is
/// offered on the misspelling and gives the shipped contract back. The
/// replacement is written as the name was: a time zone is a quoted text,
/// so its fix is quoted too (it once wrote the zone bare, which does not
/// parse). The version case: a version adding calendar `offices` beside
/// `office` (W0602) is fixed by naming it `office`, which replaces the
/// earlier calendar as the amendment meant.
#[test]
fn quick_fix_for_every_did_you_mean() {
    // (contract, shipped text, misspelt text, the misspelling, the fix)
    let cases = [
        (
            "care.sla",
            "timezone \"Europe/Amsterdam\"",
            "timezone \"Europe/Amsterdm\"",
            "Amsterdm",
            "\"Europe/Amsterdam\"",
        ),
        (
            "care.sla",
            "closed on holidays NL",
            "closed on holidays NLL",
            "NLL",
            "NL",
        ),
        (
            "care.sla",
            "metric response   from opened_at",
            "metric response   from opend_at",
            "opend_at",
            "opened_at",
        ),
        (
            "care.sla",
            "  high   response within",
            "  high   respons within",
            "respons",
            "response",
        ),
        (
            "care.sla",
            "cause in [third_party, customer]",
            "cause in [third_party, custmer]",
            "custmer",
            "customer",
        ),
        (
            "xguard.sla",
            "low    x low = planning",
            "low    x low = planing",
            "planing",
            "planning",
        ),
        (
            "examples/servicenow-incident.sla",
            "export servicenow",
            "export servicenw",
            "servicenw",
            "servicenow",
        ),
        (
            "examples/follow-the-sun.sla",
            "  de = berlin",
            "  de = berln",
            "berln",
            "berlin",
        ),
        (
            "examples/follow-the-sun.sla",
            "  de = berlin",
            "  dee = berlin",
            "dee",
            "de",
        ),
        (
            "examples/care-versions.sla",
            "version \"2\" from 2026-12-14 {\n  calendar office",
            "version \"2\" from 2026-12-14 {\n  calendar offices",
            "offices",
            "office",
        ),
    ];
    for (file, right, wrong, typo, fix) in cases {
        let shipped = contract(file);
        assert!(shipped.contains(right), "{file}: {right}");
        let text = shipped.replacen(right, wrong, 1);
        let mut c = open(&text);
        let at = text.find(wrong).expect("the misspelt line") + wrong.find(typo).expect("typo");
        let actions = actions_at(&mut c, &text, at + 1);
        let name = fix.trim_matches('"');
        let action = actions
            .iter()
            .find(|a| a["title"] == format!("Replace with `{name}`").as_str())
            .unwrap_or_else(|| panic!("{file}, `{typo}`: no fix in {actions:?}"));
        assert_eq!(action["isPreferred"], true, "{file}, `{typo}`");
        let edits = edits_of(action);
        assert_eq!(edits.len(), 1, "{file}, `{typo}`: {edits:?}");
        assert_eq!(edits[0]["newText"], fix, "{file}, `{typo}`");
        assert_eq!(apply(&text, &edits), shipped, "{file}, `{typo}`");
    }
}

/// xguard.sla without its `low x low` cell: urgency and impact each have
/// high, normal, low, so 9 cells are needed and exactly `low x low` is
/// missing. One fix per priority level (5 levels); taking `planning`
/// (the cell's value in the shipped contract) gives a clean contract.
#[test]
fn quick_fix_add_missing_matrix_cell() {
    let shipped = contract("xguard.sla");
    let text = shipped.replace("     low    x low = planning", "");
    assert_ne!(text, shipped);
    let mut c = open(&text);
    let at = text.find("matrix {").unwrap();
    let actions = actions_at(&mut c, &text, at);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Add the 1 missing matrix cell as `critical`",
            "Add the 1 missing matrix cell as `high`",
            "Add the 1 missing matrix cell as `medium`",
            "Add the 1 missing matrix cell as `low`",
            "Add the 1 missing matrix cell as `planning`",
        ]
    );
    let fixed = apply(&text, &edits_of(&actions[4]));
    // The cell goes on a line of its own before the matrix's `}`, indented
    // like the first cell (4 spaces).
    assert!(
        fixed.contains("x normal = low \n    low x low = planning\n  }"),
        "{fixed}"
    );
    assert_eq!(errors_after(&fixed), Vec::<Value>::new());
}

/// care.sla without its `low` row: `low` has no target (W0001). The fix
/// adds a row for `low` copying the clauses of the last single-priority
/// row (`medium`'s), before the block's `}`.
#[test]
fn quick_fix_add_target_for_priority() {
    let shipped = contract("care.sla");
    let low_row =
        "  low    response within 16 hours for 100%   resolution within 5 working days for 85%\n";
    let text = shipped.replace(low_row, "");
    assert_ne!(text, shipped);
    let mut c = open(&text);
    let at = word_at(&text, "  low    \"minor", "low", 0);
    let actions = actions_at(&mut c, &text, at);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(
        actions[0]["title"],
        "Add a target row for `low` (copied from `medium`'s: adjust it)"
    );
    let fixed = apply(&text, &edits_of(&actions[0]));
    let row =
        "  low response within 8 hours  for 100%   resolution within 16 hours       for 85%\n}";
    assert!(fixed.contains(row), "{fixed}");
    assert_eq!(errors_after(&fixed), Vec::<Value>::new());
}

// ---- references and rename ----------------------------------------------

/// Rename at `anchor`/`name`, expecting `count` edits, and the result equal
/// to the text with every whole-word `name` in `lines_with` replaced.
fn rename_case(file: &str, anchor: &str, name: &str, new: &str, count: usize) -> (String, String) {
    let text = contract(file);
    let mut c = open(&text);
    let at = word_at(&text, anchor, name, 0);
    let prep = c.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, at)}),
    );
    assert_eq!(prep["start"], pos(&text, at), "{prep}");
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, at),
               "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(count), "{refs}");
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, at), "newName": new}),
    );
    let edits = edit["changes"][URI].as_array().cloned().unwrap();
    assert_eq!(edits.len(), count, "{edits:?}");
    let renamed = apply(&text, &edits);
    assert_eq!(errors_after(&renamed), Vec::<Value>::new(), "{renamed}");
    (text, renamed)
}

/// `office` in care.sla: declared once, used by both metrics: 3.
#[test]
fn rename_calendar() {
    let (text, renamed) = rename_case("care.sla", "metric response", "office", "kantoor", 3);
    assert_eq!(
        renamed,
        text.replace("calendar office", "calendar kantoor")
            .replace("in office", "in kantoor")
    );
}

/// `office` in a contract with versions: declared, used by both metrics,
/// and declared again by version 2's calendar, which replaces it: 4.
#[test]
fn rename_calendar_across_versions() {
    let (text, renamed) = rename_case(
        "examples/care-versions.sla",
        "metric response",
        "office",
        "kantoor",
        4,
    );
    assert_eq!(
        renamed,
        text.replace("calendar office", "calendar kantoor")
            .replace("in office", "in kantoor")
    );
}

/// A version is in the outline with what it changes, and its keyword explains itself.
#[test]
fn a_version_in_the_outline_and_on_hover() {
    let text = contract("examples/care-versions.sla");
    let mut c = open(&text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let version = symbols
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "version 2"))
        .cloned()
        .unwrap_or_else(|| panic!("no version in {symbols}"));
    assert_eq!(version["detail"], "from 2026-12-14");
    let children: Vec<&str> = version["children"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(children.len(), 2, "{children:?}");
    assert!(children[0].contains("office"), "{children:?}");
    let at = text.find("version \"2\"").expect("a version");
    let hover = hover_text(&mut c, &text, at);
    assert!(hover.contains("in force at its opening"), "{hover}");
}

/// `target set at start` explains itself word by word, from the one list of
/// keyword docs (SEMANTICS.md "Histories", priority changes).
#[test]
fn hover_explains_target_set_at() {
    let text = "contract \"Case\" { timezone \"Europe/Amsterdam\" }\n\n\
                fields {\n  opened_at: timestamp\n  resolved_at: timestamp\n}\n\n\
                metric resolution from opened_at to resolved_at target set at start\n\n\
                targets { all resolution within 4 hours }\n";
    let mut c = open(text);
    let line = text.find("target set").expect("the clause");
    let target = hover_text(&mut c, text, line);
    assert!(target.contains("**keyword** `target`"), "{target}");
    assert!(
        target.contains("in force at the clock's start applies"),
        "{target}"
    );
    let set = hover_text(&mut c, text, line + "target ".len());
    assert!(set.contains("**keyword** `set`"), "{set}");
    assert!(set.contains("which instant's priority"), "{set}");
    let at = hover_text(&mut c, text, line + "target set ".len());
    assert!(at.contains("**keyword** `at`"), "{at}");
}

/// `opened_at` in care.sla: declared, and the start of both metrics: 3.
#[test]
fn rename_field() {
    let (text, renamed) = rename_case("care.sla", "metric response", "opened_at", "created_at", 3);
    assert_eq!(renamed, text.replace("opened_at", "created_at"));
}

/// The label `customer` of `cause`: declared in the field's list and used
/// in the exclusion: 2.
#[test]
fn rename_label() {
    let (text, renamed) = rename_case("care.sla", "exclude when", "customer", "client", 2);
    assert_eq!(
        renamed,
        text.replace("third_party, customer,", "third_party, client,")
            .replace("[third_party, customer]", "[third_party, client]")
    );
}

/// The priority `planning` of xguard.sla: declared, and one matrix cell: 2.
#[test]
fn rename_priority() {
    let (text, renamed) = rename_case("xguard.sla", "  planning \"", "planning", "later", 2);
    assert_eq!(
        renamed,
        text.replace("planning \"process", "later \"process")
            .replace("= planning", "= later")
    );
}

/// The metric `resolution` of care.sla: declared, and one clause in each of
/// the three target rows: 4.
#[test]
fn rename_metric() {
    let (text, renamed) = rename_case("care.sla", "metric resolution", "resolution", "fix", 4);
    assert_eq!(
        renamed,
        text.replace("metric resolution", "metric fix")
            .replace("   resolution within", "   fix within")
    );
}

/// The closure `closed` of xguard.sla: declared, and the end of the
/// resolution metric: 2.
#[test]
fn rename_closure() {
    let (text, renamed) = rename_case("xguard.sla", "closure closed", "closed", "done", 2);
    assert_eq!(
        renamed,
        text.replace("closure closed", "closure done")
            .replace("to closed in", "to done in")
    );
}

/// The objective "response others" of infravision.sla: its name is a
/// string, written once (nothing in the language refers to an objective
/// by name): 1 edit, and the new name stays quoted.
#[test]
fn rename_objective() {
    let (text, renamed) = rename_case(
        "infravision.sla",
        "objective \"response others\"",
        "\"response others\"",
        "first response others",
        1,
    );
    assert_eq!(
        renamed,
        text.replace(
            "objective \"response others\"",
            "objective \"first response others\""
        )
    );
}

/// References and definition are the checker's: a target row whose
/// priority is misspelled (`lowe`) is not checked further, yet its `in
/// office` still names the calendar. `office` is then written 4 times: its
/// declaration, the two metrics, and that row. A second `calendar office`
/// is a duplicate the checker reports; definition goes to the first, the
/// one it keeps.
#[test]
fn references_and_definition_follow_the_checker() {
    let text = contract("care.sla")
        .replace(
            "  low    response within 16 hours for 100%",
            "  lowe   response within 2 working days in office for 100%",
        )
        .replace(
            "fields {",
            "calendar office { open mon..fri 08:00-12:00 }\n\nfields {",
        );
    let mut c = open(&text);
    let row_use = word_at(&text, "  lowe ", "office", 0);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, row_use),
               "context": {"includeDeclaration": false}}),
    );
    let starts: Vec<Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["range"]["start"].clone())
        .collect();
    let expected: Vec<Value> = [
        word_at(&text, "metric response", "office", 0),
        word_at(&text, "metric resolution", "office", 0),
        row_use,
        // The duplicate declaration is a declaration too, not the definition.
        word_at(&text, "calendar office { open", "office", 0),
    ]
    .iter()
    .map(|&at| pos(&text, at))
    .collect();
    let mut sorted = expected.clone();
    sorted.sort_by_key(|p| (p["line"].as_u64(), p["character"].as_u64()));
    assert_eq!(starts, sorted, "{refs}");
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, row_use)}),
    );
    let first = word_at(&text, "calendar office {\n", "office", 0);
    assert_eq!(def["range"]["start"], pos(&text, first), "{def}");
}

/// Refusals: the built-in calendar, a name already taken, a non-name.
#[test]
fn rename_refusals() {
    let text = contract("xguard.sla");
    let mut c = open(&text);
    let always = word_at(&text, "metric resolution", "24x7", 0);
    let id = c.send_request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, always)}),
    );
    let resp = c.response(id);
    assert!(
        resp["error"]["message"]
            .as_str()
            .unwrap()
            .contains("built in"),
        "{resp}"
    );
    let planning = word_at(&text, "  planning \"", "planning", 0);
    for (new, why) in [
        ("low", "already names a priority"),
        ("2 days", "is not a name"),
    ] {
        let id = c.send_request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": pos(&text, planning), "newName": new}),
        );
        let resp = c.response(id);
        assert!(
            resp["error"]["message"].as_str().unwrap().contains(why),
            "{new}: {resp}"
        );
    }
}

// ---- sync and formatting ---------------------------------------------------

/// Incremental sync: two ranged changes (a misspelling, then its undo) give
/// a diagnostic on the misspelled name, then none; the server's copy of the
/// text is right, as formatting it returns no edit.
#[test]
fn incremental_changes_are_applied() {
    let text = contract("care.sla");
    let mut c = open(&text);
    let at = word_at(&text, "metric response", "office", 0);
    let (start, end) = (pos(&text, at), pos(&text, at + "office".len()));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": "ofice"}]}),
    );
    let d = c.notification("textDocument/publishDiagnostics");
    assert_eq!(d["version"], 2);
    assert_eq!(d["diagnostics"][0]["range"]["start"], start, "{d}");
    let end5 = pos(&text, at + "ofice".len());
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3},
               "contentChanges": [{"range": {"start": start, "end": end5}, "text": "office"}]}),
    );
    let d = c.notification("textDocument/publishDiagnostics");
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]));
}

/// Formatting a CRLF document answers with CRLF text: care.sla with CRLF
/// line ends and one line's indentation wrecked formats back to itself.
#[test]
fn formatting_keeps_crlf() {
    let crlf = contract("care.sla").replace('\n', "\r\n");
    let wrecked = crlf.replace("  open mon..fri", "open     mon..fri");
    assert_ne!(wrecked, crlf);
    let mut c = open(&wrecked);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = edits.as_array().cloned().unwrap();
    assert_eq!(apply(&wrecked, &edits), crlf);
}

// ---- completion, one test per context --------------------------------------

/// The labels of the completion items at byte offset `at`, sorted.
fn completions(text: &str, at: usize) -> Vec<String> {
    let mut c = open(text);
    let result = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(text, at)}),
    );
    let items = result.as_array().cloned().unwrap_or_default();
    let mut labels: Vec<String> = items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    labels.sort();
    labels
}

/// After `in` in a metric: the calendars only, the declared `office` and
/// the built-in `24x7`.
#[test]
fn completion_after_in_offers_calendars() {
    let text = contract("care.sla");
    let at = word_at(&text, "metric response", "office", 0);
    assert_eq!(completions(&text, at), ["24x7", "office"]);
}

/// Inside `cause in [`: the labels of `cause` (care.sla line 22).
#[test]
fn completion_in_a_label_list_offers_the_fields_labels() {
    let text = contract("care.sla");
    let at = text.find("cause in [").unwrap() + "cause in [".len();
    assert_eq!(
        completions(&text, at),
        ["customer", "internet", "third_party"]
    );
    // After a comma, too.
    let at = text.find("cause in [third_party, ").unwrap() + "cause in [third_party, ".len();
    assert_eq!(
        completions(&text, at),
        ["customer", "internet", "third_party"]
    );
}

/// After `priority =`: the labels of the field `priority` (high, medium, low).
#[test]
fn completion_after_field_equals_offers_its_labels() {
    let text = contract("care.sla").replace(
        "exclude when cause in [third_party, customer]",
        "exclude when priority = low",
    );
    let at = text.find("priority = ").unwrap() + "priority = ".len();
    assert_eq!(completions(&text, at), ["high", "low", "medium"]);
}

/// After a number in a target: units, no names.
#[test]
fn completion_after_a_number_offers_units() {
    let text = contract("care.sla");
    let at = text.find("within 2 ").unwrap() + "within 2 ".len();
    let got = completions(&text, at);
    for unit in ["hours", "minutes", "days", "working days"] {
        assert!(got.iter().any(|g| g == unit), "{unit} in {got:?}");
    }
    assert!(
        !got.iter().any(|g| g == "office" || g == "response"),
        "{got:?}"
    );
}

/// Where a target row names its metric (after the priority, after
/// `for N%`): the metrics only, no fields.
#[test]
fn completion_in_a_target_row_offers_metrics() {
    let text = contract("care.sla");
    let at = word_at(&text, "  high   response", "response", 0);
    assert_eq!(completions(&text, at), ["resolution", "response"]);
    let at = text.find("for 100%   ").unwrap() + "for 100%   ".len();
    assert_eq!(completions(&text, at), ["resolution", "response"]);
}

/// After `from` in a metric: where a clock may start: timestamp fields and
/// metrics (care.sla: opened_at, responded_at, resolved_at; response,
/// resolution), not the label fields priority and cause.
#[test]
fn completion_after_from_offers_clock_ends() {
    let text = contract("care.sla");
    let at = word_at(&text, "metric response", "opened_at", 0);
    assert_eq!(
        completions(&text, at),
        [
            "opened_at",
            "resolution",
            "resolved_at",
            "responded_at",
            "response"
        ]
    );
}

/// Elsewhere (a new top-level line): names and keywords alike.
#[test]
fn completion_elsewhere_offers_everything() {
    let text = contract("care.sla");
    let at = text.find("\nfields {").unwrap();
    let got = completions(&text, at);
    for w in ["calendar", "metric", "targets", "office", "opened_at"] {
        assert!(got.iter().any(|g| g == w), "{w} in {got:?}");
    }
}

// ---- semantic tokens ---------------------------------------------------------

/// Decoded semantic tokens of care.sla: (line, UTF-16 start, length, type
/// name, modifier bits).
#[test]
fn semantic_tokens_colour_names_by_what_they_denote() {
    let text = contract("care.sla");
    let mut c = Client::start();
    let init = initialize(&mut c);
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"];
    let types: Vec<String> = legend["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 1, "text": text}}),
    );
    let result = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    let data: Vec<u64> = result["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    let mut decoded = Vec::new();
    let (mut line, mut start) = (0, 0);
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0];
            start = t[1];
        } else {
            start += t[1];
        }
        decoded.push((line, start, t[2], types[t[3] as usize].clone(), t[4]));
    }
    let token_at = |anchor: &str, needle: &str| {
        let p = pos(&text, word_at(&text, anchor, needle, 0));
        let (l, s) = (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        );
        decoded
            .iter()
            .find(|d| d.0 == l && d.1 == s)
            .map(|d| (d.2, d.3.as_str(), d.4))
            .unwrap_or_else(|| panic!("no token at {needle} after {anchor}: {decoded:?}"))
    };
    // The calendar at its declaration (bit 1: declaration) and in a metric.
    assert_eq!(token_at("calendar office", "office"), (6, "type", 1));
    assert_eq!(token_at("metric response", "office"), (6, "type", 0));
    // A field, a label in a condition, a priority and a metric in a row.
    assert_eq!(token_at("metric response", "opened_at"), (9, "property", 0));
    assert_eq!(token_at("exclude when", "customer"), (8, "enumMember", 0));
    assert_eq!(token_at("  high   response", "high"), (4, "enumMember", 0));
    assert_eq!(
        token_at("  high   response", "response"),
        (8, "function", 0)
    );
}

// ---- time explained: hover and inlay hints -------------------------------

fn hover_text(c: &mut Client, text: &str, at: usize) -> String {
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(text, at)}),
    );
    h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `Fri 11 Dec`: how the server writes a date in its examples.
fn day_text(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// Hovering a target's duration explains it in real terms, from the
/// compiled target, with an example counted by the time engine. care.sla
/// without its holiday line, so the example does not depend on the date:
/// - `within 4 hours` (resolution, high) counts `office` time, Mon–Fri
///   09:00–17:00: opened Friday 16:00, one hour runs on Friday and three
///   on Monday from 09:00: due Monday 12:00.
/// - `within 5 working days` (resolution, low): the same time on the
///   fifth working day after: Mon, Tue, Wed, Thu, Fri: the next Friday
///   16:00.
#[test]
fn hover_explains_a_target() {
    let text = contract("care.sla").replace("  closed on holidays NL\n", "");
    let mut c = open(&text);
    // The examples start on the first Friday from TODAY (Monday 2 June
    // 2025), an hour before office hours end: Friday 6 June. (Whit Monday,
    // 9 June, is an NL holiday, but the holiday line is taken out.)
    let friday = date(2025, 6, 6);
    let monday = date(2025, 6, 9);
    let next_friday = date(2025, 6, 13);

    let at = word_at(&text, "  high   response", "hours", 1);
    let h = hover_text(&mut c, &text, at);
    assert!(
        h.starts_with("**target** for `high`: `resolution` `within 4 hours`"),
        "{h}"
    );
    assert!(
        h.contains("4 hours of `office` time (Mon–Fri 09:00–17:00 Europe/Amsterdam): the clock runs only while `office` is open."),
        "{h}"
    );
    let example = format!(
        "E.g. opened {} 16:00 → due {} 12:00.",
        day_text(friday),
        day_text(monday)
    );
    assert!(h.ends_with(&example), "{h}\nwanted: {example}");

    let at = word_at(&text, "  low    response", "working", 0);
    let h = hover_text(&mut c, &text, at);
    assert!(h.contains("5 working days of `office`"), "{h}");
    let example = format!(
        "E.g. opened {} 16:00 → due {} 16:00.",
        day_text(friday),
        day_text(next_friday)
    );
    assert!(h.ends_with(&example), "{h}\nwanted: {example}");

    // On the metric of a target row, the same explanation follows the
    // metric's own hover.
    let at = word_at(&text, "  high   response", "resolution", 0);
    let h = hover_text(&mut c, &text, at);
    assert!(h.starts_with("**metric** `resolution`"), "{h}");
    assert!(h.contains("4 hours of `office` time"), "{h}");
}

/// "next working day" explained: voicetronics.sla's p2 repair outside
/// office hours. The words say when it is due; the example is the
/// engine's (its dates depend on the year's holidays, so only its shape
/// is held here: an opening and a due time at a close).
#[test]
fn hover_explains_next_working_day() {
    let text = contract("voicetronics.sla");
    let mut c = open(&text);
    let at = word_at(&text, "  p2 when opened_at outside office", "next", 0);
    let h = hover_text(&mut c, &text, at);
    assert!(
        h.contains("by the close of the next working day of `office`"),
        "{h}"
    );
    assert!(
        h.contains(
            "the first working day whose opening comes after the start; due when it closes."
        ),
        "{h}"
    );
    assert!(h.contains("E.g. opened "), "{h}");
}

/// Hovering a calendar: its hours in words, hours a week (5 × 8 = 40),
/// and the days it is closed in TODAY's year, 2025: Christmas (Thursday
/// 25 December) among NL's, and the first of them New Year's Day,
/// Wednesday 1 January.
#[test]
fn hover_on_a_calendar_lists_hours_and_closed_days() {
    let text = contract("care.sla");
    let mut c = open(&text);
    let at = word_at(&text, "calendar office", "office", 0);
    let h = hover_text(&mut c, &text, at);
    assert!(
        h.contains("Mon–Fri 09:00–17:00 Europe/Amsterdam, closed on NL holidays"),
        "{h}"
    );
    assert!(h.contains(": 40 hours a week."), "{h}");
    assert!(h.contains("Closed in 2025:\n- Wed 1 Jan: "), "{h}");
    assert!(h.contains("\n- Thu 25 Dec: "), "{h}");
}

/// Hovering a holiday set lists its days in TODAY's year, 2025, with their
/// names. NL, worked out: 11 days, among them King's Day on Saturday 26
/// April (27 April is a Sunday, so it moves to the day before) and Whit
/// Monday on 9 June (Easter Sunday 20 April + 50 days). A generated set,
/// DE-BY, has Epiphany (Monday 6 January) and Corpus Christi (Thursday 19
/// June, Easter + 60 days), which NL has not.
#[test]
fn hover_on_a_holiday_set_lists_its_days_this_year() {
    let text = contract("care.sla");
    let mut c = open(&text);
    let at = word_at(&text, "closed on holidays NL", "NL", 0);
    let h = hover_text(&mut c, &text, at);
    assert!(h.starts_with("**holiday set** `NL` (Netherlands)"), "{h}");
    assert!(h.contains("11 days in 2025:\n- Wed 1 Jan: "), "{h}");
    assert!(h.contains("\n- Sat 26 Apr: King's Day"), "{h}");
    assert!(h.contains("\n- Mon 9 Jun: Whit Monday"), "{h}");
    assert!(!h.contains("- Mon 6 Jan"), "{h}");

    let text = text.replace("closed on holidays NL", "closed on holidays DE-BY");
    let mut c = open(&text);
    let at = word_at(&text, "closed on holidays DE-BY", "DE", 0);
    let h = hover_text(&mut c, &text, at + 3);
    assert!(h.starts_with("**holiday set** `DE-BY` ("), "{h}");
    assert!(h.contains("\n- Mon 6 Jan: "), "{h}");
    assert!(h.contains("\n- Thu 19 Jun: "), "{h}");
}

/// Inlay hints in care.sla: after each `in office` of the two metrics, the
/// calendar's hours and zone; after each of the six target durations
/// (none names a calendar), the calendar it counts in, the metric's.
#[test]
fn inlay_hints_show_the_resolved_calendar() {
    let text = contract("care.sla");
    let mut c = open(&text);
    let end = pos(&text, text.len());
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI},
               "range": {"start": {"line": 0, "character": 0}, "end": end}}),
    );
    let got: Vec<(Value, String)> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"].clone(),
                h["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let brief = "Mon–Fri 09:00–17:00 Europe/Amsterdam, NL holidays".to_string();
    let after = |anchor: &str, needle: &str, nth: usize| {
        pos(&text, word_at(&text, anchor, needle, nth) + needle.len())
    };
    let inherited = "in office (the metric's)".to_string();
    let expected = vec![
        (after("metric response", "office", 0), brief.clone()),
        (after("metric resolution", "office", 0), brief.clone()),
        (after("  high   response", "2 hours", 0), inherited.clone()),
        (after("  high   response", "4 hours", 0), inherited.clone()),
        (after("  medium response", "8 hours", 0), inherited.clone()),
        (after("  medium response", "16 hours", 0), inherited.clone()),
        (after("  low    response", "16 hours", 0), inherited.clone()),
        (
            after("  low    response", "5 working days", 0),
            inherited.clone(),
        ),
    ];
    assert_eq!(got, expected, "{hints}");
}

/// A calendar chosen by a field (follow-the-sun.sla): `tokyo` is declared
/// and named by the choice's `jp` row: 2; the field `region` is declared and
/// chooses: 2; the label `jp` is declared and mapped: 2.
#[test]
fn rename_through_a_calendar_chosen_by_a_field() {
    let file = "examples/follow-the-sun.sla";
    let (text, renamed) = rename_case(file, "calendar office by", "tokyo", "osaka", 2);
    assert_eq!(
        renamed,
        text.replace("calendar tokyo", "calendar osaka")
            .replace("jp = tokyo", "jp = osaka")
    );
    let (text, renamed) = rename_case(file, "calendar office by", "region", "area", 2);
    assert_eq!(
        renamed,
        text.replace("region:", "area:")
            .replace("by region", "by area")
    );
    let (text, renamed) = rename_case(file, "calendar office by", "jp", "japan", 2);
    assert_eq!(
        renamed,
        text.replace("[us, de, jp]", "[us, de, japan]")
            .replace("jp = tokyo", "japan = tokyo")
    );
}

/// Hovering the chosen calendar where a metric counts in it says how it is chosen.
#[test]
fn hover_on_a_calendar_chosen_by_a_field() {
    let text = contract("examples/follow-the-sun.sla");
    let mut c = open(&text);
    let at = word_at(&text, "metric response", "office", 0);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, at)}),
    );
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.contains("Chosen per ticket by field `region`"),
        "{value}"
    );
    assert!(value.contains("jp = tokyo"), "{value}");
}

// ---- first-match blocks and earliest-of stops ------------------------------

const POLICIES: &str = "contract \"P\" { timezone \"UTC\" }

fields {
  opened_at:    timestamp
  responded_at: timestamp
  called_at:    timestamp
  priority:     label [high, low]
  vip:          label [yes, no]
  status:       status
}

priority from priority {
  high \"urgent\"
  low  \"everything else\"
}

metric response from opened_at to earliest of responded_at, called_at, status in [solved]

targets first match per month {
  when vip = yes  response within 1 hour
  high            response within 2 hours
  all             response within 4 hours
}
";

/// Hover, outline and completion know the new forms: the metric's stop is
/// each alternative; a target of row 3 says that the two rows above are
/// tried first; `first` is explained; the block's symbol says `first match`.
#[test]
fn lsp_knows_first_match_and_earliest_of() {
    let text = POLICIES;
    let mut c = open(text);
    let at = word_at(text, "metric response", "response", 0);
    let h = hover_text(&mut c, text, at);
    assert!(
        h.contains("Starts at `opened_at`, stops at the earliest of `responded_at`, `called_at`, `status in [solved]`"),
        "{h}"
    );
    let at = word_at(text, "  all ", "hours", 0);
    let h = hover_text(&mut c, text, at);
    assert!(
        h.starts_with("**target** for `all`: `response` `within 4 hours`"),
        "{h}"
    );
    assert!(
        h.ends_with("Row 3 of a `first match` block: it takes the tickets it selects that none of the 2 rows above takes."),
        "{h}"
    );
    let at = word_at(text, "targets first", "first", 0);
    let h = hover_text(&mut c, text, at);
    assert!(h.contains("the first whose selector holds"), "{h}");

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.contains(&"targets first match per month"),
        "{names:?}"
    );

    // After `to`: the stops, and `earliest of`; inside it: `status in` too.
    let at = word_at(text, "metric response", "earliest", 0);
    let got = completions(text, at);
    assert!(got.iter().any(|g| g == "earliest of"), "{got:?}");
    assert!(got.iter().any(|g| g == "responded_at"), "{got:?}");
    assert!(!got.iter().any(|g| g == "vip"), "{got:?}");
    let at = word_at(text, "metric response", "called_at", 0);
    let got = completions(text, at);
    assert!(got.iter().any(|g| g == "status in"), "{got:?}");
    assert!(got.iter().any(|g| g == "called_at"), "{got:?}");
    assert!(!got.iter().any(|g| g == "earliest of"), "{got:?}");
}
