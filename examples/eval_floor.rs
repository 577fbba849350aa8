//! The floor for `sla eval`'s speed (benches/eval_throughput.sh): the least a
//! program must do with a ticket log — read the CSV with the standard `csv`
//! crate (whose parser, `csv_core`, `sla eval` uses too) and parse every
//! timestamp cell with the same `sla::time::parse_timestamp` — and nothing
//! else. Prints how many timestamps it parsed, so the work is
//! not optimised away.
//!
//!     cargo run --release --example eval_floor -- TICKETS.csv [ZONE]

use std::process::ExitCode;

use sla::time::parse_timestamp;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: eval_floor TICKETS.csv [ZONE]");
        return ExitCode::from(2);
    };
    let tz: chrono_tz::Tz = match args.next().unwrap_or("Europe/Amsterdam".into()).parse() {
        Ok(tz) => tz,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let stamps: Vec<usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .filter(|(_, name)| name.ends_with("_at"))
            .map(|(i, _)| i)
            .collect(),
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut parsed, mut sum) = (0u64, 0i64);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                eprintln!("error: {path}: {e}");
                return ExitCode::from(2);
            }
        }
        for &i in &stamps {
            if let Ok(p) = parse_timestamp(record.get(i).unwrap_or(""), tz) {
                parsed += 1;
                sum = sum.wrapping_add(p.at);
            }
        }
    }
    println!("{parsed} timestamps (checksum {sum})");
    ExitCode::SUCCESS
}
