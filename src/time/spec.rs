//! The declarative form of a calendar: what a contract says and what the
//! compiled rule set stores. [`super::Calendar::new`] turns it into the
//! engine that answers queries.

use chrono::{NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A calendar as the contract states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CalendarSpec {
    /// Always open (`24x7`); the time zone still matters for calendar days and months.
    Always {
        /// IANA zone name, e.g. `Europe/Amsterdam`.
        timezone: String,
    },
    /// Weekly opening hours with closed days.
    Weekly(WeeklySpec),
    /// Open exactly when the inner calendar is closed ("outside office hours,
    /// weekends and holidays").
    Complement {
        /// The calendar whose closed time this one is open.
        of: Box<CalendarSpec>,
    },
}

/// Weekly opening hours in a time zone, with the days closed and the dates
/// open after all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WeeklySpec {
    /// IANA zone name, e.g. `Europe/Amsterdam`.
    pub timezone: String,
    /// Opening intervals in local time.
    pub open: Vec<OpeningSpec>,
    /// Days on which the calendar is closed.
    pub closed: Vec<DayRule>,
    /// Single dates that are open after all (removed from the closed set).
    pub reopened: Vec<NaiveDate>,
}

/// Opening hours on one weekday, `[start, end)` in seconds since local midnight.
/// `end` may be 86400 (`24:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpeningSpec {
    /// The weekday it opens on.
    #[serde(with = "weekday_serde")]
    #[schemars(schema_with = "weekday_serde::schema")]
    pub day: Weekday,
    /// The opening, in seconds since local midnight.
    pub start: u32,
    /// The closing, in seconds since local midnight (at most 86400).
    pub end: u32,
}

/// A rule that names closed days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DayRule {
    /// One explicit date.
    Date {
        /// The date (`2025-12-24`).
        date: NaiveDate,
    },
    /// The same day every year, optionally only in years divisible by
    /// `every_years`, optionally moved to another day when it falls on a
    /// given weekday (`moved`, then `also_moved` for other weekdays).
    Annual {
        /// The month, 1 to 12.
        month: u32,
        /// The day of the month.
        day: u32,
        /// Only in years divisible by this (`in years divisible by 5`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        every_years: Option<u32>,
        /// Where the day moves when it falls on a given weekday (`if sun then apr 26`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        moved: Option<Move>,
        /// Moves for further weekdays (`jan 1 if sat then dec 31 if sun then jan 2`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        also_moved: Vec<Move>,
    },
    /// The n-th (1-based; negative counts from the end, -1 = last) weekday of
    /// a month, plus `offset` days (`4th thu of nov +1`: the day after Thanksgiving).
    NthWeekday {
        /// The month, 1 to 12.
        month: u32,
        /// The weekday counted.
        #[serde(with = "weekday_serde")]
        #[schemars(schema_with = "weekday_serde::schema")]
        weekday: Weekday,
        /// Which of the month's such weekdays: 1 to 5, or -1 (the last) to -5.
        n: i32,
        /// Days after (or, negative, before) that weekday.
        #[serde(default, skip_serializing_if = "is_zero")]
        offset: i32,
    },
    /// Easter Sunday plus `offset` days (Good Friday = -2, Easter Monday = 1,
    /// Ascension = 39, Whit Sunday = 49, Whit Monday = 50).
    Easter {
        /// Days after (or, negative, before) Easter Sunday.
        offset: i32,
    },
    /// A built-in set of public holidays: `NL`, or a country or subdivision
    /// of python-holidays (`US`, `DE-BY`, `GB-SCT`).
    Builtin {
        /// The set's name (`NL`, `DE-BY`).
        set: String,
    },
}

/// "When the day falls on `weekday`, it is `shift_days` later (or earlier)
/// instead" (the move may cross the year: `jan 1 if sat then dec 31`); or,
/// with `next_working_day`, "the day stays closed and the next day after it
/// that has opening hours and is not already closed is closed too" (a
/// substitute holiday; `shift_days` is then 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Move {
    /// The weekday on which the day moves.
    #[serde(with = "weekday_serde")]
    #[schemars(schema_with = "weekday_serde::schema")]
    pub weekday: Weekday,
    /// How many days later (negative: earlier) it moves.
    pub shift_days: i32,
    /// The day stays closed, and the next working day is closed too.
    #[serde(default, skip_serializing_if = "is_false")]
    pub next_working_day: bool,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

mod weekday_serde {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// The JSON Schema of a weekday as written: its three-letter name.
    pub fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": NAMES })
    }

    pub fn serialize<S: Serializer>(d: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(NAMES[d.num_days_from_monday() as usize])
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let s = String::deserialize(d)?;
        NAMES
            .iter()
            .position(|n| *n == s)
            .and_then(|i| Weekday::try_from(i as u8).ok())
            .ok_or_else(|| serde::de::Error::custom(format!("unknown weekday `{s}`")))
    }
}

/// A length of calendar time in the contract's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum CalendarSpan {
    /// So many calendar days.
    Days(u32),
    /// So many calendar months.
    Months(u32),
}

/// `1 day`, `3 days`, `1 month`: as a contract writes it (the checker's
/// hover, `--explain` and `sla diff` all say it so).
impl std::fmt::Display for CalendarSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, unit) = match *self {
            CalendarSpan::Days(n) => (n, "day"),
            CalendarSpan::Months(n) => (n, "month"),
        };
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}
