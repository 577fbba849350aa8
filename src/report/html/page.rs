//! What the HTML report shows, as text ready to print: the template only
//! lays it out. Every string here is escaped by the template engine when it
//! is written (ticket ids and reasons come from the log and are hostile
//! input); only the charts, which plotters made and escaped, go in as SVG.

use askama::Template;

/// Red, amber or green, always shown with a word and a symbol as well as a
/// colour, so that the page reads in black and white and to a screen reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rag {
    /// Met.
    Green,
    /// Met so far, in a period that is not over; or nothing to judge yet.
    Amber,
    /// Missed.
    Red,
    /// No tickets or no measurement.
    Empty,
}

impl Rag {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
            Rag::Empty => "empty",
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Rag::Green => "✔",
            Rag::Amber => "◐",
            Rag::Red => "✖",
            Rag::Empty => "–",
        }
    }

    pub(crate) fn word(self) -> &'static str {
        match self {
            Rag::Green => "met",
            Rag::Amber => "met so far",
            Rag::Red => "missed",
            Rag::Empty => "no data",
        }
    }

    /// The worse of two.
    pub(crate) fn worst(self, other: Rag) -> Rag {
        let rank = |r: Rag| match r {
            Rag::Empty => 0,
            Rag::Green => 1,
            Rag::Amber => 2,
            Rag::Red => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

#[derive(Template)]
#[template(path = "report.html", config = "src/report/html/askama.toml")]
pub(crate) struct Page {
    pub(crate) contract: String,
    pub(crate) provider: Option<String>,
    pub(crate) customer: Option<String>,
    /// `November 2025`, or `June 2025 – November 2025`.
    pub(crate) period: String,
    pub(crate) as_of: String,
    pub(crate) overall: Rag,
    /// One line per fact of the summary (objectives met, availability, credits).
    pub(crate) summary: Vec<SummaryLine>,
    pub(crate) objectives: Vec<ObjectiveView>,
    pub(crate) availability: Vec<AvailabilityView>,
    pub(crate) interruptions: Vec<InterruptionView>,
    /// The contract has service credits (else there is no credits section).
    pub(crate) has_credits: bool,
    pub(crate) credits: Vec<CreditView>,
    pub(crate) credit_totals: Vec<String>,
    /// The contract has ticket targets (else there is no breach section).
    pub(crate) has_targets: bool,
    pub(crate) breaches: Vec<BreachView>,
    pub(crate) breaches_total: u64,
    /// A metric has cycles: the breach and escalation tables show each
    /// row's cycle (as the JSON, CSV and text reports do).
    pub(crate) cycles: bool,
    /// `Some` when the contract has an escalation ladder.
    pub(crate) escalations: Option<Vec<EscalationView>>,
    pub(crate) escalations_total: u64,
    /// `Some` when a change log was given.
    pub(crate) changes: Option<Vec<ChangeView>>,
    pub(crate) notes: Vec<String>,
    pub(crate) footer: Footer,
}

pub(crate) struct SummaryLine {
    pub(crate) rag: Rag,
    /// The status in words (`met`, `missed`, `none owed`, ...).
    pub(crate) word: String,
    pub(crate) what: String,
    pub(crate) detail: String,
}

pub(crate) struct ObjectiveView {
    pub(crate) name: String,
    pub(crate) metric: String,
    pub(crate) rows: Vec<ObjectiveRow>,
    pub(crate) chart: String,
    /// How many bars the chart has (periods with met or breached tickets).
    pub(crate) bars: usize,
}

pub(crate) struct ObjectiveRow {
    pub(crate) period: String,
    pub(crate) rag: Rag,
    pub(crate) required: String,
    pub(crate) achieved: String,
    pub(crate) met: u64,
    pub(crate) breached: u64,
    pub(crate) pending: u64,
    pub(crate) excluded: u64,
}

pub(crate) struct AvailabilityView {
    pub(crate) service: String,
    pub(crate) window: String,
    pub(crate) rows: Vec<AvailabilityRowView>,
    pub(crate) chart: String,
    pub(crate) bars: usize,
}

pub(crate) struct AvailabilityRowView {
    pub(crate) period: String,
    pub(crate) rag: Rag,
    pub(crate) availability: String,
    pub(crate) required: String,
    pub(crate) downtime_minutes: String,
    pub(crate) interruptions: String,
}

pub(crate) struct InterruptionView {
    pub(crate) service: String,
    pub(crate) start: String,
    pub(crate) end: String,
    pub(crate) minutes: String,
}

pub(crate) struct CreditView {
    pub(crate) period: String,
    pub(crate) what: String,
    pub(crate) measured: String,
    pub(crate) tier: String,
    pub(crate) percent: String,
    pub(crate) amount: String,
}

pub(crate) struct BreachView {
    pub(crate) id: String,
    pub(crate) metric: String,
    /// The cycle, for a metric with cycles; else empty.
    pub(crate) cycle: String,
    pub(crate) priority: String,
    pub(crate) deadline: String,
    pub(crate) late: String,
    pub(crate) ledger: Vec<String>,
}

pub(crate) struct EscalationView {
    pub(crate) id: String,
    pub(crate) metric: String,
    /// The cycle whose trigger fired, for a metric with cycles; else empty.
    pub(crate) cycle: String,
    pub(crate) level: String,
    pub(crate) role: String,
    pub(crate) due: String,
    pub(crate) reason: String,
}

pub(crate) struct ChangeView {
    pub(crate) id: String,
    pub(crate) deployed: String,
    pub(crate) allowed: String,
    pub(crate) reason: String,
}

pub(crate) struct Footer {
    pub(crate) generator: String,
    pub(crate) rules_version: String,
    pub(crate) rules_digest: String,
    pub(crate) inputs: Vec<(String, String)>,
    pub(crate) command: String,
}
