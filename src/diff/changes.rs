//! The difference of two contracts: the facts one states and the other does
//! not, and the facts both state differently.

use serde::Serialize;

use crate::diff::facts::{facts, Fact};
use crate::rules::RuleSet;

/// What happened to one fact between the old and the new contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Added,
    Removed,
    Changed,
}

/// One difference, in the contract's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Change {
    pub(crate) change: Kind,
    pub(crate) section: String,
    pub(crate) subject: String,
    /// What the old contract says (`None` for an added fact).
    pub(crate) old: Option<String>,
    /// What the new contract says (`None` for a removed fact).
    pub(crate) new: Option<String>,
}

impl Change {
    /// One line: `~ target resolution high: within 4 hours of office → within 6 hours of office`.
    pub(crate) fn line(&self) -> String {
        let text = |t: &Option<String>| match t.as_deref() {
            Some("") | None => String::new(),
            Some(t) => format!(": {t}"),
        };
        match self.change {
            Kind::Added => format!("+ {} {}{}", self.section, self.subject, text(&self.new)),
            Kind::Removed => format!("- {} {}{}", self.section, self.subject, text(&self.old)),
            Kind::Changed => format!(
                "~ {} {}: {} → {}",
                self.section,
                self.subject,
                self.old.as_deref().unwrap_or(""),
                self.new.as_deref().unwrap_or("")
            ),
        }
    }
}

/// The changes from `old` to `new`, section by section in the order of
/// [`facts`]; within a section the new contract's order, each removed fact
/// where it stood in the old one.
pub(crate) fn compare(old: &RuleSet, new: &RuleSet) -> Vec<Change> {
    compare_facts(&all_facts(old), &all_facts(new))
}

/// The facts of a contract and of its versions: the first version's as
/// [`facts`] says them, then per later version the date it is in force
/// from and what it changes from the version before (section `version
/// NAME`), so that a version reads as the amendment it is.
fn all_facts(rules: &RuleSet) -> Vec<Fact> {
    let mut out = facts(rules);
    let mut before = out.clone();
    for v in &rules.versions {
        out.push(Fact {
            section: "version".into(),
            subject: v.name.clone(),
            text: format!("in force from {}", v.from),
            was: None,
        });
        let now = facts(&v.rules);
        for c in compare_facts(&before, &now) {
            let said = |t: Option<String>| match t.as_deref() {
                Some("") | None => String::new(),
                Some(t) => format!(": {t}"),
            };
            let (text, was) = match c.change {
                Kind::Added => (format!("added{}", said(c.new)), None),
                Kind::Removed => (format!("removed{}", said(c.old)), None),
                Kind::Changed => (c.new.unwrap_or_default(), c.old),
            };
            out.push(Fact {
                section: format!("version {}", v.name),
                subject: format!("{} {}", c.section, c.subject),
                text,
                was,
            });
        }
        before = now;
    }
    out
}

fn compare_facts(old: &[Fact], new: &[Fact]) -> Vec<Change> {
    let key = |f: &Fact| (f.section.clone(), f.subject.clone());
    let find = |list: &[Fact], f: &Fact| list.iter().position(|g| key(g) == key(f));
    // (rank of the section, position in its list, change)
    let section_rank = |s: &str| {
        new.iter()
            .chain(old.iter())
            .position(|f| f.section == s)
            .unwrap_or(usize::MAX)
    };
    let mut out: Vec<(usize, usize, usize, Change)> = Vec::new();
    for (i, f) in new.iter().enumerate() {
        match find(old, f) {
            Some(j) if old[j].text == f.text => {}
            Some(j) => out.push((
                section_rank(&f.section),
                1,
                i,
                Change {
                    change: Kind::Changed,
                    section: f.section.clone(),
                    subject: f.subject.clone(),
                    old: Some(old[j].text.clone()),
                    new: Some(f.text.clone()),
                },
            )),
            None => out.push((
                section_rank(&f.section),
                1,
                i,
                Change {
                    change: Kind::Added,
                    section: f.section.clone(),
                    subject: f.subject.clone(),
                    old: None,
                    new: Some(f.said()),
                },
            )),
        }
    }
    for (j, f) in old.iter().enumerate() {
        if find(new, f).is_none() {
            out.push((
                section_rank(&f.section),
                0,
                j,
                Change {
                    change: Kind::Removed,
                    section: f.section.clone(),
                    subject: f.subject.clone(),
                    old: Some(f.said()),
                    new: None,
                },
            ));
        }
    }
    out.sort_by_key(|(rank, side, i, _)| (*rank, *side, *i));
    out.into_iter().map(|(_, _, _, c)| c).collect()
}
