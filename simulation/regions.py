"""Regions: two or more labour markets that share a talent market and a product market (issue 18).

A regional run is a composite of one :class:`~simulation.model.LaborMarketModel` per region, each built from
its own composed config (its profile, levers and scenario overrides) and its own seed, and stepped in lockstep
month by month. The one-region model is not touched: a region's month is exactly the one-region month, and
the two channels act between the months, with array operations only.

Each month ``t`` of :meth:`RegionalModel.step`, in this order:

1. **arrivals**: the migrants who left in month ``t - 1`` (in transit for a month) enter their destination as
   unemployed searchers in their occupation, carrying their skills, traits and history (wages converted at the
   market exchange rate);
2. **departures** (the talent channel): every employed or unemployed worker of region a weighs a move to each
   other region b. With ``W_r,o`` region r's mean posted wage of occupation o (base wage x wage index) in
   international dollars (``ppp_usd_per_unit``), the value of the move is

       v = ln(W_b,o / W_a,o) - migration_cost + [home = b] (home_pull + return_incentive_b)

   and its monthly hazard is ``rate_lane / (1 + exp(-v / gain_scale))`` (a logit: it rises with the gain; half
   the lane's rate at v = 0). Movers into a region that is not their home need a visa: at most
   ``visa_quota`` a month per 1,000 of the destination's initial workers (a random subset; the fraction carries
   over); returns need none. A mover leaves their job (headcount follows) and their region's population
   (status ``LEFT_SECTOR``, as the model's own emigrants from outside the labour force), and is in transit for
   the month;
3. **product market**: in each shared sector s, region r's unit cost index is
   ``c_r,s = max(1 - ai_cost_saving (x_r,s - x_r,s(0)), 0.05)``, x the size-weighted mean adoption of its firms
   in s times its AI capability; its market share is ``share_r,s = s0_r c_r,s^(-e) / sum_k s0_k c_k,s^(-e)``
   (s0: the regions' sizes, e: ``trade_elasticity``), and its firms' demand and budgets in s are multiplied by
   ``1 + trade_exposure (share_r,s / s0_r - 1)`` (``model.demand_shift``, read by :mod:`.processes.demand`);
4. every region's month (:meth:`LaborMarketModel.step`), recorded as in a one-region run.

Accounting: a region's population in month t is last month's plus its own flows (the model's identities) plus
its arrivals less its departures; the regions' populations plus the migrants in transit change only by the
models' own flows. Workers keep ``home_region`` (:mod:`simulation.state`), so emigration and return are told
apart. See docs/REGIONS.md.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from .composition import CONFIG_DIR, compose, parse_overrides, profile_names
from .config import LANES, ConfigError, RegionsConfig, RegionSpec, range_problems, to_config
from .model import LaborMarketModel
from .results import Results, summarize
from .state import EMPLOYED, LEFT_SECTOR, NEVER_MONTH, NO_ROUTE, UNEMPLOYED, WorkerArrays

REGIONS_DIR = CONFIG_DIR / "regions"
DIRECTIONS = ("emigration", "return")
MIN_REGION_WORKERS = 10
MIN_COST_INDEX = 0.05
CANDIDATE_CHUNK = 4096  # candidate movers drawn per chunk (RegionalModel._candidates): fixed, so draws do not depend on the population
CURRENCY_FIELDS = ("wage", "reservation_wage", "displaced_wage", "reemployed_wage")  # money fields a migrant carries
# per-region columns the regional run adds to each region's timeseries (the talent channel's flows)
REGION_COLUMNS = {
    "migrants_in": "migrants who arrived in the region this month (unemployed searchers), after a month in transit",
    "migrants_out": "workers who left the region this month for another (in transit this month)",
    "migrants_out_employed": "of migrants_out, those who left a job (the rest left unemployment)",
    "returns_in": "of migrants_in, those whose home region this is",
    "displaced_in": "of migrants_in, those displaced by AI before (in any region): they join the region's displaced stocks (displaced_*), which can then exceed its own ai_displaced_cumulative by the sum of these",
}


# --------------------------------------------------------------------------- config
def regions_names() -> list[str]:
    """Regions configs shipped in ``configs/regions`` (``none`` included)."""
    return sorted(p.stem for p in REGIONS_DIR.glob("*.yaml"))


def load_regions(name: str, overrides: Sequence[str] = ()) -> RegionsConfig:
    """The regions config ``configs/regions/<name>.yaml`` with ``regions.key=value`` overrides, checked.

    Raises one :class:`ConfigError` naming every problem (unknown name, profile, key; a region without workers;
    values out of range, e.g. a negative migration cost).
    """
    names = regions_names()
    if name not in names:
        raise ConfigError([f"regions: got {name!r}; allowed: one of {', '.join(names)}"])
    cfg = OmegaConf.merge(OmegaConf.structured(RegionsConfig), OmegaConf.load(REGIONS_DIR / f"{name}.yaml"))
    problems = []
    for ov in parse_overrides(list(overrides)):
        key = ov.key_or_group.removeprefix("regions.")
        try:
            OmegaConf.update(cfg, key, ov.value(), merge=True)
        except Exception as exc:
            problems.append(f"regions.{key}: got {ov.get_value_element_as_str()!r}; {str(exc).splitlines()[0]}")
    if problems:
        raise ConfigError(problems)
    rc = OmegaConf.to_object(cfg)
    problems = regions_problems(rc)
    if problems:
        raise ConfigError(problems)
    return rc


def regions_problems(rc: RegionsConfig, workers: int | None = None) -> list[str]:
    """Every problem of a regions config, one line each, naming the field (``regions.members.us.size: ...``)."""
    problems = [f"regions.{p}" for p in range_problems(OmegaConf.structured(rc), RegionsConfig)]
    if rc.name != "none" and not rc.members:
        problems.append("regions.members: got no region; allowed: one or more regions, each with a profile")
    known = profile_names()
    for region, spec in rc.members.items():
        problems += [f"regions.members.{region}.{p}" for p in range_problems(OmegaConf.structured(spec), RegionSpec)
                     if not p.startswith("profile:")]
        bad_home = [h for h in spec.born_abroad if h not in rc.members or h == region]
        if bad_home:
            problems.append(f"regions.members.{region}.born_abroad: got {', '.join(map(repr, bad_home))}; allowed: other regions ({', '.join(r for r in rc.members if r != region)})")
        if sum(spec.born_abroad.values()) > 1 or any(v < 0 for v in spec.born_abroad.values()):
            problems.append(f"regions.members.{region}.born_abroad: got {dict(spec.born_abroad)}; allowed: shares >= 0 summing to at most 1")
        if spec.profile not in known:
            problems.append(f"regions.members.{region}.profile: got {spec.profile!r}; allowed: one of {', '.join(known)}")
        if workers is not None and round(spec.size * workers) < MIN_REGION_WORKERS:
            problems.append(f"regions.members.{region}.size: got {spec.size:g}, which gives {round(spec.size * workers)} workers "
                            f"at workers={workers}; allowed: a region with at least {MIN_REGION_WORKERS} workers")
    from .occupations import load_sectors

    sectors = set(load_sectors().names)
    bad = [s for s in rc.shared_sectors if s not in sectors]
    if bad:
        problems.append(f"regions.shared_sectors: got {', '.join(map(repr, bad))}; allowed: sectors of the table ({', '.join(sorted(sectors))})")
    for scenario, per_region in rc.scenarios.items():
        unknown = [r for r in per_region if r not in rc.members]
        if unknown:
            problems.append(f"regions.scenarios.{scenario}: got regions {', '.join(map(repr, unknown))}; allowed: {', '.join(rc.members)}")
    return problems


def region_seeds(seed: int, n: int) -> tuple[list[int], np.random.SeedSequence]:
    """Each region's run seed (63-bit) and the talent channel's sequence, spawned from the run's seed."""
    children = np.random.SeedSequence(int(seed)).spawn(n + 1)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children[:n]], children[n]


