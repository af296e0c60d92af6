"""Policy levers as plug-ins.

Each lever is a small class with a start month. Every month, before the
market moves, :class:`PolicySet` resets the :class:`Levers` to their neutral
values and lets each active policy act on them; the mechanisms read only the
levers, never the policy configuration. Levers combine freely.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .config import PolicyConfig


@dataclass
class Levers:
    """What the active policies do to the market this month (neutral values when none acts)."""

    adoption_cost_factor: float = 1.0  # multiplies the cost of adoption (subsidy < 1)
    adoption_cost_add: float = 0.0  # added to the cost of adoption (automation tax)
    public_ai_demand: float = 0.0  # extra AI-core demand, share of base, publicly funded
    public_ai_backstop: float = 0.0  # share of a fall in private AI-core demand taken over by public projects
    retraining_cost_share: float = 0.0  # share of tuition paid by the state
    retraining_seats: int = 0  # subsidised seats this month
    retraining_targeting: str = "displaced"
    retraining_outreach: float = 0.0  # monthly chance that a targeted unemployed worker weighs retraining
    ui_replacement: float = 0.0  # benefit / last wage
    ui_duration: int = 0  # months of benefit for a new spell
    ui_floor_share: float = 0.0  # lowest benefit, share of the reference wage (processes.insurance)
    ui_cap_share: float = 0.0  # highest benefit, share of the reference wage
    hiring_subsidy: float = 0.0  # share of an eligible hire's wage paid by the state to the employer
    hiring_subsidy_months: int = 0  # months of the match the subsidy is paid for
    hiring_demand_elasticity: float = 0.0  # labour-demand elasticity applied to the subsidy's cut of the expected labour cost
    hiring_budget_relief: bool = False  # the subsidy paid does not count against the firm's payroll budget
    education_ai_boost: float = 0.0  # tilt of graduates' field mix to AI fields

    def reset(self) -> None:
        """Return every lever to its neutral value."""
        for f in fields(self):
            setattr(self, f.name, f.default)


def subsidy_cost_cut(levers: Levers, market) -> float:
    """Share of an eligible hire's expected wage cost over the match that the hiring subsidy pays.

    ``wage_share x min(D, H) / H``: the subsidy pays ``wage_share`` of the wage for ``D`` (``duration_months``) of a
    match that lasts ``H = 1 / (layoff_rate + quit_rate)`` months on average (57 months at the defaults; job-to-job
    moves, which end matches too, are left out, so the share is if anything understated). 0 without the lever.
    """
    if levers.hiring_subsidy <= 0 or levers.hiring_subsidy_months <= 0:
        return 0.0
    expected = 1.0 / max(market.layoff_rate + market.quit_rate, 1e-9)
    return levers.hiring_subsidy * min(levers.hiring_subsidy_months, expected) / expected


class Policy:
    """A lever with a start month; subclasses implement :meth:`act`."""

    def __init__(self, cfg):
        self.cfg = cfg

    def active(self, month: int) -> bool:
        """Whether the lever is switched on and has started."""
        return bool(self.cfg.enabled) and month >= self.cfg.start_month

    def act(self, levers: Levers, population: int) -> None:  # pragma: no cover - interface
        """Move the levers."""
        raise NotImplementedError


class AdoptionSubsidyPolicy(Policy):
    """adoption cost x (1 - rate)."""

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.adoption_cost_factor *= 1.0 - self.cfg.rate


class PublicAIDemandPolicy(Policy):
    """AI-core demand x (1 + share), plus ``backstop`` of any fall of private AI-core demand; funded outside firms' budgets."""

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.public_ai_demand += self.cfg.share
        levers.public_ai_backstop = max(levers.public_ai_backstop, self.cfg.backstop)


class RetrainingSubsidyPolicy(Policy):
    """The state pays ``cost_share`` of retraining costs for ``seats_per_1000 x population / 1000`` seats a month, and reaches out to the targeted."""

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.retraining_cost_share = max(levers.retraining_cost_share, self.cfg.cost_share)
        levers.retraining_seats += int(round(self.cfg.seats_per_1000 * population / 1000.0))
        levers.retraining_targeting = self.cfg.targeting
        levers.retraining_outreach = max(levers.retraining_outreach, self.cfg.outreach)


class UnemploymentInsurancePolicy(Policy):
    """Benefit = replacement_rate x last wage, between the floor and the cap, for duration_months of a new spell (:mod:`.processes.insurance`)."""

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.ui_replacement = self.cfg.replacement_rate
        levers.ui_duration = self.cfg.duration_months
        levers.ui_floor_share = self.cfg.floor_share
        levers.ui_cap_share = self.cfg.cap_share


class HiringSubsidyPolicy(Policy):
    """The state pays ``wage_share`` of an eligible hire's wage for ``duration_months`` of the match.

    Eligible: an AI-displaced worker hired from unemployment. The subsidy is a cut in the firm's labour cost, which
    moves its demand (``demand_elasticity``), its payroll budget (``budget_relief``, :mod:`.processes.demand`) and its
    ranking of applicants (:mod:`.processes.matching`).
    """

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.hiring_subsidy = self.cfg.wage_share
        levers.hiring_subsidy_months = self.cfg.duration_months
        levers.hiring_demand_elasticity = self.cfg.demand_elasticity
        levers.hiring_budget_relief = bool(self.cfg.budget_relief)


class AutomationTaxPolicy(Policy):
    """adoption cost + rate."""

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.adoption_cost_add += self.cfg.rate


class EducationShiftPolicy(Policy):
    """Graduates' weight on AI fields x (1 + ai_field_boost)."""

    def act(self, levers, population):
        """Move the levers as the class docstring says."""
        levers.education_ai_boost += self.cfg.ai_field_boost


REGISTRY = {
    "adoption_subsidy": AdoptionSubsidyPolicy,
    "public_ai_demand": PublicAIDemandPolicy,
    "retraining_subsidy": RetrainingSubsidyPolicy,
    "unemployment_insurance": UnemploymentInsurancePolicy,
    "hiring_subsidy": HiringSubsidyPolicy,
    "automation_tax": AutomationTaxPolicy,
    "education_shift": EducationShiftPolicy,
}


class PolicySet:
    """All configured levers; :meth:`step` sets this month's :class:`Levers`."""

    def __init__(self, cfg: PolicyConfig, population: int):
        self.policies = {name: cls(getattr(cfg, name)) for name, cls in REGISTRY.items()}
        self.population = population
        self.levers = Levers()

    def step(self, month: int) -> Levers:
        """Reset the levers and let every active policy act."""
        self.levers.reset()
        for policy in self.policies.values():
            if policy.active(month):
                policy.act(self.levers, self.population)
        return self.levers
