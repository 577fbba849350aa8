#!/usr/bin/env python3
"""Writes a CARE-shaped ticket log (the columns of contracts/care.sla) to stdout.

    gen_care_log.py N [SEED]

N tickets, ~78 bytes each, deterministic for a given seed. Timestamps come in
the three forms real logs mix (UTC `...Z`, an explicit offset, and a naive
local `YYYY-MM-DD HH:MM:SS`); some response and resolution cells are empty,
most causes are empty, as in /work/shared/testdata/care/tickets.csv.
"""

import random
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
ZONE = ZoneInfo("Europe/Amsterdam")
YEAR = 365 * 86400


def stamp(rng: random.Random, t: datetime) -> str:
    form = rng.random()
    if form < 0.46:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = t.astimezone(ZONE)
    if form < 0.78:
        return local.isoformat()
    return local.strftime("%Y-%m-%d %H:%M:%S")


def main() -> None:
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20250101)
    out = sys.stdout
    out.write("id,opened_at,priority,cause,responded_at,resolved_at\n")
    lines = []
    for i in range(1, n + 1):
        opened = START + timedelta(seconds=rng.randrange(YEAR))
        p = rng.random()
        priority = "high" if p < 0.4 else ("medium" if p < 0.7 else "low")
        c = rng.random()
        cause = "" if c < 0.86 else ("customer" if c < 0.95 else "third_party")
        responded = opened + timedelta(seconds=int(rng.expovariate(1 / 30000)))
        resolved = responded + timedelta(seconds=int(rng.expovariate(1 / 90000)))
        resp = "" if rng.random() < 0.045 else stamp(rng, responded)
        reso = "" if rng.random() < 0.095 else stamp(rng, resolved)
        lines.append(f"CA-{i:07d},{stamp(rng, opened)},{priority},{cause},{resp},{reso}\n")
        if len(lines) == 10000:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


if __name__ == "__main__":
    main()
