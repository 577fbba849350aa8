#!/usr/bin/env python3
"""Writes an event-shaped ServiceNow export (one row per update of an
incident, the columns contracts/examples/servicenow-incident.sla reads through
the `servicenow` profile) to stdout.

    gen_event_export.py N [SEED]

N incidents, their rows together and in update order, as in the real audit
log (../shared/data/servicenow-uci): New, Active, sometimes a wait for the
user and Active again, Resolved, Closed; about 4.6 rows and 430 bytes an
incident, deterministic for a given seed. The last 50 incidents are still
open (their last row is not `Closed`), a backlog that does not grow with N.
"""

import random
import sys
from datetime import datetime, timedelta

START = datetime(2024, 1, 1)
LEVELS = ["1 - High", "2 - Medium", "3 - Low"]
# Columns the contract does not read, as wide as the real log's rows.
PAD = "Caller {c},Opened by {o},Phone,Location {l},Category {g},Group {a}"


def stamp(t: datetime) -> str:
    return f"{t.day}/{t.month}/{t.year} {t.hour:02}:{t.minute:02}"


def main() -> None:
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 11)
    out = sys.stdout
    out.write(
        "number,incident_state,sys_mod_count,sys_updated_at,opened_at,resolved_at,"
        "closed_at,urgency,impact,made_sla,caller_id,opened_by,contact_type,"
        "location,category,assignment_group\n"
    )
    step = 3 * 365 * 86400 / max(n, 1)
    for i in range(n):
        opened = START + timedelta(seconds=int(i * step))
        states = [("New", opened)]
        t = opened + timedelta(minutes=rng.randint(5, 600))
        states.append(("Active", t))
        if rng.random() < 0.3:
            t += timedelta(minutes=rng.randint(30, 3000))
            states.append(("Awaiting User Info", t))
            t += timedelta(minutes=rng.randint(30, 3000))
            states.append(("Active", t))
        t += timedelta(minutes=rng.randint(30, 6000))
        resolved = t
        states.append(("Resolved", t))
        closed = t + timedelta(days=5)
        states.append(("Closed", closed))
        if i >= n - 50:
            states = states[:2]
        last = states[-1][0]
        res = stamp(resolved) if last in ("Resolved", "Closed") else "?"
        clo = stamp(closed) if last == "Closed" else "?"
        urgency, impact = rng.choice(LEVELS), rng.choice(LEVELS)
        made = "true" if rng.random() < 0.8 else "false"
        pad = PAD.format(
            c=rng.randint(1, 5000),
            o=rng.randint(1, 200),
            l=rng.randint(1, 300),
            g=rng.randint(1, 60),
            a=rng.randint(1, 80),
        )
        for count, (state, at) in enumerate(states):
            out.write(
                f"INC{i:08},{state},{count},{stamp(at)},{stamp(opened)},{res},{clo},"
                f"{urgency},{impact},{made},{pad}\n"
            )


if __name__ == "__main__":
    main()
