//! Change windows (`--changes FILE`, columns `id,deployed_at`): whether each
//! deployment went live inside the contract's change window, by exception
//! only, or outside both. Deployment logs are short, so they are read whole.

use std::path::Path;

use chrono_tz::Tz;

use crate::eval::contract::plan::Plan;
use crate::eval::error::EvalError;
use crate::eval::input::log_reader::WantedColumn;
use crate::eval::input::side_log;
use crate::eval::problems::ProblemCounts;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChangeRow {
    pub(crate) id: String,
    pub(crate) line: u64,
    pub(crate) deployed_at: i64,
    pub(crate) allowed: bool,
    /// Allowed only by exception: the report asks to check it was agreed.
    pub(crate) by_exception: bool,
    pub(crate) reason: String,
}

#[derive(Debug, Default)]
pub(crate) struct ChangeLog {
    pub(crate) rows: Vec<ChangeRow>,
    pub(crate) problems: ProblemCounts,
}

impl ChangeLog {
    pub(crate) fn load(
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        plan: &Plan,
        log_tz: Tz,
    ) -> Result<ChangeLog, EvalError> {
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
        let mut log = ChangeLog::default();
        let rows = &mut log.rows;
        let problems = side_log::read(path, encoding, "id", &wanted, |row| {
            let at = row.time(0, "deployed_at", log_tz)?;
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
            rows.push(ChangeRow {
                id: row.id,
                line: row.line,
                deployed_at: at,
                allowed: ok,
                by_exception,
                reason,
            });
            Ok(())
        })?;
        log.problems = problems;
        Ok(log)
    }
}
