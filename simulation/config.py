"""Typed configuration: the one home of every parameter, its default, unit and range.

Every parameter is declared once here with :func:`param`, which records its unit,
meaning, allowed range and (where there is one) its source or rationale. The
dataclasses are registered in Hydra's ConfigStore as the schema of
``configs/config.yaml``; the YAML files under ``configs/`` only override values
(scenarios live in ``configs/scenario/``).

:func:`validate` checks a composed config once, collects every problem and
raises a single :class:`ConfigError` that names each field, the value given and
what is allowed.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from omegaconf import DictConfig, OmegaConf

CONFIG_NAME = "config"
SCHEMA_NAME = "laborshift_schema"

LANES = ("ai_core", "ai_adjacent", "traditional")
TARGETING = ("displaced", "mid_career", "all")


class ConfigError(ValueError):
    """A user error in the configuration: every problem found, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in self.problems))

    def __reduce__(self):
        # rebuilt from its problems, not its message, when it crosses a process boundary (a worker of a parallel run)
        return type(self), (self.problems,)


def param(
    default: Any,
    unit: str,
    doc: str,
    lo: float | None = None,
    hi: float | None = None,
    source: str = "",
    choices: tuple[str, ...] | None = None,
    lo_open: bool = False,
) -> Any:
    """Declare one parameter: default, unit, meaning, allowed range and source."""
    meta = {"unit": unit, "doc": doc, "lo": lo, "hi": hi, "source": source, "choices": choices, "lo_open": lo_open}
    return field(default=default, metadata=meta)


def prob(default: float, doc: str, unit: str = "probability", source: str = "") -> Any:
    """A parameter that must lie in [0, 1]."""
    return param(default, unit, doc, 0.0, 1.0, source)


