//! The wire: LSP's `Content-Length` frames of JSON-RPC on a byte stream.
//!
//! Owned here rather than taken from lsp-server, whose reader ends the
//! connection on the first malformed frame and allocates whatever a
//! `Content-Length` asks for. This reader never gives up on the editor:
//!
//! - a frame whose body is not JSON (or not UTF-8) is answered `-32700`;
//! - JSON that is not a request, a notification or a response (a batch
//!   array, a bare number, an object without `method`, an id that is
//!   neither an integer nor a string) is answered `-32600`;
//! - bytes that cannot be framed (no or a garbage `Content-Length`) are
//!   answered `-32700` once and skipped up to the next header;
//! - a frame larger than [`MAX_FRAME`] is refused before anything is
//!   allocated, and its bytes are skipped like unframed ones.
//!
//! Header lines may end in CRLF (the protocol) or a bare LF (lenient
//! clients); a header line is read at most [`MAX_HEADER_LINE`] bytes at a
//! time, so no input makes memory grow past one frame.

use std::io::{self, BufRead, Write};
use std::sync::mpsc::{Receiver, Sender};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{json, Map, Value};

/// The largest body accepted: far above any contract an editor sends.
pub(crate) const MAX_FRAME: usize = 64 * 1024 * 1024;

/// Longer header lines are not headers: they are skipped in pieces.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// What the reader hands the server.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// A frame that is not a valid message: the error response to send
    /// (`id` as far as it could be read, else null) and why, for the log.
    Malformed(Value),
}

/// What the server hands the writer.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Message(Message),
    /// A JSON-RPC message lsp-server cannot express (an error with a null id).
    Raw(Value),
}

/// An error response to a message that cannot be served.
fn error(id: Value, code: i32, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// One step of reading: a frame's body, or bytes that could not be framed.
enum Frame {
    Body(Vec<u8>),
    Unframed(String),
    End,
}

/// Reads frames off a byte stream.
pub(crate) struct Reader<R> {
    input: R,
    /// A `Content-Length` header found inside a line of garbage: the next
    /// frame starts there.
    carried: Option<String>,
    /// After bytes that could not be framed: skip, silently, up to the next
    /// `Content-Length` header (one error answers the whole run).
    resync: bool,
}

impl<R: BufRead> Reader<R> {
    pub(crate) fn new(input: R) -> Reader<R> {
        Reader {
            input,
            carried: None,
            resync: false,
        }
    }

    /// The next message, or `None` at the end of input (or a read error).
    pub(crate) fn next(&mut self) -> Option<Incoming> {
        if self.resync && !self.skip_to_header() {
            return None;
        }
        match self.frame() {
            Frame::End => None,
            Frame::Unframed(why) => {
                self.resync = self.carried.is_none();
                Some(Incoming::Malformed(error(Value::Null, PARSE_ERROR, why)))
            }
            Frame::Body(body) => Some(decode(&body)),
        }
    }

    /// Discard lines up to one holding a `Content-Length` header; false at
    /// the end of input.
    fn skip_to_header(&mut self) -> bool {
        while let Some((line, _)) = self.line() {
            let text = String::from_utf8_lossy(&line);
            if let Some(i) = text.to_ascii_lowercase().find("content-length:") {
                self.carried = Some(text[i..].to_string());
                self.resync = false;
                return true;
            }
        }
        false
    }

    /// A header line without its line end, at most MAX_HEADER_LINE bytes;
    /// `None` at the end of input. A longer line is returned in pieces,
    /// the `bool` saying whether more of the line follows.
    fn line(&mut self) -> Option<(Vec<u8>, bool)> {
        let mut out = Vec::new();
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            if buf.is_empty() {
                return (!out.is_empty()).then_some((out, false));
            }
            let room = MAX_HEADER_LINE - out.len();
            let take = buf.len().min(room);
            if let Some(i) = memchr::memchr(b'\n', &buf[..take]) {
                out.extend_from_slice(&buf[..i]);
                self.input.consume(i + 1);
                if out.last() == Some(&b'\r') {
                    out.pop();
                }
                return Some((out, false));
            }
            out.extend_from_slice(&buf[..take]);
            self.input.consume(take);
            if out.len() >= MAX_HEADER_LINE {
                return Some((out, true));
            }
        }
    }

    fn frame(&mut self) -> Frame {
        let mut length: Option<Result<usize, String>> = None;
        let mut garbage = false;
        let mut any = false;
        if let Some(h) = self.carried.take() {
            length = Some(content_length(&h));
            any = true;
        }
        loop {
            let Some((line, more)) = self.line() else {
                return if any && (garbage || length.is_some()) {
                    Frame::Unframed("the input ended inside a frame's headers".into())
                } else {
                    Frame::End
                };
            };
            if line.is_empty() && !more {
                if !any {
                    // Blank lines between frames: nothing to answer.
                    continue;
                }
                break;
            }
            any = true;
            let text = String::from_utf8_lossy(&line);
            if more {
                // A line too long to be a header: skip the rest of it.
                self.skip_line();
                garbage = true;
                continue;
            }
            let lower = text.to_ascii_lowercase();
            if lower.starts_with("content-length:") {
                length = Some(content_length(&text));
            } else if let Some(i) = lower.find("content-length:") {
                // Garbage, then a header: the garbage was unframed, and
                // the next frame starts at the header.
                self.carried = Some(text[i..].to_string());
                return Frame::Unframed(format!("skipped {} bytes that are not an LSP frame", i));
            } else if !lower.starts_with("content-type:") {
                garbage = true;
            }
        }
        match length {
            Some(Ok(n)) if n > MAX_FRAME => Frame::Unframed(format!(
                "a frame of {n} bytes is larger than the limit of {MAX_FRAME} bytes: refused, its bytes skipped"
            )),
            Some(Ok(n)) => {
                let mut body = vec![0; n];
                match io::Read::read_exact(&mut self.input, &mut body) {
                    Ok(()) => Frame::Body(body),
                    Err(_) => Frame::End,
                }
            }
            Some(Err(why)) => Frame::Unframed(why),
            None if garbage => Frame::Unframed(
                "skipped bytes that are not an LSP frame (no Content-Length header)".into(),
            ),
            None => Frame::Unframed("a frame without a Content-Length header".into()),
        }
    }

    fn skip_line(&mut self) {
        while let Some((_, true)) = self.line() {}
    }
}

