#!/usr/bin/env python3
"""Writes a help desk's ticket log and event log for benches/eval/histories.sla.

    gen_history_log.py N TICKETS.csv EVENTS.csv [SEED]

N tickets (`id,opened_at,priority,resolved_at`) and about 5 N events
(`id,at,status,activity`), deterministic for a given seed. Each ticket's
history: the agent replies and asks (pending), the customer answers (open),
one or two more rounds of replies, the ticket is solved; one in five is
reopened by the customer and solved again; one in twenty is still open
(no resolution). The event log is grouped by ticket in the ticket log's
order, as exports are; times are UTC.
"""

import random
import sys
from datetime import datetime, timedelta, timezone

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
YEAR = 365 * 86400


def z(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def history(rng: random.Random, opened: datetime):
    """The ticket's events (at, status, activity) and its last resolution."""
    t = opened
    gap = lambda mean: timedelta(seconds=1 + int(rng.expovariate(1 / mean)))  # noqa: E731
    events = []
    t += gap(20000)
    events.append((t, "pending", "agent_reply"))
    rounds = 1 if rng.random() < 0.65 else 2
    for _ in range(rounds):
        t += gap(40000)
        events.append((t, "open", "customer_reply"))
        t += gap(15000)
        events.append((t, "pending", "agent_reply"))
    if rng.random() < 0.05:
        return events, None  # still open
    t += gap(30000)
    events.append((t, "solved", ""))
    resolved = t
    if rng.random() < 0.2:
        t += gap(80000)
        events.append((t, "open", "customer_reply"))
        t += gap(20000)
        events.append((t, "solved", "agent_reply"))
        resolved = t
    return events, resolved


def main() -> None:
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20250101)
    with open(sys.argv[2], "w") as tickets, open(sys.argv[3], "w") as log:
        tickets.write("id,opened_at,priority,resolved_at\n")
        log.write("id,at,status,activity\n")
        tl, el = [], []
        for i in range(1, n + 1):
            opened = START + timedelta(seconds=rng.randrange(YEAR))
            p = rng.random()
            priority = "high" if p < 0.4 else ("medium" if p < 0.7 else "low")
            events, resolved = history(rng, opened)
            tid = f"HD-{i:07d}"
            reso = z(resolved) if resolved else ""
            tl.append(f"{tid},{z(opened)},{priority},{reso}\n")
            el.extend(f"{tid},{z(at)},{status},{act}\n" for at, status, act in events)
            if len(tl) >= 10000:
                tickets.write("".join(tl))
                log.write("".join(el))
                tl.clear()
                el.clear()
        tickets.write("".join(tl))
        log.write("".join(el))


if __name__ == "__main__":
    main()