# --------------------------------------------------------------------------- market
@dataclass
class MarketConfig:
    """Search, matching, separations and wages."""

    initial_unemployment_rate: float = prob(0.05, "share of the initial labour force unemployed when the burn-in starts", "share", "derived, not fitted: the no_ai steady state, so the burn-in starts near where it ends: the mean unemployment rate over months 24-120 of no_ai (10,000 workers, seeds 11-14; simulation.validation.experiments.simulate), rounded to 0.005, is 4.9% in the US profile and 4.8% in the China profile at their calibrated values (measured when the old calibration of the defaults, which derived it, was retired); China's surveyed urban rate is about 5% (NBS 2023-24)")
    initial_vacancy_rate: float = prob(0.055, "open positions as a share of each firm's initial labour demand", "share", "derived, not fitted: the no_ai steady state of the US profile (5.5%: the mean vacancy rate of the same runs as initial_unemployment_rate; 6.2% in the China profile, which keeps this value); US JOLTS openings rate 4.5% (Sept 2024)")
    applications_per_month: int = param(5, "applications / searcher / month", "applications each searcher sends per month", 1, 50, source="assumption: search is limited to a few applications a month (MODEL.md); with match_probability it sets the job-finding rate")
    on_the_job_applications: int = param(6, "applications / searcher / month", "applications each on-the-job searcher sends per month", 1, 50, source="set with on_the_job_search_rate, match_probability and job_to_job_wage_gain so that job-to-job moves are about 1.0-1.2% of employment a month in no_ai (US JOLTS quits 2.0% a month, most of them job to job); a later recalibration will refit it")
    match_probability: float = prob(0.15, "probability that an application finds a workable match: the firm would hire the applicant if they rank high enough (stochastic match quality); the others are turned down whatever the ranking", "probability", source="callback rates in resume audit studies are about 7-15% of applications (Bertrand and Mullainathan 2004, Am. Econ. Rev.: 9.7% and 6.5%; Kroft, Lange and Notowidigdo 2013, Q. J. Econ.); with applications_per_month it sets the job-finding rate of the unemployed (30-40% a month in no_ai) and so the unemployment rate; not fitted")
    insured_search_effort: float = prob(0.6, "search effort of an unemployed worker receiving unemployment insurance at the reference replacement ratio (ui_reference_ratio), as a share of an uninsured searcher's: their workable applications a month are this share of the others'; at other replacement ratios see search_benefit_elasticity", "share", source="assumption anchored on Krueger and Mueller (2010, J. Public Econ.): UI recipients spend less time searching, and search rises as benefits run out; Chetty (2008, J. Political Economy): longer benefits lengthen spells")
    ui_reference_ratio: float = param(0.3, "benefit / last wage", "replacement ratio (a recipient's benefit over their last wage) at which insured_search_effort and reservation_ratio_insured hold; other ratios move them (search_benefit_elasticity, reservation_benefit_slope)", 0.0, 1.0, lo_open=True, source="the shipped policy.unemployment_insurance.replacement_rate (0.3), so that the issue-14 calibration of the two constants holds at the defaults")
    search_benefit_elasticity: float = param(0.8, "elasticity", "elasticity of an insured searcher's search effort with respect to their replacement ratio rho: effort = min(insured_search_effort x (rho / ui_reference_ratio)^-elasticity, 1) (processes.insurance); 0: the benefit level does not change search", 0.0, 10.0, source="set with reservation_benefit_slope so that the elasticity of recipients' mean unemployment duration with respect to the benefit level lies in the range the literature reports, 0.3-1.0 (Krueger and Meyer 2002, Handbook of Public Economics: 0.5-1.0 in US studies; Chetty 2008, J. Political Economy: about 0.5; Landais 2015, AEJ: Economic Policy: 0.35-0.5; Lalive, van Ours and Zweimueller 2006, Rev. Econ. Stud.: lower in Austria); measured in tests/test_policy_ui.py. Search time falls with benefit generosity (Krueger and Mueller 2010, J. Public Econ.)")
    own_occupation_search_share: float = prob(0.7, "share of applications sent to vacancies in the searcher's own occupation; the rest go to skill-near occupations", "share", source="assumption: most search stays within one's occupation")
    search_distance_scale: float = param(0.08, "skill distance", "scale of the exp(-distance/scale) weight of other occupations in search", 1e-3, 10.0, lo_open=True, source="assumption: the weight falls by half at about 0.055 RMS skill distance (backend to data engineering)")
    matching_rounds: int = param(4, "rounds", "offer rounds per month (positions turned down go to the next applicants)", 1, 50, source="assumption: positions a worker turns down for a better offer are offered on within the month, a few times")
    min_fit: float = param(0.5, "fit score", "firms only consider applicants from another occupation whose fit to the occupation (basic-skill fit less any specialisation gap) is at least this; applicants in their own occupation are not screened", 0.0, 1.0, source="assumption: firms screen out career changers more than half the widest occupational skill gap away")
    outside_search_tries: int = param(3, "draws", "tries an application outside one's occupation makes to find a position the searcher would take (posted wage) and qualifies for (fit >= min_fit), in an occupation tighter than their own, before it goes to the own occupation", 1, 50, source="assumption: searchers read postings and skip those they would not take or could not get; a restriction of mobility moves applications to the own occupation rather than removing them, as in del Rio-Chanona et al. (2021)")
    outside_tightness_ratio: float = param(1.0, "ratio", "an application outside one's occupation goes only to occupations whose smoothed tightness (vacancies per searcher) is above this multiple of the searcher's own occupation's: searchers look where their prospects are better; 0 lets it go to any occupation", 0.0, 10.0, source="directed search (Moen 1997, J. Political Economy): searchers go where the chance of a job is higher; at 0 (search blind to tightness) free mobility drains tight occupations that outsiders cannot enter (AI-core roles need training, low-paid roles are below others' reservation wages), and restricting mobility lowers unemployment, the opposite of del Rio-Chanona et al. (2021)")
    specialisation_gap: float = param(0.5, "fit score", "fit subtracted for an AI-core occupation from a worker who holds no AI-core occupation-specific (task and technology) skills: not in an AI-core occupation, never in one and never retrained into one. The mobility friction into AI-core: at the default a backend engineer's fit for data engineering falls from 0.93 to 0.43, below min_fit, so the move needs retraining", 0.0, 1.0, source="assumption: O*NET basic skills put backend and data engineers 0.93 apart in fit; AI-core work needs specific skills (ML, data systems, accelerators) that workers acquire in training or on the job, so direct moves into AI-core roles are rare")
    on_the_job_search_rate: float = prob(0.25, "monthly probability that an employed worker searches on the job", "probability / month", source="set with on_the_job_applications, match_probability and job_to_job_wage_gain so that job-to-job moves are about 1.0-1.2% of employment a month in no_ai, climbing a job ladder of firm pay premia (Burdett and Mortensen 1998; US JOLTS quits 2.0% a month, most of them job to job); a later recalibration will refit it")
    job_to_job_wage_gain: float = param(0.01, "share of current wage", "minimum wage gain for an employed searcher to switch employer", 0.0, 2.0, source="assumption: a move needs a raise (a small one: employed workers move to any better-paying employer, Burdett and Mortensen 1998); with on_the_job_search_rate it sets job-to-job moves")
    quit_rate: float = prob(0.0065, "monthly probability that an employed worker quits into unemployment (without unemployment insurance)", "probability / month", "the pre-profile US value, set (not fitted) so that the JOLTS composition of separations holds in no_ai: quits into unemployment about 0.65% of employment a month, job-to-job moves (on-the-job search) the larger part of all quits (US JOLTS quits 2.0% a month, mostly job to job; 2024). The China profile keeps it (its calibration identifies separations into unemployment, not their split between quits and layoffs: configs/profile/china.yaml); the US profile's calibration fits 0.0089 with layoff_rate to JOLTS hires, quits, layoffs and openings (configs/profile/us.yaml, simulation/data/profiles/us_calibration.json)")
    new_match_separation_rate: float = prob(0.0, "monthly probability, beyond layoff_rate and quit_rate, that the job of an employee with less than new_match_months of tenure ends (a match found to be poor in its first months; counted as a layoff, the position reopens)", "probability / month", "0 in the US profile (its separations are calibrated to JOLTS without it); the China profile sets it to 0.030 from Farber's half-within-a-year less its other hazards (configs/profile/china.yaml; its calibration cannot separate it from layoff_rate). Separation hazards fall steeply with tenure: about half of new jobs end within a year (Farber 1999, Handbook of Labor Economics 3B; Jovanovic 1979, J. Political Economy: match quality is learnt on the job), which keeps young workers' unemployment above prime-age workers'")
    new_match_months: int = param(12, "months", "tenure below which new_match_separation_rate applies", 1, 600, source="assumption: a year, the span over which Farber (1999) finds the hazard of a job ending highest (probation periods in China's labour contracts last up to 6 months, Labour Contract Law art. 19)")
    layoff_rate: float = prob(0.011, "monthly probability that an employed worker's job ends in a match or firm shock (a layoff; the position reopens as a vacancy)", "probability / month", "US JOLTS layoffs and discharges 1.1-1.2% of employment a month (2024); the model's other layoffs (headcount above demand) are few in no_ai")
    ranking_noise: float = param(0.10, "fit score", "standard deviation of the idiosyncratic noise in firms' ranking of applicants", 0.0, 5.0, source="assumption: idiosyncratic interview noise")
    long_term_unemployment_penalty: float = param(0.05, "fit score", "ranking penalty for an applicant unemployed 24 months or more (linear below)", 0.0, 5.0, source="duration dependence: Kroft, Lange and Notowidigdo (2013)")
    wage_tightness_elasticity: float = param(0.15, "elasticity", "elasticity of an occupation's target wage index to its market tightness (vacancies per unemployed searcher) relative to month 1", 0.0, 5.0, source="assumption, in the range of wage-curve estimates (Blanchflower and Oswald 1994: elasticity of pay to unemployment about -0.1)")
    wage_adjustment: float = prob(0.08, "monthly speed at which an occupation's wage index moves to its target", "share / month", source="assumption: pay adjusts over about a year")
    wage_index_min: float = param(0.5, "ratio to base wage", "lower bound of an occupation's wage index", 0.01, 1.0, source="safety rail against runaway wages (rarely binding)")
    wage_index_max: float = param(3.0, "ratio to base wage", "upper bound of an occupation's wage index", 1.0, 100.0, source="safety rail against runaway wages (rarely binding)")
    firm_wage_dispersion: float = param(0.15, "log points", "standard deviation of firms' log wage premium", 0.0, 2.0, source="firm pay premia: standard deviation of firm effects about 0.1-0.2 log points (Card, Heining and Kline 2013)")
    recruiting_raise: float = param(0.2, "log points / month", "monthly rise of a firm's pay premium per unit of its vacancy rate above recruiting_threshold (firms that cannot fill their positions raise pay); 0 switches it off", 0.0, 5.0, source="assumption: a firm with most of its positions open for months raises pay within a few months; in wage-posting models no firm pays below what searchers take (Burdett and Mortensen 1998). Without it, firms drawn with low premia kept 50-90% of their positions open for years")
    recruiting_threshold: float = prob(0.10, "vacancy rate (open positions / labour demand) above which a firm raises its pay premium (market.recruiting_raise per unit of the excess)", "share", source="assumption: about twice the market's vacancy rate (US JOLTS openings 4.5% of employment, 2024); ordinary recruiting delays do not move pay")
    reservation_ratio_insured: float = param(0.9, "share of market value", "reservation wage while receiving unemployment insurance at the reference replacement ratio (ui_reference_ratio), as a share of the worker's market value (what an average employer of their occupation pays someone of their fit, experience and AI skills); also where a spell without benefits starts; at other replacement ratios see reservation_benefit_slope", 0.0, 2.0, source="calibrated: insured workers hold out for offers near their last wage, so longer benefits lengthen spells")
    reservation_benefit_slope: float = param(0.3, "share of market value per unit replacement ratio", "rise of the reservation ratio of an insured spell per unit of the worker's replacement ratio rho: reservation_ratio_insured + slope x (rho - ui_reference_ratio), at least reservation_ratio_floor (processes.insurance); 0: the benefit level does not change the reservation wage", 0.0, 10.0, source="assumption: reservation wages rise with the replacement ratio (Feldstein and Poterba 1984, J. Public Econ.), but only a little (Krueger and Mueller 2016, AEJ: Economic Policy); set with search_benefit_elasticity so that the duration elasticity lies in the literature's range (see search_benefit_elasticity)")
    reservation_ratio_floor: float = param(0.55, "share of market value", "floor the reservation wage falls to after benefits run out", 0.0, 2.0, source="assumption: after benefits workers accept cuts; long-run losses after displacement are about 25% (Jacobson, LaLonde and Sullivan 1993)")
    reservation_decay: float = prob(0.04, "monthly decline of the reservation wage towards its floor once benefits have run out", "share / month", source="assumption: reservation wages decline slowly over a spell (Krueger and Mueller 2016)")
    exit_rate_long_term: float = prob(0.04, "monthly hazard that a worker unemployed exit_min_months or more leaves the labour force (times the age factor)", "probability / month", "assumption anchored on Krueger, Cramer and Cho (2014, CPS): the long-term unemployed leave the labour force about twice as often a month as the short-term unemployed; with exit_rate_unemployed and reentry_rate it sets the displaced out of the labour force 1-3 years after displacement (BLS Displaced Worker Survey Jan 2024: 18.2%)")
    exit_rate_unemployed: float = prob(0.02, "monthly hazard that a worker unemployed less than exit_min_months leaves the labour force (discouraged, care, study); at exit_min_months and after the hazard is exit_rate_long_term", "probability / month", "assumption anchored on BLS CPS labor force status flows (2023-24): about a fifth of the unemployed are out of the labour force the next month, most of them churning back within months; here only the persistent part, chosen so that 8-15% of displaced workers are out 1-3 years after displacement in baseline (BLS Displaced Worker Survey Jan 2024: 18.2%)")
    exit_rate_employed: float = prob(0.001, "monthly hazard that an employee leaves the labour force (care, study, sabbatical)", "probability / month", "assumption anchored on BLS CPS labor force status flows: employment to not-in-labour-force is about 1.5% a month at ages 25-54, most of it reversed within a few months; the persistent part for tech workers, a small fraction of it, is assumed")
    olf_leave_rate: float = prob(0.02, "monthly hazard that a worker out of the labour force leaves the sector's labour market for good (another sector, emigration) instead of staying out or re-entering", "probability / month", source="assumption: tech workers who stop searching mostly move on to other sectors within a few years; without this flow the out-of-the-labour-force stock and the workforce's age grow without bound (entrants arrive from other sectors, no one left for them)")
    reentry_rate: float = prob(0.04, "monthly hazard that a worker out of the labour force re-enters it as unemployed (searching), at or below exit_age_threshold", "probability / month", "assumption anchored on BLS CPS labor force status flows: not-in-labour-force to unemployment is 1.5-2% a month of all of the inactive (retirees included) and several times that among those who want a job; 4% a month is a mean of about two years out")
    reentry_age_factor: float = param(0.05, "1 / year", "re-entry hazard divided by (1 + factor x years above exit_age_threshold): older leavers return less often", 0.0, 1.0, source="assumption: older workers who leave the labour force after displacement mostly stay out (BLS DWS Jan 2024: 55.3% re-employed at 55-64 against 74.5% at 25-54)")
    age_preference_threshold: float = param(35.0, "years", "age above which employers rank applicants lower (market.age_penalty per year above it)", 15.0, 80.0, source="the widely reported '35-year-old threshold' in Chinese tech hiring (job ads and layoffs favouring workers under 35)")
    age_penalty: float = param(0.01, "fit score / year", "ranking penalty per year of age above age_preference_threshold in firms' ranking of applicants", 0.0, 1.0, source="assumption: the size is not measured; 0.01 a year makes a 50-year-old rank 0.15 lower, about 1.5 standard deviations of ranking_noise")
    exit_age_factor: float = param(0.05, "1 / year", "proportional rise of the hazards of leaving the labour force (unemployed and long-term unemployed) per year of age above exit_age_threshold", 0.0, 1.0, source="older displaced workers leave the labour force more often: 74.5% re-employed at 25-54 against 55.3% at 55-64 (BLS DWS Jan 2024)")
    exit_min_months: int = param(12, "months", "months of unemployment after which a worker may leave the labour force (the long-term unemployed)", 1, 600, source="the OECD and Eurostat definition of long-term unemployment: a year or more")
    exit_age_threshold: float = param(45.0, "years", "age above which the hazard of leaving the labour force rises with age", 15.0, 80.0, source="BLS DWS Jan 2024: re-employment falls from 74.5% at 25-54 to 55.3% at 55-64; the rise is assumed to start mid-career")
    long_term_penalty_months: int = param(24, "months", "months unemployed at which firms' ranking penalty reaches long_term_unemployment_penalty (it grows linearly until then)", 1, 600, source="duration dependence flattens after one to two years (Kroft, Lange and Notowidigdo 2013)")
    graduate_reservation_ratio: float = param(0.8, "share of market wage", "a new graduate's reference wage, as a share of what their field pays a beginner with their fit (their reservation wage follows it as for a last wage)", 0.0, 2.0, source="assumption: graduates start below the occupation's average pay")
    rate_smoothing: float = prob(0.2, "weight of this month's observation in the smoothed tightness, job-finding and separation rates (exponential smoothing)", "weight", source="assumption: workers and wage setters look at about the last five months")
    skill_wage_return: float = param(0.5, "log points / fit", "rise of the log wage offered at hire per unit of the worker's fit for the occupation", 0.0, 10.0, source="assumption: a worker at fit 0.8 is offered about 10% less than one at fit 1.0 in the same job")
    experience_wage_return: float = param(0.015, "log points / year", "rise of the log wage offered at hire per year of age above demography.age_entry, up to 25 years", 0.0, 0.2, source="Mincer experience profile: log earnings rise about 0.4 over the first 25 years of potential experience in the US (Lagakos, Moll, Porzio, Qian and Schoellman 2018, J. Political Economy)")
    experience_transfer: float = prob(0.25, "share of a worker's credited experience that still counts for hire pay in a new occupation (after a move into it, retraining into it, or entering from another sector); the rest is occupation-specific and lost", "share", source="Kambourov and Manovskii (2009, Int. Econ. Rev.): returns to occupational tenure are large (five years in an occupation raise wages by 12-20%) and most of the return to experience is occupation-specific (general experience adds little once occupational tenure is controlled for); 0.25 is an assumption within that evidence")
    tenure_wage_growth: float = param(0.002, "log points / month", "monthly rise of an employee's pay with tenure at the same employer, for up to tenure_wage_cap_months; lost when the job ends", 0.0, 0.05, source="returns to tenure: ten years with one employer raise wages by about 25% (Topel 1991, J. Political Economy); the firm-specific part is lost on displacement (Jacobson, LaLonde and Sullivan 1993)")
    tenure_wage_cap_months: int = param(120, "months", "months of tenure after which pay stops rising with tenure", 0, 600, source="Topel (1991): the tenure profile flattens after about ten years")
    ai_core_pay_scale: float = param(1.0, "ratio to the profile's pay", "multiplier of the AI-core occupations' base wages (their pay relative to the other lanes: the region's AI pay premium, the ai_wage_premium output); 1: the profile's data", 0.2, 5.0, source="scenario and sensitivity setting: 1 keeps the profile's posted pay (China: Maimai job-platform pay; US: BLS OEWS 2021); a regional run raises it in one region to test the talent channel's response to the AI premium")
    ai_skill_premium: float = param(0.56, "share", "wage premium of a worker with AI skills over one without, within the same occupation and employer", 0.0, 5.0, source="PwC 2025 Global AI Jobs Barometer: jobs requiring AI skills pay 56% more than jobs in the same occupation without them")
    initial_tenure_mean_months: float = param(48.0, "months", "mean of the exponential distribution of the initial employees' months with their employer (capped by their years since age_entry)", 0.0, 600.0, source="BLS Employee Tenure (Jan 2024): median tenure of wage and salary workers 3.9 years")
    ai_skill_learning_rate: float = prob(0.005, "monthly probability, per unit of the employer's AI adoption, that an employee without AI skills learns them on the job", "probability / month", source="assumption: at full adoption about 6% of employees pick up AI skills in a year; at today's 15% adoption about 1% a year")
    ability_rank_weight: float = param(0.1, "fit score / SD", "rise of an applicant's ranking score per standard deviation of the ability employers see in them (workers.ability_seen); 0: employers ignore what they learn of ability", 0.0, 5.0, source="assumption: a standard deviation of revealed ability weighs in hiring as much as a standard deviation of interview noise (market.ranking_noise)")
    ability_wage_return: float = param(0.1, "log points / SD", "rise of the log wage offered at hire per standard deviation of the ability employers see in the worker (workers.ability_seen); 0: pay ignores it", 0.0, 2.0, source="Altonji and Pierret (2001, Q. J. Econ.): as employers learn, the log-wage return to a standard deviation of hard-to-observe ability (AFQT) rises by about 0.1 over ten years of experience")
    initial_spell_exit: float = prob(0.25, "monthly exit probability of the unemployment spells drawn for the initial population (geometric, mean 1/p - 1 months elapsed)", "probability / month", source="assumption: the burn-in replaces these spells with the market's own")


