//! The language server's reader on any byte stream: no panic, no hang, no
//! allocation a `Content-Length` asks for beyond the frame cap.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sla::fuzzing::lsp_frames(data);
});
