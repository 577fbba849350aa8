//! Service credits (SEMANTICS.md "Money: service credits"), computed from the
//! same results as the verdicts: the availability rows and the objective
//! results of a run.
//!
//! - Availability: per service window and period, the tier whose
//!   `[at_least, below)` holds the measured availability; its credit is a
//!   percentage of the fee of the period. A window without open time in the
//!   period measures nothing and earns nothing.
//! - Objectives: each objective not compliant in a period (an empty one is
//!   compliant) earns the contract's credit per missed objective. The cap
//!   counts per period, in the contract's order of objectives: the credit that
//!   reaches it is cut to what is left, and those after it earn nothing
//!   (`capped`).
//! - The fee is scaled to the period: a monthly fee counts three times over a
//!   quarter. Amounts are rounded to cents; without a fee, percentages have no
//!   amount and amounts no percentage.
//! - Versions: the objectives of each version of the contract earn the
//!   credits of that version (with its cap, per period); availability the
//!   first version's.

use std::collections::BTreeMap;

use crate::eval::contract::plan::{Plan, VersionIndex};
use crate::rules::{CreditValue, Period, RuleSet};

use super::availability::AvailabilityRow;
use super::objectives::ObjectiveResult;

/// One credit owed, as reported.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreditRow {
    pub(crate) period: String,
    /// The service and window of an availability credit.
    pub(crate) service: Option<String>,
    pub(crate) window: Option<String>,
    /// The objective of a missed-objective credit.
    pub(crate) objective: Option<String>,
    /// The availability or the objective's share, in percent.
    pub(crate) measured: f64,
    pub(crate) required: f64,
    /// The tier as the contract writes it (`below 99.99% but at least 99%`),
    /// or `missed` for an objective.
    pub(crate) tier: String,
    /// Percent of the fee of the period; `None` for an amount without a fee.
    pub(crate) percent: Option<f64>,
    /// Money; `None` for a percentage without a fee.
    pub(crate) amount: Option<f64>,
    pub(crate) currency: Option<String>,
    /// The cap cut this credit (possibly to nothing).
    pub(crate) capped: bool,
    /// The period holds the as-of instant: counted so far.
    pub(crate) partial: bool,
}

/// The credits owed, availability first (in the order of the rows), then
/// missed objectives per period (version by version).
pub(crate) fn credits(
    first: &Plan,
    availability: &[AvailabilityRow],
    objectives: &[ObjectiveResult],
) -> Vec<CreditRow> {
    let mut out = Vec::new();
    for row in availability {
        if let Some(c) = availability_credit(&first.rules, row) {
            out.push(c);
        }
    }
    if first.versions.is_empty() {
        out.extend(objective_credits(&first.rules, objectives));
        return out;
    }
    for v in 0..=first.versions.len() {
        let v = VersionIndex::try_from(v).unwrap_or(VersionIndex::MAX);
        let mine: Vec<ObjectiveResult> = objectives
            .iter()
            .filter(|o| o.version_index == v)
            .cloned()
            .collect();
        out.extend(objective_credits(&first.version(v).rules, &mine));
    }
    out
}

fn availability_credit(rules: &RuleSet, row: &AvailabilityRow) -> Option<CreditRow> {
    let service = rules
        .availability
        .iter()
        .find(|a| a.service == row.service)?;
    let window = service.windows.iter().find(|w| w.name == row.window)?;
    if row.window_seconds <= 0 || row.availability.is_none() {
        return None;
    }
    // Compared without division, as objectives are: up / window < below / 100.
    let up = (row.window_seconds - row.downtime_seconds) as f64 * 100.0;
    let total = row.window_seconds as f64;
    let tier = window
        .credit_tiers
        .iter()
        .find(|t| up < t.below * total && up >= t.at_least * total)?;
    let fee = period_fee(rules, service.period);
    let (percent, amount, currency) = match fee {
        Some((f, cur)) => (
            Some(tier.credit),
            Some(cents(f * tier.credit / 100.0)),
            Some(cur),
        ),
        None => (Some(tier.credit), None, None),
    };
    Some(CreditRow {
        period: row.period.clone(),
        service: Some(row.service.clone()),
        window: Some(row.window.clone()),
        objective: None,
        measured: row.availability.unwrap_or(0.0),
        required: row.required,
        tier: tier_text(tier.below, tier.at_least),
        percent,
        amount,
        currency,
        capped: false,
        partial: row.partial,
    })
}

