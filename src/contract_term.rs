//! The agreement's term: from the header's effective date, term, renewal and
//! notice, the term a given day falls in, the next renewal date and the last
//! day on which notice can still be given.
//!
//! The reading, in calendar dates of the contract's zone:
//! - The first term runs from the effective date E for `term` months: it
//!   covers E up to, not including, E + term. Each automatic renewal adds
//!   `renewal` months. Term ends are counted from E every time (E + term +
//!   k·renewal months), so a term that starts on the 31st keeps renewing on
//!   the anniversary: a month without that day ends it on its last day
//!   (2025-01-31 + 1 month = 2025-02-28, + 2 months = 2025-03-31).
//! - The renewal date is the first day of the next term; the current term's
//!   last day is the day before.
//! - Notice of N months must be given no later than the renewal date minus N
//!   months (the same day of the month, or the month's last day when that
//!   day does not exist): given on that day, N whole months remain before the
//!   renewal; given a day later, less than N months do.

use chrono::{Days, Months, NaiveDate};

use crate::rules::ContractInfo;

/// The term on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermState {
    /// The header has no `term`.
    NoTerm,
    /// A term but no effective date: nothing can be dated.
    NoEffectiveDate,
    /// The contract has not started yet on that day.
    NotStarted(Term),
    /// The day falls in this term.
    Running(Term),
    /// The contract does not renew and its term ended before that day.
    Ended {
        /// The first day of its last term.
        start: NaiveDate,
        /// The last day of its last term (inclusive).
        last_day: NaiveDate,
    },
}

/// One term (the first or a renewal) with what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// 0 for the first term, k for the k-th renewal.
    pub number: u32,
    /// The term's first day.
    pub start: NaiveDate,
    /// The term's last day (inclusive).
    pub last_day: NaiveDate,
    /// The first day of the next term, when the contract renews automatically.
    pub renews_on: Option<NaiveDate>,
    /// The last day notice can be given to stop that renewal (inclusive);
    /// `None` without a renewal or a notice period.
    pub notice_by: Option<NaiveDate>,
}

/// E + `months` months, the day clamped to the month's end.
fn add_months(date: NaiveDate, months: u64) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(u32::try_from(months).ok()?))
}

/// The term that `day` falls in (or the first one, before the start).
pub fn term_on(info: &ContractInfo, day: NaiveDate) -> TermState {
    let Some(term) = info.term_months.filter(|t| *t > 0) else {
        return TermState::NoTerm;
    };
    let Some(start) = info.effective else {
        return TermState::NoEffectiveDate;
    };
    let renewal = info.renewal_months.filter(|r| *r > 0);
    let term = u64::from(term);
    // The k-th term covers [E + term + (k-1)·renewal, E + term + k·renewal).
    let bounds = |k: u64| -> Option<(NaiveDate, NaiveDate)> {
        let from = if k == 0 {
            start
        } else {
            add_months(start, term + (k - 1) * u64::from(renewal?))?
        };
        let to = add_months(start, term + k * u64::from(renewal.unwrap_or(0)))?;
        Some((from, to))
    };
    let make = |k: u64, from: NaiveDate, to: NaiveDate| -> Option<Term> {
        let renews_on = renewal.map(|_| to);
        let notice_by = match (renews_on, info.notice_months) {
            (Some(r), Some(n)) => Some(r.checked_sub_months(Months::new(n))?),
            _ => None,
        };
        Some(Term {
            number: u32::try_from(k).ok()?,
            start: from,
            last_day: to.checked_sub_days(Days::new(1))?,
            renews_on,
            notice_by,
        })
    };
    let Some((s0, e0)) = bounds(0) else {
        return TermState::NoTerm;
    };
    if day < s0 {
        return match make(0, s0, e0) {
            Some(t) => TermState::NotStarted(t),
            None => TermState::NoTerm,
        };
    }
    let k = match renewal {
        None if day >= e0 => {
            return match e0.checked_sub_days(Days::new(1)) {
                Some(last_day) => TermState::Ended {
                    start: s0,
                    last_day,
                },
                None => TermState::NoTerm,
            };
        }
        None => 0,
        Some(r) => {
            // A first guess from the months elapsed, then corrected by a step
            // either way (month ends make the guess off by at most one).
            let months = months_between(start, day);
            let mut k = if months < term {
                0
            } else {
                (months - term) / u64::from(r) + 1
            };
            while k > 0 && bounds(k).is_some_and(|(from, _)| day < from) {
                k -= 1;
            }
            while bounds(k).is_some_and(|(_, to)| day >= to) {
                k += 1;
            }
            k
        }
    };
    match bounds(k).and_then(|(from, to)| make(k, from, to)) {
        Some(t) => TermState::Running(t),
        None => TermState::NoTerm,
    }
}

/// Whole months from `a` to `b` (b ≥ a), by the calendar.
fn months_between(a: NaiveDate, b: NaiveDate) -> u64 {
    use chrono::Datelike;
    let m = (i64::from(b.year()) - i64::from(a.year())) * 12 + i64::from(b.month())
        - i64::from(a.month());
    u64::try_from(m.max(0)).unwrap_or(0)
}

