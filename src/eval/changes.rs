//! Change windows (`--changes FILE`, columns `id,deployed_at`): whether each
//! deployment went live inside the contract's change window, by exception
//! only, or outside both. Deployment logs are short, so they are read whole.

use std::path::Path;

use chrono_tz::Tz;

use super::cells::timestamp_message;
use super::error::EvalError;
use super::log::{LogReader, WantedColumn};
use super::plan::Plan;
use crate::time::parse_timestamp;

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub id: String,
    pub line: u64,
    pub deployed_at: i64,
    pub allowed: bool,
    /// Allowed only by exception: the report asks to check it was agreed.
    pub by_exception: bool,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct ChangeLog {
    pub rows: Vec<ChangeRow>,
    pub problems: Vec<String>,
}

impl ChangeLog {
    pub fn load(path: &Path, plan: &Plan, log_tz: Tz) -> Result<ChangeLog, EvalError> {
        let Some(changes) = &plan.rules.changes else {
            return Err(EvalError::new(format!(
                "{}: the contract has no change windows to check deployments against; leave out --changes",
                path.display()
            )));
        };
        let calendar = |name: &str| {
            plan.calendars
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| {
                    EvalError::new(format!(
                        "the contract's change window names calendar `{name}`, which it does not define"
                    ))
                })
        };
        let allowed = calendar(&changes.allowed)?;
        let exception = match &changes.by_exception {
            Some(name) => Some(calendar(name)?),
            None => None,
        };
        let wanted = [WantedColumn {
            field: "deployed_at".into(),
            column: "deployed_at".into(),
            optional: false,
        }];
        let mut reader = LogReader::open(path, "id", &wanted)?;
        let file = path.display().to_string();
        let mut log = ChangeLog::default();
        while let Some(row) = reader.next_row() {
            let row = row?;
            let place = format!("{file}:{}", row.line);
            if let Some(e) = row.error {
                log.problems.push(format!("{place}: {e}"));
                continue;
            }
            let at = match parse_timestamp(&row.cells[0], log_tz) {
                Ok(p) => p.at,
                Err(e) => {
                    log.problems.push(format!(
                        "{place}: column `deployed_at`: {}",
                        timestamp_message(&e)
                    ));
                    continue;
                }
            };
            let when = crate::time::format_rfc3339(at, plan.tz);
            let (ok, by_exception, reason) = if plan.calendar(allowed).is_open(at) {
                (
                    true,
                    false,
                    format!("inside the change window `{}`", changes.allowed),
                )
            } else if let Some(x) = exception.filter(|x| plan.calendar(*x).is_open(at)) {
                (
                    true,
                    true,
                    format!(
                        "allowed by exception only (`{}`): check that it was agreed",
                        plan.calendars[x].name
                    ),
                )
            } else {
                (
                    false,
                    false,
                    format!("{when} is outside the change window `{}`", changes.allowed),
                )
            };
            log.rows.push(ChangeRow {
                id: row.id,
                line: row.line,
                deployed_at: at,
                allowed: ok,
                by_exception,
                reason,
            });
        }
        Ok(log)
    }
}