/// The value of a `Content-Length: N` header line.
fn content_length(line: &str) -> Result<usize, String> {
    let value = line
        .split_once(':')
        .map(|(_, v)| v.trim())
        .unwrap_or_default();
    value.parse::<usize>().map_err(|_| {
        let shown: String = value.chars().take(40).collect();
        format!("`Content-Length: {shown}` is not a length in bytes: the frame is skipped")
    })
}

/// A frame's body as a message, or the error response it gets.
fn decode(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let why = if std::str::from_utf8(body).is_err() {
                "the frame's body is not UTF-8".to_string()
            } else {
                format!("the frame's body is not JSON: {e}")
            };
            return Incoming::Malformed(error(Value::Null, PARSE_ERROR, why));
        }
    };
    let Value::Object(obj) = value else {
        let why = match value {
            Value::Array(_) => {
                "batches (JSON arrays) are not part of LSP: send one message per frame"
            }
            _ => "a message must be a JSON object",
        };
        return Incoming::Malformed(error(Value::Null, INVALID_REQUEST, why.into()));
    };
    message(obj)
}

fn message(mut obj: Map<String, Value>) -> Incoming {
    let raw_id = obj.remove("id");
    let id = match &raw_id {
        None => None,
        Some(v) => match request_id(v) {
            Some(id) => Some(id),
            None => {
                return Incoming::Malformed(error(
                    Value::Null,
                    INVALID_REQUEST,
                    format!("a request id must be an integer or a string, not `{v}`"),
                ))
            }
        },
    };
    // The id as sent, to echo in an error response.
    let echo = raw_id.unwrap_or(Value::Null);
    let params = obj.remove("params").unwrap_or(Value::Null);
    match (obj.remove("method"), id) {
        (Some(Value::String(method)), Some(id)) => {
            Incoming::Message(Message::Request(Request { id, method, params }))
        }
        (Some(Value::String(method)), None) => {
            Incoming::Message(Message::Notification(Notification { method, params }))
        }
        (Some(other), _) => Incoming::Malformed(error(
            echo,
            INVALID_REQUEST,
            format!("`method` must be a string, not `{other}`"),
        )),
        (None, Some(id)) if obj.contains_key("result") || obj.contains_key("error") => {
            // A response to a request of ours (the server sends none).
            Incoming::Message(Message::Response(Response {
                id,
                response_result: Ok(obj.remove("result").unwrap_or(Value::Null)),
            }))
        }
        (None, _) => Incoming::Malformed(error(
            echo,
            INVALID_REQUEST,
            "a message needs a `method` (or, for a response, a `result` or an `error`)".into(),
        )),
    }
}

