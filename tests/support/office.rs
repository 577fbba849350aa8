//! The office calendar of the CARE and Connexys agreements, built from its
//! spec: Monday to Friday 09:00-17:00 Europe/Amsterdam, closed on Dutch
//! public holidays. Shared by the time engine's test and its benchmark.

use chrono::Weekday;
use sla::time::spec::{DayRule, OpeningSpec, WeeklySpec};
use sla::time::CalendarSpec;

/// mon..fri 09:00-17:00 Europe/Amsterdam, closed on NL holidays.
pub fn office_spec() -> CalendarSpec {
    let open = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
    .into_iter()
    .map(|day| OpeningSpec {
        day,
        start: 9 * 3600,
        end: 17 * 3600,
    })
    .collect();
    CalendarSpec::Weekly(WeeklySpec {
        timezone: "Europe/Amsterdam".into(),
        open,
        closed: vec![DayRule::Builtin { set: "NL".into() }],
        reopened: vec![],
    })
}
