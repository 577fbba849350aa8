//! The built-in holiday sets of countries and their subdivisions (`US`,
//! `DE-BY`, `GB-SCT`), generated from python-holidays by
//! `scripts/holidays/generate.py` into `holiday_sets.bin` and embedded in the
//! binary. The format is described in the script; in short, a directory of
//! sets followed by each set's dates as varint day deltas with an index into
//! a per-set palette of names, a subdivision stored as its country minus
//! removed dates plus its own.
//!
//! Reading the directory and the names costs a few tens of microseconds,
//! once per process; a set is decoded when a calendar uses it (about a
//! thousand dates, a few microseconds) into a sorted table that answers
//! "is this date closed" by binary search.

use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};

static DATA: &[u8] = include_bytes!("holiday_sets.bin");
const MAGIC: &[u8] = b"SLAHOL1\n";

/// One built-in set's closed days, sorted by date, one name per date.
pub type Table = Arc<[(NaiveDate, &'static str)]>;

/// A set as the directory lists it.
#[derive(Debug, Clone, Copy)]
pub struct SetInfo {
    /// `US`, `US-NY`, `GB-SCT`.
    pub name: &'static str,
    /// `United States` for a country; the subdivision's name (`New York`)
    /// where python-holidays has one, else its code.
    pub title: &'static str,
    parent: Option<usize>,
    body: usize,
}

#[derive(Debug)]
struct Data {
    version: &'static str,
    first_year: i32,
    last_year: i32,
    names: Vec<&'static str>,
    sets: Vec<SetInfo>,
}

/// Reads LEB128 varints and strings from the embedded bytes.
struct Reader {
    at: usize,
}

impl Reader {
    fn int(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *DATA.get(self.at)?;
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.int()?).ok()
    }

    fn text(&mut self) -> Option<&'static str> {
        let len = self.usize()?;
        let bytes = DATA.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        std::str::from_utf8(bytes).ok()
    }
}

fn parse() -> Option<Data> {
    if !DATA.starts_with(MAGIC) {
        return None;
    }
    let mut r = Reader { at: MAGIC.len() };
    let version = r.text()?;
    let first_year = i32::try_from(r.int()?).ok()?;
    let last_year = i32::try_from(r.int()?).ok()?;
    let n = r.usize()?;
    let mut names = Vec::with_capacity(n);
    for _ in 0..n {
        names.push(r.text()?);
    }
    let n = r.usize()?;
    let mut sets = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.text()?;
        let title = r.text()?;
        let parent = r.usize()?.checked_sub(1);
        let body = r.usize()?;
        sets.push(SetInfo {
            name,
            title,
            parent,
            body,
        });
    }
    // Bodies are offsets from the end of the directory.
    let start = r.at;
    for s in &mut sets {
        s.body = s.body.checked_add(start)?;
    }
    Some(Data {
        version,
        first_year,
        last_year,
        names,
        sets,
    })
}

fn data() -> Option<&'static Data> {
    static DATA_ONCE: OnceLock<Option<Data>> = OnceLock::new();
    DATA_ONCE.get_or_init(parse).as_ref()
}

/// The generated sets, in the order of the data file (each country followed
/// by its subdivisions). Empty only if the embedded file were damaged, which
/// a test rules out.
pub fn sets() -> &'static [SetInfo] {
    data().map_or(&[], |d| d.sets.as_slice())
}

/// The version of python-holidays the sets were generated with.
pub fn source_version() -> &'static str {
    data().map_or("?", |d| d.version)
}

/// The first and last year (inclusive) the generated sets cover; outside
/// them a generated set names no day.
pub fn years() -> (i32, i32) {
    data().map_or((0, -1), |d| (d.first_year, d.last_year))
}

/// The set called `name` (exactly as written: `DE-BY`), if there is one.
pub fn info(name: &str) -> Option<SetInfo> {
    sets().iter().find(|s| s.name == name).copied()
}

