"""Every empirical target of the US validation page, defined once: value and source.

Where a source gives a range, ``band`` holds it and ``value`` its midpoint.
The page's prose cites each source in full (:mod:`simulation.validation.prose`).
The calibration's targets are the profiles' own, with their standard errors
(``simulation/data/profiles/<profile>_targets.csv``, :mod:`simulation.validation.smm`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One empirical target: its value and where it comes from."""

    value: float
    source: str
    label: str
    band: tuple[float, float] | None = None


JOLTS = "US BLS JOLTS, September 2024"
DWS = "BLS Displaced Worker Survey, January 2024"

EMPIRICAL: dict[str, Target] = {
    # worker flows (share of employment a month; openings: share of employment plus openings)
    "hires": Target(0.035, f"{JOLTS}: hires 3.5% of employment", "hires / employment, monthly"),
    "separations": Target(0.033, f"{JOLTS}: total separations 3.3% of employment", "separations / employment, monthly"),
    "quits": Target(0.019, f"{JOLTS}: quits 1.9% of employment", "quits / employment, monthly"),
    "layoffs": Target(0.012, f"{JOLTS}: layoffs and discharges 1.2% of employment", "layoffs and discharges / employment, monthly"),
    "vacancy_rate": Target(0.045, f"{JOLTS}: job openings rate 4.5%", "job openings / (employment + openings)"),
    "unemployment_rate": Target(0.041, "US unemployment rate, September 2024 (BLS): 4.1%", "unemployment rate"),
    # workers displaced (long-tenured, 2021-23), 1-36 months after displacement
    "displaced_employed": Target(
        0.657,
        f"{DWS} (displaced 2021-23): 65.7% re-employed",
        "displaced workers employed (1-36 months after)",
    ),
    "displaced_unemployed": Target(0.161, f"{DWS}: 16.1% unemployed", "displaced workers unemployed (1-36 months after)"),
    "displaced_out_of_labor_force": Target(
        0.182,
        f"{DWS}: 18.2% out of the labour force",
        "displaced workers out of the labour force (1-36 months after)",
    ),
    "displaced_reemployed_prime_age": Target(0.745, f"{DWS}: 74.5% of the displaced aged 25-54 re-employed",
                                             "displaced workers re-employed, aged 25-54"),
    "displaced_reemployed_older": Target(0.553, f"{DWS}: 55.3% of the displaced aged 55-64 re-employed",
                                         "displaced workers re-employed, aged 55-64"),
    "displaced_earnings_change": Target(
        -0.25,
        "Jacobson, LaLonde and Sullivan 1993 (American Economic Review 83(4)): earnings of high-tenure displaced workers about 25% "
        "below their pre-displacement level in the long run",
        "earnings after displacement vs before, long run",
    ),
    # the cycle
    "beveridge_corr": Target(
        -0.89, "Shimer 2005 (AER 95(1), Table 1, quarterly US data 1951-2003): u-v correlation -0.89", "u-v correlation"
    ),
    "matching_u_elasticity": Target(
        0.6,
        "Petrongolo and Pissarides 2001 (Journal of Economic Literature 39(2)): elasticity of hires on unemployment 0.5-0.7",
        "elasticity of hires on unemployment",
        band=(0.5, 0.7),
    ),
    # AI
    "ai_wage_premium": Target(0.56, "PwC Global AI Jobs Barometer 2025: AI-skill wage premium 56% (2024)", "AI wage premium"),
    "ai_wage_premium_china": Target(
        0.82,
        "Liepin, H1 2023: generative-AI postings above RMB 400k a year against RMB 220k in electric vehicles (about +80%)",
        "AI wage premium, China",
    ),
    "ai_adoption_2023": Target(0.08, "Eurostat (isoc_eb_ai): 8.0% of EU enterprises used AI in 2023", "firms using AI, 2023"),
    "ai_adoption_2024": Target(0.135, "Eurostat (isoc_eb_ai): 13.5% of EU enterprises used AI in 2024", "firms using AI, 2024"),
}


def value(key: str) -> float:
    """The target value of ``key``."""
    return EMPIRICAL[key].value
