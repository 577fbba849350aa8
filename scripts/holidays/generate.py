#!/usr/bin/env python3
"""Generate src/time/holiday_sets.bin, the built-in holiday sets of `sla`,
from python-holidays (the pinned version below).

    scripts/holidays/generate.py           # write the data file
    scripts/holidays/generate.py --check   # regenerate in memory; fail if the
                                           # committed file differs (CI runs this)

Why a data file and not code: python-holidays is the maintained source of
holiday law for ~150 countries; no maintained Rust crate follows it, and
writing holiday law by hand is how SLA tools go wrong. The dates are
generated once per python-holidays release and embedded into the binary
(`include_bytes!`), so `sla` needs no Python at run time.

Format (all integers unsigned LEB128 varints, strings length-prefixed UTF-8):

    magic "SLAHOL1\\n"
    text  python-holidays version
    int   first year, last year (inclusive)
    int   number of names; the names
    int   number of sets; per set (the directory):
          text  name (`US`, `US-NY`, `GB-SCT`)
          text  English name of the country, or the subdivision's code
          int   parent set + 1 (0 = none; a subdivision is stored as its
                country minus removals plus additions)
          int   where its body starts, in bytes after the directory
    then the bodies; each:
          int   number of removed dates; each: days after the previous one
                (the first: after 1 January of the first year)
          int   size of the set's palette of names; each: index into the names
          int   number of entries; each: days after the previous entry
                (likewise), index into the palette (one byte for most sets)

A date with several holidays has one name, python-holidays' own ("A; B").
Observed days are included (python-holidays' default, `observed=True`), as
are the holidays of the "public" category only.
"""
import argparse
import datetime
import pathlib
import re
import sys
import warnings

# python-holidays warns when a country's table does not reach a year (India's
# festivals are dated 2001-2035): those years simply have fewer days.
warnings.filterwarnings("ignore", message="Requested Holidays are available only")

PINNED = "0.109"
FIRST_YEAR = 1990
LAST_YEAR = 2070

# The EU, the UK and its nations, North America, Australia, India, Japan,
# Singapore, Brazil, South Africa, and a few more asked for often.
COUNTRIES = [
    # EU member states (NL is the language's own set, see below).
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
    "HU", "IE", "IT", "LV", "LT", "LU", "MT", "PL", "PT", "RO", "SK", "SI",
    "ES", "SE",
    # Elsewhere in Europe.
    "GB", "CH", "NO", "IS", "LI",
    # The Americas.
    "US", "CA", "MX", "BR", "AR", "CL", "CO",
    # Asia-Pacific, Africa.
    "AU", "NZ", "IN", "JP", "SG", "HK", "KR", "PH", "IL", "ZA",
]

# `NL` is not generated: the language defines it (SEMANTICS.md, "Calendars"),
# with King's Day on 27 April in every year. It equals python-holidays' for
# 2014 on; before 2014 python-holidays has Queen's Day on 30 April.
OWN_SETS = {"NL"}

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "time" / "holiday_sets.bin"
SUBDIV_CODE = re.compile(r"^[A-Z0-9]{1,3}$")


def varint(n, out):
    assert n >= 0
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return


def text(s, out):
    b = s.encode("utf-8")
    varint(len(b), out)
    out.extend(b)


def language_for(cls):
    """English names where python-holidays has them."""
    default = getattr(cls, "default_language", None)
    if default is None or default.startswith("en"):
        return None
    if "en_US" in getattr(cls, "supported_languages", ()):
        return "en_US"
    return None


def country_title(code):
    """`United States` from python-holidays' registry (`united_states`)."""
    from holidays.registry import COUNTRIES as REGISTRY

    for module, entry in REGISTRY.items():
        if entry[1] == code:
            fixed = {"hongkong": "Hong Kong"}
            return fixed.get(module, module.replace("_", " ").title())
    return code


def dates_of(code, subdiv=None):
    import holidays

    cls = holidays.country_holidays(code).__class__
    h = holidays.country_holidays(
        code,
        subdiv=subdiv,
        years=range(FIRST_YEAR, LAST_YEAR + 1),
        language=language_for(cls),
    )
    first = datetime.date(FIRST_YEAR, 1, 1)
    last = datetime.date(LAST_YEAR, 12, 31)
    return {d: n for d, n in h.items() if first <= d <= last}, cls


def build():
    import holidays

    if holidays.__version__ != PINNED:
        sys.exit(
            f"python-holidays {holidays.__version__} is installed; this data is "
            f"made with {PINNED}: pip install holidays=={PINNED}"
        )
    sets = []  # (name, title, parent index or None, {date: name})
    for code in COUNTRIES:
        days, cls = dates_of(code)
        title = country_title(code)
        parent = len(sets)
        sets.append((code, title, None, days))
        sub_names = getattr(cls, "subdivisions_aliases", {})
        aliases = {}
        for alias, sub in sub_names.items():
            aliases.setdefault(sub, alias)
        for sub in cls.subdivisions:
            if not SUBDIV_CODE.match(sub):
                continue
            sdays, _ = dates_of(code, sub)
            sets.append((f"{code}-{sub}", aliases.get(sub, sub), parent, sdays))

    names = sorted({n for s in sets for n in s[3].values()})
    index = {n: i for i, n in enumerate(names)}
    out = bytearray(b"SLAHOL1\n")
    text(PINNED, out)
    varint(FIRST_YEAR, out)
    varint(LAST_YEAR, out)
    varint(len(names), out)
    for n in names:
        text(n, out)
    origin = datetime.date(FIRST_YEAR, 1, 1)
    bodies = []
    for name, title, parent, days in sets:
        body = bytearray()
        if parent is None:
            removed, entries = [], sorted(days.items())
        else:
            base = sets[parent][3]
            removed = sorted(d for d in base if days.get(d) != base[d])
            entries = sorted((d, n) for d, n in days.items() if base.get(d) != n)
        varint(len(removed), body)
        prev = origin
        for d in removed:
            varint((d - prev).days, body)
            prev = d
        palette = sorted({index[n] for _, n in entries})
        local = {g: i for i, g in enumerate(palette)}
        varint(len(palette), body)
        for g in palette:
            varint(g, body)
        varint(len(entries), body)
        prev = origin
        for d, n in entries:
            varint((d - prev).days, body)
            varint(local[index[n]], body)
            prev = d
        bodies.append(body)
    varint(len(sets), out)
    offset = 0
    for (name, title, parent, _), body in zip(sets, bodies):
        text(name, out)
        text(str(title), out)
        varint(0 if parent is None else parent + 1, out)
        varint(offset, out)
        offset += len(body)
    for body in bodies:
        out.extend(body)
    return bytes(out), sets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file")
    args = ap.parse_args()
    data, sets = build()
    if args.check:
        old = OUT.read_bytes() if OUT.exists() else b""
        if old != data:
            sys.exit(
                f"{OUT.relative_to(ROOT)} differs from what python-holidays {PINNED} "
                f"gives ({len(old)} bytes committed, {len(data)} generated): "
                "run scripts/holidays/generate.py and commit the result"
            )
        print(f"{OUT.relative_to(ROOT)}: {len(sets)} sets, same as python-holidays {PINNED}")
        return
    OUT.write_bytes(data)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(sets)} sets, {len(data)} bytes")


if __name__ == "__main__":
    main()
