"""The fixed prose of the validation page: each fact's target, experiment and caption, and the page's fixed paragraphs.

The numbers that depend on a run are filled in by :mod:`simulation.validation.facts`
(verdicts and their reasons) and :mod:`simulation.validation.page` (settings and
the calibration record); templates here take them with :meth:`str.format`.
"""

from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    """The fixed text of one fact's section."""

    title: str
    target: str  # the empirical fact and its sources
    method: str  # how the experiment measures it (a str.format template where it takes settings)
    figure: str  # file name under images/validation/
    caption: str


SECTIONS: dict[str, Section] = {
    "beveridge": Section(
        "Beveridge curve",
        "Unemployment and vacancy rates move in opposite directions over the cycle: correlation -0.89 in US data "
        "(Shimer 2005, AER 95(1), Table 1, quarterly 1951-2003); in the (u, v) plane the economy traces counter-clockwise "
        "loops: vacancies recover before unemployment falls (Blanchard and Diamond 1989, Brookings Papers 1989(1)).",
        "The `demand_cycle` scenario (AI capability frozen; labour demand and budgets +/-3% around trend, period {period} months), "
        "{cycle_months} months. Correlation of the monthly unemployment and vacancy rates after a {burn_in}-month burn-in; loop "
        "direction from the signed area of each full cycle in the (u, v) plane, u on the x axis (positive: counter-clockwise).",
        "beveridge.png",
        "Left: the unemployment-vacancy path of one seed (arrows: direction of time). Right: both rates over the cycle, median and "
        "range over the seeds, with the demand index.",
    ),
    "matching": Section(
        "Matching function",
        "Hires rise with both unemployment and vacancies; the elasticity of hires with respect to unemployment lies between 0.5 and 0.7 "
        "and constant returns to scale are generally not rejected (Petrongolo and Pissarides 2001, Journal of Economic Literature 39(2)).",
        "The `demand_cycle` runs. For every month after the burn-in and every occupation: hires from unemployment H, unemployed searchers "
        "of the occupation U and vacancies V. OLS of log H on a constant, log U and log V, pooling months and occupations (cells with a "
        "zero are dropped); as a check, the same with an intercept per occupation (within estimator).",
        "matching.png",
        "Left: log hires against the fitted matching function, one seed. Right: the estimated elasticities per seed against the "
        "survey range.",
    ),
    "flows": Section(
        "Worker flows",
        "US JOLTS, September 2024 (BLS news release of 29 October 2024): hires 3.5% of employment, total separations 3.3% "
        "(quits 1.9%, layoffs and discharges 1.2%), job openings rate 4.5%. No comparable monthly turnover series for China's "
        "tech sector was found; the US figures are the benchmark.",
        "The `baseline` scenario. Each month's flow divided by last month's employment (JOLTS definitions), averaged over the months of "
        "the run. Separations are AI displacements, other layoffs, quits into unemployment, job-to-job moves and retirements from "
        "employment; quits are quits into unemployment plus job-to-job moves; layoffs are AI displacements plus other layoffs.",
        "flows.png",
        "Left: mean monthly flows of the baseline against JOLTS. Right: the hires and separations rates month by month.",
    ),
    "displaced": Section(
        "Displaced workers",
        "BLS Displaced Worker Survey, January 2024 (long-tenured workers displaced in 2021-23): 65.7% re-employed, 16.1% unemployed, "
        "18.2% out of the labour force (74.5% re-employed at ages 25-54, 55.3% at 55-64). Earnings of high-tenure displaced workers stay "
        "about 25% a year below their pre-displacement level in the long run (Jacobson, LaLonde and Sullivan 1993, American Economic "
        "Review 83(4)).",
        "The `baseline` scenario. Every month, every worker displaced by AI is counted by status and by months since displacement; the "
        "survey's figure is matched by the status shares averaged over 1-36 months since displacement (the survey's window, each month "
        "weighted equally). Wage change: wage in the first job after displacement against the wage in the job lost. Earnings: current "
        "wage (0 when not employed) against the lost wage, by months since displacement.",
        "displaced.png",
        "Left: where AI-displaced workers are, by months since displacement (median and range over the seeds), with the survey's shares. "
        "Right: their earnings relative to the job they lost.",
    ),
    "training": Section(
        "Retraining: the time profile of its effect, from a seat lottery",
        "Card, Kluve and Weber (2018, Journal of the European Economic Association 16(3)), a meta-analysis of 207 evaluations of active "
        "labour market programmes: training and other human-capital programmes have small, often negative effects in the short run "
        "(up to a year after the programme: lock-in) and larger positive effects two to three years later; average effects on "
        "employment are a few percentage points.",
        "A randomised evaluation inside the model. `{scenario}` with its subsidised seats rationed (`{overrides}`: 1 seat a month per "
        "1,000 workers, 80% of tuition and of a living stipend, open to every unemployed worker, from month 6): when more workers "
        "take up a subsidised seat than there are seats, the seats go by lottery, and the losers weigh retraining again at full "
        "cost. Every worker's first lottery is kept (`workers.lottery_month`, `workers.lottery_won`), and winners and losers are "
        "followed by months since it, whatever they did after (intention to treat: losers may train at full cost or win a later "
        "lottery, winners may drop out); everyone who entered stays in the denominators. The effect is winners' minus losers' "
        "employment rate, and their earnings (current wage, 0 when not employed) against the losers'. Reproduce one seed: "
        "`python -c \"from simulation.validation import follow_lottery, panel_frame; "
        "print(panel_frame(follow_lottery('{scenario}', 1, 10000, 120, 36, ['{overrides}'])['lottery']))\"`; the page: "
        "`laborshift-validate` with the settings above.",
        "training.png",
        "Left: employment of lottery winners and losers by months since the lottery (solid), and the share in training (dashed). "
        "Right: winners minus losers (intention to treat): employment in percentage points and earnings in % of the losers'; "
        "median and range over the seeds.",
    ),
    "ai": Section(
        "AI wage premium and adoption",
        "PwC Global AI Jobs Barometer 2025: jobs requiring AI skills paid a 56% wage premium in 2024. China: generative-AI postings "
        "averaged above RMB 400k a year against RMB 220k in electric vehicles (Liepin, H1 2023), a gap of about 80%. Firms using AI: "
        "13.5% of EU enterprises with 10 or more employees in 2024, up from 8.0% in 2023 (Eurostat, isoc_eb_ai).",
        "`baseline` and `national_ai_push` runs: the AI wage premium is the mean wage of AI-core occupations over that of traditional "
        "occupations, minus 1; adoption is the mean of firms' AI adoption (share of tasks) and the share of firms at 0.5 or more.",
        "ai.png",
        "Left: the AI wage premium in both scenarios, median and range over the seeds. Right: mean AI adoption.",
    ),
}

