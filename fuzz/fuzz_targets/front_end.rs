//! The parser and checker on any text: no panic, no hang, every label inside
//! the text on character boundaries, and a clean contract compiles.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let checked = sla::check::check_source(src);
    for d in &checked.diagnostics {
        for l in &d.labels {
            let (s, e) = (l.span.start, l.span.end);
            assert!(s <= e && e <= src.len(), "label {s}..{e} outside {} bytes", src.len());
            assert!(src.is_char_boundary(s) && src.is_char_boundary(e), "label splits a character");
        }
    }
    let source = sla::diagnostic::render::Source::new("fuzz.sla", src);
    let _ = sla::diagnostic::render::human(&source, &checked.diagnostics, false);
    if !checked.has_errors() {
        assert!(sla::lower::compile_source(src).rules.is_some(), "clean but does not compile");
    }
});
