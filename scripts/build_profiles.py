#!/usr/bin/env python3
"""Derive the profiles' data (the China and US markets) from public raw data.

Usage::

    python scripts/build_profiles.py --source <data dir> [--out simulation/data/profiles]

``<data dir>`` is the project's shared data folder: it holds ``china/`` (NBS unemployment by month and age
group, graduates, AI talent-market tightness and pay, unemployment insurance: see its README) and the US
figures of ``china/global_comparison.csv`` (JOLTS 2024-2025). None of the raw files is shipped. Only rows whose
``status`` is ``confirmed``, ``confirmed (secondary)``, ``confirmed (projection)`` or ``derived`` become targets;
the others are never read.

It writes, into ``--out``:

* ``china_occupations.csv``: every occupation's monthly base wage in CNY and its initial employment share.
  Wages keep the occupation table's relative structure (US BLS OEWS 2021) within each lane and are scaled per
  lane: AI-core so that the machine-learning engineer earns the algorithm engineer's posted pay (Zhaopin,
  2025 Q1-Q3: 21,400 CNY a month), traditional so that the mean AI-core wage over the mean traditional wage
  (initial employment weights) equals the AI-over-new-economy posted-pay ratio (Maimai 2025: 61,764 against
  45,553 CNY a month), AI-adjacent at the geometric mean of the two factors (an assumption). Employment
  shares are the table's (no source gives China's shares by occupation).
* ``china_monthly.csv``: NBS urban surveyed unemployment (2023-01..2025-12) and the three age-group rates
  excluding students (2023-12..2025-12), by month, with the month of the run each falls in (month 1 =
  2023-01, the China profile's ``profile.start``).
* ``china_targets.csv`` and ``us_targets.csv``: the moments the calibration and the validation pages use,
  each with its value, unit, period, status and source.

Output is deterministic (fixed row order, 6 significant digits). Missing files or columns exit with status 2
and a one-line message.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

USABLE = ("confirmed", "confirmed (secondary)", "confirmed (projection)", "derived")
OCCUPATIONS = Path(__file__).resolve().parent.parent / "simulation" / "data" / "occupations.csv"
START = (2023, 1)  # month 1 of the China profile's runs


class DataError(Exception):
    """A raw file is missing or unusable."""


def read(path: Path) -> list[dict]:
    if not path.is_file():
        raise DataError(f"{path}: not found (expected the project's shared data folder; see --help)")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def usable(row: dict) -> bool:
    return row.get("status", "").strip() in USABLE


STATUS_LABELS = {"urban": "urban_rate", "31-city": "rate_31_cities", "16-24": "age_16_24", "25-29": "age_25_29", "30-59": "age_30_59"}


def usable_cell(row: dict, col: str) -> bool:
    """Whether one cell of a monthly row is usable: the row's status, or, when the status is given per column
    ("16-24 & 25-29 confirmed; 30-59 derived"), that column's."""
    if usable(row):
        return True
    for part in row.get("status", "").split(";"):
        words = part.strip().split(" ")
        cols = [STATUS_LABELS.get(w) for w in words if w in STATUS_LABELS]
        status = " ".join(w for w in words if w not in STATUS_LABELS and w != "&")
        if col in cols:
            return status in USABLE
    return False


def number(row: dict, key: str, path: str) -> float:
    try:
        return float(str(row[key]).replace(",", ""))
    except (KeyError, ValueError):
        raise DataError(f"{path}: row {row.get('indicator', row.get('month', '?'))!r} has no number in {key!r}") from None


def g6(x: float) -> str:
    return f"{x:.6g}"


def run_month(month: str) -> int:
    year, mon = (int(x) for x in month.split("-"))
    return (year - START[0]) * 12 + mon - START[1] + 1


def talent(source: Path) -> dict[tuple[str, str], dict]:
    rows = read(source / "china" / "china_ai_talent.csv")
    return {(r["indicator"], r["period"]): r for r in rows if usable(r)}


def pick(tal: dict, indicator: str, period: str) -> dict:
    try:
        return tal[(indicator, period)]
    except KeyError:
        raise DataError(f"china_ai_talent.csv: no usable row {indicator!r} for {period!r}") from None


def china_occupations(source: Path) -> list[dict]:
    tal = talent(source)
    algo = number(pick(tal, "algorithm_engineer_avg_monthly_pay", "2025-Q1..Q3"), "value", "china_ai_talent.csv")
    ai_pay = number(pick(tal, "ai_avg_monthly_pay_new_postings", "2025 (to Oct)"), "value", "china_ai_talent.csv")
    new_econ = 45553.0  # the note of the same row: "new-economy average 45,553 CNY/month"
    if "45,553" not in pick(tal, "ai_avg_monthly_pay_new_postings", "2025 (to Oct)")["note"]:
        raise DataError("china_ai_talent.csv: the Maimai 2025 row no longer notes the new-economy average (45,553)")
    ratio = ai_pay / new_econ
    occ = read(OCCUPATIONS)
    wage = {r["occupation"]: float(r["base_wage"]) for r in occ}
    share = {r["occupation"]: float(r["initial_share"]) for r in occ}
    lane = {r["occupation"]: r["lane"] for r in occ}

    def mean(ln: str) -> float:
        names = [o for o in wage if lane[o] == ln]
        return sum(wage[o] * share[o] for o in names) / sum(share[o] for o in names)

    f_core = algo / wage["ml_engineer"]
    f_trad = f_core * mean("ai_core") / mean("traditional") / ratio
    factor = {"ai_core": f_core, "traditional": f_trad, "ai_adjacent": (f_core * f_trad) ** 0.5}
    return [{"occupation": o, "base_wage": g6(wage[o] * factor[lane[o]]), "initial_share": f"{share[o]:.6f}",
             "source": f"table wage x {factor[lane[o]]:.4f} ({lane[o]} scale)"} for o in wage]


