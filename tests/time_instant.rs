//! Reading and writing timestamps (SEMANTICS.md, "Instants and local time").

use chrono::NaiveDate;
use chrono_tz::Tz;
use sla::time::{format_rfc3339, parse_timestamp, parse_tz, TimestampErrorKind};

const AMS: Tz = chrono_tz::Europe::Amsterdam;

/// Unix seconds of a UTC date and time: the expected values below are
/// converted to UTC by hand and written with this.
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, s)
        .unwrap()
        .and_utc()
        .timestamp()
}

fn read(s: &str) -> i64 {
    let p = parse_timestamp(s, AMS).unwrap();
    assert_eq!(p.warning, None, "{s}");
    p.at
}

#[test]
fn with_offset() {
    // 09:15 at +01:00 is 08:15 UTC, whatever the zone of the contract.
    let want = utc(2025, 3, 3, 8, 15, 0);
    assert_eq!(read("2025-03-03T09:15:00+01:00"), want);
    assert_eq!(read("2025-03-03 09:15:00+01:00"), want);
    assert_eq!(read("2025-03-03T09:15:00+0100"), want);
    assert_eq!(read("2025-03-03T09:15+01:00"), want);
    assert_eq!(read("2025-03-03T08:15:00Z"), want);
    assert_eq!(read("2025-03-03t08:15:00z"), want);
    assert_eq!(read("  2025-03-03T08:15:00Z  "), want);
    assert_eq!(read("2025-03-03T03:15:00-05:00"), want);
    // Fractions of a second are dropped.
    assert_eq!(read("2025-03-03T08:15:00.999Z"), want);
    assert_eq!(read("2025-03-03T08:15:00.000001+00:00"), want);
    // An offset that disagrees with the zone is still read as written:
    // 02:30+01:00 on 26 October is 01:30 UTC, no warning.
    assert_eq!(
        read("2025-10-26T02:30:00+01:00"),
        utc(2025, 10, 26, 1, 30, 0)
    );
}

#[test]
fn local_time_in_the_zone() {
    // CET in March: 09:15 local = 08:15 UTC.
    let want = utc(2025, 3, 3, 8, 15, 0);
    assert_eq!(read("2025-03-03 09:15:00"), want);
    assert_eq!(read("2025-03-03T09:15"), want);
    assert_eq!(read("2025-03-03 09:15"), want);
    // CEST in July: 09:15 local = 07:15 UTC.
    assert_eq!(read("2025-07-01 09:15"), utc(2025, 7, 1, 7, 15, 0));
    // The same text in another zone.
    let ny = parse_tz("America/New_York").unwrap();
    assert_eq!(
        parse_timestamp("2025-03-03 09:15", ny).unwrap().at,
        utc(2025, 3, 3, 14, 15, 0)
    );
}

#[test]
fn spring_forward_gap_is_an_error() {
    let e = parse_timestamp("2025-03-30 02:30:00", AMS).unwrap_err();
    assert!(matches!(e.kind, TimestampErrorKind::Nonexistent { .. }));
    assert_eq!(
        e.to_string(),
        "2025-03-30 02:30:00 does not exist in Europe/Amsterdam: the clocks skip from 02:00 to 03:00"
    );
    // 02:00 itself does not exist either; 01:59:59 and 03:00 do.
    assert!(parse_timestamp("2025-03-30 02:00", AMS).is_err());
    assert_eq!(read("2025-03-30 01:59:59"), utc(2025, 3, 30, 0, 59, 59));
    assert_eq!(read("2025-03-30 03:00"), utc(2025, 3, 30, 1, 0, 0));
    // New York skips 02:00 → 03:00 on 9 March 2025.
    let ny = parse_tz("America/New_York").unwrap();
    assert_eq!(
        parse_timestamp("2025-03-09 02:30", ny)
            .unwrap_err()
            .to_string(),
        "2025-03-09 02:30:00 does not exist in America/New_York: the clocks skip from 02:00 to 03:00"
    );
    // Lord Howe Island moves by half an hour: 02:00 → 02:30 on 5 October 2025.
    let lh = parse_tz("Australia/Lord_Howe").unwrap();
    assert_eq!(
        parse_timestamp("2025-10-05 02:15", lh)
            .unwrap_err()
            .to_string(),
        "2025-10-05 02:15:00 does not exist in Australia/Lord_Howe: the clocks skip from 02:00 to 02:30"
    );
}

