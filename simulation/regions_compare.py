"""Regional scenario comparison: ``laborshift-compare regions=china_us scenarios=[global_race,chip_controls,talent_return]``.

Each replication of each scenario runs a :class:`~simulation.regions.RegionalModel` (:func:`simulation.regions.run_regions`)
on the replication seeds of :func:`simulation.compare.replication_seeds`: replication i of every scenario has the same
run seed, and the run seed spawns each region's seed and the talent channel's, so the scenarios share their random
numbers replication by replication (common random numbers, as in a one-region comparison). The bands are those of
:func:`simulation.compare.median_bands`: the median with its 90% confidence band, and the 5-95% spread of the runs.

Tables (:meth:`RegionalComparison.tables`), every one with ``scenario`` and, where it applies, ``region``:

* ``runs``: every run's timeseries per region, plus ``employed_ai_core`` (employed in AI-core occupations);
* ``bands``: per scenario, region, month and metric (:data:`REGION_METRICS`), median and bands;
* ``indicators`` and ``summary``: per run and region, the indicators of :data:`REGION_INDICATORS`, and their median and
  band per scenario and region, with the paired difference against the first scenario (``vs_first_*``);
* ``migration``: every run's migration table (month of departure, from, to, occupation, lane, direction, status, count);
* ``flows``: per scenario, origin, destination, direction and group (``dimension``: lane or occupation), the migrants of the
  whole horizon, median and bands (a flow no run had is 0 in every run, not missing);
* ``net_ai_core``: per scenario, region and month, the cumulative net AI-core inflow (arrivals less departures, counted in
  the month of departure), median and bands;
* ``market_share``: per scenario, region, shared sector and month, the region's market share and its demand multiplier
  (``metric``), median and bands.

Parameter uncertainty (``parameter_uncertainty``: auto, on, off, as in a one-region comparison): when on, each profile
of the regions config with a calibration record draws its calibrated parameters from the record's estimates and
covariance (:func:`simulation.profiles.parameter_draws`), draw r for replication r of every scenario, and every region
of that profile runs with them (:func:`simulation.regions.compose_regions`' ``member_overrides``; a value the comparison's
overrides or the scenario set keeps it). The profiles were calibrated apart, on their own data, so their draws are
independent: the first profile's come from the master seed as in a one-region comparison, the next ones' from their own
seeds (:func:`profile_draw_seed`). The first ``noise_replications`` seeds also run at the point estimates, kept apart:
``noise_indicators`` and ``noise_summary`` (their indicators and summary) and ``uncertainty`` (each indicator's band width with and without the draws, per
scenario and region); ``parameter_draws`` holds the draws.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .compare import SE_MEDIAN, SIMULATION, WITH_PARAMETERS, Z90, replication_seeds
from .compare import median_bands as _band
from .config import LANES, ConfigError
from .parallel import run_many
from .profiles import draw_overrides, parameter_draws, resolve_uncertainty

# the metrics of each region's trajectory (name: title, unit; "money" is in the region's own currency)
REGION_METRICS = {
    "unemployment_rate": ("unemployment rate", "%"),
    "employed_ai_core": ("employed in AI-core occupations", "workers"),
    "ai_displaced_cumulative": ("AI-displaced (cumulative)", "workers"),
    "mean_wage": ("mean monthly wage", "money"),
    "migrants_in": ("migrants arriving", "workers a month"),
    "migrants_out": ("migrants leaving", "workers a month"),
}
REGION_INDICATORS = {
    "unemployment_rate_peak": "peak unemployment rate",
    "unemployment_rate_final": "unemployment rate in the last month",
    "employed_ai_core_growth": "AI-core employment, last month / month 0",
    "ai_displaced_final": "AI-displaced by the last month (cumulative)",
    "mean_wage_final": "mean monthly wage in the last month (own currency)",
    "immigrants_total": "migrants arrived over the horizon (emigrants from elsewhere)",
    "returns_total": "returns arrived over the horizon",
    "emigrants_total": "migrants left over the horizon",
    "net_ai_core_inflow": "net AI-core inflow over the horizon",
}
PERCENT = frozenset({"unemployment_rate_peak", "unemployment_rate_final"})
RATIO = frozenset({"employed_ai_core_growth"})
MONEY = frozenset({"mean_wage_final"})


@dataclass
class RegionalComparison:
    """Tidy tables of a regional comparison (module docstring)."""

    regions_name: str
    regions: list[str]
    currencies: dict[str, str]
    scenarios: list[str]
    replications: int
    workers: int
    months: int
    master_seed: int
    seeds: list[int]
    overrides: list[str]
    regions_overrides: list[str]
    runs: pd.DataFrame
    bands: pd.DataFrame
    indicators: pd.DataFrame
    summary: pd.DataFrame
    migration: pd.DataFrame
    flows: pd.DataFrame
    net_ai_core: pd.DataFrame
    market_share: pd.DataFrame
    shared_sectors: list[str] = field(default_factory=list)
    wall_time_s: float = 0.0
    # {setting, on, profiles: {profile: reason}}: which profiles' parameters the runs drew, and why (or why not)
    uncertainty: dict = field(default_factory=lambda: {"setting": "off", "on": False, "profiles": {}})
    parameter_draws: pd.DataFrame | None = None
    noise_indicators: pd.DataFrame | None = None
    noise_summary: pd.DataFrame | None = None
    widths: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by file stem (parameter uncertainty on: also ``parameter_draws``, ``noise_indicators``, ``noise_summary``, ``uncertainty``)."""
        out = {"runs": self.runs, "bands": self.bands, "indicators": self.indicators, "summary": self.summary,
               "migration": self.migration, "flows": self.flows, "net_ai_core": self.net_ai_core, "market_share": self.market_share}
        for stem, df in (("parameter_draws", self.parameter_draws), ("noise_indicators", self.noise_indicators),
                         ("noise_summary", self.noise_summary), ("uncertainty", self.widths)):
            if df is not None:
                out[stem] = df
        return out