def china_monthly(source: Path) -> list[dict]:
    urban = {r["month"]: r for r in read(source / "china" / "china_unemployment_monthly.csv")}
    age = {r["month"]: r for r in read(source / "china" / "china_unemployment_by_age_monthly.csv")}
    out = []
    for month in sorted(set(urban) | set(age)):
        u, a = urban.get(month, {}), age.get(month, {})
        row = {"month": month, "run_month": run_month(month)}
        row["urban_rate"] = u.get("urban_rate", "") if u and usable_cell(u, "urban_rate") else ""
        for col in ("age_16_24", "age_25_29", "age_30_59"):
            row[col] = a.get(col, "") if a and usable_cell(a, col) else ""
        row["status_urban"] = u.get("status", "")
        row["status_age"] = a.get("status", "")
        if any(row[c] for c in ("urban_rate", "age_16_24", "age_25_29", "age_30_59")):
            out.append(row)
    if not out:
        raise DataError("china unemployment files: no usable month")
    return out


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def china_targets(source: Path, monthly: list[dict]) -> list[dict]:
    tal = talent(source)
    nbs = "NBS urban surveyed unemployment (china_unemployment_monthly.csv)"
    nbs_age = "NBS unemployment by age, students excluded (china_unemployment_by_age_monthly.csv)"

    def col(name: str, years: tuple[str, ...], months: tuple[int, ...] = tuple(range(1, 13))) -> list[float]:
        return [float(r[name]) for r in monthly if r[name] and r["month"][:4] in years and int(r["month"][5:]) in months]

    rows = []

    def add(moment, value, unit, period, status, source_, role, note=""):
        rows.append({"moment": moment, "value": g6(value), "unit": unit, "period": period, "status": status,
                     "source": source_, "role": role, "note": note})

    add("urban_rate", _mean(col("urban_rate", ("2023", "2024", "2025"))), "%", "2023-01..2025-12", "confirmed", nbs, "target",
        "mean of 36 months (3 derived)")
    add("urban_graduation_bump", _mean(col("urban_rate", ("2023", "2024", "2025"), (7, 8))) - _mean(col("urban_rate", ("2023", "2024", "2025"), (5, 6))),
        "points", "2023-2025", "confirmed", nbs, "target", "mean of July-August less mean of May-June")
    add("urban_february_excess", _mean(col("urban_rate", ("2023", "2024", "2025"), (2,))) - _mean(col("urban_rate", ("2023", "2024", "2025"))),
        "points", "2023-2025", "confirmed", nbs, "check", "Spring Festival: not modelled")
    add("age_16_24", _mean(col("age_16_24", ("2024", "2025"))), "%", "2024-01..2025-12", "confirmed", nbs_age, "target")
    add("age_16_24_june", _mean(col("age_16_24", ("2024", "2025"), (6,))), "%", "June 2024, 2025", "confirmed", nbs_age, "check")
    add("age_16_24_august_over_june", _mean(col("age_16_24", ("2024", "2025"), (8,))) - _mean(col("age_16_24", ("2024", "2025"), (6,))),
        "points", "2024, 2025", "confirmed", nbs_age, "target", "graduation peak: August less June")
    add("age_16_24_december_over_june", _mean(col("age_16_24", ("2024", "2025"), (12,))) - _mean(col("age_16_24", ("2024", "2025"), (6,))),
        "points", "2024, 2025", "confirmed", nbs_age, "check", "how long the graduation peak lasts")
    add("age_25_29", _mean(col("age_25_29", ("2024", "2025"))), "%", "2024-01..2025-12", "confirmed", nbs_age, "target")
    add("age_30_59", _mean(col("age_30_59", ("2024", "2025"))), "%", "2024-01..2025-11", "confirmed", nbs_age, "target", "2024-12 not found")
    ai_2024 = number(pick(tal, "ai_sector_supply_demand_ratio", "2024"), "value", "china_ai_talent.csv")
    ai_2025 = number(pick(tal, "ai_sector_supply_demand_ratio", "2025-H1"), "value", "china_ai_talent.csv")
    ne_2024 = number(pick(tal, "new_economy_supply_demand_ratio", "2024-01..2024-10"), "value", "china_ai_talent.csv")
    ne_2025 = number(pick(tal, "new_economy_supply_demand_ratio", "2025-01..2025-02"), "value", "china_ai_talent.csv")
    # the new economy's figure includes the AI roles themselves (a quarter of the openings of its top 20 job types in
    # 2024): the lane that is not AI has seekers per opening (ne - s ai) / (1 - s), s the AI roles' share of openings
    ai_share = number(pick(tal, "ai_roles_share_of_openings_top20_new_economy_job_types", "2024-01..2024-10"), "value", "china_ai_talent.csv") / 100

    def rest(ne: float, ai: float) -> float:
        return (ne - ai_share * ai) / (1.0 - ai_share)

    add("seekers_per_opening_ratio_ai_core_traditional", _mean([ai_2024 / rest(ne_2024, ai_2024), ai_2025 / rest(ne_2025, ai_2025)]), "ratio",
        "2024, 2025", "confirmed",
        f"Maimai talent reports: AI sector (1.0, 1.33) over the new economy (2.06, 2.27) net of its AI roles ({ai_share:.0%} of "
        "openings: 2.41, 2.58) seekers per opening (china_ai_talent.csv)",
        "target", "the AI-core lane against the traditional lane")
    ai_pay = number(pick(tal, "ai_avg_monthly_pay_new_postings", "2025 (to Oct)"), "value", "china_ai_talent.csv")
    add("ai_pay_ratio", ai_pay / 45553.0, "ratio", "2025 (to Oct)", "confirmed (secondary)",
        "Maimai 2025: AI new postings 61,764 against the new economy's 45,553 CNY a month (china_ai_talent.csv)", "target",
        "mean AI-core wage over mean traditional wage")
    grads = {r["year"]: r for r in read(source / "china" / "china_graduates.csv") if r["indicator"] == "college_graduates" and usable(r)}
    employed = number(pick(tal, "total_employed_persons", "2024"), "value", "china_ai_talent.csv")
    add("graduates_per_employed", float(grads["2024"]["value"]) / employed, "per year", "2024", "confirmed",
        "MoE college graduates 11.79 million (china_graduates.csv) over 734.39 million employed (china_ai_talent.csv)", "check",
        "economy-wide; the tech sector's own ratio is not published")
    add("ui_max_months", number(pick(tal, "ui_max_duration", "current"), "value", "china_ai_talent.csv"), "months", "current",
        "confirmed (secondary)", "Unemployment Insurance Regulations (1999): 12, 18 or 24 months by contribution years (china_ai_talent.csv)", "input")
    return rows


