//! A generator of large, realistic and valid contracts, for the checker's
//! benchmark (`benches/check.rs`) and its scale test (`tests/fuzz_check.rs`).
//!
//! The contract grows in every dimension at once: calendars with opening
//! hours and holidays, ticket fields, metrics (some chained), target rows per
//! priority and customer segment, explicit objectives, exclusions,
//! availability windows, an escalation ladder and change windows. It is
//! meant to check without a single diagnostic: every calendar and metric is
//! used, target rows are disjoint, later clocks have longer targets.

use std::fmt::Write;

/// A contract of about `lines` lines (never fewer).
pub fn contract(lines: usize) -> String {
    let n = Sizes::for_lines(lines);
    let mut rng = Lcg(0x5eed_cafe);
    let mut out = String::with_capacity(lines * 48);
    let o = &mut out;

    w(
        o,
        "# Generated contract: many calendars, fields, metrics and targets.",
    );
    w(o, "contract \"Generated\" {");
    w(o, "  provider \"Generator B.V.\"");
    w(o, "  customer \"Benchmark N.V.\"");
    w(o, "  timezone \"Europe/Amsterdam\"");
    w(o, "  effective 2025-01-01");
    w(o, "  term 24 months");
    w(o, "  renews automatically");
    w(o, "  notice 3 months");
    w(o, "  link status \"https://status.example.com\"");
    w(o, "}");
    w(o, "");

    const ZONES: [&str; 4] = [
        "Europe/Amsterdam",
        "Europe/London",
        "America/New_York",
        "UTC",
    ];
    const DAYS: [&str; 4] = ["mon..fri", "mon..thu", "tue..sat", "mon..sat"];
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    for c in 0..n.calendars {
        let start = 6 + rng.below(4);
        let end = 15 + rng.below(6);
        wf(o, format_args!("# Calendar {c}: a regional service desk."));
        wf(o, format_args!("calendar cal_{c} {{"));
        wf(o, format_args!("  timezone \"{}\"", ZONES[c % ZONES.len()]));
        wf(
            o,
            format_args!(
                "  open {} {start:02}:00-12:00, 12:30-{end:02}:{:02}",
                DAYS[c % DAYS.len()],
                15 * rng.below(4)
            ),
        );
        if c % 3 == 0 {
            w(o, "  open sun 10:00-14:00");
        }
        w(o, "  closed on holidays NL");
        wf(
            o,
            format_args!(
                "  closed on 2025-12-{:02}, easter +{}, last mon of {}, {} {}",
                24 + rng.below(7),
                rng.below(50),
                MONTHS[rng.below(12)],
                MONTHS[c % 12],
                1 + rng.below(28)
            ),
        );
        w(
            o,
            "  closed on apr 27 if sun then apr 26, may 5 in years divisible by 5",
        );
        wf(
            o,
            format_args!("  open on 2025-04-{:02}", 1 + rng.below(28)),
        );
        w(o, "}");
    }
    w(o, "calendar after_hours = outside cal_0");
    w(o, "");

    w(o, "fields {");
    w(o, "  id:          text from \"Ticket\"");
    w(o, "  opened_at:   timestamp from \"Created\"");
    w(o, "  priority:    label [p1, p2, p3, p4]");
    w(o, "  status:      status");
    w(o, "  confirmed_at: timestamp optional");
    let segments: Vec<String> = (0..n.segments).map(|s| format!("s{s}")).collect();
    wf(
        o,
        format_args!("  segment:     label [{}]", segments.join(", ")),
    );
    for t in 0..n.metrics {
        wf(o, format_args!("  t{t}: timestamp optional"));
    }
    for l in 0..n.label_fields {
        wf(
            o,
            format_args!("  l{l}: label [a{l}, b{l}, c{l}, d{l}] optional"),
        );
    }
    for i in 0..n.int_fields {
        wf(
            o,
            format_args!("  n{i}: integer optional from \"Count {i}\""),
        );
    }
    w(o, "}");
    w(o, "");

    w(o, "priority from priority {");
    w(o, "  p1 \"Critical: the service is down for everyone\"");
    w(
        o,
        "  p2 \"Major: the service is down for some, or badly degraded\"",
    );
    w(o, "  p3 \"Minor: a workaround exists\"");
    w(o, "  p4 \"Request: no loss of service\"");
    w(o, "}");
    w(o, "");

    w(
        o,
        "closure closed { confirmed by confirmed_at automatically 2 days after t0 }",
    );
    // Metric 0 starts at ticket creation; every fourth metric starts where
    // the previous one stops, the others at creation too.
    for m in 0..n.metrics {
        let cal = m % n.calendars;
        let from = if m % 4 == 3 {
            format!("m{}", m - 1)
        } else {
            "opened_at".to_string()
        };
        let pause = if m % 5 == 0 {
            " paused while status in [waiting_for_customer, on_hold]"
        } else {
            ""
        };
        wf(
            o,
            format_args!("metric m{m} from {from} to t{m} in cal_{cal}{pause}"),
        );
    }
    w(o, "metric handling from opened_at to closed in 24x7");
    w(o, "");

    // Target rows: one per (segment, priority); each names a few metrics, in
    // increasing order so that later clocks get longer targets. Metrics are
    // spread over segments so that each is used.
    w(o, "targets per month {");
    w(o, "  all handling within 10 days");
    let per_row = 3.min(n.metrics);
    for s in 0..n.segments {
        if s % 10 == 0 {
            wf(o, format_args!("  # Segment group {}", s / 10));
        }
        let first = (s * per_row) % n.metrics;
        let mut ms: Vec<usize> = (0..per_row).map(|k| (first + k) % n.metrics).collect();
        ms.sort_unstable();
        ms.dedup();
        for (p, base) in [("p1", 1), ("p2", 4), ("p3", 8), ("p4", 16)] {
            let mut row = format!("  {p} when segment = s{s}");
            for (k, m) in ms.iter().enumerate() {
                let hours = base * (k + 1) + m;
                let _ = write!(row, "  m{m} within {hours} hours");
                if s == 0 {
                    let _ = write!(row, " for {}%", 80 + rng.below(21));
                }
            }
            wf(o, format_args!("{row}"));
        }
    }
    w(o, "}");
    w(o, "");

    for j in 0..n.objectives {
        let m = j % n.metrics;
        let s = (m + n.metrics - 1) / per_row % n.segments;
        wf(
            o,
            format_args!(
                "objective \"objective {j}\" m{m} for [p1, p2] when segment in [s{s}, s{}] at least {}% per quarter",
                (s + 1) % n.segments,
                70 + rng.below(30)
            ),
        );
    }
    w(o, "");

    for e in 0..n.exclusions {
        let l = e % n.label_fields;
        let cond = match e % 4 {
            0 => format!("l{l} in [a{l}, b{l}]"),
            1 => format!("l{l} = c{l} and segment != s{}", e % n.segments),
            2 => format!(
                "(l{l} = d{l} or n{} = {}) and not t{} is empty",
                e % n.int_fields,
                rng.below(10),
                e % n.metrics
            ),
            _ => format!("opened_at outside cal_{} and l{l} != a{l}", e % n.calendars),
        };
        let from = if e % 3 == 0 {
            format!("from m{}, m{} ", e % n.metrics, (e + 1) % n.metrics)
        } else {
            String::new()
        };
        wf(
            o,
            format_args!("exclude {from}when {cond} as \"reason {e}\""),
        );
    }
    w(o, "");

    w(o, "escalation {");
    w(o, "  available cal_0");
    w(o, "  contact phone \"+31 20 123 4567\"");
    w(o, "  contact email \"escalation@example.com\"");
    for lv in 1..=n.levels {
        wf(
            o,
            format_args!(
                "  level {lv} \"level {lv} manager\" on m{} breached, {}% of m{} used",
                lv % n.metrics,
                50 + rng.below(50),
                (lv + 1) % n.metrics
            ),
        );
    }
    w(o, "  carries priority, segment");
    w(o, "  owner \"service delivery manager\"");
    w(o, "}");
    w(o, "");

    for a in 0..n.services {
        wf(o, format_args!("availability service_{a} per month {{"));
        wf(
            o,
            format_args!("  99.{}% in cal_{}", rng.below(10), (a * 7) % n.calendars),
        );
        wf(o, format_args!("  9{}% in after_hours", rng.below(10)));
        wf(
            o,
            format_args!("  at most {} interruptions", 1 + rng.below(5)),
        );
        w(o, "  measured every 5 minutes");
        w(o, "}");
    }
    w(o, "");

    w(o, "changes {");
    w(o, "  go live mon..thu 06:00-08:00, 20:00-22:00");
    w(o, "  by exception fri");
    w(
        o,
        "  lead time up to 4 hours: 1..2 weeks at low load, 2..3 weeks at high load",
    );
    w(
        o,
        "  lead time 4 to 8 hours: 2..3 weeks at low load, 4..5 weeks at high load",
    );
    w(o, "  lead time over 8 hours: agreed");
    w(o, "}");

    // Pad with comments to the requested size (the sizes undershoot a little).
    let mut have = out.lines().count();
    while have < lines {
        out.push_str("# padding\n");
        have += 1;
    }
    out
}