def regional_run(regions: str, scenario: str, replication: int, seed: int, workers: int, months: int, overrides: tuple[str, ...],
                 regions_overrides: tuple[str, ...], member_overrides: tuple[tuple[str, tuple[str, ...]], ...] = ()):
    """One replication of a regional scenario (in a worker process): its tidy pieces, keyed by scenario and replication.

    ``member_overrides``: (region, overrides) pairs, each region's parameter draw (empty: the point estimates).
    """
    import logging

    from .regions import run_regions

    logging.getLogger("MESA").setLevel(logging.WARNING)
    res = run_regions(regions, scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", *overrides], list(regions_overrides),
                      member_overrides={r: list(ov) for r, ov in member_overrides})
    keys = {"scenario": scenario, "replication": replication, "seed": seed}
    bo = res.table("by_occupation")
    core = bo[bo["lane"] == "ai_core"].groupby(["region", "month"], sort=False)["employed"].sum().rename("employed_ai_core")
    ts = res.timeseries.merge(core.reset_index(), on=["region", "month"], how="left")
    ts["employed_ai_core"] = ts["employed_ai_core"].fillna(0).astype(np.int64)
    currencies = {r: str(c["profile"]["currency"]) for r, c in res.config["members"].items()}
    share = res.market_share[res.market_share["shared"]].drop(columns="shared")
    return keys, ts, res.migration, share, currencies


def _keyed(df: pd.DataFrame, keys: dict) -> pd.DataFrame:
    out = df.copy()
    for i, (k, v) in enumerate(keys.items()):
        out.insert(i, k, v)
    return out


def _region_indicators(ts: pd.DataFrame, mig: pd.DataFrame) -> pd.DataFrame:
    """One row per region of one run: :data:`REGION_INDICATORS`."""
    rows = []
    core = mig[mig["lane"] == "ai_core"]
    for region, d in ts.groupby("region", sort=False):
        d = d.sort_values("month")
        first, last = d.iloc[0], d.iloc[-1]
        into = mig[mig["to"] == region]
        rows.append({"region": region, "unemployment_rate_peak": float(d["unemployment_rate"].max()),
                     "unemployment_rate_final": float(last["unemployment_rate"]),
                     "employed_ai_core_growth": float(last["employed_ai_core"] / max(first["employed_ai_core"], 1)),
                     "ai_displaced_final": float(last["ai_displaced_cumulative"]), "mean_wage_final": float(last["mean_wage"]),
                     "immigrants_total": float(into.loc[into["direction"] == "emigration", "count"].sum()),
                     "returns_total": float(into.loc[into["direction"] == "return", "count"].sum()),
                     "emigrants_total": float(mig.loc[mig["from"] == region, "count"].sum()),
                     "net_ai_core_inflow": float(core.loc[core["to"] == region, "count"].sum() - core.loc[core["from"] == region, "count"].sum())})
    return pd.DataFrame(rows)


