//! `sla eval` on any CSV ticket log (the real command, in process): no
//! panic, no hang, and an exit code of 0, 1 or 2.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let code = sla::fuzzing::eval_log(data, "csv");
    assert!((0..=2).contains(&code), "exit code {code}");
});