/// The closed days of the set called `name`, decoded (cached per set).
pub fn table(name: &str) -> Option<Table> {
    let d = data()?;
    let i = d.sets.iter().position(|s| s.name == name)?;
    static CACHE: OnceLock<Vec<OnceLock<Option<Table>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| (0..d.sets.len()).map(|_| OnceLock::new()).collect());
    cache.get(i)?.get_or_init(|| decode(d, i)).clone()
}

fn decode(d: &Data, i: usize) -> Option<Table> {
    let set = d.sets.get(i)?;
    let origin = NaiveDate::from_ymd_opt(d.first_year, 1, 1)?;
    let mut base: Vec<(NaiveDate, &'static str)> = match set.parent {
        Some(p) => decode(d, p)?.to_vec(),
        None => Vec::new(),
    };
    let mut r = Reader { at: set.body };
    let removed = r.usize()?;
    let mut day = origin;
    for _ in 0..removed {
        day = day.checked_add_days(chrono::Days::new(r.int()?))?;
        base.retain(|(d, _)| *d != day);
    }
    let palette: Vec<&'static str> = (0..r.usize()?)
        .map(|_| r.usize().and_then(|g| d.names.get(g).copied()))
        .collect::<Option<_>>()?;
    let entries = r.usize()?;
    let mut day = origin;
    for _ in 0..entries {
        day = day.checked_add_days(chrono::Days::new(r.int()?))?;
        base.push((day, *palette.get(r.usize()?)?));
    }
    base.sort_by_key(|(d, _)| *d);
    Some(base.into())
}

/// The entries of `table` in `year`.
pub fn in_year<'t>(
    table: &'t [(NaiveDate, &'static str)],
    year: i32,
) -> &'t [(NaiveDate, &'static str)] {
    let from = table.partition_point(|(d, _)| d.year() < year);
    let to = table.partition_point(|(d, _)| d.year() <= year);
    table.get(from..to).unwrap_or(&[])
}

/// The name of `date` in `table`.
pub fn on(table: &[(NaiveDate, &'static str)], date: NaiveDate) -> Option<&'static str> {
    table
        .binary_search_by_key(&date, |(d, _)| *d)
        .ok()
        .and_then(|i| table.get(i))
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_embedded_file_reads_and_every_set_decodes() {
        let (first, last) = years();
        assert!(first <= 1990 && last >= 2060, "{first}..{last}");
        assert!(sets().len() > 400);
        for s in sets() {
            let t = table(s.name).unwrap_or_else(|| panic!("{} does not decode", s.name));
            assert!(!t.is_empty(), "{}", s.name);
            assert!(
                t.windows(2).all(|w| w[0].0 < w[1].0),
                "{} not sorted",
                s.name
            );
        }
    }

    #[test]
    fn a_few_well_known_days() {
        // Independence Day, US, 2024 (a Thursday); Thanksgiving, 4th Thursday of November.
        let us = table("US").unwrap();
        assert_eq!(on(&us, d(2024, 7, 4)), Some("Independence Day"));
        assert_eq!(on(&us, d(2024, 11, 28)), Some("Thanksgiving Day"));
        assert_eq!(on(&us, d(2024, 11, 29)), None);
        // Bavaria has Epiphany (6 January) and Corpus Christi; Berlin has no Epiphany.
        let by = table("DE-BY").unwrap();
        let be = table("DE-BE").unwrap();
        assert!(on(&by, d(2025, 1, 6)).is_some());
        assert_eq!(on(&be, d(2025, 1, 6)), None);
        // Scotland: 2 January is a bank holiday; in England it is not.
        assert!(on(&table("GB-SCT").unwrap(), d(2025, 1, 2)).is_some());
        assert_eq!(on(&table("GB-ENG").unwrap(), d(2025, 1, 2)), None);
        assert!(table("XX").is_none());
    }
}