def _flow_totals(migration: pd.DataFrame, runs: pd.DataFrame, regions: list[str], occupations: list[str]) -> pd.DataFrame:
    """Per run, origin, destination, direction and group (lane, occupation): migrants over the horizon, 0 where none moved."""
    run_keys = runs[["scenario", "replication"]].drop_duplicates()
    parts = []
    for dim, groups in (("lane", list(LANES)), ("occupation", occupations)):
        grid = pd.MultiIndex.from_tuples([(a, b, d, g) for a in regions for b in regions if a != b for d in ("emigration", "return")
                                          for g in groups], names=["from", "to", "direction", "group"]).to_frame(index=False)
        grid = run_keys.merge(grid, how="cross")
        got = (migration.rename(columns={dim: "group"}).groupby(["scenario", "replication", "from", "to", "direction", "group"])["count"]
               .sum().reset_index())
        full = grid.merge(got, on=["scenario", "replication", "from", "to", "direction", "group"], how="left")
        full["count"] = full["count"].fillna(0).astype(float)
        parts.append(full.assign(dimension=dim))
    return pd.concat(parts, ignore_index=True)


def _net_ai_core(migration: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Per run, region and month, the cumulative net AI-core inflow (by month of departure)."""
    grid = runs[["scenario", "replication", "region", "month"]].copy()
    core = migration[migration["lane"] == "ai_core"]
    inflow = core.groupby(["scenario", "replication", "to", "month"])["count"].sum().rename("in").reset_index().rename(columns={"to": "region"})
    outflow = core.groupby(["scenario", "replication", "from", "month"])["count"].sum().rename("out").reset_index().rename(columns={"from": "region"})
    keys = ["scenario", "replication", "region", "month"]
    g = grid.merge(inflow, on=keys, how="left").merge(outflow, on=keys, how="left").fillna({"in": 0, "out": 0})
    g = g.sort_values(keys)
    g["value"] = (g["in"] - g["out"]).groupby([g["scenario"], g["replication"], g["region"]]).cumsum().astype(float)
    return g[[*keys, "value"]]


def _summary(ind: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """Median and band per scenario, region and indicator, and the paired difference against the first scenario."""
    long = ind.melt(id_vars=["scenario", "replication", "seed", "region"], value_vars=list(REGION_INDICATORS), var_name="indicator")
    long["value"] = long["value"].astype(float)
    out = _band(long, ["scenario", "region", "indicator"])
    ref = long[long["scenario"] == scenarios[0]][["replication", "region", "indicator", "value"]].rename(columns={"value": "ref"})
    d = long.merge(ref, on=["replication", "region", "indicator"])
    d["value"] = d["value"] - d["ref"]
    dd = _band(d, ["scenario", "region", "indicator"])[["scenario", "region", "indicator", "median", "lo", "hi"]]
    dd = dd.rename(columns={"median": "vs_first_median", "lo": "vs_first_lo", "hi": "vs_first_hi"})
    return out.merge(dd, on=["scenario", "region", "indicator"], how="left")


def aggregate_regional(results: list, regions_name: str, scenarios: list[str], replications: int, workers: int, months: int,
                       seed: int, seeds: list[int], overrides: list[str], regions_overrides: list[str]) -> RegionalComparison:
    """The tables and bands of a regional comparison from its runs' pieces (:func:`regional_run`)."""
    runs = pd.concat([_keyed(r[1], r[0]) for r in results], ignore_index=True)
    migration = pd.concat([_keyed(r[2], r[0]) for r in results], ignore_index=True)
    migration["count"] = migration["count"].astype(np.int64)
    share = pd.concat([_keyed(r[3], r[0]) for r in results], ignore_index=True)
    currencies = results[0][4]
    regions = list(currencies)
    key_cols = ["scenario", "replication", "seed", "region", "month"]
    long = runs.melt(id_vars=key_cols, value_vars=list(REGION_METRICS), var_name="metric")
    long["value"] = long["value"].astype(float)
    bands = _band(long, ["scenario", "region", "month", "metric"])
    ind = pd.concat([_keyed(_region_indicators(r[1], r[2]), r[0]) for r in results], ignore_index=True)
    from .occupations import load_occupations

    occupations = [o for o in load_occupations().names]
    flows = _band(_flow_totals(migration, runs, regions, occupations).rename(columns={"count": "value"}),
                  ["scenario", "from", "to", "direction", "dimension", "group"])
    net = _band(_net_ai_core(migration, runs), ["scenario", "region", "month"])
    slong = share.melt(id_vars=["scenario", "replication", "seed", "month", "region", "sector"], value_vars=["share", "demand_multiplier"],
                       var_name="metric")
    market = _band(slong, ["scenario", "region", "sector", "month", "metric"])
    return RegionalComparison(regions_name=regions_name, regions=regions, currencies=currencies, scenarios=list(scenarios),
                              replications=int(replications), workers=int(workers), months=int(months), master_seed=int(seed),
                              seeds=list(seeds), overrides=list(overrides), regions_overrides=list(regions_overrides), runs=runs,
                              bands=bands, indicators=ind, summary=_summary(ind, list(scenarios)), migration=migration, flows=flows,
                              net_ai_core=net, market_share=market, shared_sectors=list(dict.fromkeys(share["sector"])))


def profile_draw_seed(seed: int, k: int) -> int:
    """The seed of the k-th profile's parameter draws: the master seed for the first (as a one-region comparison), else its own."""
    if k == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), k]).generate_state(1, np.uint64)[0] >> np.uint64(1))


