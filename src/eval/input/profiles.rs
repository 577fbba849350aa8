//! Export profiles: how the ticket systems people actually use write their
//! CSV exports, so that `sla eval` reads them as they are. A profile is data:
//! which export column holds which contract field, the timestamp forms tried
//! in order, the cells that mean "empty", decimal commas, how labels such as
//! `2 - Medium` map onto a contract's `medium`, and, for event-shaped exports
//! (one row per update of a ticket), how rows are grouped into tickets and
//! turned into the status history that pause clauses read.
//!
//! The reader applies a profile cell by cell (see [`Normaliser`]): a cell is
//! rewritten into the form the rest of the evaluator already reads (a
//! timestamp into `yyyy-mm-dd HH:MM:SS` local time, an empty marker into an
//! empty cell, a label into the contract's spelling), so typing, zones and
//! error messages stay in one place (`cells.rs`).

use crate::eval::contract::plan::{FieldType, Plan};

/// A timestamp form an export writes (besides the ISO form, always accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeForm {
    /// `d/m/yyyy H:MM[:SS]` (also `-` or `.` between the date's parts), day first.
    DayMonthYear,
    /// `d/Mon/yy h:mm AM` (Jira's default, `12/Mar/24 3:45 PM`).
    DayMonthNameYear,
}

/// How a field is derived from an event-shaped ticket's status history when
/// its column is absent or empty in every row: the time (of the profile's
/// time column) of the first row, in update order, whose status is / is not
/// in the list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Derive {
    FirstStatusIn(&'static [&'static str]),
    FirstStatusNotIn(&'static [&'static str]),
}

/// The shape of an export with one row per update of a ticket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventShape {
    /// Present in the header only when the export is event-shaped: a header
    /// without it is read one row per ticket.
    pub(crate) order: &'static str,
    /// The status column (becomes the ticket's status history).
    pub(crate) status: &'static str,
    /// When the row's update happened (the instant of its status).
    pub(crate) time: &'static str,
    /// Fields taken from the first non-empty value in update order; every
    /// other field takes the last non-empty value.
    pub(crate) first: &'static [&'static str],
    /// Fields derived from the status history when their column gives nothing.
    pub(crate) derived: &'static [(&'static str, Derive)],
    /// Statuses after which a ticket normally has no more rows.
    pub(crate) final_statuses: &'static [&'static str],
}

/// The export's own verdict per ticket (e.g. ServiceNow's `made_sla`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SourceVerdict {
    pub(crate) column: &'static str,
    pub(crate) met: &'static [&'static str],
    pub(crate) breached: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub(crate) name: &'static str,
    /// Other names it answers to.
    pub(crate) aliases: &'static [&'static str],
    /// Contract field → export column, for fields the contract does not rename itself.
    pub(crate) columns: &'static [(&'static str, &'static str)],
    pub(crate) times: &'static [TimeForm],
    /// Cells that mean "no value" (besides the empty cell).
    pub(crate) empty: &'static [&'static str],
    /// `3871,69`: numbers written with a decimal comma (and `.` between thousands).
    pub(crate) decimal_comma: bool,
    /// Export label → contract label, tried before the general rule.
    pub(crate) labels: &'static [(&'static str, &'static str)],
    pub(crate) events: Option<EventShape>,
    pub(crate) verdict: Option<SourceVerdict>,
}

/// ServiceNow incident export (list export or the incident audit log).
pub(crate) const SERVICENOW: Profile = Profile {
    name: "servicenow",
    aliases: &["snow"],
    columns: &[
        ("id", "number"),
        ("status", "incident_state"),
        ("state", "incident_state"),
        ("created_at", "sys_created_at"),
        ("updated_at", "sys_updated_at"),
        ("group", "assignment_group"),
        ("channel", "contact_type"),
    ],
    times: &[TimeForm::DayMonthYear],
    empty: &["?", "NULL"],
    decimal_comma: false,
    labels: &[],
    events: Some(EventShape {
        order: "sys_mod_count",
        status: "incident_state",
        time: "sys_updated_at",
        first: &["opened_at", "created_at"],
        derived: &[
            ("responded_at", Derive::FirstStatusNotIn(&["New"])),
            (
                "resolved_at",
                Derive::FirstStatusIn(&["Resolved", "Closed"]),
            ),
            ("closed_at", Derive::FirstStatusIn(&["Closed"])),
        ],
        final_statuses: &["Closed"],
    }),
    verdict: Some(SourceVerdict {
        column: "made_sla",
        met: &["true"],
        breached: &["false"],
    }),
};

