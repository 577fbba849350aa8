//! Stable diagnostic codes, each with an explanation (`sla explain CODE`).
//! Codes are never reused or renumbered: tools and CI configurations match on them.

use serde::{Serialize, Serializer};

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $sev:ident, $title:literal, $explain:literal; )*) => {
        /// A diagnostic's stable code; each variant's doc is its title.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $(#[doc = $title] $variant),* }

        /// Every code, in order.
        pub const CODES: &[Code] = &[$(Code::$variant),*];

        impl Code {
            /// The code as written: `E0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }
            /// Whether it is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),* }
            }
            /// One line: what the code is about.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),* }
            }
            /// A paragraph or two with an example of the fix.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explain),* }
            }
            /// A problem of the logs `sla eval` reads (E07xx, W07xx), found
            /// by running it on them, not by checking a contract.
            pub fn is_input(self) -> bool {
                self.as_str().get(1..3) == Some("07")
            }
            /// The code written as `E0101` (any case, spaces around).
            pub fn parse(s: &str) -> Option<Code> {
                let s = s.trim().to_ascii_uppercase();
                CODES.iter().copied().find(|c| c.as_str() == s)
            }
        }
    };
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    Syntax = "E0001", Error, "syntax error",
"The text does not follow the grammar of a contract. The message says what the
parser expected at that point. After a syntax error the parser resumes at the
next top-level block (`calendar`, `metric`, `targets`, ...), so errors in other
blocks are still reported.

    metric response from opened_at responded_at   # missing `to`
    metric response from opened_at to responded_at";

    InvalidLiteral = "E0002", Error, "invalid date, time or number",
"A date, time of day or number is well-formed but impossible: `2025-02-30`,
`25:00`, `09:75`, a day of the month that does not exist, an ordinal like
`6th mon of may`. Times of day run from `00:00` to `24:00`; `24:00` is only
allowed as the end of an opening interval.";

    UnknownName = "E0101", Error, "unknown name",
"A name refers to a calendar, field, metric, priority or closure that the
contract does not define. Check the spelling (the diagnostic suggests the
closest name) or add the definition.

    metric response from opened_at to responded_at in ofice   # did you mean `office`?";

    UnknownLabel = "E0102", Error, "value not in the field's label set",
"A value used for a label field is not one of the labels the field declares.

    fields { cause: label [third_party, customer] }
    exclude when cause = internet as \"...\"    # `internet` is not a label of `cause`

Add the label to the field's declaration, or fix the spelling.";

    Duplicate = "E0103", Error, "defined twice",
"A name is defined twice in the same namespace (calendars, fields, metrics,
priorities, labels of one field, objectives), or a block that may appear only
once (the contract header, the priority block, the escalation ladder) appears
twice. Remove or rename one of them.";

    TypeMismatch = "E0104", Error, "wrong kind of field or value",