SPEC_PREFIX = "region."  # a scenario's override of a region's spec (``region.return_incentive=0.5``), not of its run


def compose_regions(rc: RegionsConfig, scenario: str = "baseline", overrides: Sequence[str] = (),
                    member_overrides: Mapping[str, Sequence[str]] | None = None) -> tuple[dict, RegionsConfig, int]:
    """Each region's run config (its profile, its overrides, ``member_overrides[region]``, the scenario's for it, then ``overrides``), the regions config and the run's seed.

    ``member_overrides``: per region, overrides of its run alone (a regional comparison's parameter draws, drawn per profile).

    The regions' workers are their ``size`` times the run's, their seeds spawned from the run's seed
    (:func:`region_seeds`). A scenario's ``region.<field>=value`` entries set that region's spec instead.
    """
    import copy

    rc = copy.deepcopy(rc)
    user = list(overrides)
    problems = [f"{o.split('=', 1)[0]}: got {o!r}; allowed: set each region's profile in its regions config (members.<region>.profile)"
                for o in user if o.lstrip("+").startswith("profile=")]
    composed = {}
    for region, spec in rc.members.items():
        extra = list(rc.scenarios.get(scenario, {}).get(region, []))
        for item in [e for e in extra if e.startswith(SPEC_PREFIX)]:
            key, _, value = item[len(SPEC_PREFIX):].partition("=")
            node = OmegaConf.structured(spec)
            OmegaConf.update(node, key, parse_overrides([f"x={value}"])[0].value(), merge=True)
            spec = OmegaConf.to_object(node)
            rc.members[region] = spec
        own = list((member_overrides or {}).get(region, []))
        run_ov = [f"profile={spec.profile}", *spec.overrides, *own, *[e for e in extra if not e.startswith(SPEC_PREFIX)], *user]
        try:
            composed[region] = compose(scenario, run_ov)
        except ConfigError as err:
            problems += [f"regions.members.{region}: {p}" for p in err.problems]
    if problems:
        raise ConfigError(problems)
    first = next(iter(composed.values()))
    workers, seed = int(first.workers), int(first.seed)
    problems = regions_problems(rc, workers)
    if problems:
        raise ConfigError(problems)
    seeds, _ = region_seeds(seed, len(composed))
    for (region, cfg), s in zip(composed.items(), seeds, strict=True):
        cfg.workers = round(rc.members[region].size * workers)
        cfg.seed = s
    return composed, rc, seed