/// An id LSP allows: an integer (within i32, as lsp-server holds it) or a string.
fn request_id(v: &Value) -> Option<RequestId> {
    match v {
        Value::String(s) => Some(RequestId::from(s.clone())),
        Value::Number(n) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .map(RequestId::from),
        _ => None,
    }
}

/// Read frames until the end of input, sending each to the server.
pub(crate) fn read_loop(input: impl BufRead, to_server: Sender<Incoming>) {
    let mut reader = Reader::new(input);
    while let Some(msg) = reader.next() {
        if to_server.send(msg).is_err() {
            return;
        }
    }
}

/// Write every message the server sends, each in its frame.
pub(crate) fn write_loop(mut out: impl Write, from_server: Receiver<Outgoing>) -> io::Result<()> {
    for msg in from_server {
        match msg {
            Outgoing::Message(m) => m.write(&mut out)?,
            Outgoing::Raw(v) => {
                let body = v.to_string();
                write!(out, "Content-Length: {}\r\n\r\n{}", body.len(), body)?;
                out.flush()?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<Incoming> {
        let mut r = Reader::new(input);
        std::iter::from_fn(|| r.next()).collect()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{}", body.len(), body)
    }

    fn code(i: &Incoming) -> Option<i64> {
        match i {
            Incoming::Malformed(v) => v["error"]["code"].as_i64(),
            Incoming::Message(_) => None,
        }
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#;

    #[test]
    fn a_good_frame_after_each_bad_one_still_arrives() {
        let bad: Vec<(Vec<u8>, i64)> = vec![
            (frame("{not json").into_bytes(), PARSE_ERROR.into()),
            (frame("[1,2]").into_bytes(), INVALID_REQUEST.into()),
            (frame("42").into_bytes(), INVALID_REQUEST.into()),
            (
                frame(r#"{"jsonrpc":"2.0","id":1}"#).into_bytes(),
                INVALID_REQUEST.into(),
            ),
            (
                frame(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#).into_bytes(),
                INVALID_REQUEST.into(),
            ),
            (
                frame(r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#).into_bytes(),
                INVALID_REQUEST.into(),
            ),
            (
                frame(r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#).into_bytes(),
                INVALID_REQUEST.into(),
            ),
            (
                b"Content-Length: 4\r\n\r\n\xff\xfe\"a".to_vec(),
                PARSE_ERROR.into(),
            ),
            (
                b"Content-Length: banana\r\n\r\n".to_vec(),
                PARSE_ERROR.into(),
            ),
            (b"\x01\x02garbage\r\n\r\n".to_vec(), PARSE_ERROR.into()),
            (
                b"Content-Length: 2000000000\r\n\r\n{}\n\n".to_vec(),
                PARSE_ERROR.into(),
            ),
        ];
        for (bytes, want) in bad {
            let mut input = bytes.clone();
            input.extend_from_slice(frame(PING).as_bytes());
            let got = all(&input);
            assert_eq!(
                got.len(),
                2,
                "{:?}: {got:?}",
                String::from_utf8_lossy(&bytes)
            );
            assert_eq!(
                code(&got[0]),
                Some(want),
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
            assert!(
                matches!(&got[1], Incoming::Message(Message::Request(r)) if r.method == "shutdown"),
                "{:?}: {got:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn lf_only_headers_are_read() {
        let input = format!("Content-Length: {}\n\n{}", PING.len(), PING);
        let got = all(input.as_bytes());
        assert!(matches!(&got[..], [Incoming::Message(Message::Request(_))]));
    }

    #[test]
    fn garbage_glued_to_a_header_is_skipped_up_to_it() {
        let input = format!("xyz{}", frame(PING));
        let got = all(input.as_bytes());
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(code(&got[0]), Some(PARSE_ERROR.into()));
        assert!(matches!(&got[1], Incoming::Message(Message::Request(_))));
    }

    #[test]
    fn an_id_is_echoed_in_an_invalid_request_error() {
        let got = all(frame(r#"{"id":"a","method":3}"#).as_bytes());
        match &got[..] {
            [Incoming::Malformed(v)] => assert_eq!(v["id"], "a"),
            other => panic!("{other:?}"),
        }
    }
}