"A field is used in a way its type does not allow: a clock that starts or
stops at a field that is not a timestamp, `inside office` on a field that is
not a timestamp, a word compared with an integer field, a timestamp compared
with a value, a priority taken from a field that is not a label field. (A
value outside a label field's set, numbers included, is E0102.)";

    UnknownTimezone = "E0201", Error, "unknown time zone",
"Time zones are names of the IANA tz database, such as `Europe/Amsterdam`,
`Asia/Tokyo` or `UTC`; its links (`Japan`, `US/Eastern`) are accepted too.
Names are case-sensitive. (Abbreviations such as `CET` are in the database
and are accepted with warning W0006.)";

    BadInterval = "E0202", Error, "opening interval runs backwards or is empty",
"An opening interval must end after it starts: `09:00-17:00`. An interval that
crosses midnight is written as two: `open mon 22:00-24:00` and
`open tue 00:00-06:00`.";

    OverlappingIntervals = "E0203", Error, "opening intervals overlap",
"Two opening intervals on the same weekday overlap, so the open time between
them would be counted twice. Merge them into one interval or fix the times.";

    UnknownHolidaySet = "E0204", Error, "unknown holiday set",
"`closed on holidays NAME` names a built-in set of public holidays. The known
sets are listed in the diagnostic (`NL`: the Dutch public holidays).";

    ChoiceMissing = "E0205", Error, "a label has no calendar",
"A calendar chosen by a label field must name a calendar for every label of
the field: a ticket with a label that has none could not be judged.

    fields { region: label [us, de, jp] }
    calendar office by region {
      us = new_york
      de = berlin
      jp = tokyo        # without this row, `jp` tickets have no calendar
    }

Add a row for the label, or give several labels one calendar:
`[de, at] = berlin`. (For a text field the values are not known in advance;
a ticket whose value has no row is `invalid`, with the value in its reason.)";

    ChoiceOutOfPlace = "E0206", Error, "a calendar chosen by a field where no ticket chooses it",
"A calendar chosen by a ticket's field (`calendar office by region { ... }`)
can be counted in by a metric or a target, where there is a ticket whose field
decides. An availability window, a change window, an escalation's hours, an
arrival window or another calendar's complement have no such ticket: name one
of the calendars the choice is made between instead. A choice cannot choose
another choice either.";

    BadPercentage = "E0301", Error, "percentage outside 0-100",
"Required shares and availabilities are percentages from 0% to 100%.";

    MatrixCell = "E0302", Error, "priority matrix has a missing or doubled cell",
"A priority matrix over two label fields must give exactly one priority for
every pair of labels. The diagnostic lists the pairs that are missing or given
twice.

    priority from urgency x impact {
      matrix { high x high = critical  high x low = high ... }
    }";

    PriorityLevel = "E0303", Error, "priority does not fit its source",
"A priority taken from a plain field must be one of that field's labels; a
priority named in a matrix cell must be declared with its description in the
priority block.";

    MetricCycle = "E0401", Error, "defined in terms of itself",
"A metric's clock may start at the stop of another metric (`metric resolution
from response to resolved_at`), but the chain must end at a timestamp field.
A metric that starts from itself, directly or through other metrics, never
starts. Likewise a calendar may be the complement of another
(`calendar after_hours = outside office`), but not of itself, directly or
through other complements.";

    OverlappingTargets = "E0402", Error, "two targets cover the same tickets",
"Two target rows give the same metric a target for the same tickets, so which
one applies would depend on the order of the rows. Make the selectors disjoint
(different priorities, or conditions that exclude each other).";

    BadDuration = "E0403", Error, "duration does not fit its calendar",
"`N days` and `N months` are calendar time and only make sense in the always-open
calendar `24x7`; in a calendar with opening hours write `N working days`.
Working days and `next working day` need a calendar with working days.";

    Missing = "E0404", Error, "something required is missing",
"A contract needs a header (`contract \"name\" { ... }`) with a `timezone` unless
every calendar names its own; targets on priorities need a `priority` block; a
closure or metric must name timestamp fields declared in `fields`.";

    BadObjective = "E0405", Error, "objective does not fit its targets",
"An objective counts the tickets of one metric. The metric must have targets,
and the objective's priorities must exist.";

    CannotReopen = "E0406", Error, "a cycle option on a metric that cannot reopen",
"`new cycle on reopening` gives each reopening of a ticket a verdict of its
own, but a ticket reopens only after it was resolved, and a metric learns
when that is from `resolved while status in [...]`: the statuses of the event
log in which the ticket is resolved (a later status outside them reopens it).
A clock with a cycle per event (`from each customer_reply to next
agent_reply`) has its cycles already: a reopening does not start one.

    metric resolution from opened_at to resolved_at in office
      resolved while status in [resolved, closed]
      new cycle on reopening";

    RepeatWithoutEvent = "E0407", Error, "a repeating metric without an event that starts or stops it",
"A repeating clock runs in cycles between activities of the event log
(`agent_reply`, `customer_reply`, `internal_note`): `from each A to next B`
starts a cycle at every A (when none runs) and stops it at the next B;
`from START to each B` runs from the start (and then from each B) to the
next B, a periodic update. `each` needs an event to start at, `next` and
`each` after `to` an event to stop at, and an event on its own may happen
many times, so a clock cannot simply start at it.

    metric next_reply from each customer_reply to next agent_reply in office
    metric update     from opened_at to each agent_reply in 24x7";

    StartAtManyStops = "E0408", Error, "a clock starts where a clock with many cycles stops",
"A metric may start at the stop of another metric (`metric handling from
first_reply to resolved_at`): its clock starts at the instant the other
clock stopped. A clock with a cycle per event (`from each customer_reply to
next agent_reply`, or a periodic update `from opened_at to each
agent_reply`) stops once per cycle, and so does a clock with a cycle per
reopening (`new cycle on reopening`): a clock that starts at its stop would
have no single start. Start at a clock with one stop instead, such as the
first reply (`from opened_at to next agent_reply`: the first agent reply
after the opening, or the resolution if that comes first) or a clock that
continues across reopenings (without `new cycle on reopening`: it stops at
the last resolution), or at a timestamp field.

    metric first_reply from opened_at to next agent_reply in office
    metric handling    from first_reply to resolved_at in office
    metric fix         from opened_at to resolved_at in office
      resolved while status in [resolved, closed]
    metric report      from fix to report_at in office";

    AmbiguousResolution = "E0409", Error, "two resolution timestamps, and a metric that does not say which",
"A ticket is resolved when its status becomes one a metric names as resolved
(`resolved while status in [...]`), or when its resolution timestamp is set.
A metric that names resolved statuses and stops at a timestamp stops at the
resolution, so that timestamp is the resolution timestamp: `solved_at` for
Zendesk, `resolved_at` for Jira. A metric that names resolved statuses but
stops at an event (a next reply, a periodic update) takes the one timestamp
at which the other metrics stop at the resolution. When they stop at two
different timestamps, it is not said which of them resolves the ticket for
it. Stop the metrics that end at the resolution at one timestamp, or do not
let the others name resolved statuses.

    metric agent_work from created_at to solved_at in business
      resolved while status in [solved, closed]
    metric next_reply from each customer_reply to next agent_reply in business
      resolved while status in [solved, closed]";

    CreditTiers = "E0501", Error, "credit tiers out of order, overlapping or with a gap",
"The credit tiers of an availability window are written from the highest
threshold down, each below the one before, and together they cover every
availability below the first threshold exactly once: where a tier says
`but at least X%`, the next tier starts `below X%`. A lower availability never
earns a smaller credit.

    99.99% in 24x7
      credit 10%  below 99.99% but at least 99%
      credit 30%  below 99%    but at least 95%
      credit 100% below 95%";

    BadCredit = "E0502", Error, "credit does not fit the fee or the objectives",
"Amounts are a number and a three-letter currency code (`250 EUR`), in the
fee's currency when the contract gives a fee. A cap is in the unit of the
credit it caps (a percentage for a percentage, an amount for an amount), and
per the period of the objectives it caps. The `credits` block names a fee
and a credit per missed objective at most once.

    credits {
      fee 2500 EUR per month
      5% for each missed objective, at most 20% per month
    }";

    VersionOrder = "E0601", Error, "versions out of order, on one date, or before the contract",
"Each `version` block is in force from its date until the next version's, so
the versions are written in the order of their dates, no two from the same
day, each after the `effective` date of the header (the contract as first
written is version 1, in force from that date). Names are unique, and `1`
is the first version's.

    effective 2026-01-01
    version \"2\" from 2027-01-01 { ... }
    version \"3\" from 2027-07-01 { ... }";

    VersionItem = "E0602", Error, "a version cannot change this",
"A version amends the contract's rules: calendars, priorities, metrics,
closures, targets, objectives, exclusions, escalation, availability, change
windows and credits. The header (`contract`) and the fields of the ticket log
belong to all versions alike, so they are written once, before the first
version; a label a later version uses is declared in the one `fields` block.

    fields { priority: label [critical, high, medium, low] }
    version \"2\" from 2027-01-01 {
      priority from priority { critical \"...\" high \"...\" ... }
    }";

    PriorityWithoutTarget = "W0001", Warning, "priority has no target",
"A priority is declared but no target row names it, so its tickets are only
reported as `not_applicable`. If that is intended, say so in a comment;
otherwise add targets for it.";

    ShorterLaterTarget = "W0002", Warning, "later target is shorter than an earlier one",
"For the same tickets, a clock that starts at the same moment and pauses in the
same statuses but is declared later (resolution after response) has a shorter
target than the earlier one. Resolution within 1 hour but response within 2
hours is usually a typo. Clocks with different pauses count different time and
are not compared.";

    NeverOpen = "W0003", Warning, "calendar is never open",
"The calendar has no opening hours, so no open time is ever counted and
deadlines in it are never reached. Add `open mon..fri 09:00-17:00` or use `24x7`.";

    NeverApplies = "W0004", Warning, "condition can never hold",
"An exclusion or selector tests a field against an empty list, or requires a
field to have two different values at once, so it never applies.";

    Unused = "W0005", Warning, "defined but never used",
"A calendar, metric or closure is defined but nothing refers to it.";

    ZoneAbbreviation = "W0006", Warning, "time zone is an abbreviation or an inverted offset",
"The time zone is a name of the tz database, but seldom the zone meant: an
abbreviation (`CET` is central European time tied to no country; `EST` is
UTC-05:00 all year, not New York's time; `GMT` is UTC, not London's time,
which has summer time), or an `Etc/GMT` zone, whose sign is inverted
(`Etc/GMT+5` is five hours *behind* UTC). Name the place whose time the
agreement means (`Europe/Berlin`, `America/New_York`, `Europe/London`), or
write `UTC`.";

    VersionUnchanged = "W0601", Warning, "version changes nothing",
"The rules of the version are the same as those of the version before it:
every block it holds says what the earlier version already said. Remove the
version, or write in it what changes from its date.";

    VersionAddsLookalike = "W0602", Warning, "version adds a name close to an existing one",
"A block in a version replaces the block of the version before that has the
same name; a block with a new name is added beside it. A new name that is
one typo away from an existing one (`calendar ofice` beside `office`) most
likely meant to replace it: the old block would stay in force unchanged.";

    UnreachablePolicy = "W0007", Warning, "first-match row can never apply",
"In a `first match` target block the rows are tried in order and the first
whose selector holds gives the ticket its targets. A row whose tickets are
all taken by earlier rows never applies: move it up, or narrow the rows
above it.

    targets first match {
      all             response within 8 hours
      when vip = yes  response within 1 hour    # never: `all` took every ticket
    }";

    EarliestOfOne = "W0008", Warning, "earliest of fewer than two stops",
"`earliest of` stops a clock at the first of several instants (`to earliest
of responded_at, called_at`). With one alternative (or one named twice) it
says no more than that alternative: write it plainly, or add the other
instants the agreement names.";

    // E07xx and W07xx: the logs `sla eval` reads (tickets, `--events`,
    // `--outages`, `--changes`). Each is a kind of the run's `problems`
    // summary, named by its key there.

    UnreadableRow = "E0701", Error, "ticket row cannot be read (`unreadable_row`)",
"A row of the ticket log has a cell the contract reads that cannot be read as
its field's type (a timestamp that is not one, or lies in a spring-forward
gap; a label not in the field's set), no id, or damaged quoting. The row is
kept: its verdicts are `invalid` with the reason, and the rest of the log
keeps its verdicts. The location names the file, line and column.

    id,opened_at,responded_at
    T-7,2025-03-03 09:15,yesterday     # `yesterday` is not a timestamp

Correct the cell in the export, or give the log's time zone with --log-tz
when its local times are not the contract's.";

    InvalidVerdict = "E0702", Error, "ticket contradicts itself (`invalid_verdict`)",
"The ticket's own data gives a verdict that cannot be reached: a clock that
stops before it starts (`resolved_at` before `opened_at`), or a calendar
chosen by a field whose value has no calendar. The verdict is `invalid` with
its reason; the other metrics of the ticket keep theirs. Correct the log.";

    UnreadableEvent = "E0703", Error, "event cannot be read (`unreadable_event`)",
"A row of the event log (`--events`) has no ticket id, a time that cannot be
read, says nothing (no status, field or activity), names an unknown activity
or gives a value that is not one of its field's labels. The event is left out
and counted; the ticket's other events are used.

    id,at,status
    T-1,2025-03-03 25:00,on_hold      # 25:00 is not a time of day";

    EventInDstGap = "E0704", Error, "event at a local time that does not exist (`event_in_dst_gap`)",
"The event's time has no offset and falls in the hour the clocks skip in
spring (02:30 on the last Sunday of March in Europe/Amsterdam): it names no
instant, so the event is left out and counted. Give the times with their
offset (RFC 3339), or name the log's zone with --log-tz if it is not the
contract's.";

    EventWithoutTicket = "E0705", Error, "event of a ticket not in the log (`event_without_ticket`)",
"The event's id is not an id of the ticket log, so no clock reads it. Check
that both logs cover the same tickets and spell the ids alike (`T-1` and
`t1` are different ids).";

    UnreadableSideRow = "E0706", Error, "outage or deployment row cannot be read (`unreadable_side_row`)",
"A row of the outage log (`--outages`, columns `service,start,end`) or the
change log (`--changes`, columns `id,deployed_at`) cannot be read: no
service, a time that cannot be read, an outage that ends before it starts.
The row is left out of availability or change windows and counted.";

    DuplicateId = "E0707", Error, "second row of a ticket id already seen (`duplicate_id`)",
"A ticket is evaluated once, from its first row. A later row with the same
id is reported `invalid`, its reason naming the first row's line, and counts
in no objective's period; the first row keeps its verdicts. Remove the
duplicate from the export, or give the tickets distinct ids.";

    OpenedAfterAsOf = "W0701", Warning, "ticket opened after the as-of instant (`opened_after_as_of`)",
"The log is read as it stood at the as-of instant (`--as-of`, or now): a
ticket opened after it has not happened yet. It is reported with no clock
started, in no period. Evaluate as of a later instant to judge it.";

    UnknownStatus = "W0702", Warning, "pause or resolved status that no event has (`unknown_status`)",
"A metric pauses (`paused while status in [...]`) or resolves on a status
that no event of the run has, so it never pauses or resolves a ticket.
Statuses match without regard to case, and spaces, `_` and `-` are the same;
the message lists the statuses that do occur. Correct the contract's status
name, or check that the right event log was given.";

    UnknownEventField = "W0703", Warning, "event changes a field the contract does not have (`unknown_event_field`)",
"An event of the `--events` log changes a field (`field,value` columns) that
is not a field of the contract, so the change is not used. A log may carry
more than a contract reads, so this is a warning even with --strict; if the
contract meant that field, declare it in `fields`.";
}