# --------------------------------------------------------------------------- the model
class RegionalModel(mesa.Model):
    """Regions stepped in lockstep, with a talent channel and a product market between them (module docstring).

    Args:
        rc: the regions config (:func:`load_regions`; after :func:`compose_regions`).
        configs: each region's run config, by region name, in ``rc.members`` order.
        seed: the run's seed (the talent channel's stream is spawned from it; the regions' seeds are in their configs).

    """

    def __init__(self, rc: RegionsConfig, configs: dict, seed: int = 0):
        _, channel = region_seeds(seed, len(configs))
        super().__init__(rng=np.random.Generator(np.random.PCG64(channel)))
        self.rc = rc
        self.names = list(configs)
        self.specs = [rc.members[r] for r in self.names]
        self.models = [LaborMarketModel(to_config(c)) for c in configs.values()]
        self.month = 0
        first = self.models[0]
        for m in self.models[1:]:
            if list(m.occupations.names) != list(first.occupations.names) or m.occupations.profiles.shape != first.occupations.profiles.shape:
                raise ConfigError(["regions.members: the regions' profiles must share the occupation table"])
        self.channel_rng = self.rng
        self.channel_seq = channel  # each (month, region)'s candidate movers come from their own child of it (_candidates)
        self.lane = first.occupations.lane.astype(np.int64)
        self.lane_rate = np.array([getattr(rc, f"move_rate_{lane}") for lane in LANES])
        self.ppp = np.array([s.ppp_usd_per_unit for s in self.specs])
        self.usd = np.array([s.usd_per_unit for s in self.specs])
        self.visa_credit = np.zeros(len(self.models))
        self.population0 = np.array([m.population for m in self.models], dtype=float)
        self.transit: dict[str, np.ndarray] | None = None
        self._place_diaspora()
        self._setup_market()
        self.migration_rows: list[pd.DataFrame] = []
        self.flows = np.zeros((len(self.models), len(REGION_COLUMNS)), dtype=np.int64)
        self.region_flows = [self.flows.copy()]  # month 0: no flows
        self.in_transit = [0]
        self.share_rows = [self._share_frame()]
        self.talent_counts = [self._talent_counts()]
        self.timings = {"arrivals": 0.0, "departures": 0.0, "market": 0.0, "regions": 0.0}

    def _place_diaspora(self) -> None:
        """At month 0, ``born_abroad`` shares of each region's AI-core workers get another region as their home."""
        core = LANES.index("ai_core")
        for m, spec in zip(self.models, self.specs, strict=True):
            w = m.workers
            alive = m.alive_index()
            core_ids = alive.compress(self.lane.take(w.occupation.take(alive)) == core)
            free = core_ids.take(self.channel_rng.permutation(core_ids.size))
            for home, share in spec.born_abroad.items():
                n = int(round(share * core_ids.size))
                w.home_region[free[:n]] = self.names.index(home)
                free = free[n:]

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month: arrivals, departures, the product market, then every region's month (module docstring)."""
        self.month += 1
        self.flows[:] = 0
        for name, fn in (("arrivals", self._arrivals), ("departures", self._departures), ("market", self._market)):
            start = time.perf_counter()
            fn()
            self.timings[name] += time.perf_counter() - start
        start = time.perf_counter()
        for m in self.models:
            m.step()
        self.timings["regions"] += time.perf_counter() - start
        self.region_flows.append(self.flows.copy())
        self.in_transit.append(0 if self.transit is None else int(self.transit["dest"].size))
        self.share_rows.append(self._share_frame())
        self.talent_counts.append(self._talent_counts())

    def _talent_counts(self) -> np.ndarray:
        """Employed workers by (region, home region, lane) at this month's record: where each region's talent works."""
        n, n_lanes = len(self.models), len(LANES)
        out = np.zeros((n, n, n_lanes), dtype=np.int64)
        for r, m in enumerate(self.models):
            # employees by lane from the firms' headcounts (they count the employed, processes' invariant); those born
            # elsewhere (home_region >= 0: the diaspora and migrants, few) from their own rows; the rest are at home
            by_lane = np.bincount(self.lane, weights=m.firms.headcount.sum(axis=0), minlength=n_lanes).astype(np.int64)
            w = m.workers
            away = np.flatnonzero(w.home_region[: m.next_slot] >= 0)
            away = away.compress(w.status.take(away) == EMPLOYED)
            code = w.home_region.take(away).astype(np.int64) * n_lanes + self.lane.take(w.occupation.take(away))
            out[r] = np.bincount(code, minlength=n * n_lanes).reshape(n, n_lanes)
            out[r, r] += by_lane - out[r].sum(axis=0)
        return out

    def run(self, months: int | None = None, progress=None) -> None:
        """Run ``months`` months (default: the regions' configured horizon)."""
        for _ in range(self.models[0].cfg.months if months is None else months):
            self.step()
            if progress is not None:
                progress()

    # ------------------------------------------------------------------ talent channel
    def market_wage(self, r: int) -> np.ndarray:
        """Region r's mean posted wage per occupation this month, in international dollars (base wage x wage index x PPP)."""
        m = self.models[r]
        return m.occupations.base_wage * m.market.wage_index * self.ppp[r]

    def hazard_table(self, a: int) -> np.ndarray:
        """Monthly hazard of moving from region a, by (destination, occupation, is a return): ``(R, O, 2)`` (module docstring)."""
        rc = self.rc
        wa = self.market_wage(a)
        n = len(self.models)
        table = np.zeros((n, wa.size, 2))
        rate = self.lane_rate.take(self.lane)
        for b in range(n):
            if b == a:
                continue
            value = np.log(self.market_wage(b) / wa) - rc.migration_cost
            back = value + rc.home_pull + self.specs[b].return_incentive
            table[b, :, 0] = rate / (1.0 + np.exp(-value / rc.gain_scale))
            table[b, :, 1] = rate / (1.0 + np.exp(-back / rc.gain_scale))
        return table

    def _departures(self) -> None:
        """Draw this month's movers in every region, apply the visa quotas, take them out of their regions into transit.

        Each worker draws one uniform u and moves to the first destination b whose cumulative hazard exceeds u
        (:meth:`_candidates` draws only the u below the largest hazard there can be).
        """
        n = len(self.models)
        movers = []  # per source: [ids, destination, is a return]
        for a, m in enumerate(self.models):
            table = self.hazard_table(a)
            w = m.workers
            cand, u = self._candidates(a, m.next_slot)
            st = w.status.take(cand)  # few: the status is looked up for these only
            keep = (st == EMPLOYED) | (st == UNEMPLOYED)
            cand, u = cand.compress(keep), u.compress(keep)
            occ = w.occupation.take(cand).astype(np.int64)
            home = w.home_region.take(cand).astype(np.int64)
            dest = np.full(cand.size, -1)
            cum = np.zeros(cand.size)
            for b in range(n):
                if b == a:
                    continue
                h = table[b].ravel().take(occ * 2 + (home == b))
                dest[(dest < 0) & (u < cum + h)] = b
                cum += h
            go = dest >= 0
            movers.append([cand.compress(go), dest.compress(go), (home.compress(go) == dest.compress(go))])
        self._apply_quotas(movers)
        self._leave(movers)

    def _candidates(self, a: int, slots: int) -> tuple[np.ndarray, np.ndarray]:
        """Region a's candidate movers this month: the slots whose uniform u is below p, with their u.

        p is the largest total hazard any worker can have (the lanes' top rate times the other regions); the law is
        that of one uniform per slot. The gaps between candidates are geometric with parameter p and their u uniform below p, drawn in fixed chunks
        from the (month, region)'s own stream: slot i gets the same draw whatever the number of slots, the hazards or
        earlier months did (common random numbers across scenarios, as one uniform per slot gave), in time that grows
        with the candidates, not with the population.
        """
        p = min(float(self.lane_rate.max()) * (len(self.models) - 1), 1.0)
        if p <= 0.0 or slots == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        seq = np.random.SeedSequence(self.channel_seq.entropy, spawn_key=(*self.channel_seq.spawn_key, self.month, a))
        rng = np.random.Generator(np.random.PCG64(seq))
        pos, u, last = [], [], -1
        while last < slots - 1:
            at = last + np.cumsum(rng.geometric(p, CANDIDATE_CHUNK))
            pos.append(at)
            u.append(rng.random(CANDIDATE_CHUNK) * p)
            last = int(at[-1])
        pos, u = np.concatenate(pos), np.concatenate(u)
        keep = pos < slots
        return pos.compress(keep), u.compress(keep)

    def _apply_quotas(self, movers: list) -> None:
        """Immigrants (not returns) into each region beyond its visas this month are turned back (a random subset stays)."""
        for b, spec in enumerate(self.specs):
            self.visa_credit[b] += spec.visa_quota * self.population0[b] / 1000.0
            allowed = int(np.floor(self.visa_credit[b]))
            asking = [np.flatnonzero((d == b) & ~ret) for _, d, ret in movers]
            total = sum(x.size for x in asking)
            if total > allowed:
                keep = np.zeros(total, dtype=bool)
                keep[self.channel_rng.choice(total, size=allowed, replace=False)] = True
                lo = 0
                for mv, idx in zip(movers, asking, strict=True):
                    mask = np.ones(mv[0].size, dtype=bool)
                    mask[idx.compress(~keep[lo : lo + idx.size])] = False
                    lo += idx.size
                    mv[0], mv[1], mv[2] = mv[0].compress(mask), mv[1].compress(mask), mv[2].compress(mask)
            # visas used are spent; unused ones lapse at the month's end but for a fraction of one, which carries over
            self.visa_credit[b] = min(self.visa_credit[b] - min(total, allowed), 1.0)

    def _leave(self, movers: list) -> None:
        """Movers leave their job and their region (status LEFT_SECTOR); their rows go into transit for a month."""
        parts, rows = [], []
        cols = list(REGION_COLUMNS)
        for a, (ids, dest, ret) in enumerate(movers):
            m = self.models[a]
            w = m.workers
            employed = ids.compress(w.status.take(ids) == EMPLOYED)
            if employed.size:
                m.leave_firm(employed)
            occ = w.occupation.take(ids)
            part = {name: getattr(w, name)[ids].copy() for name in WorkerArrays.FIELDS}
            part.update(src=np.full(ids.size, a), dest=dest, ret=ret, was_employed=np.isin(ids, employed))
            parts.append(part)
            w.status[ids] = LEFT_SECTOR
            w.ui_months_left[ids] = 0
            w.subsidy_months_left[ids] = 0
            w.upskill_months_left[ids] = 0
            self.flows[a, cols.index("migrants_out")] += ids.size
            self.flows[a, cols.index("migrants_out_employed")] += employed.size
            if ids.size:  # counts by (destination, occupation, return, employed): one bincount
                n_occ = m.occupations.n
                code = ((dest * n_occ + occ) * 2 + ret) * 2 + np.isin(ids, employed)
                count = np.bincount(code, minlength=len(self.models) * n_occ * 4)
                cells = np.flatnonzero(count)
                # (month, source, destination, occupation, return, employed, count) per cell: a table at the end
                rows.append(np.stack([np.full(cells.size, self.month), np.full(cells.size, a), cells // (n_occ * 4),
                                      cells // 4 % n_occ, cells // 2 % 2, cells % 2, count.take(cells)]))
        self.transit = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else None
        self.migration_rows += rows

    def _arrivals(self) -> None:
        """Last month's movers enter their destinations, unemployed in their occupation, with their own state."""
        tr = self.transit
        self.transit = None
        if tr is None or tr["dest"].size == 0:
            return
        cols = list(REGION_COLUMNS)
        for b, m in enumerate(self.models):
            sel = np.flatnonzero(tr["dest"] == b)
            if sel.size == 0:
                continue
            m.ensure_capacity(sel.size)
            w = m.workers
            ids = np.arange(m.next_slot, m.next_slot + sel.size)
            m.next_slot += sel.size
            for name in WorkerArrays.FIELDS:
                getattr(w, name)[ids] = tr[name][sel]
            rate = (self.usd.take(tr["src"][sel]) / self.usd[b]).astype(np.float32)  # the source's currency into b's
            for name in CURRENCY_FIELDS:
                getattr(w, name)[ids] *= rate
            self._reset_arrivals(w, ids, m.month)
            home = tr["home_region"][sel].astype(np.int64)
            w.home_region[ids] = np.where(home == b, -1, np.where(home < 0, tr["src"][sel], home))
            m.refresh_fit(ids)
            self.flows[b, cols.index("migrants_in")] += sel.size
            self.flows[b, cols.index("returns_in")] += int(tr["ret"][sel].sum())
            self.flows[b, cols.index("displaced_in")] += int(tr["displaced"][sel].sum())

    @staticmethod
    def _reset_arrivals(w: WorkerArrays, ids: np.ndarray, month: int) -> None:
        """An arrival searches unemployed from scratch: no job, no benefit, no course, no subsidy; entered this month."""
        w.status[ids] = UNEMPLOYED
        w.firm[ids] = -1
        w.tenure[ids] = 0
        w.months_unemployed[ids] = 0
        w.ui_months_left[ids] = 0
        w.ui_months_granted[ids] = 0
        w.ui_benefit[ids] = 0.0
        w.ui_spell_start[ids] = NEVER_MONTH
        w.train_target[ids] = -1
        w.train_route[ids] = NO_ROUTE
        w.train_months_left[ids] = 0.0
        w.upskill_months_left[ids] = 0.0
        w.subsidy_months_left[ids] = 0
        w.train_outlay[ids] = 0.0
        w.entry_month[ids] = month

    # ------------------------------------------------------------------ product market
    def _setup_market(self) -> None:
        sectors = self.models[0].sectors
        shared = self.rc.shared_sectors or list(sectors.names)
        self.shared = np.isin(np.asarray(sectors.names), shared)
        self.s0 = np.array([s.size for s in self.specs]) / sum(s.size for s in self.specs)
        self.x0 = np.array([self._effective_ai(m) for m in self.models])  # (R, S)
        self.cost = np.ones_like(self.x0)
        self.share = np.repeat(self.s0[:, None], self.x0.shape[1], axis=1)
        self.multiplier = np.ones_like(self.x0)

    @staticmethod
    def _effective_ai(m: LaborMarketModel) -> np.ndarray:
        """Size-weighted mean adoption of each sector's firms times the region's AI capability."""
        f, n = m.firms, m.sectors.n
        size = np.bincount(f.sector, weights=f.size, minlength=n)
        adopt = np.bincount(f.sector, weights=f.size * f.adoption, minlength=n)
        return adopt / np.maximum(size, 1e-12) * m.capability

    def _market(self) -> None:
        """Market shares from the regions' cost indexes; each region's firms in shared sectors get the multiplier (module docstring)."""
        if len(self.models) < 2:
            return
        rc = self.rc
        x = np.array([self._effective_ai(m) for m in self.models])
        self.cost = np.maximum(1.0 - rc.ai_cost_saving * (x - self.x0), MIN_COST_INDEX)
        weight = self.s0[:, None] * np.power(self.cost, -rc.trade_elasticity)
        self.share = weight / weight.sum(axis=0, keepdims=True)
        mult = 1.0 + rc.trade_exposure * (self.share / self.s0[:, None] - 1.0)
        self.multiplier = np.where(self.shared[None, :], mult, 1.0)
        for m, row in zip(self.models, self.multiplier, strict=True):
            m.demand_shift = row

    def _share_frame(self) -> pd.DataFrame:
        sectors = list(self.models[0].sectors.names)
        n_r, n_s = self.share.shape
        return pd.DataFrame({"month": self.month, "region": np.repeat(self.names, n_s), "sector": np.tile(sectors, n_r),
                             "shared": np.tile(self.shared, n_r), "cost_index": self.cost.ravel(), "share": self.share.ravel(),
                             "demand_multiplier": self.multiplier.ravel()})

    # ------------------------------------------------------------------ accounting and results
    @property
    def population(self) -> int:
        """Living workers of every region plus the migrants in transit."""
        return sum(m.population for m in self.models) + (0 if self.transit is None else int(self.transit["dest"].size))

    def results(self) -> RegionalResults:
        """Each region's tables, the migration and market-share tables and the migrants in transit."""
        per_region = {}
        flows = np.stack(self.region_flows)  # (months + 1, regions, columns)
        for r, (name, m) in enumerate(zip(self.names, self.models, strict=True)):
            res = m.results()
            for j, col in enumerate(REGION_COLUMNS):
                res.timeseries[col] = flows[: len(res.timeseries), r, j]
            per_region[name] = res
        return RegionalResults(regions=per_region, migration=self._migration_table(), market_share=pd.concat(self.share_rows, ignore_index=True),
                               transit=pd.DataFrame({"month": np.arange(len(self.in_transit)), "in_transit": self.in_transit}),
                               talent=self._talent_table(),
                               scenario=self.models[0].cfg.scenario, regions_name=self.rc.name)

    def _talent_table(self) -> pd.DataFrame:
        """month, region, home, lane, employed: where each region's workers work (the MacroPolo comparison)."""
        counts = np.stack(self.talent_counts)  # (months + 1, region, home, lane)
        idx = np.indices(counts.shape).reshape(4, -1)
        names, lanes = np.asarray(self.names), np.asarray(LANES)
        return pd.DataFrame({"month": idx[0], "region": names[idx[1]], "home": names[idx[2]], "lane": lanes[idx[3]],
                             "employed": counts.ravel()})

    def _migration_table(self) -> pd.DataFrame:
        cols = ["month", "from", "to", "occupation", "lane", "direction", "status", "count"]
        if not self.migration_rows:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("month", "count") else "object") for c in cols})
        month, src, dest, occ, ret, employed, count = np.concatenate(self.migration_rows, axis=1).astype(np.int64)
        names = np.asarray(self.names, dtype=object)
        return pd.DataFrame({"month": month, "from": names[src], "to": names[dest],
                             "occupation": np.asarray(self.models[0].occupations.names, dtype=object)[occ],
                             "lane": np.asarray(LANES, dtype=object)[self.lane[occ]],
                             "direction": np.where(ret == 1, "return", "emigration").astype(object),
                             "status": np.where(employed == 1, "employed", "unemployed").astype(object), "count": count})