def us_targets(source: Path) -> list[dict]:
    rows_in = [r for r in read(source / "china" / "global_comparison.csv") if r["geography"] == "US" and usable(r)]
    out = []

    def series(indicator: str) -> list[dict]:
        return [r for r in rows_in if r["indicator"] == indicator and r["value"].strip()]

    for moment, indicator in (("hires_rate", "jolts_hires_rate"), ("quits_rate", "jolts_quits_rate"),
                              ("layoffs_rate", "jolts_layoffs_discharges_rate"), ("openings_rate", "jolts_job_openings_rate")):
        rs = series(indicator)
        if not rs:
            raise DataError(f"global_comparison.csv: no usable US row {indicator!r}")
        out.append({"moment": moment, "value": g6(_mean([float(r["value"]) for r in rs])), "unit": "% a month" if moment != "openings_rate" else "%",
                    "period": ", ".join(r["period"] for r in rs), "status": "confirmed",
                    "source": f"BLS JOLTS, US rows of global_comparison.csv ({indicator})", "role": "target", "note": f"mean of {len(rs)} releases"})
    # the Displaced Worker Survey and the earnings loss are quoted in the data folder's README, not in a table
    for moment, value, unit, note in (
        ("displaced_employed", 65.7, "%", "re-employed at the survey"),
        ("displaced_out_of_labor_force", 18.2, "%", "out of the labour force at the survey"),
        ("displaced_employed_25_54", 74.5, "%", "aged 25-54"),
        ("displaced_employed_55_64", 55.3, "%", "aged 55-64"),
    ):
        out.append({"moment": moment, "value": g6(value), "unit": unit, "period": "January 2024 (displaced 2021-23)", "status": "confirmed",
                    "source": "BLS Displaced Worker Survey, January 2024 (data README)", "role": "target" if moment == "displaced_employed" else "check", "note": note})
    return out


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        wr.writeheader()
        wr.writerows(rows)
    tmp.replace(path)


def build(source: Path, out: Path) -> list[Path]:
    monthly = china_monthly(source)
    files = {"china_occupations.csv": china_occupations(source), "china_monthly.csv": monthly,
             "china_targets.csv": china_targets(source, monthly), "us_targets.csv": us_targets(source)}
    paths = []
    for name, rows in files.items():
        write(out / name, rows)
        paths.append(out / name)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", required=True, type=Path, help="the shared data folder (holds china/)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "simulation" / "data" / "profiles")
    args = ap.parse_args(argv)
    try:
        for p in build(args.source, args.out):
            print(p)
    except DataError as exc:
        print(f"build_profiles: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