#[test]
fn autumn_overlap_is_the_earlier_instant_with_a_warning() {
    // 02:30 on 26 October 2025 is first 02:30 CEST (00:30Z), then 02:30 CET (01:30Z).
    let p = parse_timestamp("2025-10-26 02:30", AMS).unwrap();
    assert_eq!(p.at, utc(2025, 10, 26, 0, 30, 0));
    let w = p.warning.unwrap();
    assert_eq!(
        w,
        "2025-10-26 02:30:00 occurs twice in Europe/Amsterdam (at +02:00 and at +01:00): \
         read as the earlier, 2025-10-26T02:30:00+02:00"
    );
    // Just before and after the overlap: no warning.
    assert_eq!(read("2025-10-26 01:59:59"), utc(2025, 10, 25, 23, 59, 59));
    assert_eq!(read("2025-10-26 03:00"), utc(2025, 10, 26, 2, 0, 0));
}

#[test]
fn malformed_timestamps_say_what_was_expected() {
    let expected = "expected a timestamp like 2025-03-03T09:15:00+01:00 or 2025-03-03 09:15";
    for (s, kind) in [
        ("", TimestampErrorKind::Empty),
        ("yesterday", TimestampErrorKind::Malformed),
        ("03-03-2025 09:15", TimestampErrorKind::Malformed),
        ("2025-03-03 9:15", TimestampErrorKind::Malformed),
        (
            "2025-03-03T09:15:00 trailing",
            TimestampErrorKind::Malformed,
        ),
        ("2025-03-03T09:15:00.", TimestampErrorKind::Malformed),
        ("2025-03-03", TimestampErrorKind::MissingTime),
    ] {
        let e = parse_timestamp(s, AMS).unwrap_err();
        assert_eq!(e.kind, kind, "{s}");
        assert!(e.to_string().ends_with(expected), "{e}");
    }
    let e = parse_timestamp("2025-02-30 10:00", AMS).unwrap_err();
    assert_eq!(e.kind, TimestampErrorKind::InvalidDate);
    assert_eq!(e.to_string(), "`2025-02-30 10:00` is not a valid date");
    let e = parse_timestamp("2025-03-03 25:00", AMS).unwrap_err();
    assert_eq!(e.kind, TimestampErrorKind::InvalidTime);
    let e = parse_timestamp("2025-03-03 09:60", AMS).unwrap_err();
    assert_eq!(e.kind, TimestampErrorKind::InvalidTime);
    let e = parse_timestamp("2025-03-03T09:15:00+25:00", AMS).unwrap_err();
    assert_eq!(e.kind, TimestampErrorKind::InvalidOffset);
}

#[test]
fn writing_instants() {
    // The two 02:30s of 26 October, told apart by their offsets.
    assert_eq!(
        format_rfc3339(utc(2025, 10, 26, 0, 30, 0), AMS),
        "2025-10-26T02:30:00+02:00"
    );
    assert_eq!(
        format_rfc3339(utc(2025, 10, 26, 1, 30, 0), AMS),
        "2025-10-26T02:30:00+01:00"
    );
    assert_eq!(
        format_rfc3339(utc(2025, 3, 3, 8, 15, 0), Tz::UTC),
        "2025-03-03T08:15:00Z"
    );
    // Round trip.
    for s in ["2025-03-30T03:00:00+02:00", "2025-12-31T23:59:59+01:00"] {
        assert_eq!(format_rfc3339(read(s), AMS), s);
    }
    // Absurd instants are written, not panicked on.
    assert!(format_rfc3339(i64::MAX, AMS).contains("Unix seconds"));
    assert!(format_rfc3339(i64::MIN, AMS).contains("Unix seconds"));
}

#[test]
fn time_zone_names() {
    assert_eq!(parse_tz("Europe/Amsterdam").unwrap(), AMS);
    assert_eq!(parse_tz("europe/amsterdam").unwrap(), AMS);
    assert_eq!(parse_tz(" UTC ").unwrap(), Tz::UTC);
    let e = parse_tz("Europe/Amsterdm").unwrap_err();
    assert_eq!(e.suggestion, Some("Europe/Amsterdam"));
    assert_eq!(
        e.to_string(),
        "unknown time zone `Europe/Amsterdm`: did you mean `Europe/Amsterdam`?"
    );
    let e = parse_tz("xyzzy").unwrap_err();
    assert_eq!(e.suggestion, None);
    assert_eq!(
        e.to_string(),
        "unknown time zone `xyzzy`: expected an IANA name such as Europe/Amsterdam or UTC"
    );
}