fn objective_credits(rules: &RuleSet, objectives: &[ObjectiveResult]) -> Vec<CreditRow> {
    let Some(rule) = rules
        .credits
        .as_ref()
        .and_then(|c| c.per_missed_objective.as_ref())
    else {
        return Vec::new();
    };
    // Missed objectives per period, in the contract's order of objectives.
    let mut by_period: BTreeMap<&str, Vec<&ObjectiveResult>> = BTreeMap::new();
    for o in objectives
        .iter()
        .filter(|o| o.share.is_some() && !o.compliant)
    {
        by_period.entry(o.period.as_str()).or_default().push(o);
    }
    let mut out = Vec::new();
    for (period, mut missed) in by_period {
        missed.sort_by_key(|o| o.objective);
        let mut given = 0.0;
        for o in missed {
            let kind = rules
                .objectives
                .get(o.objective)
                .map_or(Period::Month, |x| x.period);
            let fee = period_fee(rules, kind);
            let (value, cap) = match (&rule.credit, &rule.cap) {
                (CreditValue::Percent { percent }, cap) => (*percent, cap_value(cap)),
                (CreditValue::Amount { amount, .. }, cap) => (*amount, cap_value(cap)),
            };
            let left = cap.map_or(f64::INFINITY, |c| (c - given).max(0.0));
            let granted = value.min(left);
            given += granted;
            let (percent, amount, currency) = match (&rule.credit, &fee) {
                (CreditValue::Percent { .. }, Some((f, cur))) => (
                    Some(granted),
                    Some(cents(f * granted / 100.0)),
                    Some(cur.clone()),
                ),
                (CreditValue::Percent { .. }, None) => (Some(granted), None, None),
                (CreditValue::Amount { currency, .. }, Some((f, _))) if *f > 0.0 => (
                    Some(granted * 100.0 / f),
                    Some(cents(granted)),
                    Some(currency.clone()),
                ),
                (CreditValue::Amount { currency, .. }, _) => {
                    (None, Some(cents(granted)), Some(currency.clone()))
                }
            };
            out.push(CreditRow {
                period: period.to_string(),
                service: None,
                window: None,
                objective: Some(match &o.version {
                    Some(v) => format!("{} (version {v})", o.name),
                    None => o.name.clone(),
                }),
                measured: o.share.unwrap_or(0.0),
                required: o.required,
                tier: "missed".into(),
                percent,
                amount,
                currency,
                capped: granted < value,
                partial: false,
            });
        }
    }
    out
}

fn cap_value(cap: &Option<CreditValue>) -> Option<f64> {
    cap.as_ref().map(|c| match c {
        CreditValue::Percent { percent } => *percent,
        CreditValue::Amount { amount, .. } => *amount,
    })
}

/// The fee of one period of the given kind, with its currency.
fn period_fee(rules: &RuleSet, period: Period) -> Option<(f64, String)> {
    let fee = rules.credits.as_ref()?.fee.as_ref()?;
    let months = |p: Period| match p {
        Period::Month => 1.0,
        Period::Quarter => 3.0,
        Period::Year => 12.0,
    };
    Some((
        fee.amount * months(period) / months(fee.period),
        fee.currency.clone(),
    ))
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A tier as the contract writes it.
pub(crate) fn tier_text(below: f64, at_least: f64) -> String {
    if at_least > 0.0 {
        format!("below {below}% but at least {at_least}%")
    } else {
        format!("below {below}%")
    }
}
