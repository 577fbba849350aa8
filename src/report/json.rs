//! `--format json`: one object as INTERFACES.md fixes it, written as it goes:
//! the header, then one ticket row per line, then objectives and problems.

use std::io::Write;

use serde::Serialize;
use serde_json::json;

use super::decimal::{int, uint};
use super::spill::Spill;
use super::{Header, Report};
use crate::eval::problems::ProblemKind;
use crate::eval::verdict::credits::CreditRow;
use crate::eval::{
    AvailabilityRow, ChunkFormat, EscalationRow, ObjectiveResult, Plan, Problems, Row, RowSink,
    RowText, Status, Summary,
};
use crate::time::exact::{format_rfc3339_at, insert_fraction};
use crate::time::{format_rfc3339, At, Rfc3339Writer};

pub(crate) struct JsonReport<'a> {
    header: Header<'a>,
    out: Box<dyn Write + 'a>,
    first: bool,
    /// Escalation rows come while the ticket rows are still being written;
    /// they wait in a temporary file (not in memory, which must not grow
    /// with the log) and are copied in at the end.
    spill: Option<Spill>,
}

impl<'a> JsonReport<'a> {
    pub(crate) fn new(header: Header<'a>, out: Box<dyn Write + 'a>) -> Self {
        JsonReport {
            header,
            out,
            first: true,
            spill: None,
        }
    }
}

fn string<T: Serialize>(v: &T) -> String {
    // Serializing plain strings and numbers cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub(crate) fn objective_json(o: &ObjectiveResult) -> serde_json::Value {
    let c = &o.counts;
    let mut v = json!({
        "name": o.name,
        "metric": o.metric,
        "period": o.period,
        "met": c.get(Status::Met),
        "breached": c.get(Status::Breached),
        "pending": c.get(Status::Pending),
        "excluded": c.get(Status::Excluded),
        "untimed": c.get(Status::Untimed),
        "invalid": c.get(Status::Invalid),
        "not_applicable": c.get(Status::NotApplicable),
        "share": o.share,
        "required": o.required,
        "compliant": o.compliant,
    });
    // Only under a contract with versions: other reports stay as they were.
    if let (Some(version), Some(map)) = (&o.version, v.as_object_mut()) {
        map.insert("version".into(), json!(version));
    }
    v
}

/// Formats rows as JSON objects, each after `,\n` (the sink drops the very first comma).
pub(crate) struct JsonRows<'a> {
    plan: &'a Plan,
    /// Per version of the contract, for each priority (or none, last) and
    /// metric (or none, last): the text from `,"priority":` (from
    /// `,"version":` under a contract with versions) to the opening quote
    /// of the status, written once here rather than put together and
    /// escaped for every row.
    heads: Vec<Vec<Padded<HEAD>>>,
    /// Per status ([`Status::index`]): [`status_and_next`].
    statuses: [Padded<STATUS>; 7],
}

/// The room for a head of [`JsonRows`] (a longer one is copied as it is).
const HEAD: usize = 96;
/// The room for a status and the key after it (the longest is 34 bytes).
const STATUS: usize = 48;

/// A text that every row of a kind shares, padded to `N` bytes: appended
/// as one copy of `N` bytes and the padding cut (a copy of a fixed length
/// is a few moves, one of a varying length a call to `memcpy`). A text
/// longer than `N` is kept and copied as it is.
struct Padded<const N: usize> {
    /// The text and (when it is no longer than `N`) zeros up to `N` bytes.
    text: Box<[u8]>,
    len: usize,
}

impl<const N: usize> Padded<N> {
    fn new(text: &[u8]) -> Self {
        let mut padded = text.to_vec();
        padded.resize(N.max(text.len()), 0);
        Padded {
            text: padded.into(),
            len: text.len(),
        }
    }

    #[inline]
    fn append(&self, out: &mut Vec<u8>) {
        match self.text.first_chunk::<N>() {
            Some(block) if self.len <= N => {
                let at = out.len();
                out.extend_from_slice(block);
                out.truncate(at + self.len);
            }
            _ => out.extend_from_slice(&self.text),
        }
    }
}

