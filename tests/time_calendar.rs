//! The calendar rules of SEMANTICS.md, case by case, in Europe/Amsterdam.
//!
//! Every expected value is worked out by hand in the comment next to it.
//! Instants are written as local times with their offset (CET is +01:00,
//! CEST +02:00; in 2025 summer time runs from 30 March 01:00Z to 26 October
//! 01:00Z) so that the reasoning can be read off the test.

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use sla::rules::CalendarSpan;
use sla::time::spec::{DayRule, OpeningSpec, WeeklySpec};
use sla::time::{
    add_calendar_span, format_rfc3339, month_of, parse_timestamp, Calendar, CalendarError,
    CalendarSpec,
};

const AMS: Tz = chrono_tz::Europe::Amsterdam;
const H: i64 = 3600;

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];
const ALL_DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn hm(h: u32, m: u32) -> u32 {
    h * 3600 + m * 60
}

fn weekly(days: &[Weekday], hours: &[(u32, u32)], closed: Vec<DayRule>) -> CalendarSpec {
    let open = days
        .iter()
        .flat_map(|&day| {
            hours
                .iter()
                .map(move |&(start, end)| OpeningSpec { day, start, end })
        })
        .collect();
    CalendarSpec::Weekly(WeeklySpec {
        timezone: "Europe/Amsterdam".into(),
        open,
        closed,
        reopened: vec![],
    })
}

fn nl() -> Vec<DayRule> {
    vec![DayRule::Builtin { set: "NL".into() }]
}

/// mon..fri 09:00-17:00, closed on NL holidays.
fn office() -> Calendar {
    Calendar::new(&weekly(&WEEKDAYS, &[(hm(9, 0), hm(17, 0))], nl())).unwrap()
}

/// mon..fri 08:30-12:00 and 13:00-17:30, no holidays: 8 hours a day.
fn lunch() -> Calendar {
    Calendar::new(&weekly(
        &WEEKDAYS,
        &[(hm(8, 30), hm(12, 0)), (hm(13, 0), hm(17, 30))],
        vec![],
    ))
    .unwrap()
}

fn outside_office() -> Calendar {
    Calendar::new(&CalendarSpec::Complement {
        of: Box::new(weekly(&WEEKDAYS, &[(hm(9, 0), hm(17, 0))], nl())),
    })
    .unwrap()
}

/// A weekly calendar open 00:00-24:00 every day, no holidays.
fn all_day() -> Calendar {
    Calendar::new(&weekly(&ALL_DAYS, &[(0, 86_400)], vec![])).unwrap()
}

/// A timestamp in the test's notation (local with offset, or Z).
fn at(s: &str) -> i64 {
    parse_timestamp(s, AMS).unwrap().at
}

fn show(t: Option<i64>) -> Option<String> {
    t.map(|t| format_rfc3339(t, AMS))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---------------------------------------------------------------- opening and closing

#[test]
fn open_is_half_open_interval() {
    let c = office();
    // Monday 3 March 2025, CET.
    assert!(!c.is_open(at("2025-03-03T08:59:59+01:00")));
    assert!(c.is_open(at("2025-03-03T09:00:00+01:00")));
    assert!(c.is_open(at("2025-03-03T16:59:59+01:00")));
    assert!(!c.is_open(at("2025-03-03T17:00:00+01:00")));
    assert!(!c.is_open(at("2025-03-08T12:00:00+01:00"))); // Saturday
}

#[test]
fn starts_before_at_and_after_opening_and_closing() {
    let c = office();
    // 1 hour from 08:00: nothing counts until 09:00, so 10:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T08:00:00+01:00"), H)),
        Some("2025-03-03T10:00:00+01:00".into())
    );
    // From 09:00 exactly: 10:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T09:00:00+01:00"), H)),
        Some("2025-03-03T10:00:00+01:00".into())
    );
    // From 10:00: 11:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T10:00:00+01:00"), H)),
        Some("2025-03-03T11:00:00+01:00".into())
    );
    // From 16:00: the hour ends exactly at the 17:00 close, which is the deadline
    // (not Tuesday 09:00).
    assert_eq!(
        show(c.deadline(at("2025-03-03T16:00:00+01:00"), H)),
        Some("2025-03-03T17:00:00+01:00".into())
    );
    // From 17:00 (closed): Tuesday 09:00 + 1 h = 10:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T17:00:00+01:00"), H)),
        Some("2025-03-04T10:00:00+01:00".into())
    );
    // From 18:00: the same.
    assert_eq!(
        show(c.deadline(at("2025-03-03T18:00:00+01:00"), H)),
        Some("2025-03-04T10:00:00+01:00".into())
    );
    // Open time 08:00-10:00 is 09:00-10:00 = 1 h.
    assert_eq!(
        c.open_seconds(
            at("2025-03-03T08:00:00+01:00"),
            at("2025-03-03T10:00:00+01:00")
        ),
        H
    );
    // 16:30 Monday to 09:30 Tuesday: 30 min + 30 min.
    assert_eq!(
        c.open_seconds(
            at("2025-03-03T16:30:00+01:00"),
            at("2025-03-04T09:30:00+01:00")
        ),
        H
    );
    // Backwards or empty ranges are 0.
    assert_eq!(
        c.open_seconds(
            at("2025-03-04T10:00:00+01:00"),
            at("2025-03-03T10:00:00+01:00")
        ),
        0
    );
}