/// HP Service Manager incident export, as in the BPI Challenge 2014 (Rabobank).
pub(crate) const BPI2014: Profile = Profile {
    name: "bpi2014",
    aliases: &["hpsm", "hp-service-manager"],
    columns: &[
        ("id", "Incident ID"),
        ("status", "Status"),
        ("impact", "Impact"),
        ("urgency", "Urgency"),
        ("priority", "Priority"),
        ("category", "Category"),
        ("opened_at", "Open Time"),
        ("reopened_at", "Reopen Time"),
        ("resolved_at", "Resolved Time"),
        ("closed_at", "Close Time"),
        ("handle_hours", "Handle Time (Hours)"),
        ("closure_code", "Closure Code"),
        ("reassignments", "# Reassignments"),
        ("ci", "CI Name (aff)"),
        ("ci_type", "CI Type (aff)"),
        ("service", "Service Component WBS (aff)"),
    ],
    times: &[TimeForm::DayMonthYear],
    empty: &["#N/B", "#N/A", "#MULTIVALUE"],
    decimal_comma: true,
    labels: &[],
    events: None,
    verdict: None,
};

/// Jira Service Management issue export (CSV, all fields).
pub(crate) const JIRA: Profile = Profile {
    name: "jira",
    aliases: &["jsm", "jira-service-management"],
    columns: &[
        ("id", "Issue key"),
        ("status", "Status"),
        ("priority", "Priority"),
        ("type", "Issue Type"),
        ("summary", "Summary"),
        ("opened_at", "Created"),
        ("updated_at", "Updated"),
        ("resolved_at", "Resolved"),
        ("resolution", "Resolution"),
        ("assignee", "Assignee"),
        ("request_type", "Custom field (Request Type)"),
    ],
    times: &[TimeForm::DayMonthNameYear, TimeForm::DayMonthYear],
    empty: &[],
    decimal_comma: false,
    labels: &[],
    events: None,
    verdict: None,
};

/// Zendesk ticket export (CSV).
pub(crate) const ZENDESK: Profile = Profile {
    name: "zendesk",
    aliases: &[],
    columns: &[
        ("id", "Id"),
        ("status", "Status"),
        ("priority", "Priority"),
        ("type", "Ticket type"),
        ("channel", "Via"),
        ("group", "Group"),
        ("subject", "Subject"),
        ("opened_at", "Created at"),
        ("updated_at", "Updated at"),
        ("assigned_at", "Assigned at"),
        ("resolved_at", "Solved at"),
        ("due_at", "Due date"),
    ],
    times: &[TimeForm::DayMonthYear],
    empty: &["-"],
    decimal_comma: false,
    labels: &[],
    events: None,
    verdict: None,
};

pub(crate) const PROFILES: &[Profile] = &[SERVICENOW, BPI2014, JIRA, ZENDESK];

