#!/usr/bin/env python3
"""Compare what the real `sla` binary says about built-in holiday sets with
python-holidays itself, for a selection of countries, subdivisions and years
(CI runs this after the build; see .ci/run).

    scripts/holidays/compare.py [path/to/sla]

- Every listed set, for every listed year: `sla calendar --set S --year Y
  --format json` must give exactly python-holidays' dates and names.
- `NL` is the language's own set (SEMANTICS.md): it must equal
  python-holidays' dates for 2014-2060 (before 2014 the Netherlands had Queen's
  Day on 30 April, which the language's set does not model).
"""
import json
import subprocess
import sys
import warnings

# python-holidays warns when a country's table does not reach a year (India's
# festivals are dated 2001-2035): those years simply have fewer days.
warnings.filterwarnings("ignore", message="Requested Holidays are available only")
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import generate  # noqa: E402  (the same names and languages as the data file)

SETS = [
    "US", "US-NY", "US-CA", "US-TX", "GB", "GB-SCT", "GB-NIR", "GB-WLS",
    "DE", "DE-BY", "DE-BE", "FR", "IT", "ES", "ES-CT", "IE", "PL", "SE", "AT",
    "CA", "CA-QC", "CA-ON", "AU", "AU-NSW", "AU-VIC", "IN", "JP", "SG", "BR",
    "BR-SP", "ZA", "CH-ZH",
]
YEARS = [1990, 1999, 2000, 2004, 2010, 2019, 2020, 2021, 2022, 2024, 2025, 2026, 2030, 2045, 2060, 2070]


def sla_days(sla, s, year):
    out = subprocess.run(
        [sla, "calendar", "--set", s, "--year", str(year), "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return [(d["date"], d["name"]) for d in json.loads(out)["closed"]]


def python_days(s, year):
    import holidays

    code, _, sub = s.partition("-")
    cls = holidays.country_holidays(code).__class__
    h = holidays.country_holidays(
        code, subdiv=sub or None, years=year, language=generate.language_for(cls)
    )
    return sorted((d.isoformat(), n) for d, n in h.items() if d.year == year)


def main():
    import holidays

    if holidays.__version__ != generate.PINNED:
        sys.exit(f"install holidays=={generate.PINNED} (found {holidays.__version__})")
    sla = sys.argv[1] if len(sys.argv) > 1 else "target/debug/sla"
    failures = 0
    checked = 0
    cases = [(s, y) for s in SETS for y in YEARS] + [("NL", y) for y in range(2014, 2061)]
    for s, y in cases:
        got, want = sla_days(sla, s, y), python_days(s, y)
        if s == "NL":
            # The language names its days itself ("Whit Sunday" where
            # python-holidays says "Pentecost"): the dates must agree.
            got, want = [(d, "") for d, _ in got], [(d, "") for d, _ in want]
        checked += 1
        if got != want:
            failures += 1
            print(f"{s} {y}: sla and python-holidays differ")
            for line in sorted(set(got) - set(want)):
                print(f"  only sla:             {line}")
            for line in sorted(set(want) - set(got)):
                print(f"  only python-holidays: {line}")
    if failures:
        sys.exit(f"{failures} of {checked} set-years differ")
    print(f"{checked} set-years: sla agrees with python-holidays {generate.PINNED}")


if __name__ == "__main__":
    main()