@dataclass
class RegionalResults:
    """A regional run's tables: each region's :class:`~simulation.results.Results`, and the cross-region tables."""

    regions: dict[str, Results]
    migration: pd.DataFrame
    market_share: pd.DataFrame
    transit: pd.DataFrame
    talent: pd.DataFrame
    scenario: str = "baseline"
    regions_name: str = "none"
    config: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    def table(self, stem: str) -> pd.DataFrame:
        """One of the regions' tables for every region, with a ``region`` column in front."""
        frames = []
        for name, res in self.regions.items():
            df = res.tables()[stem].copy()
            df.insert(0, "region", name)
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by file stem: the four per-region tables (with ``region``), migration, market_share, transit, talent."""
        out = {stem: self.table(stem) for stem in ("timeseries", "by_occupation", "by_stage", "by_sector")}
        return {**out, "migration": self.migration, "market_share": self.market_share, "transit": self.transit, "talent": self.talent}

    @property
    def timeseries(self) -> pd.DataFrame:
        """Every region's timeseries, with ``region`` in front."""
        return self.table("timeseries")


# --------------------------------------------------------------------------- running
def run_regions(regions: str = "china_us", scenario: str = "baseline", overrides: Sequence[str] = (), regions_overrides: Sequence[str] = (),
                progress: bool = False, member_overrides: Mapping[str, Sequence[str]] | None = None) -> RegionalResults:
    """Run a regional scenario: ``run_regions("china_us", "global_race", ["workers=5000", "months=60"])``.

    ``member_overrides``: per region, overrides of that region's run only (:func:`compose_regions`).
    """
    start = time.perf_counter()
    rc = load_regions(regions, regions_overrides)
    configs, rc, seed = compose_regions(rc, scenario, [*overrides, *([] if progress else ["progress=false"])], member_overrides)
    model = RegionalModel(rc, configs, seed=seed)
    model.run()
    res = model.results()
    res.config = {"regions": OmegaConf.to_container(OmegaConf.structured(rc)),
                  "members": {r: OmegaConf.to_container(c, resolve=True) for r, c in configs.items()}}
    res.summary = {"scenario": scenario, "regions": rc.name, "seed": seed,
                   **{r: summarize(x.timeseries) for r, x in res.regions.items()},
                   "migrants_total": int(res.migration["count"].sum()) if len(res.migration) else 0,
                   "wall_time_s": round(time.perf_counter() - start, 3), "timings_s": {k: round(v, 3) for k, v in model.timings.items()}}
    return res


def save_regions(res: RegionalResults, out_dir: str | Path) -> list[Path]:
    """Write every table (Parquet), the configs (``config.yaml``) and, last, ``summary.json``."""
    import json

    from .files import atomic_write

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, df in res.tables().items():
        atomic_write(out / f"{stem}.parquet", lambda t, df=df: df.to_parquet(t, index=False))
        written.append(out / f"{stem}.parquet")
    atomic_write(out / "config.yaml", lambda t: Path(t).write_text(OmegaConf.to_yaml(OmegaConf.create(res.config))))
    atomic_write(out / "summary.json", lambda t: Path(t).write_text(json.dumps(res.summary, indent=2, default=str) + "\n"))
    return [*written, out / "config.yaml", out / "summary.json"]
