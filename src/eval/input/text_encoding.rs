//! The text encoding of a log (`--encoding`): UTF-8 is read as it is (a
//! byte that is not UTF-8 matters only in a cell the contract reads); any
//! other encoding is decoded to UTF-8 as the file is read, by encoding_rs,
//! so the readers above see UTF-8 whatever the export wrote.

use std::io::Read;

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8};

/// The encoding named `label` (`utf-8`, `latin1`, `windows-1252`, or any
/// other label of the WHATWG Encoding Standard). `latin1` is read as
/// windows-1252, as browsers do: the two differ only in bytes 0x80–0x9F,
/// which are control characters in Latin-1 and letters and signs in
/// windows-1252, and exports mean the latter.
pub(crate) fn by_label(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!(
            "--encoding {label}: not a text encoding that can be read; use utf-8, latin1 or windows-1252 (or another WHATWG label, such as iso-8859-15)"
        )
    })
}

/// `file`, decoded from `encoding` to UTF-8 as it is read.
pub(crate) fn decoded(
    file: impl Read + Send + 'static,
    encoding: &'static Encoding,
) -> Box<dyn Read + Send> {
    if encoding == UTF_8 {
        return Box::new(file);
    }
    Box::new(Decode {
        inner: file,
        // A byte-order mark, where there is one, says the file is Unicode
        // after all (and is dropped).
        decoder: encoding.new_decoder(),
        raw: vec![0; 64 * 1024],
        out: Vec::new(),
        at: 0,
        done: false,
    })
}

/// A reader of UTF-8 decoded from another encoding.
struct Decode<R> {
    inner: R,
    decoder: Decoder,
    raw: Vec<u8>,
    /// Decoded bytes not handed out yet: `out[at..]`.
    out: Vec<u8>,
    at: usize,
    done: bool,
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.at);
                buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.out.clear();
            self.out.resize(room, 0);
            // With room for the worst case, one call decodes all of it
            // (bytes that cannot be decoded become U+FFFD).
            let (result, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.raw[..n], &mut self.out, last);
            debug_assert_eq!(result, CoderResult::InputEmpty);
            self.out.truncate(written);
            self.at = 0;
            self.done = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], label: &str) -> String {
        let dir = std::env::temp_dir().join(format!("sla-enc-{}-{label}", std::process::id()));
        std::fs::write(&dir, bytes).expect("write");
        let mut out = String::new();
        let enc = by_label(label).expect("a label");
        decoded(std::fs::File::open(&dir).expect("open"), enc)
            .read_to_string(&mut out)
            .expect("read");
        let _ = std::fs::remove_file(&dir);
        out
    }

    #[test]
    fn latin1_and_windows_1252_decode() {
        assert_eq!(decode(b"caf\xe9,\x80 5", "latin1"), "caf\u{e9},\u{20ac} 5");
        assert_eq!(decode(b"caf\xe9", "windows-1252"), "caf\u{e9}");
        assert_eq!(decode("caf\u{e9}".as_bytes(), "utf-8"), "caf\u{e9}");
        assert!(by_label("klingon").is_err());
    }
}