#[test]
fn deadline_ending_exactly_at_closing_time() {
    let c = office();
    // A full 8-hour day from Monday 09:00 ends at Monday 17:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T09:00:00+01:00"), 8 * H)),
        Some("2025-03-03T17:00:00+01:00".into())
    );
    // Friday 09:00 + 8 h = Friday 17:00, not Monday 09:00.
    assert_eq!(
        show(c.deadline(at("2025-03-07T09:00:00+01:00"), 8 * H)),
        Some("2025-03-07T17:00:00+01:00".into())
    );
    // Friday 12:00 + 13 h: 5 h on Friday, 8 h on Monday: Monday 17:00.
    assert_eq!(
        show(c.deadline(at("2025-03-07T12:00:00+01:00"), 13 * H)),
        Some("2025-03-10T17:00:00+01:00".into())
    );
    // One more second: Tuesday 09:00:01.
    assert_eq!(
        show(c.deadline(at("2025-03-07T12:00:00+01:00"), 13 * H + 1)),
        Some("2025-03-11T09:00:01+01:00".into())
    );
    // Zero seconds: the start itself, even when closed.
    assert_eq!(
        show(c.deadline(at("2025-03-03T17:00:00+01:00"), 0)),
        Some("2025-03-03T17:00:00+01:00".into())
    );
    // Friday 12:00 to Monday 12:00: 5 h + 3 h.
    assert_eq!(
        c.open_seconds(
            at("2025-03-07T12:00:00+01:00"),
            at("2025-03-10T12:00:00+01:00")
        ),
        8 * H
    );
}

// ---------------------------------------------------------------- the DST nights of 2025

#[test]
fn spring_forward_2025() {
    let c = office();
    // Friday 28 March 16:00 CET + 2 h: 1 h on Friday; the weekend (with the
    // clock change on Sunday) counts nothing; Monday 31 March 09:00 CEST + 1 h.
    assert_eq!(
        show(c.deadline(at("2025-03-28T16:00:00+01:00"), 2 * H)),
        Some("2025-03-31T10:00:00+02:00".into())
    );
    assert_eq!(
        c.open_seconds(
            at("2025-03-28T16:00:00+01:00"),
            at("2025-03-31T10:00:00+02:00")
        ),
        2 * H
    );
    // Wall clock: Saturday 00:00 CET to Monday 00:00 CEST is 24 + 23 = 47 h.
    let wall = Calendar::always(AMS);
    assert_eq!(
        wall.open_seconds(
            at("2025-03-29T00:00:00+01:00"),
            at("2025-03-31T00:00:00+02:00")
        ),
        47 * H
    );
    // 00:00-24:00 on 30 March is 23 real hours: 29 March 23:00Z to 30 March 22:00Z.
    let c = all_day();
    assert_eq!(
        c.open_seconds(
            at("2025-03-30T00:00:00+01:00"),
            at("2025-03-31T00:00:00+02:00")
        ),
        23 * H
    );
    assert_eq!(
        c.working_hours(date(2025, 3, 30)),
        Some((at("2025-03-29T23:00:00Z"), at("2025-03-30T22:00:00Z")))
    );
}

#[test]
fn spring_forward_inside_an_interval() {
    // sun 01:00-04:00: 01:00 CET (00:00Z) to 04:00 CEST (02:00Z) is 2 real hours.
    let c = Calendar::new(&weekly(&[Weekday::Sun], &[(hm(1, 0), hm(4, 0))], vec![])).unwrap();
    assert_eq!(
        c.open_seconds(at("2025-03-29T12:00:00Z"), at("2025-03-30T12:00:00Z")),
        2 * H
    );
    // The Sunday before it is 3 hours.
    assert_eq!(
        c.open_seconds(at("2025-03-22T12:00:00Z"), at("2025-03-23T12:00:00Z")),
        3 * H
    );
    // sun 02:30-05:00: 02:30 does not exist; the interval starts at the first
    // instant after the gap, 03:00 CEST = 01:00Z, and ends 05:00 CEST = 03:00Z.
    let c = Calendar::new(&weekly(&[Weekday::Sun], &[(hm(2, 30), hm(5, 0))], vec![])).unwrap();
    assert_eq!(
        c.open_intervals(at("2025-03-29T12:00:00Z"), at("2025-03-30T12:00:00Z")),
        vec![(at("2025-03-30T01:00:00Z"), at("2025-03-30T03:00:00Z"))]
    );
    // sun 02:15-02:45 lies wholly in the gap: no open time that day, so no working day.
    let c = Calendar::new(&weekly(&[Weekday::Sun], &[(hm(2, 15), hm(2, 45))], vec![])).unwrap();
    assert!(!c.is_working_day(date(2025, 3, 30)));
    assert!(c.is_working_day(date(2025, 3, 23)));
}

