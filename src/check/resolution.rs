//! The resolution timestamp each metric reads (SEMANTICS.md "Histories": a
//! ticket is resolved when its status becomes a resolved one "or its
//! resolution timestamp is set"), found by [`rules::resolution_fields`]: a
//! metric that reads reopenings but stops at no timestamp of its own, under
//! metrics that stop at the resolution at two timestamps, does not say which
//! resolves the ticket (E0409).

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{self, InstantSource};
use crate::syntax::ast;

impl Checker<'_> {
    /// E0409, once: the first metric whose resolution timestamp is not said.
    pub(super) fn resolution_timestamp(&mut self, metrics: &[&ast::Metric]) {
        let Err(a) = rules::resolution_fields(&self.metrics) else {
            return;
        };
        let name = |i: usize| self.metrics[i].name.clone();
        let stop = |i: usize| match &self.metrics[i].stop {
            InstantSource::Field(f) => f.clone(),
            _ => String::new(),
        };
        let of = |n: &str| metrics.iter().find(|m| m.name.node == n);
        let m = name(a.metric);
        let Some(declared) = of(&m) else {
            return;
        };
        let span = declared
            .resolved
            .as_ref()
            .map_or(declared.name.span, |r| r.1);
        let [s0, s1] = a.stops.map(|i| (name(i), stop(i)));
        let mut d = Diagnostic::new(
            Code::AmbiguousResolution,
            format!(
                "metric `{m}` reads reopenings but stops at no timestamp, and the metrics that stop at the resolution stop at two: `{}` at `{}` and `{}` at `{}`",
                s0.0, s0.1, s1.0, s1.1
            ),
        )
        .primary(span, format!("resolved at `{}` or at `{}`?", s0.1, s1.1));
        for (s, field) in [&s0, &s1] {
            if let Some(x) = of(s) {
                d = d.secondary(x.to.span, format!("`{s}` is resolved at `{field}`"));
            }
        }
        self.report(d.help(format!(
            "a ticket has one resolution timestamp: stop `{}` and `{}` at the same one, or leave `resolved while` off the one that does not end at the resolution",
            s0.0, s1.0
        )));
    }
}
