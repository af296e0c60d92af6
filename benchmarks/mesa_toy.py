"""A small labour market written the way the Mesa examples are written: one Python object per agent.

This is the yardstick for ``benchmarks/benchmark.py``: it shows what one
worker-month costs in the agent-object style, so the array-based core of
``simulation/`` can be compared per worker-step. It is deliberately much
simpler than the real model (no skills, ages, AI adoption, retraining,
policies, ranking of applicants or graduates); it keeps only the skeleton
every labour-market ABM has:

* ``Worker`` agents with plain Python attributes: occupation, employed flag,
  employer, wage and months unemployed;
* ``Firm`` agents with labour demand, headcount, vacancies and a wage offer
  per occupation;
* one step per month: firms let their demand drift and post vacancies, then
  every worker acts once, in random order (``shuffle_do("step")``). An
  employed worker quits or is laid off with a small probability, otherwise
  its wage drifts; an unemployed worker applies to up to three random firms
  with a vacancy in its occupation and takes the first opening.

All randomness comes from the model's generators (``self.random``), seeded by
``Model(rng=seed)`` (works on mesa 3.3 and 3.5).

Usage::

    from benchmarks.mesa_toy import ToyLaborMarket
    m = ToyLaborMarket(n_workers=10_000, seed=0)
    for _ in range(120):
        m.step()
"""

from __future__ import annotations

import math

import mesa


class Firm(mesa.Agent):
    """A firm: labour demand, headcount, vacancies and wage offer per occupation."""

    def __init__(self, model: ToyLaborMarket, size: float, wage_premium: float):
        super().__init__(model)
        n_occ = model.n_occupations
        self.size = size
        self.demand = [0.0] * n_occ
        self.headcount = [0] * n_occ
        self.vacancies = [0] * n_occ
        self.wage_offer = [w * wage_premium for w in model.base_wages]

    def step(self) -> None:
        """Demand drifts; vacancies fill the gap to demand; offers rise where the firm is short-staffed."""
        m = self.model
        gauss = self.random.gauss
        for o in range(m.n_occupations):
            self.demand[o] *= math.exp(gauss(m.demand_growth, m.demand_noise))
            gap = round(self.demand[o]) - self.headcount[o]
            self.vacancies[o] = gap if gap > 0 else 0
            self.wage_offer[o] *= m.offer_rise if gap > 0 else m.offer_fall

    def hire(self, worker: Worker) -> None:
        """Fill one vacancy in the worker's occupation."""
        o = worker.occupation
        self.vacancies[o] -= 1
        self.headcount[o] += 1
        worker.employed = True
        worker.employer = self
        worker.wage = self.wage_offer[o]
        worker.months_unemployed = 0
        self.model.n_unemployed -= 1


class Worker(mesa.Agent):
    """A worker: occupation, employed flag, employer, wage and months unemployed."""

    def __init__(self, model: ToyLaborMarket, occupation: int):
        super().__init__(model)
        self.occupation = occupation
        self.employed = False
        self.employer: Firm | None = None
        self.wage = model.base_wages[occupation]
        self.months_unemployed = 0

    def step(self) -> None:
        """One month: separate or get a wage drift if employed; search if unemployed."""
        m = self.model
        if self.employed:
            if self.random.random() < m.separation_rate:
                self.separate()
            else:
                # wage drift with uniform noise of +/- wage_noise/2 (one C-level draw)
                self.wage *= 1.0 + m.wage_drift + m.wage_noise * (self.random.random() - 0.5)
        else:
            self.months_unemployed += 1
            self.search()

    def search(self) -> None:
        """Apply to up to ``applications`` random firms with a vacancy in my occupation; take the first opening."""
        m = self.model
        hiring = m.hiring[self.occupation]
        if not hiring:
            return
        k = m.applications if len(hiring) > m.applications else len(hiring)
        for firm in self.random.sample(hiring, k):
            if firm.vacancies[self.occupation] > 0:  # openings are taken as the month goes on
                firm.hire(self)
                return

    def separate(self) -> None:
        """Quit or be laid off: leave the employer and become unemployed."""
        self.employer.headcount[self.occupation] -= 1
        self.employer = None
        self.employed = False
        self.months_unemployed = 0
        self.model.n_unemployed += 1


class ToyLaborMarket(mesa.Model):
    """Idiomatic Mesa 3 labour market: ``n_workers`` worker agents and one firm agent per ``workers_per_firm``.

    Args:
        n_workers: number of workers (fixed: no entry or exit).
        seed: seed of the model's generators.
        occupation_shares: share of workers in each occupation (default: 15 equal shares).
        base_wages: monthly base wage of each occupation (default: 10,000 each).
        workers_per_firm: population divided by this gives the number of firms.
    """

    def __init__(
        self,
        n_workers: int = 10_000,
        seed: int = 0,
        occupation_shares: list[float] | None = None,
        base_wages: list[float] | None = None,
        workers_per_firm: int = 200,
        initial_unemployment_rate: float = 0.05,
        initial_vacancy_rate: float = 0.03,
        quit_rate: float = 0.01,
        layoff_rate: float = 0.005,
        applications: int = 3,
    ):
        super().__init__(rng=seed)
        shares = list(occupation_shares) if occupation_shares is not None else [1.0] * 15
        self.n_occupations = len(shares)
        self.base_wages = list(base_wages) if base_wages is not None else [10_000.0] * self.n_occupations
        self.n_workers = int(n_workers)
        self.separation_rate = quit_rate + layoff_rate
        self.applications = applications
        self.wage_drift, self.wage_noise = 0.002, 0.02  # per month
        self.demand_growth, self.demand_noise = 0.0015, 0.02  # log points per month
        self.offer_rise, self.offer_fall = 1.003, 0.999

        n_firms = max(1, self.n_workers // workers_per_firm)
        firms = [Firm(self, size=self.random.paretovariate(1.2), wage_premium=math.exp(self.random.gauss(0.0, 0.1)))
                 for _ in range(n_firms)]
        occupations = self.random.choices(range(self.n_occupations), weights=shares, k=self.n_workers)
        employers = self.random.choices(firms, weights=[f.size for f in firms], k=self.n_workers)
        self.n_unemployed = 0
        for occupation, firm in zip(occupations, employers, strict=True):
            worker = Worker(self, occupation)
            if self.random.random() < initial_unemployment_rate:
                worker.months_unemployed = int(self.random.expovariate(0.25))
                self.n_unemployed += 1
            else:
                worker.employed = True
                worker.employer = firm
                worker.wage = firm.wage_offer[occupation]
                firm.headcount[occupation] += 1
        for firm in firms:
            firm.demand = [h / (1.0 - initial_vacancy_rate) for h in firm.headcount]
        self.hiring: list[list[Firm]] = [[] for _ in range(self.n_occupations)]

        self.datacollector = mesa.DataCollector(
            model_reporters={"unemployment_rate": lambda m: m.n_unemployed / m.n_workers}
        )
        self.datacollector.collect(self)

    def step(self) -> None:
        """One month: firms post vacancies, then workers act in random order, then record."""
        self.agents_by_type[Firm].do("step")
        firms = self.agents_by_type[Firm]
        self.hiring = [[f for f in firms if f.vacancies[o] > 0] for o in range(self.n_occupations)]
        self.agents_by_type[Worker].shuffle_do("step")
        self.datacollector.collect(self)

    @property
    def unemployment_rate(self) -> float:
        """Unemployed share of the workers."""
        return self.n_unemployed / self.n_workers
