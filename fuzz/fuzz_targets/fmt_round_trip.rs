//! The formatter: what it formats parses to the same tree, and formatting
//! its output again changes nothing (idempotence).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(once) = sla::fmt::format_source(src) else {
        return;
    };
    let twice = match sla::fmt::format_source(&once) {
        Ok(t) => t,
        Err(d) => panic!("formatted output does not parse: {:?}\n{once}", d.first()),
    };
    assert_eq!(once, twice, "formatting is not idempotent");
    let (a, _) = sla::syntax::parse(src);
    let (b, _) = sla::syntax::parse(&once);
    assert!(sla::fmt::same_tree(&a, &b), "formatting changed the tree");
});
