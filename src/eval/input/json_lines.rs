//! JSON Lines logs: one object per line. Lines end at `\n`, `\r\n` or `\r`
//! (so a CR-only export still reads line by line, in flat memory), and each
//! line is checked on its own: a line that is not UTF-8 or not an object is
//! one `invalid` row with its number, never the end of the run.

use std::io::{BufRead, BufReader, Read};

/// A JSON Lines file, read line by line.
pub(crate) struct JsonLines {
    source: BufReader<Box<dyn Read + Send>>,
    /// The line just read, and its number.
    buf: Vec<u8>,
    line: u64,
    /// The last line ended with `\r`: a `\n` next is the rest of its line end.
    after_cr: bool,
    /// Bytes read so far.
    pub(crate) bytes: u64,
}

impl JsonLines {
    pub(crate) fn new(source: Box<dyn Read + Send>) -> JsonLines {
        JsonLines {
            source: BufReader::with_capacity(64 * 1024, source),
            buf: Vec::new(),
            line: 0,
            after_cr: false,
            bytes: 0,
        }
    }

    /// The next line that is not blank: its number and its bytes (without
    /// the line end), or `None` at the end of the file.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<(u64, &[u8])>> {
        loop {
            if !self.read_line()? {
                return Ok(None);
            }
            if !self.buf.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some((self.line, &self.buf)));
            }
        }
    }

    /// Reads one line into `buf`; false at the end of the file.
    fn read_line(&mut self) -> std::io::Result<bool> {
        self.buf.clear();
        let mut any = false;
        loop {
            let avail = self.source.fill_buf()?;
            if avail.is_empty() {
                if any {
                    self.line += 1;
                }
                return Ok(any);
            }
            if std::mem::take(&mut self.after_cr) && avail[0] == b'\n' {
                self.source.consume(1);
                self.bytes += 1;
                continue;
            }
            any = true;
            match memchr::memchr2(b'\n', b'\r', avail) {
                Some(i) => {
                    self.buf.extend_from_slice(&avail[..i]);
                    self.after_cr = avail[i] == b'\r';
                    self.source.consume(i + 1);
                    self.bytes += i as u64 + 1;
                    self.line += 1;
                    return Ok(true);
                }
                None => {
                    let n = avail.len();
                    self.buf.extend_from_slice(avail);
                    self.source.consume(n);
                    self.bytes += n as u64;
                }
            }
        }
    }
}

/// A line as JSON: the object, or why it is not one (and the 1-based
/// column of the first byte that is not UTF-8, if that is why).
pub(crate) fn parse_line(
    bytes: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, (String, Option<u64>)> {
    let (text, bad) = match std::str::from_utf8(bytes) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), None),
        Err(e) => {
            let at = e.valid_up_to();
            let column = String::from_utf8_lossy(&bytes[..at]).chars().count() as u64 + 1;
            (String::from_utf8_lossy(bytes), Some((at, column)))
        }
    };
    let text = text.trim().trim_start_matches('\u{feff}');
    let obj = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(obj)) => Ok(obj),
        Ok(_) => Err((
            "the line is not a JSON object; each line must be one object such as {\"id\": \"T-1\", ...}".to_string(),
            None,
        )),
        Err(e) => Err((format!("the line is not valid JSON ({e})"), None)),
    };
    match (bad, obj) {
        (None, obj) => obj,
        (Some((at, column)), _) => Err((
            format!(
                "the line is not valid UTF-8 (byte 0x{:02X} at column {column}); save the log as UTF-8, or name its encoding with --encoding (such as --encoding windows-1252)",
                bytes[at]
            ),
            Some(column),
        )),
    }
}

/// The id of a line that is not UTF-8, where the id itself reads, so that
/// the invalid row still names its ticket.
pub(crate) fn id_of_bad_line(bytes: &[u8], id: &str) -> String {
    let text = String::from_utf8_lossy(bytes);
    match serde_json::from_str::<serde_json::Value>(text.trim()) {
        Ok(serde_json::Value::Object(obj)) => match obj.get(id) {
            Some(serde_json::Value::String(s)) if !s.contains('\u{fffd}') => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// An object's id and wanted cells, and what is wrong with it (a cell
/// that holds a list or an object).
pub(crate) fn json_cells(
    obj: &serde_json::Map<String, serde_json::Value>,
    id: &str,
    names: &[String],
) -> (String, Vec<String>, Option<String>) {
    let mut error = None;
    let mut cell = |name: &str| match obj.get(name) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        Some(_) => {
            error = Some(format!(
                "`{name}` holds a list or an object; a cell must be a string, a number or null"
            ));
            String::new()
        }
    };
    let id = cell(id);
    let cells = names.iter().map(|n| cell(n)).collect();
    (id, cells, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8]) -> Vec<(u64, String)> {
        let mut r = JsonLines::new(Box::new(std::io::Cursor::new(text.to_vec())));
        let mut out = Vec::new();
        while let Some((n, l)) = r.next_line().expect("read") {
            out.push((n, String::from_utf8_lossy(l).into_owned()));
        }
        out
    }

    #[test]
    fn lines_end_at_lf_crlf_and_cr() {
        assert_eq!(
            lines(b"a\nb\r\nc\rd\n\n\re"),
            [
                (1, "a".to_string()),
                (2, "b".into()),
                (3, "c".into()),
                (4, "d".into()),
                (7, "e".into())
            ]
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_says_where() {
        let line = b"{\"id\": \"T-1\", \"note\": \"caf\xe9\"}";
        let (why, column) = parse_line(line).expect_err("not UTF-8");
        assert_eq!(column, Some(27));
        assert!(why.contains("0xE9"), "{why}");
        assert_eq!(id_of_bad_line(line, "id"), "T-1");
    }
}