#[test]
fn fall_back_2025() {
    let c = office();
    // Friday 24 October 16:00 CEST + 2 h: 1 h Friday, Monday 27 October 09:00 CET + 1 h.
    assert_eq!(
        show(c.deadline(at("2025-10-24T16:00:00+02:00"), 2 * H)),
        Some("2025-10-27T10:00:00+01:00".into())
    );
    // Friday 13:00 CEST + 8 h: 4 h Friday, 4 h Monday: 13:00 CET.
    assert_eq!(
        show(c.deadline(at("2025-10-24T13:00:00+02:00"), 8 * H)),
        Some("2025-10-27T13:00:00+01:00".into())
    );
    // 00:00-24:00 on 26 October is 25 real hours.
    let c = all_day();
    assert_eq!(
        c.open_seconds(
            at("2025-10-26T00:00:00+02:00"),
            at("2025-10-27T00:00:00+01:00")
        ),
        25 * H
    );
    // sun 01:00-04:00: 01:00 CEST (25 Oct 23:00Z) to 04:00 CET (03:00Z) = 4 h.
    let c = Calendar::new(&weekly(&[Weekday::Sun], &[(hm(1, 0), hm(4, 0))], vec![])).unwrap();
    assert_eq!(
        c.open_seconds(at("2025-10-25T12:00:00Z"), at("2025-10-26T12:00:00Z")),
        4 * H
    );
    // sun 02:30-04:00: 02:30 occurs twice; the interval starts at the earlier
    // one, 00:30Z, and ends at 04:00 CET = 03:00Z: 2.5 h.
    let c = Calendar::new(&weekly(&[Weekday::Sun], &[(hm(2, 30), hm(4, 0))], vec![])).unwrap();
    assert_eq!(
        c.open_intervals(at("2025-10-25T12:00:00Z"), at("2025-10-26T12:00:00Z")),
        vec![(at("2025-10-26T00:30:00Z"), at("2025-10-26T03:00:00Z"))]
    );
}

// ---------------------------------------------------------------- holidays

#[test]
fn good_friday_and_easter_monday_2025() {
    let c = office();
    assert_eq!(c.closed_reason(date(2025, 4, 18)), Some("Good Friday"));
    assert_eq!(c.closed_reason(date(2025, 4, 21)), Some("Easter Monday"));
    assert!(!c.is_working_day(date(2025, 4, 18)));
    assert!(c.is_working_day(date(2025, 4, 17)));
    // Thursday 17 April 15:00 + 4 h: 2 h Thursday; Friday (Good Friday), the
    // weekend and Monday (Easter Monday) are closed; Tuesday 22 April 11:00.
    assert_eq!(
        show(c.deadline(at("2025-04-17T15:00:00+02:00"), 4 * H)),
        Some("2025-04-22T11:00:00+02:00".into())
    );
    // The whole of Good Friday counts nothing.
    assert_eq!(
        c.open_seconds(
            at("2025-04-18T00:00:00+02:00"),
            at("2025-04-19T00:00:00+02:00")
        ),
        0
    );
}

#[test]
fn kings_day() {
    let c = office();
    // 27 April 2025 is a Sunday, so King's Day is Saturday 26 April.
    assert_eq!(c.closed_reason(date(2025, 4, 26)), Some("King's Day"));
    assert_eq!(c.closed_reason(date(2025, 4, 27)), None);
    // Friday 25 April is an ordinary working day.
    assert!(c.is_working_day(date(2025, 4, 25)));
    // 27 April 2026 is a Monday: King's Day, closed.
    assert_eq!(c.closed_reason(date(2026, 4, 27)), Some("King's Day"));
    assert!(!c.is_working_day(date(2026, 4, 27)));
}

#[test]
fn liberation_day_only_in_lustrum_years() {
    let c = office();
    // 5 May 2025 is a Monday and 2025 is divisible by five: closed.
    assert_eq!(c.closed_reason(date(2025, 5, 5)), Some("Liberation Day"));
    assert!(!c.is_working_day(date(2025, 5, 5)));
    // Friday 2 May 16:00 + 2 h: 1 h Friday, Monday closed, Tuesday 6 May 10:00.
    assert_eq!(
        show(c.deadline(at("2025-05-02T16:00:00+02:00"), 2 * H)),
        Some("2025-05-06T10:00:00+02:00".into())
    );
    // 2024 is not: no holiday on 5 May 2024 (a Sunday anyway) ...
    assert_eq!(c.closed_reason(date(2024, 5, 5)), None);
    // ... and 5 May 2026 (a Tuesday) is an ordinary working day.
    assert_eq!(c.closed_reason(date(2026, 5, 5)), None);
    assert!(c.is_working_day(date(2026, 5, 5)));
}

#[test]
fn ascension_and_whit_monday_2025() {
    let c = office();
    // Easter 20 April + 39 = Thursday 29 May.
    assert_eq!(c.closed_reason(date(2025, 5, 29)), Some("Ascension Day"));
    // Wednesday 28 May 16:30 + 1 h: 30 min, Thursday closed, Friday 09:30.
    assert_eq!(
        show(c.deadline(at("2025-05-28T16:30:00+02:00"), H)),
        Some("2025-05-30T09:30:00+02:00".into())
    );
    // Easter + 50 = Monday 9 June.
    assert_eq!(c.closed_reason(date(2025, 6, 9)), Some("Whit Monday"));
    // Friday 6 June 16:00 + 2 h: 1 h, Monday closed, Tuesday 10 June 10:00.
    assert_eq!(
        show(c.deadline(at("2025-06-06T16:00:00+02:00"), 2 * H)),
        Some("2025-06-10T10:00:00+02:00".into())
    );
}