impl<'a> JsonRows<'a> {
    pub(crate) fn new(plan: &'a Plan) -> Self {
        let quoted = |name: Option<&str>| {
            let mut out = Vec::new();
            match name {
                Some(name) => json_str(&mut out, name),
                None => out.extend_from_slice(b"null"),
            }
            out
        };
        let heads = (0..=plan.versions.len())
            .map(|v| {
                let v = crate::eval::contract::plan::VersionIndex::try_from(v).unwrap_or(0);
                let mut version = Vec::new();
                if let Some(name) = plan.version_name(v) {
                    version.extend_from_slice(b",\"version\":");
                    version.extend(quoted(Some(name)));
                }
                let plan = plan.version(v);
                let priorities = plan.priority_names.iter().map(|n| Some(n.as_str()));
                let mut heads = Vec::new();
                for p in priorities.chain([None]) {
                    for m in plan
                        .metrics
                        .iter()
                        .map(|m| Some(m.name.as_str()))
                        .chain([None])
                    {
                        let mut head = version.clone();
                        head.extend_from_slice(b",\"priority\":");
                        head.extend(quoted(p));
                        head.extend_from_slice(b",\"metric\":");
                        head.extend(quoted(m));
                        head.extend_from_slice(b",\"status\":\"");
                        heads.push(Padded::new(&head));
                    }
                }
                heads
            })
            .collect();
        let statuses = Status::ALL.map(|s| Padded::new(status_and_next(s)));
        JsonRows {
            plan,
            heads,
            statuses,
        }
    }

    #[inline]
    fn head(&self, row: &Row) -> Option<&Padded<HEAD>> {
        let plan = self.plan.version(row.version);
        let (np, nm) = (plan.priority_names.len(), plan.metrics.len());
        let p = row.priority.filter(|&p| p < np).unwrap_or(np);
        let m = row.metric.filter(|&m| m < nm).unwrap_or(nm);
        self.heads
            .get(usize::from(row.version))
            .and_then(|h| h.get(p * (nm + 1) + m))
    }
}

/// A status and the key after it.
fn status_and_next(s: Status) -> &'static [u8] {
    match s {
        Status::Met => b"met\",\"elapsed_seconds\":",
        Status::Breached => b"breached\",\"elapsed_seconds\":",
        Status::Pending => b"pending\",\"elapsed_seconds\":",
        Status::Excluded => b"excluded\",\"elapsed_seconds\":",
        Status::Untimed => b"untimed\",\"elapsed_seconds\":",
        Status::NotApplicable => b"not_applicable\",\"elapsed_seconds\":",
        Status::Invalid => b"invalid\",\"elapsed_seconds\":",
    }
}

impl ChunkFormat for JsonRows<'_> {
    fn writer(&self) -> Box<dyn RowText + '_> {
        Box::new(JsonRowText {
            rows: self,
            times: Rfc3339Writer::new(self.plan.tz),
            start: None,
        })
    }
}

/// One worker's JSON writer, with its cache of dates.
struct JsonRowText<'a> {
    rows: &'a JsonRows<'a>,
    times: Rfc3339Writer,
    /// The last row's start and where its text lies in the buffer being
    /// written: the rows of a ticket share their start, and its text is
    /// copied rather than made again.
    start: Option<(At, std::ops::Range<usize>)>,
}

impl RowText for JsonRowText<'_> {
    /// Written by hand, straight into the chunk's buffer: no string per row,
    /// timestamps formatted in place, escaping only where a string needs it.
    /// The text is what `serde_json` writes for the row's fields in this
    /// order (`note` only when there is one, `closed_at` only under a
    /// closure rule).
    fn write(&mut self, rows: &[Row], out: &mut Vec<u8>) {
        let (this, tz) = (self.rows, &mut self.times);
        let plan = this.plan;
        let closure = !plan.closures.is_empty();
        // Ranges of another buffer, or of this one before it was emptied, mean nothing.
        self.start = None;
        for row in rows {
            out.extend_from_slice(b",\n    {\"id\":");
            json_str(out, &row.id);
            if let Some(head) = this.head(row) {
                head.append(out);
            }
            this.statuses[row.status.index()].append(out);
            opt_int(out, row.elapsed);
            out.extend_from_slice(b",\"target_seconds\":");
            opt_int(out, row.target_seconds);
            out.extend_from_slice(b",\"deadline\":");
            opt_time(out, row.deadline, tz);
            out.extend_from_slice(b",\"reason\":");
            opt_str(out, row.reason.as_deref());
            out.extend_from_slice(b",\"start\":");
            match (row.start, &self.start) {
                (Some(t), Some((last, text))) if t == *last && text.end <= out.len() => {
                    out.extend_from_within(text.clone());
                }
                (t, _) => {
                    let from = out.len();
                    opt_time(out, t, tz);
                    self.start = t.map(|t| (t, from..out.len()));
                }
            }
            out.extend_from_slice(b",\"stop\":");
            opt_time(out, row.stop, tz);
            if let Some(c) = row.cycle {
                out.extend_from_slice(b",\"cycle\":");
                uint(out, u64::from(c));
            }
            if let Some(note) = &row.note {
                out.extend_from_slice(b",\"note\":");
                json_str(out, note);
            }
            if closure {
                out.extend_from_slice(b",\"closed_at\":");
                opt_time(out, row.closed_at, tz);
            }
            out.extend_from_slice(b",\"line\":");
            uint(out, row.line);
            out.push(b'}');
        }
    }
}