# --------------------------------------------------------------------------- AI
@dataclass
class AIConfig:
    """AI capability, firm adoption and how adoption moves labour demand."""

    capability_frozen: bool = param(False, "flag", "freeze AI capability at its initial level (the no_ai counterfactual)", source="MODEL.md: the no_ai counterfactual freezes capability")
    capability_initial: float = prob(0.15, "initial AI capability (share of its long-run level)", "index 0..1", source="assumption: today's capability as a sixth of its long-run level")
    capability_growth: float = param(0.06, "1 / month", "logistic growth rate of AI capability", 0.0, 5.0, source="assumption: capability reaches half its long-run level after about 2.5 years")
    return_scale: float = param(0.40, "return per unit adoption", "true return on AI at full capability (productivity gain per unit of adoption)", 0.0, 10.0, source="assumption: full adoption at full capability raises productivity about 40% in the most AI-fit sectors")
    adoption_initial: float = prob(0.15, "mean initial AI adoption across firms", "share of tasks", "Eurostat (isoc_eb_ai): 8.0% of EU enterprises with 10+ employees used AI in 2023, 13.5% in 2024; 15% for tech firms is an assumption anchored on it (docs/VALIDATION.md)")
    adoption_revision_rate: float = prob(0.08, "monthly probability that a firm revises its adoption, jumping to its desired level (adoption is lumpy: project by project)", "probability / month", source="assumption: firms revisit their AI plans about once a year")
    adoption_cost: float = param(0.10, "return per unit adoption", "cost of adopting AI, in the same units as its return", 0.0, 10.0, source="assumption: at today's capability adoption pays only for early adopters")
    adoption_sensitivity: float = param(8.0, "1 / return", "slope of desired adoption in the net expected return (logistic)", 0.0, 100.0, source="assumption")
    peer_weight: float = prob(0.5, "weight of the sector's mean adoption in a firm's desired adoption (diffusion)", "weight", source="technology diffuses through peers (Griliches 1957; Comin and Hobijn 2010); weight is an assumption")
    belief_learning_rate: float = prob(0.10, "monthly speed at which expected AI returns move towards observed returns", "share / month", source="assumption: expectations catch up over about ten months")
    automation_strength: float = prob(1.0, "share of an occupation's exposed labour demand removed at full adoption and capability", "share", source="calibrated: baseline displaces about 8% of the initial workforce over ten years")
    augmentation_strength: float = param(0.20, "share", "demand gain per unit of augmentation exposure at full adoption and capability", 0.0, 5.0, source="assumption: augmentation adds a little demand for exposed roles")
    builder_demand_gain: float = param(1.6, "share", "rise of the AI-core demand firms want per unit of adoption x expected return / return_scale (what they can pay for is the AI envelope, firms.ai_budget_share)", 0.0, 20.0, source="calibrated: AI-core employment about doubles over ten years in baseline (AI talent gap above 5 million, MoHRSS 2020). Larger values with a larger AI envelope (5 and firms.ai_budget_share 0.5) make AI-core employment about triple, as China's AI industry growth of more than 20% a year (CNNIC 2025) and a projected demand near 6 million against under 2 million qualified by 2030 (McKinsey 2023) suggest; the China profile sets 5 (configs/profile/china.yaml; tests/test_story_budget.py, tests/test_story_demand.py)")
    adjacent_demand_gain: float = param(0.6, "share", "rise of AI-adjacent demand per unit of adoption x expected return / return_scale", 0.0, 20.0, source="assumption: AI-adjacent demand grows about a third as fast as AI-core")
    hype_optimism: float = param(0.0, "share of true return", "mean over-estimate of the AI return by firms (0: none); firms over-hire for AI until disappointed", 0.0, 20.0, source="scenario setting (hype_cycle: 1.5)")
    hype_tolerance: float = param(0.15, "return", "gap between expected and realised return a firm tolerates before counting a month as a disappointment", 0.0, 10.0, source="assumption")
    hype_disillusion: float = prob(0.5, "share of the realised return by which a firm's expectation undershoots it when the firm stalls its AI projects (the trough of disillusionment); the expectation then recovers towards the realised return at belief_learning_rate", "share", source="assumption: after a hype, expectations overshoot downwards (Gartner's trough of disillusionment)")
    hype_patience: int = param(18, "months", "mean months of disappointment before a firm stalls its AI projects and drops its optimism", 1, 600, source="assumption: firms give AI projects one to two years")
    hype_dispersion: float = param(0.3, "log points", "standard deviation of the log of each firm's multiplier of hype_optimism and hype_patience", 0.0, 5.0, source="assumption: firms differ in how much they over-estimate AI and how long they wait")


