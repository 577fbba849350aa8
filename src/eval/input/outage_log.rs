//! The outage log (`--outages`, columns `service,start,end`): small, read
//! whole, each service's outages merged where they overlap or touch and known
//! only up to the as-of instant (see `verdict/availability.rs` for the reading).

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;

use crate::eval::contract::plan::Plan;
use crate::eval::error::EvalError;
use crate::eval::input::log_reader::WantedColumn;
use crate::eval::input::side_log;
use crate::eval::problems::ProblemCounts;

/// Outages per service, merged where they overlap (an overlap counts once).
#[derive(Debug, Default)]
pub(crate) struct OutageLog {
    pub(crate) by_service: BTreeMap<String, Vec<(i64, i64)>>,
    /// Rows that could not be read, with file:line and the reason.
    pub(crate) problems: ProblemCounts,
    /// Per service: the file:line of its first row and its number of rows,
    /// so that a service the contract does not name can be pointed at.
    pub(crate) seen: BTreeMap<String, (String, usize)>,
}

impl OutageLog {
    pub(crate) fn load(
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        log_tz: Tz,
        as_of: i64,
    ) -> Result<OutageLog, EvalError> {
        let wanted = ["start", "end"].map(|c| WantedColumn {
            field: c.into(),
            column: c.into(),
            optional: false,
        });
        let mut log = OutageLog::default();
        let mut raw: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
        let seen = &mut log.seen;
        let problems = side_log::read(path, encoding, "service", &wanted, |row| {
            if row.id.is_empty() {
                return Err("the outage names no service; fill in `service`".into());
            }
            seen.entry(row.id.clone())
                .or_insert_with(|| (row.place.clone(), 0))
                .1 += 1;
            let start = row.time(0, "start", log_tz)?;
            let end = if row.cells[1].is_empty() {
                as_of.max(start) // still going on
            } else {
                row.time(1, "end", log_tz)?
            };
            if end < start {
                return Err(format!(
                    "the outage ends ({}) before it starts ({}); correct the log",
                    row.cells[1], row.cells[0]
                ));
            }
            // An outage is only known up to the as-of instant.
            let end = end.min(as_of);
            if end > start {
                raw.entry(row.id).or_default().push((start, end));
            }
            Ok(())
        })?;
        log.problems = problems;
        for (service, mut spans) in raw {
            spans.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
            for (a, b) in spans {
                match merged.last_mut() {
                    Some(last) if a <= last.1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            log.by_service.insert(service, merged);
        }
        Ok(log)
    }

    /// Services in the log that the contract does not name, each as a
    /// message with the file:line of its first row (their outages are not
    /// evaluated).
    pub(crate) fn unknown_services(&self, plan: &Plan) -> Vec<String> {
        let known: Vec<&str> = plan
            .rules
            .availability
            .iter()
            .map(|a| a.service.as_str())
            .collect();
        self.seen
            .iter()
            .filter(|(s, _)| !known.contains(&s.as_str()))
            .map(|(s, (place, n))| {
                format!(
                    "{place}: the contract sets no availability for service `{s}` (it names {}); {} not evaluated",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    },
                    if *n == 1 { "its row is".to_string() } else { format!("its {n} rows are") }
                )
            })
            .collect()
    }
}
