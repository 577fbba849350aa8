//! What the language's keywords mean, for hover: one short paragraph each,
//! in the words of docs/ and SEMANTICS.md. A test holds every entry to the
//! grammar's keyword list, so no entry outlives its keyword.

/// The explanation of keyword `word`, if it has one.
pub(crate) fn doc(word: &str) -> Option<&'static str> {
    DOCS.iter().find(|(w, _)| *w == word).map(|(_, d)| *d)
}

const DOCS: &[(&str, &str)] = &[
    ("contract", "`contract \"Name\" { ... }` opens the file: who provides the service, for whom, in which time zone, from when and for how long."),
    ("provider", "The party that gives the service and owes the targets."),
    ("customer", "The party the service is given to."),
    ("timezone", "The IANA time zone (`Europe/Amsterdam`) local times are read in: opening hours, calendar days and months, report periods. A calendar may name its own."),
    ("effective", "The date the agreement starts to apply."),
    ("term", "How long the agreement runs, in months or years."),
    ("notice", "How long before the end of a term a party must give notice."),
    ("renews", "The agreement renews at the end of its term (`renews automatically`: by another term)."),
    ("calendar", "`calendar NAME { open ... closed on ... }`: when the clock runs. Targets `in` a calendar count only its open time; `24x7` is built in and always open."),
    ("open", "`open mon..fri 09:00-17:00`: opening hours on those weekdays, in local time (`24:00` ends a day). `open on DATE` reopens a single date a closed-day rule would close."),
    ("closed", "`closed on ...`: days the calendar is closed however its hours read: `holidays NL` (a built-in set), a date, `dec 25`, `easter +1`, `4th thu of nov`."),
    ("holidays", "`closed on holidays NL`: the public holidays of a built-in set (a country, or a subdivision like `DE-BY`), year by year."),
    ("easter", "A day relative to Easter Sunday: `easter -2` is Good Friday, `easter +1` Easter Monday, `easter +39` Ascension Day."),
    ("fields", "`fields { ... }`: the columns of the ticket log this contract reads, each with its type. `id` is implied when not declared."),
    ("label", "A field holding one of a fixed set of labels: `label [high, medium, low]`. Conditions may compare it only with these."),
    ("timestamp", "A field holding an instant; timestamps without an offset are read in the contract's time zone."),
    ("text", "A field holding free text."),
    ("integer", "A field holding a whole number."),
    ("status", "A field whose history (from the event log) pauses clocks (`paused while status in [waiting]`) or stops them (`to earliest of responded_at, status in [solved]`)."),
    ("priority", "`priority from FIELD { ... }`: the priorities tickets get, read from a label field (or two, with a `matrix`). Target rows start with the priorities they apply to."),
    ("matrix", "`matrix { ROW x COLUMN = PRIORITY ... }`: the priority for each pair of labels of the two fields after `priority from`."),
    ("metric", "`metric NAME from START to STOP in CALENDAR`: a clock: it starts at one instant and stops at another, and counts the open time of its calendar (`24x7` if none)."),
    ("from", "Where a clock starts (a timestamp field, or the stop of another metric); in `priority from`, the field priorities are read from."),
    ("to", "Where a clock stops: a timestamp field, a closure, or `earliest of` several."),
    ("earliest", "`to earliest of responded_at, called_at, status in [solved]`: the clock stops at the first of these to happen (a timestamp, a closure, an activity such as `agent_reply` at or after the start, or the first event at or after the start that puts the ticket in one of the statuses)."),
    ("in", "`in CALENDAR`: the calendar whose open time is counted; after a label field, `in [..]` tests whether the field holds one of the labels."),
    ("paused", "`paused while status in [...]`: the clock does not run while the ticket's status is one of these."),
    ("while", "`paused while status in [...]`: the statuses during which the clock stands still."),
    ("resolved", "`resolved while status in [...]`: the statuses in which the ticket is resolved (`closed` too; once set, the timestamp the metric stops at resolves it as well); a later status outside them reopens it, and the clock continues without counting the resolved stretch."),
    ("target", "`target set at start`: when the ticket's priority (or another field a target reads) changes, the target in force at the clock's start applies. Without it, the one in force at the stop (at the as-of instant while the clock runs). Either way elapsed time counts from the start, and a breach under the target in force before a change stands."),
    ("set", "`target set at start` or `target set at stop` (the default): which instant's priority and fields choose the metric's target when they change over the ticket's history."),
    ("at", "`at least N%`, `at most N interruptions`: a lower or upper bound. `target set at start`: the instant whose priority and fields choose the target."),
    ("reopening", "`new cycle on reopening`: each reopening of the ticket starts a new cycle of the clock, with a verdict of its own (`cycle` 1, 2, … in the reports)."),
    ("cycle", "`new cycle on reopening`: each reopening starts a new cycle with its own verdict; objectives count cycles, each in the period it started."),
    ("new", "`new cycle on reopening`: each reopening starts a new cycle with its own verdict."),
    ("closure", "`closure NAME { confirmed by FIELD automatically N days after FIELD }`: when a ticket counts as closed: at its confirmation, or automatically that long after the other instant, whichever comes first."),
    ("targets", "`targets per month { ... }`: one row per group of tickets (by priority, or `when` a condition), each with the time each metric must stay within, and the share of tickets that must meet it. `targets first match { ... }`: rows tried in order, the first that holds wins."),
    ("first", "`targets first match { ... }`: the rows are tried in order and the first whose selector holds gives the ticket all its targets (a metric that row gives no target has none); rows may overlap. A share on a row counts the tickets that row takes."),
    ("match", "`targets first match { ... }`: the rows are tried in order and the first whose selector holds gives the ticket all its targets; rows may overlap."),
    ("within", "`within 4 hours`: the most open time of the calendar the clock may count before the target is breached. `working days` count whole working days; `days` and `months` are calendar time."),
    ("working", "`N working days`: due at the same time of day on the N-th working day after the start; `next working day`: due when the first working day whose opening comes after the start closes."),
    ("next", "`next working day`: due at the close of the first working day whose opening comes after the start. `to next agent_reply`: a clock stops at the next such event of the event log."),
    ("each", "`from each customer_reply to next agent_reply`: a cycle starts at each such event (when none runs and the ticket is not resolved); `from opened_at to each agent_reply`: a periodic update, a cycle from the start and from each event to the next. Each cycle has its own verdict."),
    ("untimed", "`untimed \"note\"`: a metric reported for these tickets, with no time to meet; never breached."),
    ("for", "`for 85%`: the share of tickets that must meet the target in each period; `for [high, low]` or `for all`: the tickets an objective counts."),
    ("per", "The period targets and objectives are counted over: `per month`, `per quarter`, `per year`, in the contract's time zone."),
    ("objective", "`objective \"NAME\" METRIC for TICKETS at least N% per PERIOD`: a share of tickets that must meet their targets, judged per period."),
    ("least", "`at least N%`: the lowest share of tickets meeting their targets that satisfies the objective."),
    ("exclude", "`exclude when CONDITION as \"reason\"`: tickets no target applies to; they are listed with the reason, not judged."),
    ("when", "`when CONDITION`: the tickets a target row or exclusion applies to, by their fields: `type = incident`, `cause in [a, b]`, `opened_at outside office`."),
    ("outside", "`FIELD outside CALENDAR`: the instant falls when the calendar is closed; `outside CALENDAR` as a window: whenever it is closed."),
    ("escalation", "`escalation { level N \"ROLE\" on TRIGGERS }`: who is called in, and when: a target breached, a share of its time used, or a condition on the ticket."),
    ("breached", "`on METRIC breached`: the ticket's target for that metric has been missed."),
    ("used", "`on N% of METRIC used`: that share of the target's time has passed."),
    ("availability", "`availability SERVICE per month { 99.5% in CALENDAR }`: the share of a window's time the service must be up."),
    ("changes", "`changes { go live DAYS ... }`: when changes may go to production, and the lead times they need."),
    ("credits", "`credits { fee ..., 5% for each missed objective, at most 20% per month }`: what the provider pays back when objectives are missed."),
    ("version", "`version \"2\" from DATE { ... }`: the contract as amended from that day (midnight in the contract's time zone): its blocks replace those of the version before with the same name, the rest is inherited. Each ticket is judged by the version in force at its opening."),
    ("is", "`FIELD is empty`: the ticket has no value in the field."),
    ("empty", "`FIELD is empty`: the ticket has no value in the field."),
    ("not", "`not (CONDITION)`: the condition does not hold."),
    ("or", "`A or B`: either condition holds."),
    ("as", "`as \"reason\"`: why tickets are excluded, shown beside them in reports."),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every explained word is a keyword of the grammar.
    #[test]
    fn docs_are_for_keywords() {
        let kws = super::super::complete::keywords();
        for (w, _) in DOCS {
            assert!(kws.iter().any(|k| k == w), "`{w}` is not a keyword");
        }
    }
}