# --------------------------------------------------------------------------- firms
@dataclass
class FirmConfig:
    """Firm population, sizes and hiring budgets."""

    workers_per_firm: int = param(200, "workers / firm", "population divided by this gives the number of firms", 1, 1_000_000, source="assumption: mid-sized employers; 1 million workers gives 5,000 firms")
    size_dispersion: float = param(0.8, "log points", "standard deviation of the log of firm size (firm sizes are log-normal with mean workers_per_firm, independent of the population)", 0.0, 3.0, source="firm sizes are close to log-normal in the body of the distribution (Cabral and Mata 2003, AER 93(4)); 0.8 (an assumption, not fitted to a size table) keeps the Herfindahl index of employment near exp(0.64)/firms, so the largest of 50 firms (10,000 workers) holds about a tenth of employment (5-16% over seeds) and aggregate noise falls with the population. The Pareto tail of Axtell (2001, Science 293) is not modelled: with the number of firms proportional to the population, a Zipf tail lets one firm hold a third of a small market")
    budget_slack: float = param(0.05, "share", "hiring budget above the cost of initial labour demand", 0.0, 5.0, source="assumption")
    ai_budget_share: float = param(0.25, "share", "growth of a firm's AI envelope (its budget for AI-core roles, in units of its base budget) per unit of adoption x expected return / return_scale: firms fund AI projects from the returns they expect", 0.0, 10.0, source="assumption: firms fund AI projects from the returns they expect; at 0.25 the envelope binds for the firms that adopt most (about half of firm-months in baseline); the China profile sets 0.5 with ai.builder_demand_gain 5, the AI race of CNNIC 2025 and McKinsey 2023 (configs/profile/china.yaml)")
    ai_new_money: float = param(2.0, "multiple", "growth of the payroll budget per unit of growth of the AI envelope: below 1 the rest of the envelope's growth is taken from the other roles (the AI budget competes with the rest of the payroll), above 1 the returns firms expect from AI also fund other roles", 0.0, 10.0, source="assumption: at 2 the payroll budget grows twice as fast as the AI envelope, as it did before the envelope existed (0.5 per unit of adoption x expected return); Chinese platform firms cut non-AI headcount while hiring for AI in 2023-2025 (reported widely, not measured), which values below 1 represent: the China profile sets 0.5")
    internal_transfer_rate: float = prob(0.0, "share of a firm's AI-core positions still open after matching that it fills each month by training its own employees from other lanes (internal transfers; 0: none)", "share / month", source="assumption, off by default: Chinese tech firms are widely reported to staff new AI teams by moving engineers from platform and product teams (2023-2025, not measured); at 0.1 a position the market cannot fill is filled from within in about ten months, and the AI budget then moves AI-core employment (tests/test_story_demand.py), at the cost of a looser AI-core lane and easier re-employment for the displaced than the issue-14 targets allow with today's other parameters")
    internal_transfer_min_fit: float = prob(0.70, "least fit for the AI-core occupation (1 - skill distance / max) an employee needs to be transferred into it", "fit", source="assumption: engineering and IT-operations roles (fit 0.7-0.95 on O*NET basic skills) feed AI teams; at 0.7 backend and frontend engineers supply most transfers, IT operations and QA engineers the rest")
    budget_adjustment: float = prob(0.10, "monthly speed at which the hiring budget moves to its target", "share / month", source="assumption: budgets are revised over about a year")
    initial_adoption_concentration: float = param(20.0, "a + b", "concentration of the beta distribution of firms' initial adoption (mean ai.adoption_initial; larger: firms start closer to the mean)", 0.001, 1e6, source="assumption: a standard deviation of about 0.08 around a 15% mean")


# --------------------------------------------------------------------------- cycle
@dataclass
class CycleConfig:
    """Exogenous demand cycle, multiplying every firm's budget and demand."""

    trend_growth: float = param(0.02, "1 / year", "trend growth of labour demand and budgets in the tech sector", -0.3, 0.3, source="assumption: tech employment grows a few percent a year; the range keeps ten years of trend within a factor of 14 (at 1, 2,000 workers became 6.8 million in ten years)")
    lane_trend_ai_core: float = param(0.0, "1 / year", "growth of AI-core roles' demand (and of the AI envelope that pays for it) beyond the common trend, whatever AI capability does: the lane's own growth (recommendation, search, data platforms, strategic AI teams); acts in the burn-in and in every scenario, no_ai included", -0.3, 1.0, source="0 in the US profile; the China profile fits it to the Maimai seekers-per-opening ratio of AI roles against the new economy net of its AI roles (0.46, 2024-2025): AI-core demand that grows faster than trained supply can follow (AI postings growth from small bases: Maimai, Zhaopin +11% a year in Q3 2025; 626 universities with AI programmes by 2025)")
    lane_trend_ai_adjacent: float = param(0.0, "1 / year", "growth of AI-adjacent roles' demand beyond the common trend (as lane_trend_ai_core)", -0.3, 1.0, source="0: no source separates the second layer's growth")
    lane_trend_traditional: float = param(0.0, "1 / year", "growth of traditional roles' demand beyond the common trend (negative: the internet and platform roles cooling), whatever AI capability does", -0.3, 1.0, source="0 in the US profile; China: big internet firms' headcounts were flat to falling in 2022-2025 (Tencent 108k, 105k, 111k; Baidu 35.9k in 2024, 21% below its 2021 peak: china_tech_headcount.csv), set in configs/profile/china.yaml")
    amplitude: float = prob(0.0, "amplitude of a sinusoidal demand cycle", "share of demand", source="off by default; for demand-cycle experiments")
    period_months: int = param(48, "months", "period of the demand cycle", 1, 10_000, source="off by default; for demand-cycle experiments")
    shock_month: int = param(0, "month", "month a one-off demand shock starts (0: none)", 0, 100_000, source="off by default; for demand-shock experiments")
    shock_size: float = param(0.0, "share of demand", "size of the demand shock (negative: bust)", -0.9, 5.0, source="off by default; for demand-shock experiments")
    shock_months: int = param(12, "months", "length of the demand shock", 1, 100_000, source="off by default; for demand-shock experiments")


# --------------------------------------------------------------------------- workers
@dataclass
class DemographyConfig:
    """Ages, careers, graduates, retirement and skills."""

    age_entry: float = param(22.0, "years", "age of labour-market entry (new graduates)", 14.0, 40.0, source="graduates enter at about 22")
    age_mean: float = param(33.0, "years", "mean age of the initial workforce (tech skews young)", 18.0, 65.0, source="assumption: tech workforces skew young (about 33 on average)")
    retirement_age: float = param(60.0, "years", "age at which workers retire", 40.0, 80.0, source="statutory retirement age for men in China: 60 (rising gradually from 2025)")
    early_career_max_age: float = param(30.0, "years", "workers younger than this are early-career", 15.0, 80.0, source="convention: early career before 30")
    mid_career_max_age: float = param(45.0, "years", "workers younger than this (and not early) are mid-career; older are late", 15.0, 80.0, source="convention: late career from 45 (China's tech hiring also has a '35 threshold')")
    graduate_rate: float = prob(0.022, "graduates entering each year as a share of the population at month 0 (the end of the burn-in; in the burn-in, of the initial population)", "share / year", source="calibrated with outside_entry_rate: the no_ai population grows about with demand (0.025 of the initial draw before the base became the month-0 population, about 12% larger: the same cohort)")
    graduate_offer_share: float = prob(0.0, "share of a graduate cohort that enters with a job offer from campus recruitment: hired on entry into an open position of their field's occupation (a firm drawn by its open positions there); the rest, and those for whom no position is open, enter unemployed", "share", source="0 in the US profile; the China profile fits it to the graduation peak of youth unemployment (NBS, 16-24 excluding students: +5 points from June to August, not the cohort's whole size). China's graduates are largely recruited before graduation, in the autumn and spring campus-recruitment seasons (MoE and MoHRSS campus-recruitment campaigns)")
    graduation_spread_months: int = param(1, "months", "months over which a cohort enters, in equal parts, from graduation_month on (1: all in graduation_month)", 1, 12, source="1 in the US profile; China: graduates finish in June-July and enter the labour market over the summer, so NBS's 16-24 rate (students excluded) peaks in August, not July (2024: 13.2 June, 17.1 July, 18.8 August; 2025: 14.5, 17.8, 18.9)")
    graduation_month: int = param(7, "calendar month", "month of the year in which graduates enter (1-12)", 1, 12, source="graduates enter in July")
    field_premium_elasticity: float = param(2.0, "1 / log wage", "response of graduates' field mix to lagged log wage premia", 0.0, 50.0, source="assumption: students move towards better-paid fields")
    premium_lag_months: int = param(12, "months", "lag of the wage premia students react to", 1, 120, source="students react to last year's premia")
    outside_entry_rate: float = param(0.02, "entrants / open position / month", "experienced workers entering from other sectors each month per position left open after matching", 0.0, 10.0, source="calibrated: low-paid roles that tech workers leave are refilled from the wider labour market")
    graduate_skill_share: float = prob(0.85, "new graduates' skills as a share of their field's profile", "share", source="assumption: graduates lack some on-the-job skills")
    learning_rate: float = prob(0.01, "monthly on-the-job learning towards the occupation's skill profile", "share / month", source="assumption: on-the-job learning closes about a tenth of the skill gap a year")
    displacement_skill_loss: float = prob(0.08605, "share of a worker's skills lost when displaced by AI (skills specific to the automated tasks)", "share", source="the pre-profile US value, fitted by the first calibration of the schema's defaults (the baseline, Nelder-Mead, since retired) to the BLS Displaced Worker Survey (Jan 2024: 65.7% of displaced workers re-employed) at the turnover of the time (quit_rate 0.03). The China profile keeps it (its calibration has no displaced-worker moment); the US profile's calibration fits 0.149 (se 0.10) at today's turnover (configs/profile/us.yaml, simulation/data/profiles/us_calibration.json). Specific human capital is lost with the job (Jacobson, LaLonde and Sullivan 1993)")
    skill_decay: float = prob(0.002, "monthly decay of skills out of work", "share / month", source="assumption: skills depreciate about 2.4% a year out of work")
    initial_skill_noise: float = param(0.03, "skill level", "standard deviation of the noise around the occupation's profile in the initial workers' skills", 0.0, 1.0, source="assumption: workers of one occupation differ a little in their O*NET skill levels")
    age_shape: float = param(2.0, "gamma shape", "shape of the gamma distribution of the initial workers' years above age_entry (mean age_mean)", 0.01, 100.0, lo_open=True, source="assumption: a right-skewed age distribution, as tech workforces have")
    graduate_age_span: float = param(2.0, "years", "graduates enter at an age uniform in [age_entry, age_entry + span]", 0.0, 20.0, source="assumption: bachelor's and master's graduates")
    graduate_skill_noise: float = param(0.03, "skill level", "standard deviation of the noise in new graduates' skills", 0.0, 1.0, source="assumption, as initial_skill_noise")
    entrant_age_min: float = param(25.0, "years", "youngest age of entrants from other sectors", 14.0, 80.0, source="assumption: experienced entrants")
    entrant_age_span: float = param(20.0, "years", "entrants from other sectors enter at an age uniform in [entrant_age_min, entrant_age_min + span]", 0.0, 50.0, source="assumption: entrants aged 25-45")
    entrant_skill_share: float = prob(0.95, "skills of entrants from other sectors as a share of their occupation's profile", "share", source="assumption: experienced entrants are nearly fully skilled")
    entrant_skill_noise: float = param(0.05, "skill level", "standard deviation of the noise in entrants' skills", 0.0, 1.0, source="assumption: entrants vary more than graduates")