# --------------------------------------------------------------------------- the reasons given with a verdict
WAGES_BELONG_TO_THE_JOB = (
    "Each employee is paid their cell's wage times their own pay factor (fit, experience and AI skills at hire, then tenure); "
    "a displaced worker loses the tenure and the firm premium of the lost job, and their reservation wage follows what an "
    "average employer would pay them, not the lost wage. Those back in the lost job's occupation stay below the lost wage "
    "for the three years followed (the rows by year above); those in another occupation, mostly retrained into "
    "better-paid AI roles, earn more than they did, which pulls the mean up over time. The loss is the part of Jacobson, "
    "LaLonde and Sullivan's that tenure, firm premia and occupation-specific experience explain; the rest (the lost job's "
    "rents for long-tenured workers in high-paying industries, scarring) is not modelled, so the model's loss is smaller. "
)
FEW_LEAVE_THE_LABOUR_FORCE = (
    "Workers leave the labour force from unemployment (faster after a year, and with age) and from a job (care, study), and "
    "re-enter it searching; the rates are assumptions anchored on gross-flow magnitudes, not fitted to the survey, so the "
    "share of the displaced out of the labour force is reported against the survey, not targeted. "
)
TRAINING_CROSSOVER = (
    ". Losers are not untreated: {crossover:.0f}% of them enrol at full cost in the month they lose, so the contrast is the "
    "effect of a subsidised seat against the market's own retraining, not of training against none; the lock-in is measured "
    "from the lottery, at the start of the course, as in evaluations from programme start (Lechner, Miquel and Wunsch 2011, "
    "Journal of the European Economic Association 9(4)), whereas the meta-analysis' short run mostly counts from its end"
)

# --------------------------------------------------------------------------- the page
PAGE_TITLE = "# Validation: the US profile against what labour economics has measured"
PAGE_GENERATED = "Generated by `laborshift-validate` (`simulation/validation/`); every figure on this page is produced by that command. Do not edit by hand."
PAGE_VERDICTS = (
    "Verdicts: **pass** (the model reproduces the fact within the stated tolerance), **partial** (right direction or order of "
    "magnitude, with a stated gap), **miss** (the model does not reproduce it; the section says why)."
)