#[test]
fn christmas_2025() {
    let c = office();
    assert_eq!(c.closed_reason(date(2025, 12, 25)), Some("Christmas Day"));
    assert_eq!(c.closed_reason(date(2025, 12, 26)), Some("Boxing Day"));
    // Wednesday 24 December 16:00 + 3 h: 1 h; Thursday, Friday, the weekend
    // closed; Monday 29 December 11:00.
    assert_eq!(
        show(c.deadline(at("2025-12-24T16:00:00+01:00"), 3 * H)),
        Some("2025-12-29T11:00:00+01:00".into())
    );
}

#[test]
fn a_full_year() {
    let c = office();
    // 2025 has 261 weekdays, 8 of them NL holidays (1 Jan, Good Friday,
    // Easter Monday, Liberation Day, Ascension, Whit Monday, 25 and 26 Dec):
    // 253 working days of 8 hours.
    assert_eq!(
        c.open_seconds(
            at("2025-01-01T00:00:00+01:00"),
            at("2026-01-01T00:00:00+01:00")
        ),
        253 * 8 * H
    );
    // Across the turn of the year: Wednesday 31 December 16:00 to Friday
    // 2 January 10:00 is 1 h + (New Year's Day closed) + 1 h.
    assert_eq!(
        c.open_seconds(
            at("2025-12-31T16:00:00+01:00"),
            at("2026-01-02T10:00:00+01:00")
        ),
        2 * H
    );
    assert_eq!(
        show(c.deadline(at("2025-12-31T16:00:00+01:00"), 2 * H)),
        Some("2026-01-02T10:00:00+01:00".into())
    );
}

#[test]
fn reopened_dates_and_explicit_closed_dates() {
    let spec = CalendarSpec::Weekly(WeeklySpec {
        timezone: "Europe/Amsterdam".into(),
        open: WEEKDAYS
            .iter()
            .map(|&day| OpeningSpec {
                day,
                start: hm(9, 0),
                end: hm(17, 0),
            })
            .collect(),
        closed: vec![
            DayRule::Builtin { set: "NL".into() },
            DayRule::Date {
                date: date(2025, 12, 24),
            },
        ],
        reopened: vec![date(2025, 5, 5)],
    });
    let c = Calendar::new(&spec).unwrap();
    assert!(c.is_working_day(date(2025, 5, 5))); // Liberation Day, re-opened
    assert_eq!(c.closed_reason(date(2025, 5, 5)), None);
    assert!(!c.is_working_day(date(2025, 12, 24)));
    assert_eq!(c.closed_reason(date(2025, 12, 24)), Some("closed date"));
}

// ---------------------------------------------------------------- lunch break

#[test]
fn lunch_break() {
    let c = lunch();
    // Monday 3 March 11:00 + 2 h: 1 h to 12:00, lunch, 13:00 + 1 h = 14:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T11:00:00+01:00"), 2 * H)),
        Some("2025-03-03T14:00:00+01:00".into())
    );
    // 11:00 + 1 h ends exactly at the 12:00 close of the morning: 12:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T11:00:00+01:00"), H)),
        Some("2025-03-03T12:00:00+01:00".into())
    );
    assert!(!c.is_open(at("2025-03-03T12:00:00+01:00")));
    assert!(!c.is_open(at("2025-03-03T12:59:59+01:00")));
    assert!(c.is_open(at("2025-03-03T13:00:00+01:00")));
    // A whole day is 3.5 h + 4.5 h = 8 h.
    assert_eq!(
        c.open_seconds(
            at("2025-03-03T00:00:00+01:00"),
            at("2025-03-04T00:00:00+01:00")
        ),
        8 * H
    );
    assert_eq!(
        c.working_hours(date(2025, 3, 3)),
        Some((
            at("2025-03-03T08:30:00+01:00"),
            at("2025-03-03T17:30:00+01:00")
        ))
    );
    assert_eq!(
        c.open_intervals(
            at("2025-03-03T10:00:00+01:00"),
            at("2025-03-03T14:00:00+01:00")
        ),
        vec![
            (
                at("2025-03-03T10:00:00+01:00"),
                at("2025-03-03T12:00:00+01:00")
            ),
            (
                at("2025-03-03T13:00:00+01:00"),
                at("2025-03-03T14:00:00+01:00")
            ),
        ]
    );
    // 1 working day from 12:30 (lunch): the start moves to 13:00; Tuesday 13:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-03T12:30:00+01:00"), 1)),
        Some("2025-03-04T13:00:00+01:00".into())
    );
    // Next working day from 12:30 Monday: Monday opened at 08:30, before the
    // start, so it is Tuesday's close, 17:30.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-03T12:30:00+01:00"))),
        Some("2025-03-04T17:30:00+01:00".into())
    );
    // From 07:00 Monday, Monday's opening comes after the start: Monday 17:30.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-03T07:00:00+01:00"))),
        Some("2025-03-03T17:30:00+01:00".into())
    );
}