# --------------------------------------------------------------------------- retraining
@dataclass
class RouteConfig:
    """One retraining route."""

    cost_months: float = param(2.0, "months of wage", "tuition cost for a zero-distance move at age 25, in months of the target's base wage", 0.0, 120.0, source="assumption (certificate 1.5; project 1: a shipped project costs its builder time more than tuition, retraining.project.effort)")
    duration_months: float = param(3.0, "months", "duration for a zero-distance move", 1.0, 120.0, source="assumption (certificate 3 months, project-based 4: building and shipping takes a little longer)")
    signal: float = param(0.05, "fit score", "ranking bonus employers give to the credential itself (completed training), whatever it shows of ability (reveal)", 0.0, 5.0, source="assumption: 0.02 for both routes; a shipped project beats a list of certificates (MODEL.md) through the ability it reveals (reveal, employer learning), not through a fixed bonus")
    skill_gain: float = prob(0.5, "share of the skill gap to the target closed on completion", "share", source="assumption: 0.6 for both routes, so that a project's advantage is what it shows employers (reveal), not what it teaches")
    dropout_rate: float = prob(0.03, "monthly probability of dropping out", "probability / month", source="assumption: a quarter or so of trainees drop out of a longer programme")
    reveal: float = prob(0.1, "share of the gap between employers' belief about a completer's ability (workers.ability_seen) and their true ability that completing the route closes: the reliability of what it shows employers", "share", source="employer learning (Farber and Gibbons 1996, Q. J. Econ.; Altonji and Pierret 2001, Q. J. Econ.): employers price what they can observe; a certificate shows little of ability, a shipped project (work employers can inspect) most of it. Assumption (certificate 0.1, project 0.8)")
    effort: float = param(1.0, "multiple", "the route's own time and effort, as a multiple of retraining.effort_cost_months (each worker's share scaled by their time cost)", 0.0, 100.0, source="assumption: shipping a project takes about twice a certificate's own time (certificate 1, project 2)")


def _certificate() -> RouteConfig:
    return RouteConfig(cost_months=1.5, duration_months=3.0, signal=0.02, skill_gain=0.6, dropout_rate=0.03, reveal=0.1, effort=1.0)


def _project() -> RouteConfig:
    return RouteConfig(cost_months=1.0, duration_months=4.0, signal=0.02, skill_gain=0.6, dropout_rate=0.025, reveal=0.8, effort=2.0)


@dataclass
class RetrainingConfig:
    """Retraining as a decision: expected gain against cost and time."""

    certificate: RouteConfig = field(default_factory=_certificate)
    project: RouteConfig = field(default_factory=_project)
    min_unemployed_months: int = param(2, "months", "months of unemployment before a worker considers retraining", 0, 600, source="assumption")
    effort_cost_months: float = param(6.0, "months of own wage", "non-tuition cost of retraining (effort, risk, liquidity), in months of the worker's market wage", 0.0, 600.0, source="calibrated: without subsidies about one in ten displaced workers retrains")
    ai_core_barrier: float = param(1.0, "multiple", "extra cost and duration, as a multiple, of retraining into an AI-core role: specialised skills (ML, systems) beyond the O*NET basic-skill profile", 0.0, 100.0, source="assumption: O*NET basic skills understate the distance into AI-core work")
    consider_rate: float = prob(0.10, "monthly probability that an eligible worker weighs retraining (information friction)", "probability / month", source="assumption: information friction")
    distance_cost: float = param(3.0, "1 / relative distance", "proportional rise of cost per unit of relative skill distance (1: the most distant pair of occupations)", 0.0, 100.0, source="assumption")
    distance_duration: float = param(1.0, "1 / relative distance", "proportional rise of duration per unit of relative skill distance", 0.0, 100.0, source="assumption")
    age_cost: float = param(0.03, "1 / year", "proportional rise of cost and drop-out per year of age above 25", 0.0, 1.0, source="assumption: training is costlier and pays less for older workers (Jacobson, LaLonde and Sullivan 2005)")
    age_cost_from: float = param(25.0, "years", "age above which retraining's cost and drop-out rise (by age_cost a year)", 14.0, 80.0, source="assumption: training costs rise after the usual age of education")
    signal_finding_gain: float = param(2.0, "1 / fit score", "proportional rise of the expected job-finding rate per unit of ranking score a route brings (its credential's signal and market.ability_rank_weight x the ability it would show employers), in workers' retraining decisions", 0.0, 100.0, source="assumption: 0.15 of ranking score (a shipped project showing 1.3 standard deviations of ability) is expected to raise job finding by 30%")
    discount_rate: float = prob(0.005, "monthly discount rate of future earnings", "1 / month", source="about 6% a year")
    horizon_months: int = param(120, "months", "longest horizon over which a worker counts the gain", 1, 600, source="assumption: workers look at most ten years ahead")
    decision_noise: float = param(0.3, "share of wage", "scale of the idiosyncratic taste shock in the decision (logit)", 0.0, 100.0, source="assumption")
    pay_valuation: bool = param(True, "flag", "value a target at the pay the worker would earn there (their fit after the course, the share of their experience that carries over, AI skills) and staying at their own pay; false: every occupation at its mean wage", source="assumption: workers know that a newcomer to an occupation is paid less than its incumbents (issue 15: with mean wages retraining flowed into crowded traditional roles)")
    time_cost_dispersion: float = param(0.5, "log points", "standard deviation of the log of workers' time cost (workers.time_cost, mean 1), which scales their effort cost of retraining", 0.0, 5.0, source="assumption: the value of time differs across workers (care duties, savings, outside options) by a factor of about 1.6 either way")


@dataclass
class UpskillingConfig:
    """Upskilling in place: an employee adds one AI-adjacent capability to their own occupation (on the job, part-time).

    Weighed beside staying and switching occupation (retraining) with retraining's decision rule (its discount rate,
    horizon, age cost and taste shocks).
    """

    consider_rate: float = prob(0.005, "monthly probability that an employee weighs staying, upskilling in place and switching occupation (information friction, as retraining.consider_rate)", "probability / month", source="assumption: an employee weighs a change of skills about once every eight years; most job-related training (about 40% of adults a year, OECD Skills Outlook 2021) is short and not a change of direction")
    duration_months: float = param(6.0, "months", "duration of the part-time course while working", 1.0, 120.0, source="assumption: part-time AI specialisations (online programmes, employer academies) take 3-9 months")
    cost_months: float = param(1.0, "months of wage", "tuition at age 25, in months of the occupation's mean wage (rises with age by retraining.age_cost, as retraining's)", 0.0, 120.0, source="assumption: a part-time course costs a fraction of a full programme (retraining: 1.5-3 months)")
    effort_cost_months: float = param(4.0, "months of own wage", "effort cost (evenings and weekends over the course), in months of the worker's own pay", 0.0, 600.0, source="assumption: evenings and weekends over a part-time course; at the defaults the median net value of upskilling for an eligible employee is about 2 months of pay (month 60 of baseline), so most who weigh it and do not prefer a switch take it")
    dropout_rate: float = prob(0.04, "monthly probability of abandoning the course", "probability / month", source="assumption: part-time courses lose more learners than full-time programmes (retraining: 2.5-3%)")
    wage_premium: float = param(0.12, "share", "rise of the employee's pay on completing (the capability is priced in the role it was added to)", 0.0, 5.0, source="assumption: one added AI capability earns a fraction of the full AI-skill premium (market.ai_skill_premium, 56% for jobs requiring AI skills, PwC 2025); Stephany and Teutloff (2024, Research Policy) price AI skills at about 21% in freelance postings")
    quit_to_retrain: bool = param(False, "flag", "an employee who values switching occupation above staying and upskilling quits to retrain at once (true) or waits, neither quitting nor upskilling, and retrains if they lose the job (false)", source="assumption: quitting to train full time forgoes pay and benefits (quitters draw none), which few can finance; with true (and layoff_protection 0.5, consider_rate 0.005-0.01), 0.7-1.1% of employees a year quit to retrain and baseline unemployment at month 60 rises 1.4-1.9 points (20,000 x 120, seed 1)")
    layoff_protection: float = param(0.25, "share", "relative fall of the chance that an upskilled employee is among the workers laid off when their cell sheds staff (automation or other excess); workers weigh it as a fall of their occupation's AI displacement rate", 0.0, 0.99, source="assumption: firms that cut staff as tasks are automated keep the workers who can use and supervise the tools; at 0.5 the upskilled are protected more but three tests of the displaced's re-employment by stage and policy move (tests/test_lifecycle_flows.py, test_mechanisms.py)")