def region_draws(members: Mapping, setting: str, replications: int, seed: int) -> tuple[dict, dict[str, list[dict]]]:
    """Per profile of the regions (``members``: a regions config's), whether its parameters are drawn and why (``{setting, on, profiles}``), and its draws.

    Raises:
        ConfigError: as :func:`simulation.profiles.resolve_uncertainty` (a bad setting; ``on`` for a profile without a record).

    """
    profiles = list(dict.fromkeys(spec.profile for spec in members.values()))
    reasons, draws = {}, {}
    for k, profile in enumerate(profiles):
        info = resolve_uncertainty(setting, profile)
        reasons[profile] = info["reason"]
        if info["on"]:
            draws[profile] = parameter_draws(info["record"], replications, profile_draw_seed(seed, k))
    return {"setting": setting, "on": bool(draws), "profiles": reasons}, draws


def _draw_frame(draws: dict[str, list[dict]], seeds: Sequence[int]) -> pd.DataFrame:
    rows = [{"profile": p, "replication": i, "seed": seeds[i], "parameter": k, "value": v}
            for p, per in draws.items() for i, d in enumerate(per) for k, v in d.items()]
    return pd.DataFrame(rows, columns=["profile", "replication", "seed", "parameter", "value"])


def band_widths(indicators: pd.DataFrame, noise: pd.DataFrame, replications: int) -> pd.DataFrame:
    """Each indicator's band per scenario and region, with the parameter draws (``simulation+parameters``) and without.

    ``width``: the 90% band of the median at the comparison's R, 2 x 1.645 x 1.2533 x sd / sqrt(R), so that sets of
    different sizes compare (as :func:`simulation.compare.band_widths`).
    """
    parts = []
    for kind, ind in ((WITH_PARAMETERS, indicators), (SIMULATION, noise)):
        long = ind.melt(id_vars=["scenario", "replication", "seed", "region"], value_vars=list(REGION_INDICATORS), var_name="indicator")
        long["value"] = long["value"].astype(float)
        band = _band(long, ["scenario", "region", "indicator"])
        sd = long.groupby(["scenario", "region", "indicator"], sort=False)["value"].std(ddof=1).rename("sd").reset_index()
        band = band.merge(sd, on=["scenario", "region", "indicator"], how="left")
        band["width"] = 2 * Z90 * SE_MEDIAN * band["sd"].fillna(0.0) / np.sqrt(replications)
        band.insert(0, "uncertainty", kind)
        parts.append(band[["uncertainty", "scenario", "region", "indicator", "median", "lo", "hi", "sd", "runs", "width"]])
    return pd.concat(parts, ignore_index=True)