// ---------------------------------------------------------------- complement and 24x7

#[test]
fn complement_of_office_hours() {
    let c = outside_office();
    assert!(c.is_open(at("2025-03-03T08:59:59+01:00")));
    assert!(!c.is_open(at("2025-03-03T09:00:00+01:00")));
    assert!(!c.is_open(at("2025-03-03T16:59:59+01:00")));
    assert!(c.is_open(at("2025-03-03T17:00:00+01:00")));
    // A week of 168 h less 5 × 8 office hours: 128 h.
    assert_eq!(
        c.open_seconds(
            at("2025-03-03T00:00:00+01:00"),
            at("2025-03-10T00:00:00+01:00")
        ),
        128 * H
    );
    // Good Friday is closed for the office, so open all 24 h outside it.
    assert_eq!(
        c.open_seconds(
            at("2025-04-18T00:00:00+02:00"),
            at("2025-04-19T00:00:00+02:00")
        ),
        24 * H
    );
    assert_eq!(c.closed_reason(date(2025, 4, 18)), None);
    assert_eq!(c.holiday(date(2025, 4, 18)), Some("Good Friday"));
    // Sunday 26 October (25 h) is open throughout.
    assert_eq!(
        c.open_seconds(
            at("2025-10-26T00:00:00+02:00"),
            at("2025-10-27T00:00:00+01:00")
        ),
        25 * H
    );
    // Monday 16:00 + 2 h: closed until 17:00, then 2 h: 19:00.
    assert_eq!(
        show(c.deadline(at("2025-03-03T16:00:00+01:00"), 2 * H)),
        Some("2025-03-03T19:00:00+01:00".into())
    );
    // Monday 08:00 + 1 h ends exactly at 09:00, where the complement closes.
    assert_eq!(
        show(c.deadline(at("2025-03-03T08:00:00+01:00"), H)),
        Some("2025-03-03T09:00:00+01:00".into())
    );
    // Across the turn of the year the open stretch is one piece: from
    // Wednesday 31 December 17:00 to Friday 2 January 09:00 (New Year's Day closed
    // for the office).
    assert_eq!(
        c.open_intervals(
            at("2025-12-31T12:00:00+01:00"),
            at("2026-01-02T12:00:00+01:00")
        ),
        vec![(
            at("2025-12-31T17:00:00+01:00"),
            at("2026-01-02T09:00:00+01:00")
        )]
    );
    // The complement of the complement is the office again.
    let twice = Calendar::new(&CalendarSpec::Complement {
        of: Box::new(CalendarSpec::Complement {
            of: Box::new(weekly(&WEEKDAYS, &[(hm(9, 0), hm(17, 0))], nl())),
        }),
    })
    .unwrap();
    let office = office();
    for t in [
        "2025-03-03T08:59:59+01:00",
        "2025-03-03T09:00:00+01:00",
        "2025-04-18T10:00:00+02:00",
        "2025-03-08T10:00:00+01:00",
    ] {
        assert_eq!(twice.is_open(at(t)), office.is_open(at(t)), "{t}");
    }
}

#[test]
fn always_open() {
    for c in [
        Calendar::always(AMS),
        Calendar::new(&CalendarSpec::Always {
            timezone: "Europe/Amsterdam".into(),
        })
        .unwrap(),
    ] {
        assert_eq!(c.timezone(), AMS);
        assert!(c.is_open(at("2025-03-30T02:00:00Z")));
        // Wall clock across the spring night: 01:00 CET to 04:00 CEST = 2 h.
        assert_eq!(
            c.open_seconds(
                at("2025-03-30T01:00:00+01:00"),
                at("2025-03-30T04:00:00+02:00")
            ),
            2 * H
        );
        // N hours in 24x7: start + N hours.
        assert_eq!(
            show(c.deadline(at("2025-03-30T00:30:00+01:00"), 5 * H)),
            Some("2025-03-30T06:30:00+02:00".into())
        );
        // 1 working day in 24x7 is the same local time the next day: Saturday
        // 12:00 CET → Sunday 12:00 CEST, 23 h later.
        assert_eq!(
            show(c.working_days_deadline(at("2025-03-29T12:00:00+01:00"), 1)),
            Some("2025-03-30T12:00:00+02:00".into())
        );
        // Next working day from Saturday noon: Sunday, which closes at 24:00.
        assert_eq!(
            show(c.next_working_day_close(at("2025-03-29T12:00:00+01:00"))),
            Some("2025-03-31T00:00:00+02:00".into())
        );
        assert!(c.is_working_day(date(2025, 12, 25)));
        assert_eq!(c.closed_reason(date(2025, 12, 25)), None);
        // Exact everywhere, also far outside the tables.
        assert_eq!(c.open_seconds(i64::MIN, i64::MAX), i64::MAX);
        assert_eq!(c.deadline(i64::MAX - 5, 10), None);
        assert_eq!(c.deadline(-10, 20), Some(10));
    }
}

// ---------------------------------------------------------------- working days

