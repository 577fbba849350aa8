//! Service credits: the tiers of an availability window and the `credits`
//! block (the fee, the credit per missed objective and its cap).

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{self, CreditValue};
use crate::syntax::ast::{self, Span};

impl Checker<'_> {
    /// The tiers of one window, checked: each percentage 0–100, thresholds
    /// descending, every availability below the first threshold in exactly one
    /// tier, credits never smaller for a lower availability.
    pub(super) fn credit_tiers(&mut self, tiers: &[ast::CreditTier]) -> Vec<rules::CreditTier> {
        let (valid, mut ok) = self.valid_tiers(tiers);
        for pair in valid.windows(2) {
            ok &= self.tiers_in_order(&pair[0], &pair[1]);
        }
        if let Some(last) = valid.last() {
            if let Some(low) = last.low.filter(|low| ok && *low > 0.0) {
                self.report(
                    Diagnostic::new(
                        Code::CreditTiers,
                        format!(
                            "gap below the last tier: an availability under {low}% earns no credit"
                        ),
                    )
                    .primary(last.tier.span, "the last tier stops here")
                    .help("drop `but at least` from the last tier, or add a tier below it"),
                );
            }
        }
        // A tier without a lower bound reaches down to the next tier's
        // threshold, or to 0% when it is the last.
        (0..valid.len())
            .map(|i| {
                let t = &valid[i];
                let next = valid.get(i + 1).map_or(0.0, |n| n.below);
                rules::CreditTier {
                    below: t.below,
                    at_least: t.low.unwrap_or(next),
                    credit: t.credit,
                }
            })
            .collect()
    }

    /// The tiers whose numbers are valid, and whether all were.
    fn valid_tiers<'t>(&mut self, tiers: &'t [ast::CreditTier]) -> (Vec<ValidTier<'t>>, bool) {
        let mut valid = Vec::new();
        let mut ok = true;
        for t in tiers {
            let credit = self.percent(&t.credit);
            let below = self.percent(&t.below);
            let low = t.at_least.as_ref().map(|p| (self.percent(p), p.span));
            let (Some(credit), Some(below)) = (credit, below) else {
                ok = false;
                continue;
            };
            let low = match low {
                Some((Some(x), _)) if x >= below => {
                    ok = false;
                    self.report(
                        Diagnostic::new(
                            Code::CreditTiers,
                            format!("this tier covers nothing: at least {x}% and below {below}%"),
                        )
                        .primary(t.span, "empty tier")
                        .help("the lower bound (`but at least`) must be under the threshold"),
                    );
                    continue;
                }
                Some((Some(x), _)) => Some(x),
                Some((None, _)) => {
                    ok = false;
                    continue;
                }
                None => None,
            };
            valid.push(ValidTier {
                tier: t,
                credit,
                below,
                low,
            });
        }
        (valid, ok)
    }

    /// Whether tier `t` follows tier `prev` as it should (else reported):
    /// a lower threshold, no gap or overlap with the bound before, and a
    /// credit at least as large.
    fn tiers_in_order(&mut self, prev: &ValidTier, t: &ValidTier) -> bool {
        let (below, p_below) = (t.below, prev.below);
        let (credit, p_credit) = (t.credit, prev.credit);
        let (t_below, t_credit, prev_span) =
            (t.tier.below.span, t.tier.credit.span, prev.tier.span);
        if below >= p_below {
            self.report(
                Diagnostic::new(
                    Code::CreditTiers,
                    format!("tiers out of order: below {below}% comes after below {p_below}%"),
                )
                .primary(t_below, "not under the threshold before it")
                .secondary(prev_span, "the tier before")
                .help("write the tiers from the highest threshold down"),
            );
            return false;
        }
        let mut ok = true;
        if let Some(p_low) = prev.low {
            if below < p_low {
                ok = false;
                self.report(
                    Diagnostic::new(
                        Code::CreditTiers,
                        format!(
                            "gap between tiers: an availability from {below}% to under {p_low}% earns no credit"
                        ),
                    )
                    .primary(t_below, "this tier starts lower")
                    .secondary(prev_span, "the tier before ends at its `but at least`")
                    .help(format!(
                        "start this tier `below {p_low}%`, or lower the bound of the tier before"
                    )),
                );
            } else if below > p_low {
                ok = false;
                self.report(
                    Diagnostic::new(
                        Code::CreditTiers,
                        format!(
                            "tiers overlap: an availability from {p_low}% to under {below}% is in two tiers"
                        ),
                    )
                    .primary(t_below, "this tier starts inside the one before")
                    .secondary(prev_span, "the tier before")
                    .help(format!("start this tier `below {p_low}%`")),
                );
            }
        }
        if credit < p_credit {
            ok = false;
            self.report(
                Diagnostic::new(
                    Code::CreditTiers,
                    format!(
                        "a lower availability earns a smaller credit: {credit}% below {below}%, {p_credit}% below {p_below}%"
                    ),
                )
                .primary(t_credit, "smaller than the tier before")
                .secondary(prev_span, "the tier before")
                .help("credits grow as availability falls; check the order of the numbers"),
            );
        }
        ok
    }

    /// The `credits` blocks of the file (one is allowed).
    pub(super) fn credits(&mut self, blocks: &[&ast::Credits]) {
        let Some((first, rest)) = blocks.split_first() else {
            return;
        };
        for b in rest {
            self.report(
                Diagnostic::new(Code::Duplicate, "a contract has one `credits` block")
                    .primary(b.span, "second credits block")
                    .help("put the fee and the credits in one `credits { ... }` block"),
            );
        }
        let mut out = rules::Credits {
            fee: None,
            per_missed_objective: None,
        };
        let mut fee_span = None;
        let mut missed_span = None;
        for it in &first.items {
            match it {
                ast::CreditsItem::Fee {
                    amount,
                    period,
                    span,
                } => {
                    if let Some(prev) = fee_span.replace(*span) {
                        self.twice("fee", *span, prev);
                        continue;
                    }
                    let period = self.period(period.as_ref());
                    out.fee = self.money(amount).map(|(amount, currency)| rules::Fee {
                        amount,
                        currency,
                        period,
                    });
                }
                ast::CreditsItem::PerMissedObjective {
                    credit,
                    cap,
                    cap_period,
                    span,
                } => {
                    if let Some(prev) = missed_span.replace(*span) {
                        self.twice("credit per missed objective", *span, prev);
                        continue;
                    }
                    let credit_v = self.credit_value(credit);
                    let cap_v = cap.as_ref().and_then(|c| self.credit_value(c));
                    if let (Some(c), Some(cap_v), Some(cap)) = (&credit_v, &cap_v, cap) {
                        let same_unit = matches!(
                            (c, cap_v),
                            (CreditValue::Percent { .. }, CreditValue::Percent { .. })
                                | (CreditValue::Amount { .. }, CreditValue::Amount { .. })
                        );
                        if !same_unit {
                            self.report(
                                Diagnostic::new(
                                    Code::BadCredit,
                                    "the cap is not in the unit of the credit it caps",
                                )
                                .primary(credit_amount_span(cap), "a different unit")
                                .help("cap a percentage with a percentage and an amount with an amount"),
                            );
                        }
                    }
                    if let Some(per) = cap_period {
                        let period = self.period(Some(per));
                        if let Some(o) = self.objectives.iter().find(|o| o.period != period) {
                            let msg = format!(
                                "the cap is per {} but objective \"{}\" counts per {}",
                                per.node,
                                o.name,
                                period_word(o.period)
                            );
                            self.report(
                                Diagnostic::new(Code::BadCredit, msg)
                                    .primary(per.span, "a different period")
                                    .help("a cap counts per period of the objectives it caps"),
                            );
                        }
                    }
                    out.per_missed_objective =
                        credit_v.map(|credit| rules::MissedObjectiveCredit { credit, cap: cap_v });
                }
            }
        }
        self.currencies_agree(first, out.fee.as_ref());
        self.credits = Some(out);
    }

    fn twice(&mut self, what: &str, span: Span, prev: Span) {
        self.report(
            Diagnostic::new(Code::Duplicate, format!("the {what} is given twice"))
                .primary(span, "given again here")
                .secondary(prev, "first given here")
                .help("keep one of them"),
        );
    }

    fn credit_value(&mut self, a: &ast::CreditAmount) -> Option<CreditValue> {
        match a {
            ast::CreditAmount::Percent(p) => self
                .percent(p)
                .map(|percent| CreditValue::Percent { percent }),
            ast::CreditAmount::Money(m) => self
                .money(m)
                .map(|(amount, currency)| CreditValue::Amount { amount, currency }),
        }
    }

    /// An amount of money: a finite number ≥ 0 and an ISO 4217-shaped code.
    fn money(&mut self, m: &ast::Money) -> Option<(f64, String)> {
        let code = &m.currency.node;
        let is_code = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
        if !is_code {
            self.report(
                Diagnostic::new(Code::BadCredit, format!("`{code}` is not a currency code"))
                    .primary(m.currency.span, "expected three capital letters")
                    .help(format!(
                        "write the ISO 4217 code, e.g. `{} EUR` or `{} USD`",
                        m.amount.node, m.amount.node
                    )),
            );
            return None;
        }
        if !(m.amount.node.is_finite() && m.amount.node >= 0.0) {
            self.report(
                Diagnostic::new(Code::InvalidLiteral, "not an amount of money")
                    .primary(m.amount.span, "not a number"),
            );
            return None;
        }
        Some((m.amount.node, code.clone()))
    }

    /// With a fee, every amount is in the fee's currency.
    fn currencies_agree(&mut self, block: &ast::Credits, fee: Option<&rules::Fee>) {
        let Some(fee) = fee else { return };
        for it in &block.items {
            let ast::CreditsItem::PerMissedObjective { credit, cap, .. } = it else {
                continue;
            };
            for a in std::iter::once(credit).chain(cap.iter()) {
                if let ast::CreditAmount::Money(m) = a {
                    if m.currency.node != fee.currency && m.currency.node.len() == 3 {
                        self.report(
                            Diagnostic::new(
                                Code::BadCredit,
                                format!(
                                    "{} is not in the fee's currency ({})",
                                    m.currency.node, fee.currency
                                ),
                            )
                            .primary(m.currency.span, "another currency")
                            .help(format!("write the amount in {}", fee.currency)),
                        );
                    }
                }
            }
        }
    }
}

fn credit_amount_span(a: &ast::CreditAmount) -> Span {
    match a {
        ast::CreditAmount::Percent(p) => p.span,
        ast::CreditAmount::Money(m) => m.span,
    }
}

fn period_word(p: rules::Period) -> &'static str {
    match p {
        rules::Period::Month => "month",
        rules::Period::Quarter => "quarter",
        rules::Period::Year => "year",
    }
}

/// A credit tier whose numbers are valid: its credit, its threshold
/// (`below`) and its explicit lower bound (`but at least`), in percent.
struct ValidTier<'t> {
    tier: &'t ast::CreditTier,
    credit: f64,
    below: f64,
    low: Option<f64>,
}
