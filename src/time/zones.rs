//! Time zone names that are valid in the tz database but rarely mean what
//! their writer meant: abbreviations (`CET`, `EST`, `GMT`) and the
//! sign-inverted `Etc/GMT±N`. The checker accepts them with a warning that
//! says which zone they are and how to write the one intended.
//!
//! Every other name of the database is fine as it is, links included
//! (`Japan` is `Asia/Tokyo`, `US/Eastern` is `America/New_York`).

/// What a suspicious zone name means, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneCaution {
    /// What the database makes of the name, e.g. "UTC-05:00 all year".
    pub meaning: String,
    /// How to write what was probably meant.
    pub write: String,
}

/// The caution for `name` (exactly as written), if it needs one.
pub fn caution(name: &str) -> Option<ZoneCaution> {
    let c = |meaning: &str, write: &str| {
        Some(ZoneCaution {
            meaning: meaning.to_string(),
            write: write.to_string(),
        })
    };
    match name {
        "CET" | "MET" => c(
            "central European time with the EU's summer time (UTC+01:00, +02:00 in summer), not tied to any country",
            "name the place whose time you mean, such as `Europe/Berlin` or `Europe/Paris`",
        ),
        "EET" => c(
            "eastern European time with the EU's summer time (UTC+02:00, +03:00 in summer)",
            "name the place, such as `Europe/Athens` or `Europe/Helsinki`",
        ),
        "WET" => c(
            "western European time with the EU's summer time (UTC+00:00, +01:00 in summer)",
            "name the place, such as `Europe/Lisbon`",
        ),
        "EST" => c(
            "UTC-05:00 all year, with no daylight saving time: not New York's time",
            "for US eastern time write `America/New_York`; for UTC-05:00 all year, a place that keeps it, such as `America/Panama`",
        ),
        "MST" => c(
            "UTC-07:00 all year, with no daylight saving time",
            "write `America/Denver` for US mountain time with daylight saving, or `America/Phoenix` for Arizona's",
        ),
        "HST" => c(
            "UTC-10:00 all year",
            "write `Pacific/Honolulu`",
        ),
        "EST5EDT" => c("US eastern time with the US rules of daylight saving time", "write `America/New_York`"),
        "CST6CDT" => c("US central time with the US rules of daylight saving time", "write `America/Chicago`"),
        "MST7MDT" => c("US mountain time with the US rules of daylight saving time", "write `America/Denver`"),
        "PST8PDT" => c("US Pacific time with the US rules of daylight saving time", "write `America/Los_Angeles`"),
        "GMT" | "GMT0" | "GMT+0" | "GMT-0" | "Greenwich" | "Etc/GMT" | "Etc/GMT0" | "Etc/GMT+0"
        | "Etc/GMT-0" | "Etc/Greenwich" => c(
            "UTC all year: not the time in London, which has British Summer Time",
            "write `UTC` for UTC, or `Europe/London` for the time in the UK",
        ),
        _ => inverted(name),
    }
}

/// `Etc/GMT+5` is five hours *behind* UTC: POSIX counts west as positive.
fn inverted(name: &str) -> Option<ZoneCaution> {
    let rest = name.strip_prefix("Etc/GMT")?;
    let (sign, hours) = rest.split_at_checked(1)?;
    let n: u32 = hours.parse().ok().filter(|n| (1..=14).contains(n))?;
    let (meaning, other) = match sign {
        "+" => (
            format!("UTC-{n:02}:00 all year ({n} hours behind UTC)"),
            format!("Etc/GMT-{n}"),
        ),
        "-" => (
            format!("UTC+{n:02}:00 all year ({n} hours ahead of UTC)"),
            format!("Etc/GMT+{n}"),
        ),
        _ => return None,
    };
    Some(ZoneCaution {
        meaning: format!("{meaning}: the tz database's `Etc/GMT` zones invert the sign"),
        write: format!(
            "if you meant UTC{sign}{n:02}:00, write `{other}`; better, name the place whose time you mean, \
             such as `America/Bogota` or `Asia/Karachi`, so that its daylight saving rules apply"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_links_need_no_caution() {
        for name in [
            "Europe/Amsterdam",
            "Japan",
            "US/Eastern",
            "UTC",
            "Etc/UTC",
            "Singapore",
        ] {
            assert!(name.parse::<chrono_tz::Tz>().is_ok(), "{name}");
            assert_eq!(caution(name), None, "{name}");
        }
    }

    #[test]
    fn abbreviations_and_inverted_offsets_are_explained() {
        for name in ["CET", "EST", "GMT", "EST5EDT", "Etc/GMT+5", "Etc/GMT-14"] {
            assert!(name.parse::<chrono_tz::Tz>().is_ok(), "{name}");
            assert!(caution(name).is_some(), "{name}");
        }
        // Etc/GMT+5 is five hours behind UTC: 2025-01-01 12:00 UTC is 07:00 there.
        let tz: chrono_tz::Tz = "Etc/GMT+5".parse().unwrap();
        let t = chrono::DateTime::from_timestamp(1_735_732_800, 0).unwrap();
        assert_eq!(t.with_timezone(&tz).format("%H:%M").to_string(), "07:00");
        let c = caution("Etc/GMT+5").unwrap();
        assert!(c.meaning.starts_with("UTC-05:00"), "{}", c.meaning);
        assert!(c.write.contains("`Etc/GMT-5`"), "{}", c.write);
        assert_eq!(caution("Etc/GMT+15"), None);
    }
}