#[test]
fn working_days_across_weekends_and_holidays() {
    let c = office();
    // Monday 3 March 10:00 + 5 working days: Tue..Fri are 1-4, Monday 10 March is 5.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-03T10:00:00+01:00"), 5)),
        Some("2025-03-10T10:00:00+01:00".into())
    );
    // Friday 7 March 10:00 + 1: over the weekend, Monday 10:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-07T10:00:00+01:00"), 1)),
        Some("2025-03-10T10:00:00+01:00".into())
    );
    // Saturday 8 March 12:00: moved to the next opening, Monday 09:00; + 1 =
    // Tuesday 09:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-08T12:00:00+01:00"), 1)),
        Some("2025-03-11T09:00:00+01:00".into())
    );
    // Monday 18:00: moved to Tuesday 09:00; + 1 = Wednesday 09:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-03T18:00:00+01:00"), 1)),
        Some("2025-03-05T09:00:00+01:00".into())
    );
    // Thursday 17 April 10:00 + 1: Good Friday, the weekend and Easter Monday
    // are skipped: Tuesday 22 April 10:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-04-17T10:00:00+02:00"), 1)),
        Some("2025-04-22T10:00:00+02:00".into())
    );
    // Across the spring night: Friday 28 March 10:00 CET + 1 = Monday 31 March
    // 10:00 CEST (the same local time; 71 real hours later).
    let start = at("2025-03-28T10:00:00+01:00");
    let d = c.working_days_deadline(start, 1).unwrap();
    assert_eq!(format_rfc3339(d, AMS), "2025-03-31T10:00:00+02:00");
    assert_eq!(d - start, 71 * H);
    // Christmas: Wednesday 24 December 16:30 + 2: Monday 29 (1), Tuesday 30 (2).
    assert_eq!(
        show(c.working_days_deadline(at("2025-12-24T16:30:00+01:00"), 2)),
        Some("2025-12-30T16:30:00+01:00".into())
    );
    // Across the year: Wednesday 31 December 10:00 + 1: New Year's Day is
    // closed, Friday 2 January 10:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-12-31T10:00:00+01:00"), 1)),
        Some("2026-01-02T10:00:00+01:00".into())
    );
    // n = 0: the (moved) start.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-08T12:00:00+01:00"), 0)),
        Some("2025-03-10T09:00:00+01:00".into())
    );
    // A calendar open every day: 365 working days from 3 March 2025 10:00 is
    // 3 March 2026 10:00 (2025-03-03 + 365 days; no 29 February in between).
    assert_eq!(
        show(all_day().working_days_deadline(at("2025-03-03T10:00:00+01:00"), 365)),
        Some("2026-03-03T10:00:00+01:00".into())
    );
}

#[test]
fn working_days_clamped_into_the_days_hours() {
    // mon..thu 09:00-17:00, fri 09:00-12:00.
    let mut spec = weekly(&WEEKDAYS[..4], &[(hm(9, 0), hm(17, 0))], vec![]);
    if let CalendarSpec::Weekly(w) = &mut spec {
        w.open.push(OpeningSpec {
            day: Weekday::Fri,
            start: hm(9, 0),
            end: hm(12, 0),
        });
    }
    let c = Calendar::new(&spec).unwrap();
    // Thursday 6 March 15:00 + 1: Friday closes at 12:00, earlier than 15:00.
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-06T15:00:00+01:00"), 1)),
        Some("2025-03-07T12:00:00+01:00".into())
    );
    // mon 08:00-17:00, tue 10:00-17:00: Monday 08:30 + 1 is Tuesday 08:30,
    // before Tuesday opens: clamped to the opening, 10:00.
    let mut spec = weekly(&[Weekday::Mon], &[(hm(8, 0), hm(17, 0))], vec![]);
    if let CalendarSpec::Weekly(w) = &mut spec {
        w.open.push(OpeningSpec {
            day: Weekday::Tue,
            start: hm(10, 0),
            end: hm(17, 0),
        });
    }
    let c = Calendar::new(&spec).unwrap();
    assert_eq!(
        show(c.working_days_deadline(at("2025-03-03T08:30:00+01:00"), 1)),
        Some("2025-03-04T10:00:00+01:00".into())
    );
}

#[test]
fn next_working_day() {
    let c = office();
    // Thursday 13 March 17:09:32 (after closing): Friday 14 March 17:00.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-13T17:09:32+01:00"))),
        Some("2025-03-14T17:00:00+01:00".into())
    );
    // Friday evening and Saturday: Monday 10 March 17:00.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-07T18:00:00+01:00"))),
        Some("2025-03-10T17:00:00+01:00".into())
    );
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-08T11:00:00+01:00"))),
        Some("2025-03-10T17:00:00+01:00".into())
    );
    // Monday 07:00: Monday opens after the start: Monday 17:00.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-10T07:00:00+01:00"))),
        Some("2025-03-10T17:00:00+01:00".into())
    );
    // Monday 09:00 exactly: Monday's opening does not come after the start;
    // Tuesday 17:00.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-10T09:00:00+01:00"))),
        Some("2025-03-11T17:00:00+01:00".into())
    );
    // Thursday 17 April 18:00: Good Friday, weekend, Easter Monday: Tuesday 22 April.
    assert_eq!(
        show(c.next_working_day_close(at("2025-04-17T18:00:00+02:00"))),
        Some("2025-04-22T17:00:00+02:00".into())
    );
    // Saturday 29 March: the next working day is Monday 31 March, in CEST.
    assert_eq!(
        show(c.next_working_day_close(at("2025-03-29T12:00:00+01:00"))),
        Some("2025-03-31T17:00:00+02:00".into())
    );
}