# --------------------------------------------------------------------------- domain knowledge
@dataclass
class DomainConfig:
    """Domain knowledge: experience in a sector (healthcare, finance, ...) that counts in AI roles at firms of that sector."""

    fit_bonus: float = param(0.10, "fit score", "ranking bonus firms give an applicant to an AI-core or AI-adjacent role whose domain is the firm's sector, at full domain experience (times min(domain years / full_years, 1)); 0 switches the ranking advantage off", 0.0, 1.0, source="assumption: job postings for applied AI roles in health care, finance and industry commonly ask for knowledge of the sector; set equal to the ranking noise's standard deviation (market.ranking_noise), between a certificate's signal (0.02) and a shipped project's (0.15)")
    pay_premium: float = param(0.10, "share of hire pay", "pay at hire above the worker's pay factor in an AI-core or AI-adjacent role at a firm of their domain's sector, at full domain experience (times min(domain years / full_years, 1)); 0 switches the pay advantage off", 0.0, 1.0, source="industry-specific human capital earns a return of this order: displaced workers who change industry lose more pay than those who stay (Neal 1995, J. Labor Econ.), and industry tenure explains much of the return to experience (Parent 2000, J. Labor Econ.); the 10% for AI roles is an assumption")
    full_years: float = param(3.0, "years", "years of experience in a sector at which domain knowledge counts in full (linearly less before)", 0.0, 40.0, lo_open=True, source="assumption: a few years to learn a sector's regulation, data and workflows")
    entrant_share: float = prob(0.5, "share of experienced entrants from other sectors who bring domain experience in one of the sectors of the table (drawn by the sectors' employment shares; their years are their potential experience)", "share", source="assumption: about half of those entering tech from elsewhere come from a sector's own operations (a bank, a hospital, a factory)")


# --------------------------------------------------------------------------- policy
@dataclass
class Lever:
    """What every policy lever has: a switch and a start month."""

    enabled: bool = param(False, "flag", "switch the lever on", source="scenario setting")
    start_month: int = param(1, "month", "first month the lever acts", 1, 100_000, source="scenario setting")


@dataclass
class AdoptionSubsidy(Lever):
    """National push: the state pays part of the cost of adopting AI."""

    rate: float = prob(0.5, "share of the adoption cost paid by the state", "share", source="scenario setting")


@dataclass
class PublicAIDemand(Lever):
    """Publicly funded AI projects: extra demand (and funding) for AI-core roles."""

    share: float = param(0.2, "share of base AI-core demand", "extra AI-core demand, publicly funded", 0.0, 10.0, source="scenario setting")
    backstop: float = prob(0.5, "share of a firm's fall in private AI-core demand below its highest level so far that public projects take over (funded outside the firm's budget) while the lever acts: a national priority keeps AI demand from collapsing when private projects stall", "share", source="assumption: state-funded AI programmes and state-guided funds keep AI projects going when private investment retreats (China's New Generation AI Development Plan, State Council 2017); the size is not measured")


@dataclass
class RetrainingSubsidy(Lever):
    """The state pays part of retraining costs for a limited number of seats."""

    cost_share: float = prob(0.5, "share of tuition and of the effort cost (as a living stipend) paid by the state", "share", source="scenario setting")
    seats_per_1000: float = param(2.0, "seats / month / 1000 workers", "subsidised enrolments per month per thousand in the population at month 0 (the end of the burn-in)", 0.0, 1000.0, source="scenario setting")
    outreach: float = prob(0.5, "monthly probability that a targeted unemployed worker weighs retraining (employment-service outreach; replaces retraining.consider_rate for them)", "probability / month", source="scenario setting")
    targeting: str = param("displaced", "choice", "who may take a subsidised seat", choices=TARGETING, source="scenario setting")


@dataclass
class UnemploymentInsurance(Lever):
    """Benefits for the unemployed: replacement of the last wage for a number of months."""

    enabled: bool = param(True, "flag", "switch the lever on", source="status quo: on in every scenario")
    replacement_rate: float = prob(0.3, "benefit as a share of the last wage, before the floor and the cap (benefit = min(max(replacement_rate x last wage, floor_share x W), cap_share x W), W the reference wage: processes.insurance)", "share", "assumption: a moderate replacement (US state programmes replace about half of the last wage up to a cap; Krueger and Meyer 2002); the shipped floor and cap leave it free to move the benefit. China's rule is a flat corridor, see floor_share and cap_share")
    floor_share: float = param(0.05, "share of the reference wage", "lowest monthly benefit, as a share of the reference wage W (the data's mean monthly wage at month 0: the occupations' base wages weighted by their initial employment shares, processes.insurance.reference_wage)", 0.0, 10.0, source="assumption: a low floor that binds only for the lowest last wages, so the replacement rate sets the benefit. China: the benefit lies between the local urban minimum-living standard and the local minimum wage, at most 24 months (Unemployment Insurance Regulations 1999; MoHRSS 2025, ../shared/data/china/china_ai_talent.csv, unemployment_insurance rows); a China profile would set the floor at the minimum-living standard, about 0.05-0.07 of W (about half the minimum wage; not in the data, an assumption)")
    cap_share: float = param(1.5, "share of the reference wage", "highest monthly benefit, as a share of the reference wage W (see floor_share); if below the floor, the cap wins", 0.0, 10.0, source="assumption: a cap that binds only at high replacement rates for the best paid (at 0.6, last wages above 2.5 W), and at the shipped replacement rate (0.3) only above 5 W, never in the shipped runs, so that the issue-14 calibration holds exactly (at cap_share 1.0 it binds for a worker near month 116 of a 10,000-worker run and moves its random path). China: the cap is the local minimum wage (policy target: benefits up to 90% of it, MoHRSS 2022); the 2023 mean benefit was 1,814 CNY a month against about 19,300 CNY a month in IT (NBS 2023, an unconfirmed figure in ../shared/data/china/), so a China profile would set cap_share about 0.11-0.13 and duration_months 12-24 by contribution years, making the benefit nearly flat whatever replacement_rate is")
    duration_months: int = param(6, "months", "months of benefit", 0, 600, source="assumption: China's benefits last 12-24 months by contribution record; many tech workers qualify for less")


@dataclass
class HiringSubsidy(Lever):
    """A wage subsidy for firms that hire AI-displaced workers from unemployment: it cuts the firm's labour cost of the hire."""

    wage_share: float = prob(0.3, "share of an eligible hire's wage the state pays the employer each month of the subsidy (eligible: a worker ever displaced by AI, hired from unemployment)", "share", source="scenario setting")
    duration_months: int = param(12, "months", "months of the match for which the subsidy is paid (it stops earlier if the match ends)", 1, 600, source="targeted hiring subsidies typically last 6-24 months (Card, Kluve and Weber 2018, J. Eur. Econ. Assoc., review of active labour market programmes; OECD Employment Outlook 2021); China's social insurance and post subsidies for hiring the hard-to-employ unemployed run up to 3 years (Ministry of Human Resources and Social Security)")
    demand_elasticity: float = param(0.3, "share / share", "labour-demand elasticity with respect to the labour cost: a firm's demand for an occupation rises by (1 - cost cut)^(-elasticity) - 1 when the subsidy cuts the expected cost of its positions; applied only to the subsidy's cost cut, so that runs without it are unchanged; 0 switches the demand channel off", 0.0, 5.0, source="Hamermesh (1993), Labor Demand: constant-output own-wage elasticity about 0.3 (range 0.15-0.75); Lichter, Peichl and Siegloch (2015, Eur. Econ. Rev.) meta-analysis, similar central values")
    budget_relief: bool = param(True, "flag", "the subsidy paid for a firm's subsidised employees does not count against its payroll budget (:mod:`simulation.processes.demand`); false switches the budget channel off", source="a wage subsidy is paid to the employer, so it is money the payroll budget does not have to find (OECD Employment Outlook 2021)")


@dataclass
class AutomationTax(Lever):
    """A tax on automation that raises the cost of adopting AI."""

    rate: float = param(0.2, "return per unit adoption", "tax added to the cost of adoption", 0.0, 10.0, source="scenario setting")


@dataclass
class EducationShift(Lever):
    """Education policy tilting graduates towards AI fields."""

    ai_field_boost: float = param(1.0, "share", "proportional rise of the weight of AI-core and AI-adjacent fields in graduates' field mix", 0.0, 100.0, source="scenario setting")


@dataclass
class PolicyConfig:
    """All seven policy levers; each has its own switch and start month."""

    adoption_subsidy: AdoptionSubsidy = field(default_factory=AdoptionSubsidy)
    public_ai_demand: PublicAIDemand = field(default_factory=PublicAIDemand)
    retraining_subsidy: RetrainingSubsidy = field(default_factory=RetrainingSubsidy)
    unemployment_insurance: UnemploymentInsurance = field(default_factory=UnemploymentInsurance)
    hiring_subsidy: HiringSubsidy = field(default_factory=HiringSubsidy)
    automation_tax: AutomationTax = field(default_factory=AutomationTax)
    education_shift: EducationShift = field(default_factory=EducationShift)


@dataclass
class FiscalConfig:
    """The fiscal ledger: how the state's outlays and revenues are valued."""

    discount_rate: float = param(0.02, "share / year", "annual rate at which the ledger discounts future outlays and revenues to month 0 (summary.json: fiscal_*_discounted)", 0.0, 1.0, source="US OMB Circular A-4 (2023): a 2.0% real discount rate for regulatory analysis")
    adoption_money_scale: float = param(1.0, "months of base payroll budget per unit of return", "value of one unit of AI return or adoption cost (per unit adoption, a month) in money: this many months of the firm's base payroll budget; prices the adoption subsidy and the automation tax in the ledger", 0.0, 100.0, source="assumption: the model's AI returns and costs are monthly flows relative to the firm's size; at the default adoption cost 0.1, a fully adopting firm spends a tenth of its payroll a month on AI")


# --------------------------------------------------------------------------- profile
CURRENCIES = ("USD", "CNY")