/// How many of each construct a contract of some size has.
struct Sizes {
    calendars: usize,
    segments: usize,
    metrics: usize,
    label_fields: usize,
    int_fields: usize,
    objectives: usize,
    exclusions: usize,
    levels: usize,
    services: usize,
}

impl Sizes {
    fn for_lines(lines: usize) -> Sizes {
        // Per 1,000 lines, roughly: 20 calendars (160 lines), 60 segments
        // (240 target rows), 30 metrics with their fields (60 lines),
        // 20 label and 10 integer fields, 50 objectives, 300 exclusions,
        // 20 services (120 lines).
        let k = lines.max(100) as f64 / 1000.0;
        let at_least = |x: f64, min: usize| (x.round() as usize).max(min);
        Sizes {
            calendars: at_least(20.0 * k, 2),
            segments: at_least(60.0 * k, 2),
            metrics: at_least(30.0 * k, 4),
            label_fields: at_least(20.0 * k, 2),
            int_fields: at_least(10.0 * k, 1),
            objectives: at_least(50.0 * k, 1),
            exclusions: at_least(300.0 * k, 4),
            levels: at_least(5.0 * k, 2).min(20),
            services: at_least(20.0 * k, 1),
        }
    }
}

fn w(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

fn wf(out: &mut String, args: std::fmt::Arguments) {
    let _ = out.write_fmt(args);
    out.push('\n');
}

/// A small deterministic generator (64-bit LCG), so the contract is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}