// ---------------------------------------------------------------- pauses

#[test]
fn pauses_move_the_deadline() {
    let c = office();
    let t = |s: &str| at(&format!("2025-03-03T{s}:00+01:00"));
    // 4 h from 09:00 with a pause 10:00-11:00: 14:00.
    assert_eq!(
        show(c.deadline_paused(t("09:00"), 4 * H, &[(t("10:00"), t("11:00"))])),
        Some("2025-03-03T14:00:00+01:00".into())
    );
    // Unsorted, overlapping pauses: 10:00-11:15 and 11:30-12:00 merged = 1 h 45.
    let pauses = [
        (t("11:30"), t("12:00")),
        (t("10:00"), t("11:00")),
        (t("10:30"), t("11:15")),
    ];
    assert_eq!(
        show(c.deadline_paused(t("09:00"), 4 * H, &pauses)),
        Some("2025-03-03T14:45:00+01:00".into())
    );
    // 8 h of the day less 1 h 45 paused = 6 h 15.
    assert_eq!(
        c.open_seconds_paused(t("09:00"), t("17:00"), &pauses),
        6 * H + 15 * 60
    );
    // A pause in closed time changes nothing.
    let night = [(t("18:00"), at("2025-03-04T08:00:00+01:00"))];
    assert_eq!(
        c.deadline_paused(t("16:00"), 2 * H, &night),
        c.deadline(t("16:00"), 2 * H)
    );
    // The count completes exactly when a pause begins: that instant.
    assert_eq!(
        show(c.deadline_paused(t("09:00"), H, &[(t("10:00"), t("11:00"))])),
        Some("2025-03-03T10:00:00+01:00".into())
    );
    // A pause that began before the start: counting starts at its end, 09:30.
    assert_eq!(
        show(c.deadline_paused(t("09:00"), H, &[(t("08:00"), t("09:30"))])),
        Some("2025-03-03T10:30:00+01:00".into())
    );
    // A pause running to the close pushes the rest to Tuesday: 16:00 + 2 h
    // with 16:30-17:00 paused: 30 min Monday, 1 h 30 Tuesday: 10:30.
    assert_eq!(
        show(c.deadline_paused(t("16:00"), 2 * H, &[(t("16:30"), t("17:00"))])),
        Some("2025-03-04T10:30:00+01:00".into())
    );
}

// ---------------------------------------------------------------- calendar time

#[test]
fn calendar_days_and_months() {
    let add = |s: &str, span| show(add_calendar_span(AMS, at(s), span));
    // 31 January + 1 month = 28 February (2025), 29 February (2024).
    assert_eq!(
        add("2025-01-31T10:00:00+01:00", CalendarSpan::Months(1)),
        Some("2025-02-28T10:00:00+01:00".into())
    );
    assert_eq!(
        add("2024-01-31T10:00:00+01:00", CalendarSpan::Months(1)),
        Some("2024-02-29T10:00:00+01:00".into())
    );
    // 31 March + 1 month = 30 April (and CEST on both ends).
    assert_eq!(
        add("2025-03-31T10:00:00+02:00", CalendarSpan::Months(1)),
        Some("2025-04-30T10:00:00+02:00".into())
    );
    // 29 February 2024 + 12 months = 28 February 2025.
    assert_eq!(
        add("2024-02-29T10:00:00+01:00", CalendarSpan::Months(12)),
        Some("2025-02-28T10:00:00+01:00".into())
    );
    // 1 day after Saturday 29 March 09:00 CET is Sunday 09:00 CEST: 23 h.
    let start = at("2025-03-29T09:00:00+01:00");
    let next = add_calendar_span(AMS, start, CalendarSpan::Days(1)).unwrap();
    assert_eq!(format_rfc3339(next, AMS), "2025-03-30T09:00:00+02:00");
    assert_eq!(next - start, 23 * H);
    // 02:30 on 30 March does not exist: the first instant after the gap, 03:00 CEST.
    assert_eq!(
        add("2025-03-29T02:30:00+01:00", CalendarSpan::Days(1)),
        Some("2025-03-30T03:00:00+02:00".into())
    );
    // 02:30 on 26 October exists twice: the earlier, 02:30 CEST.
    assert_eq!(
        add("2025-10-25T02:30:00+02:00", CalendarSpan::Days(1)),
        Some("2025-10-26T02:30:00+02:00".into())
    );
    assert_eq!(
        add_calendar_span(AMS, i64::MAX, CalendarSpan::Days(1)),
        None
    );
    // 31 January 23:30Z is already 1 February 00:30 in Amsterdam.
    assert_eq!(month_of(AMS, at("2025-01-31T23:30:00Z")), (2025, 2));
    assert_eq!(month_of(AMS, at("2025-01-31T22:30:00Z")), (2025, 1));
}

// ---------------------------------------------------------------- errors and edges

