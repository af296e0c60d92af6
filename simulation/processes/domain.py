"""Domain knowledge: workers' experience in a sector, and what it is worth in AI roles at firms of that sector.

Firms belong to sectors (``simulation/data/sectors.csv``: internet platforms,
semiconductors, cloud, consumer apps, healthcare, finance, logistics,
education, manufacturing). A worker carries one domain, ``workers.domain``
(a sector, -1 for none), and years of experience in it, ``workers.domain_years``:

* the initial population: an employee's domain is their employer's sector, an
  unemployed worker's a sector drawn by the sectors' employment shares; their
  years are their potential experience (age - ``demography.age_entry``);
* graduates have none;
* an entrant from another sector brings one with probability
  ``domain.entrant_share``: a sector drawn by employment shares, with their
  potential experience as years;
* every ``DOMAIN_PERIOD`` months an employee at a firm of their domain's sector
  gains the period's years (dt = DOMAIN_PERIOD / 12); at a firm of another sector
  the old domain loses them instead, and once none are left the employer's sector
  becomes the domain (with the rest of the period as its years): a worker who
  moves sector keeps their old domain, fading, for as long as they had built it,
  then carries the new one. The unemployed, trainees and those out of the labour
  force keep theirs as it is. Retraining changes the occupation, not the domain.

Its strength is ``s = min(domain_years / full_years, 1)``. In an application to an
AI-core or AI-adjacent role at a firm of the applicant's domain sector
(:meth:`DomainRoles.advantage`, called by :mod:`.matching`):

    score  += fit_bonus x s                                   (the ranking firms see)
    offered = posted wage x hire pay factor x (1 + pay_premium x s)   (pay at hire)

so the premium becomes part of the hire's pay factor (``wages.pay_at_hire`` times it).
The wage screen (an application is sent only if the offer pays what the searcher
would take) is applied before the premium: a searcher does not count on it.
Both parameters at 0 switch the advantage off.
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..state import EMPLOYED, UNEMPLOYED

DOMAIN_PERIOD = 3  # months between updates of domain experience
NO_ROLE = -2  # a cell that is not an AI role: matches no worker's domain (-1 is "no domain")


def strength(years: np.ndarray, full_years: float) -> np.ndarray:
    """How much of the domain advantage counts: min(years / full_years, 1)."""
    return np.minimum(np.asarray(years, dtype=np.float64) / full_years, 1.0)


class DomainRoles:
    """The AI roles of every (firm, occupation) cell, for the domain terms of many applications.

    Cells are in occupation-major order (c = o x n_firms + f), as in :mod:`.matching`. ``sector``: the firm's sector
    if the occupation is AI-core or AI-adjacent, else ``NO_ROLE``; ``code``: the counting code of an AI role, its
    sector for AI-adjacent and n_sectors + its sector for AI-core, -1 otherwise. Sectors and lanes are fixed, so
    both are built once.
    """

    def __init__(self, model):
        self.model = model
        lane = model.occupations.lane
        core, adjacent = lane == LANES.index("ai_core"), lane == LANES.index("ai_adjacent")
        sector = model.firms.sector.astype(np.int16)
        self.n_sectors = model.sectors.n
        self.sector = np.where((core | adjacent)[:, None], sector[None, :], np.int16(NO_ROLE)).ravel()
        code = np.where(core[:, None], sector[None, :] + self.n_sectors, np.where(adjacent[:, None], sector[None, :], -1))
        self.code = code.astype(np.int16).ravel()

    def advantage(self, ids: np.ndarray, cell: np.ndarray, score: np.ndarray, offered: np.ndarray) -> None:
        """Add the domain terms (module docstring) to the applications of workers ``ids`` to ``cell``, in place.

        Also counts the applications to AI roles by sector, lane and domain match.
        """
        m = self.model
        w, dm, fl, n = m.workers, m.cfg.domain, m.flows, self.n_sectors
        match = np.flatnonzero(self.sector.take(cell) == w.domain.take(ids))
        code = self.code.take(cell)
        apps = np.bincount(code + 1, minlength=2 * n + 1)[1:]
        apps_match = np.bincount(code.take(match), minlength=2 * n)
        fl["applications_ai_adjacent_sector"] += apps[:n]
        fl["applications_ai_core_sector"] += apps[n:]
        fl["applications_ai_adjacent_domain_sector"] += apps_match[:n]
        fl["applications_ai_core_domain_sector"] += apps_match[n:]
        if match.size == 0 or (dm.fit_bonus <= 0 and dm.pay_premium <= 0):
            return
        s = strength(w.domain_years.take(ids.take(match)), dm.full_years)
        score[match] += dm.fit_bonus * s
        offered[match] *= 1.0 + dm.pay_premium * s


def count_hires(model, ids: np.ndarray, firms: np.ndarray, occupations: np.ndarray) -> None:
    """Hires by their new employer's sector: all, into AI-core and AI-adjacent roles, and those with a domain match.

    A hire has a domain match when their domain is the firm's sector. One count of (sector, lane, match) codes.
    """
    fl, n_sec = model.flows, model.sectors.n
    sector = model.firms.sector.take(firms)
    code = sector.astype(np.int64) * (2 * len(LANES))
    code += model.occupations.lane.take(occupations) * 2
    code += model.workers.domain.take(ids) == sector
    counts = np.bincount(code, minlength=n_sec * 2 * len(LANES)).reshape(n_sec, len(LANES), 2)
    core, adjacent = counts[:, LANES.index("ai_core")], counts[:, LANES.index("ai_adjacent")]
    fl["hires_sector"] += counts.sum(axis=(1, 2))
    fl["hires_ai_core_sector"] += core.sum(axis=1)
    fl["hires_ai_adjacent_sector"] += adjacent.sum(axis=1)
    fl["hires_ai_core_domain_sector"] += core[:, 1]
    fl["hires_ai_adjacent_domain_sector"] += adjacent[:, 1]
    fl["hires_domain_match_sector"] += core[:, 1] + adjacent[:, 1]
    fl["hires_domain_match"] += int(core[:, 1].sum() + adjacent[:, 1].sum())


def assign_initial(model) -> None:
    """The initial population's domains (module docstring), from their own random stream."""
    w, f, sec, demo = model.workers, model.firms, model.sectors, model.cfg.demography
    n0 = model.initial_population
    rng = model.streams.generator("build.domain")
    status, firm = w.status[:n0], w.firm[:n0]
    employed = status == EMPLOYED
    drawn = rng.choice(sec.n, size=n0, p=sec.employment_share).astype(np.int16)
    w.domain[:n0] = np.where(employed, f.sector.take(np.maximum(firm, 0)), np.where(status == UNEMPLOYED, drawn, -1))
    w.domain_years[:n0] = np.where(w.domain[:n0] >= 0, np.maximum(w.age[:n0] - demo.age_entry, 0.0), 0.0)