/// The dates the term covers, for a warning about tickets outside it: from
/// the effective date, up to the last day of the term when the contract
/// does not renew (`None`: open-ended).
pub fn covered(info: &ContractInfo) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let start = info.effective?;
    let end = match (info.term_months, info.renewal_months) {
        (Some(t), None) if t > 0 => add_months(start, u64::from(t)),
        _ => None,
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn info(eff: &str, term: u32, renew: Option<u32>, notice: Option<u32>) -> ContractInfo {
        ContractInfo {
            effective: Some(d(eff)),
            term_months: Some(term),
            renewal_months: renew,
            notice_months: notice,
            ..ContractInfo::default()
        }
    }

    fn running(i: &ContractInfo, day: &str) -> Term {
        match term_on(i, d(day)) {
            TermState::Running(t) => t,
            other => panic!("{day}: expected a running term, got {other:?}"),
        }
    }

    #[test]
    fn renewal_on_the_anniversary_and_notice_two_months_before() {
        // 12 months from 2025-01-01: the first term is 2025-01-01 … 2025-12-31,
        // it renews on 2026-01-01; 2 months' notice: by 2025-11-01 (given
        // that day, 2025-11-01 + 2 months = 2026-01-01, the renewal itself).
        let i = info("2025-01-01", 12, Some(12), Some(2));
        let t = running(&i, "2025-06-15");
        assert_eq!(t.number, 0);
        assert_eq!((t.start, t.last_day), (d("2025-01-01"), d("2025-12-31")));
        assert_eq!(t.renews_on, Some(d("2026-01-01")));
        assert_eq!(t.notice_by, Some(d("2025-11-01")));
        // The last day of the term still belongs to it; the renewal date starts the next.
        assert_eq!(running(&i, "2025-12-31").number, 0);
        let t = running(&i, "2026-01-01");
        assert_eq!(t.number, 1);
        assert_eq!((t.start, t.last_day), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(t.renews_on, Some(d("2027-01-01")));
        assert_eq!(t.notice_by, Some(d("2026-11-01")));
        // Ten years on: the 10th renewal, 2035-01-01 … 2035-12-31.
        let t = running(&i, "2035-07-01");
        assert_eq!((t.number, t.start), (10, d("2035-01-01")));
    }

    #[test]
    fn month_end_effective_dates_keep_to_the_anniversary() {
        // 1 month from 2025-01-31, renewed monthly, 1 month's notice. Term
        // ends are E + k months: 02-28 (no 31 February), 03-31, 04-30.
        let i = info("2025-01-31", 1, Some(1), Some(1));
        let t = running(&i, "2025-02-10");
        assert_eq!((t.start, t.last_day), (d("2025-01-31"), d("2025-02-27")));
        assert_eq!(t.renews_on, Some(d("2025-02-28")));
        // 2025-02-28 − 1 month = 2025-01-28.
        assert_eq!(t.notice_by, Some(d("2025-01-28")));
        let t = running(&i, "2025-03-15");
        assert_eq!(t.number, 1);
        assert_eq!((t.start, t.last_day), (d("2025-02-28"), d("2025-03-30")));
        assert_eq!(t.renews_on, Some(d("2025-03-31")));
        // 2025-03-31 − 1 month: no 31 February, so its last day, 02-28
        // (notice on 03-01 would leave less than a month: 03-01 + 1 month = 04-01).
        assert_eq!(t.notice_by, Some(d("2025-02-28")));
        let t = running(&i, "2025-04-01");
        assert_eq!((t.start, t.last_day), (d("2025-03-31"), d("2025-04-29")));
        assert_eq!(t.renews_on, Some(d("2025-04-30")));
        assert_eq!(t.notice_by, Some(d("2025-03-30")));
        // A yearly term from a leap day renews on 28 February, and on 29
        // February again in the next leap year (E + 48 months = 2028-02-29).
        let i = info("2024-02-29", 12, Some(12), Some(2));
        let t = running(&i, "2027-12-01");
        assert_eq!((t.number, t.start), (3, d("2027-02-28")));
        assert_eq!(t.last_day, d("2028-02-28"));
        assert_eq!(t.renews_on, Some(d("2028-02-29")));
        assert_eq!(t.notice_by, Some(d("2027-12-29")));
    }

    #[test]
    fn a_term_that_does_not_renew_ends() {
        let i = info("2025-01-01", 12, None, Some(2));
        let t = running(&i, "2025-12-31");
        assert_eq!((t.renews_on, t.notice_by), (None, None));
        assert_eq!(
            term_on(&i, d("2026-01-01")),
            TermState::Ended {
                start: d("2025-01-01"),
                last_day: d("2025-12-31")
            }
        );
        assert_eq!(covered(&i), Some((d("2025-01-01"), Some(d("2026-01-01")))));
        assert!(
            matches!(term_on(&i, d("2024-12-31")), TermState::NotStarted(t) if t.start == d("2025-01-01"))
        );
    }

    #[test]
    fn without_an_effective_date_nothing_is_dated() {
        // Infravision: 12 months from go-live, which the document does not date.
        let mut i = info("2025-01-01", 12, Some(12), Some(2));
        i.effective = None;
        assert_eq!(term_on(&i, d("2026-01-10")), TermState::NoEffectiveDate);
        assert_eq!(covered(&i), None);
        i.term_months = None;
        assert_eq!(term_on(&i, d("2026-01-10")), TermState::NoTerm);
    }

    #[test]
    fn months_between_counts_calendar_months() {
        assert_eq!(months_between(d("2025-01-31"), d("2025-02-01")), 1);
        assert_eq!(months_between(d("2025-01-01"), d("2026-03-15")), 14);
    }
}