def check_regional_request(regions_name: str, scenarios: Sequence[str], overrides: Sequence[str] = (),
                           regions_overrides: Sequence[str] = (), workers: int = 10_000, months: int = 120) -> None:
    """Raise one :class:`ConfigError` for every problem of the regions config or of any scenario's regional composition."""
    from .regions import compose_regions, load_regions

    rc = load_regions(regions_name, regions_overrides)
    problems = []
    for s in scenarios:
        try:
            compose_regions(rc, s, [f"workers={workers}", f"months={months}", *overrides])
        except ConfigError as err:
            problems += [p for p in err.problems if p not in problems]
    if problems:
        raise ConfigError(problems)


def compare_regions(regions: str, scenarios: Sequence[str], replications: int = 5, workers: int = 10_000, months: int = 120,
                    seed: int = 0, overrides: Sequence[str] = (), regions_overrides: Sequence[str] = (), jobs: int = 0,
                    progress: bool = True, parameter_uncertainty: str = "auto", noise_replications: int = 3) -> RegionalComparison:
    """Run every regional scenario ``replications`` times on common random numbers and aggregate (module docstring).

    ``workers`` is the run's size: each region gets its ``size`` times it (``china_us``: both the full number).
    ``parameter_uncertainty``: auto, on or off; ``noise_replications``: seeds also run at the point estimates when it is
    on (0: all R; at most R).
    """
    from .composition import check_comparison
    from .regions import load_regions

    scenarios = list(scenarios)
    check_comparison(scenarios, replications, workers, months, seed)
    check_regional_request(regions, scenarios, overrides, regions_overrides, workers, months)
    members = load_regions(regions, regions_overrides).members
    info, draws = region_draws(members, parameter_uncertainty, replications, seed)
    start = time.perf_counter()
    seeds = replication_seeds(seed, replications)

    def drawn(i: int) -> tuple:
        return tuple((r, tuple(draw_overrides(draws[spec.profile][i]))) for r, spec in members.items() if spec.profile in draws)

    common = (workers, months, tuple(overrides), tuple(regions_overrides))
    tasks = [(regions, s, i, seeds[i], *common, drawn(i)) for i in range(replications) for s in scenarios]
    n_noise = (min(noise_replications, replications) or replications) if info["on"] else 0
    tasks += [(regions, s, i, seeds[i], *common, ()) for i in range(n_noise) for s in scenarios]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(tasks), desc=f"{len(scenarios)} regional scenarios x {replications} replications ({regions})", unit="run")
    try:
        results = run_many(regional_run, tasks, jobs=jobs, on_done=None if bar is None else lambda _i, _r: bar.update(1))
    finally:
        if bar is not None:
            bar.close()
    n_main = replications * len(scenarios)
    comp = aggregate_regional(results[:n_main], regions, scenarios, replications, workers, months, seed, seeds, list(overrides),
                              list(regions_overrides))
    comp.uncertainty = info
    if info["on"]:
        noise = pd.concat([_keyed(_region_indicators(r[1], r[2]), r[0]) for r in results[n_main:]], ignore_index=True)
        comp.noise_indicators = noise
        comp.noise_summary = _summary(noise, scenarios)
        comp.widths = band_widths(comp.indicators, noise, replications)
        comp.parameter_draws = _draw_frame(draws, seeds)
    comp.wall_time_s = time.perf_counter() - start
    return comp


__all__ = ["REGION_INDICATORS", "REGION_METRICS", "RegionalComparison", "aggregate_regional", "band_widths", "check_regional_request",
           "compare_regions", "profile_draw_seed", "region_draws", "regional_run"]