def assign_entrants(model, ids: np.ndarray, ages: np.ndarray) -> None:
    """Entrants from other sectors: a share ``domain.entrant_share`` bring a domain (their own random stream, by month)."""
    if ids.size == 0 or model.cfg.domain.entrant_share <= 0:
        return
    sec = model.sectors
    rng = model.streams.monthly("lifecycle.domain", model.month)
    brings = rng.random(ids.size) < model.cfg.domain.entrant_share
    drawn = rng.choice(sec.n, size=ids.size, p=sec.employment_share)
    got = ids.compress(brings)
    model.workers.domain[got] = drawn.compress(brings)
    model.workers.domain_years[got] = np.maximum(np.asarray(ages).compress(brings) - model.cfg.demography.age_entry, 0.0)


def accrue(model) -> None:
    """Every ``DOMAIN_PERIOD`` months: employees build experience in their employer's sector (module docstring).

    In place over the live slice: + dt where the employer's sector is the domain, - dt where it is not; where that
    leaves nothing, the employer's sector becomes the domain with the rest of the period as its years.
    """
    if model.month % DOMAIN_PERIOD:
        return
    w, n = model.workers, model.next_slot
    dt = DOMAIN_PERIOD / 12.0
    sector = model.firms.sector.take(w.firm[:n])  # firm -1 (not employed) looks up the last firm: masked below
    domain, years = w.domain[:n], w.domain_years[:n]
    code = (w.status[:n] == EMPLOYED).view(np.int8)  # 0 not employed, 1 employed elsewhere, 2 employed in the domain
    code = code + (code & (sector == domain).view(np.int8))
    years += np.array([0.0, -dt, dt], dtype=np.float32).take(code)
    low = np.flatnonzero(years <= 0.0)  # the employed who ran out, and everyone without a domain
    switch = low.compress(code.take(low) == 1)
    if switch.size:
        domain[switch] = sector.take(switch)
        years[switch] = np.abs(years.take(switch))
