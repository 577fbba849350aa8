//! What the HTML report keeps while the log streams by: the breached rows of
//! the report's months, furthest past their deadline first (a bounded top
//! [`TOP`], with the count of all), and the escalations that fell due in
//! those months (the latest [`TOP`], with the count). Memory does not grow
//! with the log.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::eval::{EscalationRow, Plan, Row, RowSink, Status};
use crate::time::{month_of, At};

/// How many breached tickets and escalations the report lists.
pub(crate) const TOP: usize = 200;

/// A month as (year, month 1–12).
pub(crate) type Month = (i32, u32);

pub(crate) struct Collect<'a> {
    plan: &'a Plan,
    as_of: At,
    from: Month,
    to: Month,
    /// Min-heap on lateness: the least late of the kept rows is dropped first.
    worst: BinaryHeap<Reverse<Late>>,
    pub(crate) breached: u64,
    latest: BinaryHeap<Reverse<Due>>,
    pub(crate) escalations: u64,
}

/// A breached row and how late it is in its target's own time.
#[derive(Debug, Clone)]
pub(crate) struct Late {
    pub(crate) late: i64,
    pub(crate) row: Row,
}

// Ordered by lateness; on a tie the earlier line of the log ranks higher.
impl PartialEq for Late {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Late {}
impl PartialOrd for Late {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Late {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}
impl Late {
    fn key(&self) -> (i64, Reverse<u64>, Reverse<Option<usize>>) {
        (self.late, Reverse(self.row.line), Reverse(self.row.metric))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Due(pub(crate) EscalationRow);

impl PartialEq for Due {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Due {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}
impl Due {
    fn key(&self) -> (crate::time::At, Reverse<u64>, u32) {
        (self.0.due_at, Reverse(self.0.line), self.0.level)
    }
}

impl<'a> Collect<'a> {
    pub(crate) fn new(plan: &'a Plan, as_of: At, from: Month, to: Month) -> Self {
        Collect {
            plan,
            as_of,
            from,
            to,
            worst: BinaryHeap::new(),
            breached: 0,
            latest: BinaryHeap::new(),
            escalations: 0,
        }
    }

    fn in_months(&self, t: i64) -> bool {
        let m = month_of(self.plan.tz, t);
        self.from <= m && m <= self.to
    }

    /// The kept breached rows, furthest past their deadline first.
    pub(crate) fn worst(&self) -> Vec<Late> {
        let mut v: Vec<Late> = self.worst.iter().map(|Reverse(l)| l.clone()).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }

    /// The kept escalations, the latest due first.
    pub(crate) fn latest(&self) -> Vec<EscalationRow> {
        let mut v: Vec<Due> = self.latest.iter().map(|Reverse(d)| d.clone()).collect();
        v.sort_by(|a, b| b.cmp(a));
        v.into_iter().map(|d| d.0).collect()
    }
}

impl RowSink for Collect<'_> {
    fn rows(&mut self, rows: &[Row], _text: &[u8]) -> std::io::Result<()> {
        for row in rows {
            // A ticket belongs to the month its clock started in.
            if row.status != Status::Breached || !row.start.is_some_and(|s| self.in_months(s.secs))
            {
                continue;
            }
            let Some(late) = crate::eval::verdict::lateness::late_by(self.plan, row, self.as_of)
            else {
                continue;
            };
            self.breached += 1;
            let entry = Late {
                late,
                row: row.clone(),
            };
            if self.worst.len() < TOP {
                self.worst.push(Reverse(entry));
            } else if self.worst.peek().is_some_and(|Reverse(min)| entry > *min) {
                self.worst.pop();
                self.worst.push(Reverse(entry));
            }
        }
        Ok(())
    }

    fn escalations(&mut self, rows: &[EscalationRow]) -> std::io::Result<()> {
        for e in rows {
            if !self.in_months(e.due_at.secs) {
                continue;
            }
            self.escalations += 1;
            let entry = Due(e.clone());
            if self.latest.len() < TOP {
                self.latest.push(Reverse(entry));
            } else if self.latest.peek().is_some_and(|Reverse(min)| entry > *min) {
                self.latest.pop();
                self.latest.push(Reverse(entry));
            }
        }
        Ok(())
    }
}