/// The built-in profile called `name` (case-insensitive, aliases included).
pub(crate) fn find(name: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| {
        p.name.eq_ignore_ascii_case(name) || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

pub(crate) fn names() -> Vec<&'static str> {
    PROFILES.iter().map(|p| p.name).collect()
}

/// An unknown profile, as the user reads it.
pub(crate) fn unknown(name: &str) -> String {
    format!(
        "`{name}` is not a known export profile{}; the profiles are: {}",
        crate::eval::contract::plan::did_you_mean(name, PROFILES.iter().map(|p| p.name)),
        names().join(", ")
    )
}

impl Profile {
    /// Renames the plan's columns to the export's, for every field whose
    /// column is still its own name (a contract's `from "…"` wins).
    pub(crate) fn rename_columns(&self, plan: &mut Plan) {
        for f in &mut plan.fields {
            if f.column != f.name {
                continue;
            }
            if let Some((_, col)) = self.columns.iter().find(|(field, _)| *field == f.name) {
                f.column = (*col).to_string();
            }
        }
        if plan.id_field.is_none() && plan.id_column == crate::eval::contract::plan::ID_FIELD {
            if let Some((_, col)) = self.columns.iter().find(|(f, _)| *f == "id") {
                plan.id_column = (*col).to_string();
            }
        } else if let Some(i) = plan.id_field {
            plan.id_column = plan.fields[i].column.clone();
        }
    }

    /// The derivation of field `name`, in event-shaped exports.
    pub(crate) fn derive(&self, name: &str) -> Option<Derive> {
        self.events
            .and_then(|e| e.derived.iter().find(|(f, _)| *f == name).map(|(_, d)| *d))
    }
}

/// How one wanted column's cells are rewritten.
#[derive(Debug, Clone)]
pub(crate) enum CellNorm {
    /// Only empty markers.
    Plain,
    Time,
    Integer,
    /// Mapped onto these labels (the contract's), each with its [`label_key`].
    Label(Vec<(String, String)>),
}

impl CellNorm {
    pub(crate) fn of(kind: &FieldType) -> CellNorm {
        match kind {
            FieldType::Timestamp => CellNorm::Time,
            FieldType::Integer => CellNorm::Integer,
            FieldType::Label(labels) => {
                CellNorm::Label(labels.iter().map(|l| (l.clone(), label_key(l))).collect())
            }
            FieldType::Text | FieldType::Status => CellNorm::Plain,
        }
    }
}

/// Applies a profile to cells.
#[derive(Debug, Clone)]
pub(crate) struct Normaliser {
    pub(crate) profile: &'static Profile,
}

impl Normaliser {
    /// Rewrites `cell` (already trimmed) in place.
    pub(crate) fn apply(&self, norm: &CellNorm, cell: &mut String) {
        if cell.is_empty() {
            return;
        }
        if self.profile.empty.iter().any(|e| e == cell) {
            cell.clear();
            return;
        }
        match norm {
            CellNorm::Plain => {}
            CellNorm::Time => {
                if let Some(iso) = self.time(cell) {
                    *cell = iso;
                }
            }
            CellNorm::Integer => {
                if let Some(n) = self.integer(cell) {
                    *cell = n;
                }
            }
            CellNorm::Label(labels) => {
                if labels.iter().any(|(l, _)| l == cell) {
                    return;
                }
                if let Some(l) = self.label(cell, labels) {
                    *cell = l;
                }
            }
        }
    }

    /// `text` in one of the profile's forms, as `yyyy-mm-dd HH:MM:SS` (local
    /// time, read in the log's zone later); `None`: leave it as it is (ISO
    /// text, or something the timestamp reader will report).
    pub(crate) fn time(&self, text: &str) -> Option<String> {
        self.profile.times.iter().find_map(|f| parse_form(*f, text))
    }

    fn integer(&self, text: &str) -> Option<String> {
        if !self.profile.decimal_comma {
            return None;
        }
        // `1.234` (thousands) and `26,0` (a whole number with a decimal comma).
        let (whole, frac) = match text.split_once(',') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        if !frac.bytes().all(|b| b == b'0') {
            return None;
        }
        let whole: String = whole.chars().filter(|c| *c != '.').collect();
        let digits = whole.strip_prefix('-').unwrap_or(&whole);
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(whole)
    }

    fn label(&self, text: &str, labels: &[(String, String)]) -> Option<String> {
        if let Some((_, to)) = self.profile.labels.iter().find(|(from, _)| *from == text) {
            return Some((*to).to_string());
        }
        let key = label_key(text);
        labels
            .iter()
            .find(|(_, k)| *k == key)
            .map(|(l, _)| l.clone())
    }
}

/// A label reduced for comparison: a leading `N - ` numbering dropped
/// (`2 - Medium`), lowercased, runs of spaces, `-` and `_` as one `_`.
pub(crate) fn label_key(text: &str) -> String {
    let t = text.trim();
    let t = match t.split_once(" - ") {
        Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => t,
    };
    let mut out = String::with_capacity(t.len());
    let mut gap = false;
    for c in t.chars() {
        if c == ' ' || c == '-' || c == '_' {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push('_');
                gap = false;
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Reads `text` in form `f`; `None` when it is not of that form or names no real date.
pub(crate) fn parse_form(f: TimeForm, text: &str) -> Option<String> {
    let (date, time) = text.trim().split_once([' ', 'T'])?;
    let (mut time, ampm) = match time.trim().rsplit_once(' ') {
        Some((t, m)) if m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm") => {
            (t, Some(m.eq_ignore_ascii_case("pm")))
        }
        _ => (time.trim(), None),
    };
    time = time.trim();
    let mut parts = date.split(['/', '-', '.']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (day, month, year) = match f {
        TimeForm::DayMonthYear => (num(a, 2)?, num(b, 2)?, year(c)?),
        TimeForm::DayMonthNameYear => (num(a, 2)?, month_name(b)?, year(c)?),
    };
    let mut t = time.split(':');
    let mut hour = num(t.next()?, 2)?;
    let minute = num(t.next()?, 2)?;
    let second = match t.next() {
        Some(s) => num(s.split(['.', ',']).next()?, 2)?,
        None => 0,
    };
    if t.next().is_some() {
        return None;
    }
    if let Some(pm) = ampm {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?;
    if hour > 23 || minute > 59 || second > 59 || year > 9999 {
        return None;
    }
    // `yyyy-mm-dd HH:MM:SS`, written by hand: this runs once per cell.
    let mut out = String::with_capacity(19);
    let mut two = |n: u32, sep: Option<char>| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
        if let Some(c) = sep {
            out.push(c);
        }
    };
    two(year / 100, None);
    two(year % 100, Some('-'));
    two(month, Some('-'));
    two(day, Some(' '));
    two(hour, Some(':'));
    two(minute, Some(':'));
    two(second, None);
    Some(out)
}

fn num(s: &str, max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn year(s: &str) -> Option<u32> {
    match s.len() {
        4 => num(s, 4),
        // Two-digit years (Jira): this century.
        2 => num(s, 2).map(|y| 2000 + y),
        _ => None,
    }
}

fn month_name(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let s = s.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == s).map(|i| i as u32 + 1)
}

/// The metric compared with the export's own verdict: `resolution` if the
/// contract has one, else its last metric.
pub(crate) fn compared_metric(plan: &Plan) -> Option<usize> {
    plan.metrics
        .iter()
        .position(|m| m.name == "resolution")
        .or_else(|| plan.metrics.len().checked_sub(1))
}

/// How the contract's verdicts compare with the export's own (`made_sla`),
/// over the tickets for which both are known: the contract's verdict on the
/// compared metric is `met` or `breached` and the export's cell is one of its
/// true/false words.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Comparison {
    pub(crate) metric: String,
    pub(crate) column: String,
    /// Both say met.
    pub(crate) both_met: u64,
    /// Both say breached.
    pub(crate) both_breached: u64,
    /// The contract says met, the export breached.
    pub(crate) met_not_made: u64,
    /// The contract says breached, the export met.
    pub(crate) breached_but_made: u64,
    /// Tickets left out: another verdict (pending, excluded, invalid…) or no export verdict.
    pub(crate) not_compared: u64,
}

impl Comparison {
    pub(crate) fn compared(&self) -> u64 {
        self.both_met + self.both_breached + self.met_not_made + self.breached_but_made
    }

    pub(crate) fn agreeing(&self) -> u64 {
        self.both_met + self.both_breached
    }

    /// Agreement rate in percent; `None` when nothing could be compared.
    pub(crate) fn agreement(&self) -> Option<f64> {
        let n = self.compared();
        (n > 0).then(|| 100.0 * self.agreeing() as f64 / n as f64)
    }

    pub(crate) fn merge(&mut self, o: &Comparison) {
        self.both_met += o.both_met;
        self.both_breached += o.both_breached;
        self.met_not_made += o.met_not_made;
        self.breached_but_made += o.breached_but_made;
        self.not_compared += o.not_compared;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_sets_list_of_profiles_is_this_one() {
        let here: Vec<(&str, Vec<&str>)> = PROFILES
            .iter()
            .map(|p| (p.name, p.aliases.to_vec()))
            .collect();
        let there: Vec<(&str, Vec<&str>)> = crate::rules::EXPORT_PROFILES
            .iter()
            .map(|(n, a)| (*n, a.to_vec()))
            .collect();
        assert_eq!(
            here, there,
            "src/rules.rs EXPORT_PROFILES and PROFILES differ"
        );
    }

    #[test]
    fn reads_day_first_times() {
        let f = TimeForm::DayMonthYear;
        assert_eq!(
            parse_form(f, "29/2/2016 01:16").as_deref(),
            Some("2016-02-29 01:16:00")
        );
        assert_eq!(
            parse_form(f, "05/02/2012 13:32:57").as_deref(),
            Some("2012-02-05 13:32:57")
        );
        assert_eq!(parse_form(f, "30/2/2016 01:16"), None);
        assert_eq!(parse_form(f, "2016-02-29 01:16:00"), None);
        assert_eq!(parse_form(f, "29/2/2016"), None);
        assert_eq!(parse_form(f, "29/2/2016 24:00"), None);
    }

    #[test]
    fn reads_month_first_and_jira_times() {
        assert_eq!(
            parse_form(TimeForm::DayMonthNameYear, "12/Mar/24 12:45 AM").as_deref(),
            Some("2024-03-12 00:45:00")
        );
        assert_eq!(
            parse_form(TimeForm::DayMonthNameYear, "12/Mar/24 13:45 PM"),
            None
        );
    }

    #[test]
    fn maps_labels() {
        assert_eq!(label_key("2 - Medium"), "medium");
        assert_eq!(label_key("1 - Critical"), "critical");
        assert_eq!(label_key("Awaiting User Info"), "awaiting_user_info");
        assert_eq!(label_key("4"), "4");
        let n = Normaliser {
            profile: &SERVICENOW,
        };
        let labels = CellNorm::of(&FieldType::Label(vec!["high".into(), "medium".into()]));
        let mut c = "2 - Medium".to_string();
        n.apply(&labels, &mut c);
        assert_eq!(c, "medium");
        let mut c = "3 - Low".to_string();
        n.apply(&labels, &mut c);
        assert_eq!(
            c, "3 - Low",
            "an unknown label is left for the typing to report"
        );
        let mut c = "?".to_string();
        n.apply(&CellNorm::Time, &mut c);
        assert_eq!(c, "");
    }

    #[test]
    fn reads_decimal_commas() {
        let n = Normaliser { profile: &BPI2014 };
        let mut c = "26,0".to_string();
        n.apply(&CellNorm::Integer, &mut c);
        assert_eq!(c, "26");
        let mut c = "1.234".to_string();
        n.apply(&CellNorm::Integer, &mut c);
        assert_eq!(c, "1234");
        let mut c = "3871,691111".to_string();
        n.apply(&CellNorm::Integer, &mut c);
        assert_eq!(c, "3871,691111");
        let mut c = "#N/B".to_string();
        n.apply(&CellNorm::Integer, &mut c);
        assert_eq!(c, "");
    }

    #[test]
    fn finds_profiles_by_name_or_alias() {
        assert_eq!(find("ServiceNow").map(|p| p.name), Some("servicenow"));
        assert_eq!(find("hpsm").map(|p| p.name), Some("bpi2014"));
        assert!(find("remedy").is_none());
        assert!(unknown("servicenw").contains("did you mean `servicenow`"));
    }
}
