"""The unemployment-benefit channel measured: how much longer recipients stay unemployed when benefits are higher.

Two runs (or two sets of runs on the same seeds) that differ only in ``policy.unemployment_insurance.replacement_rate``
give each its mean completed duration of benefit recipients' spells,

    D = sum insured_spell_months_ended / sum insured_spells_ended   (spells begun by a layoff in month 1 or later
                                                                    that ended in a hire, months from layoff to hire)

and its mean benefit paid, B = sum outlay_benefits / sum ui_recipients (per recipient-month, after the floor and
the cap). The implied elasticity of duration with respect to the benefit level is the arc elasticity by the
midpoint formula,

    e = ((D_high - D_low) / ((D_high + D_low) / 2)) / ((B_high - B_low) / ((B_high + B_low) / 2)),

with the log-difference form ln(D_high / D_low) / ln(B_high / B_low) reported beside it. The range it is checked
against, :data:`LITERATURE_RANGE`, is 0.3-1.0: Krueger and Meyer (2002, Handbook of Public Economics vol. 4) survey
US estimates of 0.5-1.0 for the benefit level; Chetty (2008, J. Political Economy) about 0.5; Landais (2015,
AEJ: Economic Policy) 0.35-0.5 from a regression kink; Lalive, van Ours and Zweimueller (2006, Rev. Econ. Stud.)
find lower values in Austria (the lower end is widened to 0.3 for them).

``python -m simulation.validation.benefits`` runs the measurement at the sizes of :data:`DEFAULT` and prints it,
with a markdown section (:func:`markdown_section`) for the validation page.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable, Sequence

import pandas as pd

LITERATURE_RANGE = (0.3, 1.0)
SOURCES = ("Krueger and Meyer (2002, Handbook of Public Economics): 0.5-1.0 (US, benefit level)",
           "Chetty (2008, J. Political Economy): about 0.5",
           "Landais (2015, AEJ: Economic Policy): 0.35-0.5 (regression kink)",
           "Lalive, van Ours and Zweimueller (2006, Rev. Econ. Stud.): lower in Austria")
DEFAULT = {"rates": (0.1, 0.6), "seeds": (1, 2, 3), "workers": 10_000, "months": 120}


def recipients_duration(runs: Iterable[pd.DataFrame], from_month: int = 1) -> dict[str, float]:
    """Pooled over these runs' timeseries (months ``from_month`` on): mean completed insured spell, mean benefit paid, counts."""
    spells = months = paid = recipient_months = 0.0
    for ts in runs:
        ts = ts[ts["month"] >= from_month]
        spells += float(ts["insured_spells_ended"].sum())
        months += float(ts["insured_spell_months_ended"].sum())
        paid += float(ts["outlay_benefits"].sum())
        recipient_months += float(ts["ui_recipients"].sum())
    return {"duration": months / spells if spells else math.nan, "benefit": paid / recipient_months if recipient_months else math.nan,
            "spells": spells, "recipient_months": recipient_months}


def arc_elasticity(d_low: float, d_high: float, b_low: float, b_high: float) -> float:
    """Arc elasticity of D with respect to B by the midpoint formula (module docstring)."""
    return ((d_high - d_low) / ((d_high + d_low) / 2.0)) / ((b_high - b_low) / ((b_high + b_low) / 2.0))


def benefit_elasticity(low: Iterable[pd.DataFrame], high: Iterable[pd.DataFrame], from_month: int = 1) -> dict[str, float]:
    """The implied duration elasticity from the timeseries of low-benefit and high-benefit runs (same seeds)."""
    lo, hi = recipients_duration(low, from_month), recipients_duration(high, from_month)
    return {"duration_low": lo["duration"], "duration_high": hi["duration"], "benefit_low": lo["benefit"],
            "benefit_high": hi["benefit"], "spells_low": lo["spells"], "spells_high": hi["spells"],
            "elasticity": arc_elasticity(lo["duration"], hi["duration"], lo["benefit"], hi["benefit"]),
            "elasticity_log": math.log(hi["duration"] / lo["duration"]) / math.log(hi["benefit"] / lo["benefit"])}


def run_pair(rates: Sequence[float] = DEFAULT["rates"], seeds: Sequence[int] = DEFAULT["seeds"], workers: int = DEFAULT["workers"],
             months: int = DEFAULT["months"], scenario: str = "baseline", overrides: Sequence[str] = ()) -> dict[str, float]:
    """Run ``scenario`` at the two replacement rates on these seeds and measure :func:`benefit_elasticity`."""
    from ..runner import compose, run_config

    def runs(rate: float) -> list[pd.DataFrame]:
        out = []
        for seed in seeds:
            cfg = compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", "figures=false",
                                     f"policy.unemployment_insurance.replacement_rate={rate}", *overrides])
            out.append(run_config(cfg).timeseries)
        return out

    result = benefit_elasticity(runs(rates[0]), runs(rates[1]))
    result.update(rate_low=rates[0], rate_high=rates[1], seeds=len(seeds), workers=workers, months=months)
    return result


def markdown_section(result: dict[str, float]) -> list[str]:
    """A short section for the validation page: the measured durations, benefits and elasticity against the literature."""
    lo, hi = LITERATURE_RANGE
    inside = lo <= result["elasticity"] <= hi
    return [
        "## Unemployment benefits and spell duration", "",
        f"Replacement rate {result['rate_low']:g} against {result['rate_high']:g} ({int(result['seeds'])} seeds, "
        f"{int(result['workers']):,} workers, {int(result['months'])} months, the same seeds): benefit recipients' mean "
        f"completed spell is {result['duration_low']:.2f} months against {result['duration_high']:.2f} "
        f"(mean benefit {result['benefit_low']:,.0f} against {result['benefit_high']:,.0f} a month). The implied "
        f"elasticity of duration with respect to the benefit level (arc, midpoint formula) is {result['elasticity']:.2f} "
        f"(log form {result['elasticity_log']:.2f}), {'inside' if inside else 'outside'} the range {lo:g}-{hi:g} "
        "the literature reports: " + "; ".join(SOURCES) + ".", "",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Print the measurement (and its markdown section)."""
    ap = argparse.ArgumentParser(prog="python -m simulation.validation.benefits", description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=DEFAULT["workers"])
    ap.add_argument("--months", type=int, default=DEFAULT["months"])
    ap.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT["seeds"]))
    ap.add_argument("--rates", type=float, nargs=2, default=list(DEFAULT["rates"]))
    ap.add_argument("--set", dest="overrides", nargs="*", default=[], help="extra Hydra overrides, e.g. market.search_benefit_elasticity=0")
    a = ap.parse_args(argv)
    result = run_pair(a.rates, a.seeds, a.workers, a.months, overrides=a.overrides)
    print("\n".join(markdown_section(result)))


if __name__ == "__main__":
    main()