#[test]
fn calendar_errors() {
    let err = |spec: CalendarSpec| Calendar::new(&spec).unwrap_err();
    let mut bad_zone = weekly(&WEEKDAYS, &[(hm(9, 0), hm(17, 0))], vec![]);
    if let CalendarSpec::Weekly(w) = &mut bad_zone {
        w.timezone = "Europe/Amsterdm".into();
    }
    let e = err(bad_zone);
    assert!(matches!(e, CalendarError::UnknownTimeZone { .. }));
    assert_eq!(
        e.to_string(),
        "unknown time zone `Europe/Amsterdm`: did you mean `Europe/Amsterdam`?"
    );
    let e = err(CalendarSpec::Always {
        timezone: "Nowhere".into(),
    });
    assert!(matches!(e, CalendarError::UnknownTimeZone { .. }));

    let e = err(weekly(&[Weekday::Mon], &[(hm(17, 0), hm(9, 0))], vec![]));
    assert_eq!(
        e.to_string(),
        "opening hours mon 17:00-09:00 end before they start: the end must be after the start"
    );
    let e = err(weekly(
        &[Weekday::Tue],
        &[(hm(9, 0), hm(12, 0)), (hm(11, 0), hm(13, 0))],
        vec![],
    ));
    assert_eq!(
        e.to_string(),
        "opening hours tue 09:00-12:00 and tue 11:00-13:00 overlap"
    );
    // Touching intervals are fine.
    assert!(Calendar::new(&weekly(
        &[Weekday::Tue],
        &[(hm(9, 0), hm(12, 0)), (hm(12, 0), hm(13, 0))],
        vec![]
    ))
    .is_ok());
    let e = err(weekly(&[Weekday::Wed], &[(hm(9, 0), 90_000)], vec![]));
    assert!(matches!(e, CalendarError::OutsideDay { .. }));
    let e = err(weekly(
        &WEEKDAYS,
        &[(hm(9, 0), hm(17, 0))],
        vec![DayRule::Builtin { set: "XX".into() }],
    ));
    assert_eq!(
        e.to_string(),
        "unknown holiday set `XX`: sets are named by country code, optionally with a \
         subdivision (`US`, `DE-BY`, `GB-SCT`); `sla calendar --sets` lists them"
    );
    // An error inside a complement is the inner calendar's error.
    let e = err(CalendarSpec::Complement {
        of: Box::new(weekly(&[Weekday::Mon], &[(hm(17, 0), hm(9, 0))], vec![])),
    });
    assert!(matches!(e, CalendarError::BackwardsInterval { .. }));
}

#[test]
fn a_calendar_that_never_opens() {
    let c = Calendar::new(&weekly(&[], &[], vec![])).unwrap();
    assert!(!c.has_opening_hours());
    assert!(office().has_opening_hours());
    let t = at("2025-03-03T09:00:00+01:00");
    assert!(!c.is_open(t));
    assert_eq!(c.open_seconds(t, t + 1_000_000), 0);
    assert_eq!(c.deadline(t, 1), None);
    assert_eq!(c.deadline(t, 0), Some(t));
    assert_eq!(c.working_days_deadline(t, 1), None);
    assert_eq!(c.next_working_day_close(t), None);
    assert!(!c.is_working_day(date(2025, 3, 3)));
    // Its complement is always open.
    let c = Calendar::new(&CalendarSpec::Complement {
        of: Box::new(weekly(&[], &[], vec![])),
    })
    .unwrap();
    assert_eq!(c.open_seconds(t, t + 100), 100);
}

#[test]
fn deadline_beyond_the_horizon_is_none_and_absurd_inputs_do_not_panic() {
    let c = office();
    let (h0, h1) = c.horizon();
    // About 2000 open hours a year over ~175 years left: 10^10 s is out of reach.
    assert_eq!(
        c.deadline(at("2025-03-03T09:00:00+01:00"), 10_000_000_000),
        None
    );
    assert_eq!(c.deadline(h1, 1), None);
    // Before the horizon nothing is open; the count starts at its beginning.
    assert_eq!(c.open_seconds(i64::MIN, h0), 0);
    for c in [office(), outside_office(), lunch(), Calendar::always(AMS)] {
        for &a in &[
            i64::MIN,
            i64::MIN + 1,
            -1,
            0,
            h0 - 1,
            h0,
            h1 - 1,
            h1,
            i64::MAX,
        ] {
            for &b in &[i64::MIN, 0, h1, i64::MAX] {
                let _ = c.is_open(a);
                let _ = c.open_seconds(a, b);
                let _ = c.open_intervals(a, b.min(a.saturating_add(10 * 86_400)));
                let _ = c.deadline(a, b);
                let _ = c.deadline_paused(a, b, &[(a, b), (b, a), (i64::MIN, i64::MAX)]);
                let _ = c.open_seconds_paused(a, b, &[(a, b), (i64::MIN, i64::MAX)]);
                let _ = c.working_days_deadline(a, u32::MAX);
                let _ = c.working_days_deadline(a, 3);
                let _ = c.next_working_day_close(a);
                let _ = c.next_opening(a);
            }
        }
        let _ = c.is_working_day(NaiveDate::MIN);
        let _ = c.is_working_day(NaiveDate::MAX);
        let _ = c.closed_reason(NaiveDate::MAX);
        let _ = c.holiday(NaiveDate::MIN);
    }
}