@dataclass
class ProfileConfig:
    """The calibrated market a run represents (``configs/profile/``): its data, currency and calendar.

    The schema's defaults are the US values from before the profiles were calibrated (each parameter's source says where
    it comes from);
    ``configs/config.yaml`` selects ``profile: china``, whose file sets China's values (``configs/profile/china.yaml``);
    ``configs/profile/us.yaml`` sets the US profile's own calibrated values over the defaults.
    """

    name: str = param("us", "name", "name of the profile (set by the profile file: configs/profile/<name>.yaml)", source="run setting")
    currency: str = param("USD", "ISO 4217 code", "currency of every wage and money figure of the run (a month's wage, benefit or fiscal flow)", choices=CURRENCIES, source="the profile's wage data")
    start: str = param("2023-01", "YYYY-MM", "calendar month of month 1 of the run (month 0 is the month before): sets the calendar month of graduation and the months compared with the profile's monthly data", source="run setting: the China profile's unemployment data start in January 2023 (NBS)")
    occupation_data: str = param("", "name", "profile data giving the occupations' monthly base wages and initial employment shares (simulation/data/profiles/<name>_occupations.csv, built by scripts/build_profiles.py); empty: the occupation table's own (US BLS OEWS 2021, USD)", source="run setting")


# --------------------------------------------------------------------------- top level
@dataclass
class Config:
    """One run: scenario, population, horizon, seed and every mechanism's parameters."""

    scenario: str = param("baseline", "name", "name of the scenario (set by the scenario file)", source="run setting")
    description: str = param("", "text", "what the scenario's story is (set by the scenario file)", source="run setting")
    workers: int = param(10_000, "workers", "initial population of workers", 10, 100_000_000, source="run setting: 10,000 gives stable aggregates in about a second; use 100,000+ for occupation detail")
    months: int = param(120, "months", "horizon; one step is one month", 1, 100_000, source="MODEL.md: default horizon 120 months")
    burn_in_months: int = param(
        48, "months",
        "months the market runs before month 0, unrecorded, with AI capability and adoption held at their month-0 levels and only the status-quo unemployment insurance acting, so that month 0 starts from the market's own steady state",
        0, 600,
        source="the long-term unemployed stock takes about three years to build from the initial draw (docs/VALIDATION.md); 0 starts from the initial draw",
    )
    seed: int = param(0, "integer", "seed of the run's random generator", 0, 2**63 - 1, source="run setting")
    progress: bool = param(True, "flag", "show a progress bar", source="run setting")
    figures: bool = param(True, "flag", "write PNG figures with the tables", source="run setting")
    check_memory: bool = param(True, "flag", "refuse a run whose estimated peak memory exceeds the memory available (false: run anyway)", source="run setting: the estimate is simulation/resources.py's")
    market: MarketConfig = field(default_factory=MarketConfig)
    ai: AIConfig = field(default_factory=AIConfig)
    firms: FirmConfig = field(default_factory=FirmConfig)
    cycle: CycleConfig = field(default_factory=CycleConfig)
    demography: DemographyConfig = field(default_factory=DemographyConfig)
    retraining: RetrainingConfig = field(default_factory=RetrainingConfig)
    upskilling: UpskillingConfig = field(default_factory=UpskillingConfig)
    domain: DomainConfig = field(default_factory=DomainConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    fiscal: FiscalConfig = field(default_factory=FiscalConfig)
    profile: ProfileConfig = field(default_factory=ProfileConfig)


SCENARIOS = ("no_ai", "baseline", "rapid_adoption", "national_ai_push", "retraining_push", "hype_cycle", "safety_net")
COMPARE_CONFIG_NAME = "compare"
COMPARE_SCHEMA_NAME = "laborshift_compare_schema"


@dataclass
class CompareConfig:
    """A scenario comparison: which scenarios, how many replications, and the size of every run."""

    scenarios: list[str] = field(default_factory=lambda: list(SCENARIOS))
    replications: int = param(10, "runs", "replications per scenario (R)", 1, 100_000, source="run setting")
    workers: int = param(10_000, "workers", "initial population of every run", 10, 100_000_000, source="run setting")
    months: int = param(120, "months", "horizon of every run", 1, 100_000, source="run setting")
    seed: int = param(0, "integer", "master seed; replication seeds are spawned from it with SeedSequence", 0, 2**63 - 1, source="run setting")
    jobs: int = param(0, "processes", "parallel runs (0: one per core)", 0, 4096, source="run setting")
    overrides: list[str] = field(default_factory=list)
    progress: bool = param(True, "flag", "show a progress bar", source="run setting")
    # named variants (simulation.variants): {name: {scenario: <scenario>, <dotted.key>: value, overrides: ["key=value"]}}
    variants: Any = None
    variants_file: str = ""  # a YAML file of more variants (the same mapping); empty: none
    # scenarios or variants decomposed into their levers; null: retraining_push when it is compared with baseline
    decompose: list[str] | None = None
    parameter_uncertainty: str = param(
        "auto", "setting",
        "draw each replication's calibrated parameters from the calibration's uncertainty (simulation.profiles): replication r of "
        "every scenario runs with the same draw; the same seeds also run at the point estimates so that the bands of simulation "
        "noise alone are reported beside them. auto: on when the profile has a calibration record with a covariance "
        "(simulation/data/profiles/<profile>_calibration.json), off otherwise",
        choices=("auto", "on", "off"), source="run setting")
    noise_replications: int = param(
        3, "runs",
        "replications of the set at the point estimates (simulation noise only) when parameter uncertainty is on: the first "
        "ones of the replication seeds; its band widths are reported at the main set's R (scaled by sqrt(k/R)). 0: as many as "
        "replications", 0, 100_000,
        source="run setting: 3 keeps the extra cost of the default comparison at 21 runs (+23% of its 90: 70 scenario runs and "
               "20 lever-alone runs); the noise set at R (0) doubles the scenario runs (+78%), beyond the main job's 90 s budget")


# --------------------------------------------------------------------------- regions (simulation.regions)
@dataclass
class RegionSpec:
    """One region of a regional run: its calibrated market, size, currency and migration policy (``configs/regions/``)."""

    profile: str = param("china", "name", "the region's profile (configs/profile/<name>.yaml): its data, currency, calendar and calibration", source="run setting")
    size: float = param(1.0, "multiple of workers", "the region's initial population as a multiple of the run's workers (workers=...)", 0.0, 1000.0, lo_open=True, source="run setting: equal simulated populations by default, so that shares and rates compare; the real tech workforces differ (China's is larger)")
    usd_per_unit: float = param(1.0, "USD per unit of the region's currency", "market exchange rate: prices the region's costs in the product market and converts a migrant's wage records", 0.0, 1e6, lo_open=True, source="US: 1 (USD); China: 1 / 7.08, the 2023 average CNY per USD (Federal Reserve H.10 release, annual average 2023: 7.084)")
    ppp_usd_per_unit: float = param(1.0, "international dollars per unit of the region's currency", "purchasing-power parity factor: a migrant compares wages in what they buy", 0.0, 1e6, lo_open=True, source="US: 1 by definition; China: 1 / 4.0 (assumption: the World Bank ICP puts China's GDP PPP conversion factor near 4 CNY per international dollar in 2017-2023; not checked against the release here)")
    return_incentive: float = param(0.0, "log points", "policy bonus added to the value of a move back into this region by those whose home it is (talent-return programmes: housing, grants, tax breaks); 0: none", 0.0, 5.0, source="scenario setting (talent_return)")
    visa_quota: float = param(1000.0, "visas / month / 1,000 initial workers", "most immigrants (movers whose home is elsewhere) this region admits a month, per 1,000 of its initial workers; returns need no visa", 0.0, 1000.0, source="assumption: not binding (1,000 per 1,000) unless a region's config sets it; US H-1B: 85,000 new visas a year against about 5 million US tech workers, about 1.4 per 1,000 a month for all countries, of which China-born workers get about an eighth (USCIS H-1B characteristics reports)")
    overrides: list[str] = field(default_factory=list)  # Hydra overrides of this region's run config (e.g. policy levers)
    # at month 0, the share of this region's AI-core workers whose home is another region, by that region's name
    # (the diaspora that can return); e.g. {china: 0.2}
    born_abroad: dict[str, float] = field(default_factory=dict)


@dataclass
class RegionsConfig:
    """A regional run: its regions and the talent and product-market channels between them (``configs/regions/<name>.yaml``)."""

    name: str = param("none", "name", "name of the regions config (set by the file: configs/regions/<name>.yaml)", source="run setting")
    members: dict[str, RegionSpec] = field(default_factory=dict)
    migration_cost: float = param(0.25, "log points of the wage", "cost of moving between regions (visa process, moving, a new language, lost networks), subtracted from the log wage gain", 0.0, 10.0, source="assumption: moving costs are large, several times a year's income over a career in Kennan and Walker (2011, Econometrica) for US interstate moves; a quarter of a log point of the monthly wage stands for their flow equivalent")
    home_pull: float = param(0.3, "log points of the wage", "non-wage value of living in one's home region (family, language, networks), added to the value of a move back home", 0.0, 10.0, source="assumption: so that returns happen at a wage loss, as they do (about half of China-born top AI researchers who studied in the US stay there; MacroPolo Global AI Talent Tracker 2.0)")
    move_rate_ai_core: float = prob(0.004, "highest monthly probability that an AI-core worker moves to a region where the move's value is positive (the hazard at a large gain)", "probability / month", source="assumption: a few per cent of AI-core workers a year at a large gain; AI talent is the most mobile (MacroPolo: 36% of China-undergraduate top researchers go to the US for graduate school)")
    move_rate_ai_adjacent: float = prob(0.0015, "the same for AI-adjacent workers", "probability / month", source="assumption: less mobile than AI-core talent, more than traditional roles")
    move_rate_traditional: float = prob(0.0005, "the same for traditional tech roles", "probability / month", source="assumption: international moves are rare outside frontier roles")
    gain_scale: float = param(0.2, "log points", "scale of the logit in the value of a move: hazard = rate / (1 + exp(-value / gain_scale)), half the lane's rate at value 0, 73% of it at value = gain_scale", 1e-6, 10.0, source="assumption: moves respond to gains of tens of per cent")
    trade_elasticity: float = param(4.0, "elasticity", "elasticity of a region's market share in a shared sector to its relative cost: share_r proportional to s0_r c_r^(-elasticity); 0 switches the product-market channel off", 0.0, 20.0, source="Simonovska and Waugh (2014, J. Int. Econ.): trade elasticity about 4; estimates range 3-8 (Eaton and Kortum 2002: 8.3; Head and Mayer 2014 survey: about 5)")
    ai_cost_saving: float = prob(0.2, "share of unit cost saved by a sector's firms per unit of effective AI (adoption x capability) above its month-0 level: cost index c = 1 - ai_cost_saving (x - x0)", "share", source="assumption: generative-AI studies find task-level productivity gains of 14-40% (Brynjolfsson, Li and Raymond 2023; Noy and Zhang 2023), a smaller share of firms' total costs")
    trade_exposure: float = prob(0.3, "share of a shared sector's sales sold in the shared (cross-region) market: the demand multiplier is 1 + trade_exposure (share / share0 - 1)", "share", source="assumption: most tech services are sold at home; hardware and platforms trade more")
    shared_sectors: list[str] = field(default_factory=list)  # sectors whose firms compete across the regions; empty: every sector
    scenarios: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # per scenario, per region: overrides added to that region's run


def register_configs() -> None:
    """Register the schemas in Hydra's ConfigStore (idempotent)."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name=SCHEMA_NAME, node=Config)
    ConfigStore.instance().store(name=COMPARE_SCHEMA_NAME, node=CompareConfig)


# --------------------------------------------------------------------------- schema walking
def flatten(d: Mapping, prefix: str = "") -> dict[str, Any]:
    """A nested plain config as ``{dotted.key: value}`` (the keys of command-line overrides)."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def iter_params(node: Any = None, prefix: str = ""):
    """Yield ``(dotted_name, dataclass_field, default)`` for every leaf parameter of the schema."""
    node = Config() if node is None else node
    for f in dataclasses.fields(node):
        name = f"{prefix}{f.name}"
        value = getattr(node, f.name)
        if dataclasses.is_dataclass(value):
            yield from iter_params(value, name + ".")
        else:
            yield name, f, value


def _field_type(cls: type, f: dataclasses.Field) -> Any:
    import typing

    hints = typing.get_type_hints(cls)
    return hints[f.name]


def schema_keys(cls: type | None = None, prefix: str = "") -> dict[str, type]:
    """Map every dotted key (leaves and groups) of a schema (default: :class:`Config`) to its type."""
    return dict(_schema_keys(Config if cls is None else cls, prefix))


@functools.cache
def _schema_keys(cls: type, prefix: str) -> dict[str, type]:
    """:func:`schema_keys`, computed once per schema (reading the type hints is slow; a check reads them often)."""
    out: dict[str, type] = {}
    for f in dataclasses.fields(cls):
        name = f"{prefix}{f.name}"
        ftype = _field_type(cls, f)
        out[name] = ftype
        if dataclasses.is_dataclass(ftype):
            out.update(_schema_keys(ftype, name + "."))
    return out


def _get(cfg: Any, dotted: str) -> Any:
    node = cfg
    for part in dotted.split("."):
        node = node[part] if isinstance(node, (dict, DictConfig)) else getattr(node, part)
    return node


def format_number(x: float) -> str:
    """A bound as written: integers in full (a seed's 2**63 - 1), other numbers short."""
    return str(x) if isinstance(x, int) else f"{x:g}"


def _describe_range(meta: dict) -> str:
    lo, hi = meta["lo"], meta["hi"]
    lo_sym = ">" if meta.get("lo_open") else ">="
    if lo is not None and hi is not None:
        if meta.get("lo_open"):
            return f"a number > {format_number(lo)} and <= {format_number(hi)}"
        return f"a number in [{format_number(lo)}, {format_number(hi)}]"
    if lo is not None:
        return f"a number {lo_sym} {format_number(lo)}"
    return f"a number <= {format_number(hi)}"


def range_problems(cfg: Any, schema: type | None = None) -> list[str]:
    """Every value of ``cfg`` outside its declared range or choices, one line each, for a schema (default: :class:`Config`)."""
    problems: list[str] = []
    for name, f, _default in iter_params(None if schema is None else schema()):
        meta = f.metadata
        try:
            value = _get(cfg, name)
        except (KeyError, AttributeError):
            problems.append(f"{name}: missing")
            continue
        if meta.get("choices") and value not in meta["choices"]:
            problems.append(f"{name}: got {value!r}; allowed: one of {', '.join(meta['choices'])}")
            continue
        lo, hi = meta.get("lo"), meta.get("hi")
        if lo is None and hi is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{name}: got {value!r}; allowed: {_describe_range(meta)}")
            continue
        bad = value != value  # NaN
        if lo is not None:
            bad |= value <= lo if meta.get("lo_open") else value < lo
        if hi is not None:
            bad |= value > hi
        if bad:
            problems.append(f"{name}: got {value!r}; allowed: {_describe_range(meta)} ({meta['unit']})")
    return problems


# the reprs of Config objects that passed validate (or that to_config built from a config that passed): a Config is
# checked through OmegaConf (0.1 s) once per set of values, not again when the model is built from it
_VALIDATED: set[str] = set()


def validate(cfg: Any) -> None:
    """Check every value against its declared range and choices; raise one ConfigError listing all problems."""
    if isinstance(cfg, Config):
        key = repr(cfg)
        if key not in _VALIDATED:
            validate(OmegaConf.structured(cfg))
            if len(_VALIDATED) > 4096:
                _VALIDATED.clear()
            _VALIDATED.add(key)
        return
    problems = range_problems(cfg)
    demo = _get(cfg, "demography")
    if not demo.early_career_max_age < demo.mid_career_max_age < demo.retirement_age:
        problems.append(
            "demography: need early_career_max_age < mid_career_max_age < retirement_age; got "
            f"{demo.early_career_max_age:g}, {demo.mid_career_max_age:g}, {demo.retirement_age:g}"
        )
    if not demo.age_entry < demo.retirement_age:
        problems.append(f"demography.age_entry: got {demo.age_entry:g}; allowed: below retirement_age ({demo.retirement_age:g})")
    if not demo.age_entry < demo.age_mean < demo.retirement_age:
        problems.append(
            f"demography.age_mean: got {demo.age_mean:g}; allowed: above demography.age_entry ({demo.age_entry:g}) "
            f"and below demography.retirement_age ({demo.retirement_age:g})"
        )
    prof = _get(cfg, "profile")
    problems += _profile_problems(prof)
    mkt = _get(cfg, "market")
    if mkt.wage_index_min > mkt.wage_index_max:
        problems.append(f"market.wage_index_min: got {mkt.wage_index_min:g}; allowed: <= market.wage_index_max ({mkt.wage_index_max:g})")
    if not problems and _get(cfg, "check_memory"):
        problems += _memory_problems(cfg)
    if problems:
        raise ConfigError(problems)


def calendar_start(start: str) -> tuple[int, int] | None:
    """``(year, month)`` of a ``YYYY-MM`` text, or None if it is not one."""
    try:
        year, month = (int(x) for x in str(start).split("-"))
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and 1900 <= year <= 2200 and len(str(start)) == 7 else None


def profile_data_names() -> list[str]:
    """Names of the profile occupation data shipped in ``data/profiles/`` (``<name>_occupations.csv``)."""
    from importlib import resources

    folder = resources.files("simulation.data").joinpath("profiles")
    return sorted(p.name.removesuffix("_occupations.csv") for p in folder.iterdir() if p.name.endswith("_occupations.csv"))


def _profile_problems(prof: Any) -> list[str]:
    problems = []
    if calendar_start(prof.start) is None:
        problems.append(f"profile.start: got {prof.start!r}; allowed: a calendar month written YYYY-MM (e.g. 2023-01)")
    if prof.occupation_data:
        names = profile_data_names()
        if prof.occupation_data not in names:
            problems.append(f"profile.occupation_data: got {prof.occupation_data!r}; allowed: empty (the table's own wages) or one of {', '.join(names)}")
    return problems


def _memory_problems(cfg: Any) -> list[str]:
    """The size guard (simulation/resources.py): a run that cannot fit in the available memory is refused."""
    from .resources import peak_slots, run_memory_problem

    demo, months = _get(cfg, "demography"), int(_get(cfg, "months"))
    slots = peak_slots(int(_get(cfg, "workers")), months, int(_get(cfg, "burn_in_months")), demo.graduate_rate,
                       demo.outside_entry_rate, _get(cfg, "market").initial_vacancy_rate, _get(cfg, "cycle").trend_growth)
    problem = run_memory_problem(slots, months)
    return [problem] if problem else []


def to_config(cfg: Any) -> Config:
    """Turn a DictConfig (or Config) into a validated typed :class:`Config` object."""
    if isinstance(cfg, Config):
        validate(cfg)
        return cfg
    validate(cfg)
    if not (isinstance(cfg, DictConfig) and OmegaConf.get_type(cfg) is Config):  # composed from the schema: every key is there
        cfg = OmegaConf.merge(OmegaConf.structured(Config), cfg)  # a plain mapping: the schema's defaults fill in the rest
    obj = OmegaConf.to_object(cfg)
    assert isinstance(obj, Config)
    _VALIDATED.add(repr(obj))
    return obj