/// The bytes a JSON string escapes: `"`, `\\` and control characters.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A JSON string, escaped as `serde_json` escapes: `"`, `\\` and control
/// characters; everything else (non-ASCII included) as it is.
#[inline]
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let n = bytes.len();
    // An id of 8 to 16 bytes: looked at and copied as two overlapping
    // words, into a buffer of fixed size that is copied whole and the
    // excess cut (a copy of varying length is a call to `memcpy`).
    if (8..=16).contains(&n) {
        let (first, last) = (word(&bytes[..8]), word(&bytes[n - 8..]));
        if escapes(first) | escapes(last) == 0 {
            let mut b = [b'"'; 18];
            b[1..9].copy_from_slice(&first.to_le_bytes());
            b[n - 7..n + 1].copy_from_slice(&last.to_le_bytes());
            b[n + 1] = b'"';
            let at = out.len();
            out.extend_from_slice(&b);
            out.truncate(at + n + 2);
            return;
        }
    }
    other_str(out, bytes);
}

/// [`json_str`] of a string other than a short plain one (out of line, so
/// that the common case stays small).
#[inline(never)]
fn other_str(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Strings almost never need escaping: one look, one copy.
    let mut words = bytes.chunks_exact(8);
    let any = (&mut words).fold(0, |any, w| any | escapes(word(w)));
    // The look has no early exit: without a branch per byte it is faster
    // on the short strings of a row.
    let plain = any == 0
        && !words
            .remainder()
            .iter()
            .fold(false, |any, &b| any | ESCAPED[usize::from(b)]);
    if plain {
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1f => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.push(b'\\');
        out.push(short);
        if short == b'u' {
            out.extend_from_slice(&[
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The eight bytes of `w` (eight long) as a `u64`, the first lowest.
#[inline]
fn word(w: &[u8]) -> u64 {
    let mut x = [0; 8];
    x.copy_from_slice(w);
    u64::from_le_bytes(x)
}

/// Not 0 when a byte of `x` is one [`json_str`] escapes: a byte below
/// 0x20, or equal to `"` or `\\` (0 after an exclusive or), shows as a
/// borrow into its high bit.
#[inline]
fn escapes(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let (quote, backslash) = (x ^ (ONES * u64::from(b'"')), x ^ (ONES * u64::from(b'\\')));
    ((x.wrapping_sub(ONES * 0x20) & !x)
        | (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash))
        & (ONES * 0x80)
}

fn opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Inlined (as [`opt_time`]): a call per number cost as much again as writing it.
#[inline(always)]
fn opt_int(out: &mut Vec<u8>, n: Option<i64>) {
    match n {
        Some(n) => int(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// Inlined: each of a row's few dates is a call otherwise, whose saving
/// and restoring of registers was a fifth of a date's cost.
#[inline(always)]
fn opt_time(out: &mut Vec<u8>, t: Option<At>, times: &mut Rfc3339Writer) {
    match t {
        Some(t) => {
            // An RFC 3339 date (or the note for an absurd instant) needs no escaping.
            let from = out.len() + 1;
            times.write_quoted(out, t.secs);
            if t.nanos > 0 {
                insert_fraction(out, from, t.nanos);
            }
        }
        None => out.extend_from_slice(b"null"),
    }
}

/// `  "name": [` one item per line `],` (the object goes on after it).
fn array(
    out: &mut dyn Write,
    name: &str,
    items: impl Iterator<Item = serde_json::Value>,
) -> std::io::Result<()> {
    write!(out, "  \"{name}\": [")?;
    let mut empty = true;
    for (i, item) in items.enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        write!(out, "{sep}    {item}")?;
        empty = false;
    }
    if empty {
        writeln!(out, "],")
    } else {
        writeln!(out, "\n  ],")
    }
}

/// The `problems` summary: every kind of input problem counted, each with
/// the file, line and reason of its first few (INTERFACES.md).
fn problems_json(p: &Problems) -> serde_json::Value {
    let c = &p.counts;
    let mut kinds = serde_json::Map::new();
    let mut first = Vec::new();
    for kind in ProblemKind::ALL {
        // Each a diagnostic: its code beside the file, line and reason.
        let kept: Vec<serde_json::Value> = c
            .first(kind)
            .map(|q| json!(crate::diagnostic::render::json_in_log(&q.diagnostic)))
            .collect();
        first.extend(c.first(kind).map(|q| q.text()));
        kinds.insert(
            kind.key().into(),
            json!({"count": c.count(kind), "code": kind.code().as_str(), "first": kept}),
        );
    }
    json!({
        "total": c.total(),
        "unreadable_rows": c.count(ProblemKind::UnreadableRow),
        "invalid_verdicts": c.count(ProblemKind::InvalidVerdict),
        "kinds": kinds,
        "first": first,
        "warnings": p.warnings,
        "first_warnings": p.warning_samples,
    })
}

pub(crate) fn comparison_json(c: &crate::eval::Comparison) -> serde_json::Value {
    json!({
        "metric": c.metric,
        "column": c.column,
        "compared": c.compared(),
        "agreeing": c.agreeing(),
        "agreement": c.agreement().map(|a| (a * 100.0).round() / 100.0),
        "both_met": c.both_met,
        "both_breached": c.both_breached,
        "met_not_made": c.met_not_made,
        "breached_but_made": c.breached_but_made,
        "not_compared": c.not_compared,
    })
}

pub(crate) fn availability_json(a: &AvailabilityRow) -> serde_json::Value {
    json!({
        "service": a.service,
        "window": a.window,
        "period": a.period,
        "window_seconds": a.window_seconds,
        "downtime_seconds": a.downtime_seconds,
        "availability": a.availability,
        "required": a.required,
        "interruptions": a.interruptions,
        "max_interruptions": a.max_interruptions,
        "compliant": a.compliant,
        "partial": a.partial,
    })
}

/// A credit owed (INTERFACES.md: period, service or objective, the measured
/// value, the tier, the credit as a percentage and, with a fee, the amount).
pub(crate) fn credit_json(c: &CreditRow) -> serde_json::Value {
    json!({
        "period": c.period,
        "service": c.service,
        "window": c.window,
        "objective": c.objective,
        "measured": c.measured,
        "required": c.required,
        "tier": c.tier,
        "credit_percent": c.percent,
        "amount": c.amount,
        "currency": c.currency,
        "capped": c.capped,
        "partial": c.partial,
    })
}

/// The ladder's contact channels, as `{"channel", "address"}` objects.
fn escalation_contacts(plan: &Plan) -> serde_json::Value {
    plan.rules
        .escalation
        .as_ref()
        .map(|e| {
            e.contacts
                .iter()
                .map(|c| json!({"channel": c.channel, "address": c.address}))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into()
}

impl RowSink for JsonReport<'_> {
    fn keeps_rows(&self) -> bool {
        false
    }

    fn rows(&mut self, _rows: &[Row], text: &[u8]) -> std::io::Result<()> {
        let text = match (self.first, text.split_first()) {
            (true, Some((_comma, rest))) => {
                self.first = false;
                rest
            }
            _ => text,
        };
        self.out.write_all(text)
    }

    fn escalations(&mut self, rows: &[EscalationRow]) -> std::io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.spill.is_none() {
            self.spill = Some(Spill::create()?);
        }
        let plan = self.header.plan;
        if let Some(spill) = self.spill.as_mut() {
            for e in rows {
                let plan = plan.version(e.version);
                let mut row = json!({
                    "id": e.id,
                    "metric": e.metric.map(|m| plan.metrics[m].name.as_str()),
                    "level": e.level,
                    "role": plan.escalation[e.level_index].role,
                    "due_at": format_rfc3339_at(e.due_at, plan.tz),
                    "reason": e.reason,
                    "contacts": escalation_contacts(plan),
                    "line": e.line,
                });
                // As a verdict row: `cycle` only for a metric with cycles.
                if let Some(c) = e.cycle {
                    row["cycle"] = c.into();
                }
                write!(spill.file, ",\n    {row}")?;
            }
        }
        Ok(())
    }
}

impl Report for JsonReport<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        let plan = self.header.plan;
        write!(
            self.out,
            "{{\n  \"contract\": {},\n  \"as_of\": {},\n  \"timezone\": {},\n",
            string(&plan.rules.contract.name),
            string(&format_rfc3339_at(self.header.as_of, plan.tz)),
            string(&plan.rules.timezone),
        )?;
        if !plan.versions.is_empty() {
            // Each version and the instant from which it judges the tickets opened.
            let effective = plan.rules.contract.effective.and_then(|d| {
                crate::time::local_to_instant(plan.tz, d.and_time(chrono::NaiveTime::MIN))
            });
            let mut versions = vec![json!({
                "name": crate::rules::FIRST_VERSION,
                "from": effective.map(|t| format_rfc3339(t, plan.tz)),
            })];
            versions.extend(
                plan.versions
                    .iter()
                    .map(|v| json!({"name": v.name, "from": format_rfc3339(v.from, plan.tz)})),
            );
            writeln!(self.out, "  \"versions\": {},", json!(versions))?;
        }
        write!(self.out, "  \"tickets\": [")
    }

    fn finish(&mut self, s: &Summary) -> std::io::Result<()> {
        let close = if self.first { "],\n" } else { "\n  ],\n" };
        write!(self.out, "{close}")?;
        array(
            &mut self.out,
            "objectives",
            s.objectives.iter().map(objective_json),
        )?;
        if !s.availability.is_empty() {
            array(
                &mut self.out,
                "availability",
                s.availability.iter().map(availability_json),
            )?;
        }
        if self.header.plan.rules.has_credits() {
            array(&mut self.out, "credits", s.credits.iter().map(credit_json))?;
        }
        if !s.changes.is_empty() {
            let tz = self.header.plan.tz;
            array(
                &mut self.out,
                "changes",
                s.changes.iter().map(|c| {
                    json!({
                        "id": c.id,
                        "deployed_at": format_rfc3339(c.deployed_at, tz),
                        "allowed": c.allowed,
                        "by_exception": c.by_exception,
                        "reason": c.reason,
                        "line": c.line,
                    })
                }),
            )?;
        }
        if let Some(c) = &s.comparison {
            writeln!(self.out, "  \"comparison\": {},", comparison_json(c))?;
        }
        let m = &s.priority_moves;
        if m.tickets > 0 || m.rows > 0 {
            writeln!(
                self.out,
                "  \"priority_changes\": {},",
                json!({
                    "tickets": m.tickets,
                    "verdicts_with_another_priority_at_start": m.rows,
                    "verdicts_moved": m.moved(),
                    "met_would_be_breached": m.met_not_breached,
                    "breached_would_be_met": m.breached_not_met,
                    "other": m.other,
                })
            )?;
        }
        if let Some(mut spill) = self.spill.take() {
            // Each row was written after a comma: the first is dropped.
            let mut text = spill.reader(1)?;
            write!(self.out, "  \"escalations\": [")?;
            std::io::copy(&mut text, &mut self.out)?;
            writeln!(self.out, "\n  ],")?;
        } else if !self.header.plan.escalation.is_empty() {
            writeln!(self.out, "  \"escalations\": [],")?;
        }
        if !s.warnings.is_empty() {
            array(
                &mut self.out,
                "warnings",
                s.warnings
                    .iter()
                    .map(|w| serde_json::Value::from(w.as_str())),
            )?;
        }
        let mut by_status = serde_json::Map::new();
        for st in Status::ALL {
            by_status.insert(st.as_str().into(), s.by_status.get(st).into());
        }
        let summary = json!({
            "tickets": s.tickets,
            "rows": s.rows,
            "escalations": s.escalations,
            "statuses": by_status,
            "compliant": s.compliant(),
        });
        let problems = problems_json(&s.problems);
        writeln!(
            self.out,
            "  \"summary\": {summary},\n  \"problems\": {problems}\n}}"
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..128).map(char::from).collect();
        all.push_str("é€😀\u{7f}\u{2028}");
        for s in [all.as_str(), "", "plain", "a\"b\\c\nd", "\u{1}x\u{1f}"] {
            let mut out = Vec::new();
            json_str(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }

    /// Every status, with and without a priority and a metric: the object
    /// INTERFACES.md fixes, its keys in its order.
    #[test]
    fn rows_are_written_as_their_json_objects() {
        let rules: crate::rules::RuleSet =
            serde_json::from_str(include_str!("../../tests/eval/rules/care.json")).unwrap();
        let plan = crate::eval::contract::plan::build(rules).unwrap();
        let rows = JsonRows::new(&plan);
        let mut text = rows.writer();
        let name = |names: &[String], i: Option<usize>| i.map(|i| names[i].clone());
        let metrics: Vec<String> = plan.metrics.iter().map(|m| m.name.clone()).collect();
        for status in Status::ALL {
            for priority in [None, Some(0), Some(plan.priority_names.len() - 1)] {
                for metric in [None, Some(0), Some(metrics.len() - 1)] {
                    let row = Row {
                        line: 7,
                        id: "T-\"1\"".into(),
                        priority,
                        metric,
                        target: None,
                        status,
                        elapsed: Some(-5),
                        target_seconds: None,
                        deadline: Some(At::whole(1_700_000_000)),
                        start: Some(At::whole(1_699_990_000)),
                        stop: None,
                        reason: Some("best effort".into()),
                        note: None,
                        closed_at: None,
                        version: 0,
                        cycle: None,
                    };
                    let mut out = Vec::new();
                    text.write(std::slice::from_ref(&row), &mut out);
                    let out = String::from_utf8(out).unwrap();
                    let object = out.strip_prefix(",\n    ").unwrap();
                    let got: serde_json::Value = serde_json::from_str(object).unwrap();
                    let want = json!({
                        "id": "T-\"1\"",
                        "priority": name(&plan.priority_names, priority),
                        "metric": name(&metrics, metric),
                        "status": status.as_str(),
                        "elapsed_seconds": -5,
                        "target_seconds": null,
                        "deadline": format_rfc3339(1_700_000_000, plan.tz),
                        "reason": "best effort",
                        "start": format_rfc3339(1_699_990_000, plan.tz),
                        "stop": null,
                        "line": 7,
                    });
                    assert_eq!(got, want, "{object}");
                    let keys = [
                        "\"id\":",
                        "\"priority\":",
                        "\"metric\":",
                        "\"status\":",
                        "\"elapsed_seconds\":",
                        "\"target_seconds\":",
                        "\"deadline\":",
                        "\"reason\":",
                        "\"start\":",
                        "\"stop\":",
                        "\"line\":",
                    ];
                    let at: Vec<usize> = keys.iter().map(|k| object.find(k).unwrap()).collect();
                    assert!(at.windows(2).all(|w| w[0] < w[1]), "{object}");
                }
            }
        }
    }

    /// Each byte that needs escaping, at each place of strings of 0 to 24
    /// bytes (looked at eight bytes at a time), is escaped; others are not.
    #[test]
    fn strings_are_escaped_wherever_the_byte_is() {
        let check = |s: &[u8]| {
            let s = String::from_utf8_lossy(s);
            let mut out = b"x".to_vec();
            json_str(&mut out, &s);
            let want = format!("x{}", serde_json::to_string(&s).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), want);
        };
        for len in 0..=24 {
            let plain = b"a".repeat(len);
            check(&plain);
            for at in 0..len {
                for b in (0u8..0x20).chain([b'"', b'\\', b' ', b'!', b'#', b'[', b']', 0x7f]) {
                    let mut s = plain.clone();
                    s[at] = b;
                    check(&s);
                }
                let mut s = plain.clone();
                s.splice(at..at, "é€".bytes());
                check(&s);
            }
        }
    }
}
