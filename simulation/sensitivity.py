"""Global sensitivity analysis: a SALib design evaluated through Hydra's launchers, then Sobol or Morris indices.

``laborshift-sensitivity`` takes a problem from ``configs/sensitivity/`` (the
parameters to vary with their ranges, the fixed scenario and overrides, the
outputs to explain), then:

1. draws the design with SALib: Saltelli's extension of the Sobol' sequence
   (``method=sobol``, ``samples`` x (parameters + 2) runs, first-order and
   total indices) or Morris trajectories (``method=morris``, the cheaper
   screen, ``samples`` x (parameters + 1) runs, elementary effects), and saves
   it as ``design.parquet``;
2. evaluates every row as one model run, as a Hydra multirun over
   ``row=range(0, n)`` through the same launchers as any sweep (joblib on the
   local cores by default; ``hydra/launcher=slurm`` or ``ray_cluster`` on a
   cluster). Every run writes its outputs into ``runs/row-<i>`` and is
   skipped when re-run with the same config, so an interrupted analysis
   resumes;
3. computes the indices with confidence intervals (bootstrap, ``conf_level``)
   for each output and writes ``indices.parquet``/``.csv``, a figure
   ``indices.png`` and ``indices.md``.

All runs of one design share the seed (common random numbers), so the indices
measure the parameters' effects, not the draw of the run.

A problem with ``regions: china_us`` (``sensitivity=product_market``) runs every row
as a regional run: its parameters may include the regions config's keys
(``regions.trade_elasticity``, ``regions.migration_cost``, ...) and its outputs are
``<region>.<indicator>`` (``us.shared_demand_growth``, ``china.ai_core_growth``, ...;
:func:`regional_outputs`) or ``migrants_total``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .composition import CONFIG_DIR, compose, compose_command, is_hydra_arg, scenario_names
from .config import ConfigError, iter_params, validate
from .files import atomic_write

SENSITIVITY_CONFIG_NAME = "sensitivity"
METHODS = ("sobol", "morris")
DESIGN_FILE = "design.parquet"
RUNS_DIR = "runs"
# summary indicators a sensitivity analysis can explain (numbers in summary.json)
OUTPUTS = (
    "ai_displaced_final", "ai_displaced_by_month_60", "displaced_reemployed_12m_share_final", "displaced_wage_change_final",
    "unemployment_rate_peak", "unemployment_rate_final", "jobless_rate_final", "long_term_unemployment_share_final", "retraining_started_total",
    "retraining_completed_total", "ai_wage_premium_final", "wage_gini_final", "mean_ai_adoption_final", "population_final",
)
# a regional problem (``regions=china_us``) explains "<region>.<output>" for each region: one of OUTPUTS (the
# region's own summary) or one of REGION_OUTPUTS (computed from the regional tables by regional_outputs); and "migrants_total"
REGION_OUTPUTS = ("shared_demand_growth", "ai_core_growth", "net_ai_core_inflow")
_SETUP_KEYS = {"scenario", "description", "workers", "months", "seed", "progress", "figures"}


@dataclass
class SensitivityConfig:
    """One sensitivity problem (``configs/sensitivity/<name>.yaml``) and how to analyse it."""

    name: str = "ai_policy"
    description: str = ""
    method: str = "sobol"
    samples: int = 64
    morris_levels: int = 4
    conf_level: float = 0.95
    scenario: str = "baseline"
    workers: int = 5_000
    months: int = 120
    seed: int = 0
    overrides: list[str] = field(default_factory=list)
    regions: str = ""  # a regions config (configs/regions/<name>.yaml): every run is a regional run; vary its keys as regions.<key>
    # nested like the model config, leaves are [low, high]: {"ai": {"capability_growth": [0.03, 0.12]}}
    parameters: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=lambda: ["ai_displaced_final", "displaced_reemployed_12m_share_final"])
    # set by the command for each evaluated run; not for users
    row: int = -1
    design_file: str = ""


def register_sensitivity_config() -> None:
    """Store the schema in Hydra's ConfigStore as ``laborshift_sensitivity_schema``."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="laborshift_sensitivity_schema", node=SensitivityConfig)


register_sensitivity_config()


def ranges(cfg: SensitivityConfig) -> dict[str, list]:
    """The varied parameters as ``{"ai.capability_growth": [low, high], ...}`` (the nested ``parameters`` flattened)."""
    flat: dict[str, list] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))
        else:
            flat[prefix] = list(node) if isinstance(node, list | tuple) else [node]

    walk(cfg.parameters, "")
    return flat


# --------------------------------------------------------------------------- checks
def check(cfg: SensitivityConfig) -> None:
    """Raise one :class:`ConfigError` naming every problem of a sensitivity problem, before any run starts."""
    problems = []
    if cfg.method not in METHODS:
        problems.append(f"method: got {cfg.method!r}; allowed: one of {', '.join(METHODS)}")
    if cfg.samples < 2:
        problems.append(f"samples: got {cfg.samples}; allowed: an integer >= 2")
    elif cfg.method == "sobol" and cfg.samples & (cfg.samples - 1):
        problems.append(f"samples: got {cfg.samples}; allowed: a power of 2 for method=sobol (Sobol' sequence)")
    if cfg.morris_levels < 2 or cfg.morris_levels % 2:
        problems.append(f"morris_levels: got {cfg.morris_levels}; allowed: an even integer >= 2")
    if not 0 < cfg.conf_level < 1:
        problems.append(f"conf_level: got {cfg.conf_level}; allowed: a number in (0, 1)")
    if cfg.scenario not in scenario_names():
        problems.append(f"scenario: got {cfg.scenario!r}; allowed: one of {', '.join(scenario_names())}")
    known = {name: f for name, f, _ in iter_params()} | (_regions_fields(cfg, problems) if cfg.regions else {})
    flat = ranges(cfg)
    if len(flat) < 2:
        problems.append(f"parameters: got {len(flat)}; allowed: at least two parameters, each name: [low, high]")
    for name, bounds in flat.items():
        f = known.get(name)
        if f is None or name in _SETUP_KEYS:
            problems.append(f"parameters.{name}: not a model parameter that can vary; see docs/PARAMETERS.md for every key")
            continue
        if f.type not in (float, "float"):
            problems.append(f"parameters.{name}: a {getattr(f.type, '__name__', f.type)} parameter; allowed: numeric (float) parameters only")
            continue
        if len(bounds) != 2 or not all(isinstance(b, int | float) for b in bounds) or not bounds[0] < bounds[1]:
            problems.append(f"parameters.{name}: got {list(bounds)}; allowed: [low, high] with low < high")
            continue
        lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
        if (lo is not None and bounds[0] < lo) or (hi is not None and bounds[1] > hi):
            problems.append(f"parameters.{name}: got {list(bounds)}; allowed: a range within [{lo}, {hi}]")
    allowed = _regional_output_names(cfg) if cfg.regions else OUTPUTS
    bad = [o for o in cfg.outputs if o not in allowed]
    if bad or not cfg.outputs:
        problems.append(f"outputs: got {list(cfg.outputs)}; allowed: one or more of {', '.join(allowed)}")
    if not problems:
        try:
            validate(compose(cfg.scenario, [o for o in _fixed_overrides(cfg) if not o.startswith("regions.")]))
        except ConfigError as err:
            problems.extend(f"overrides: {p}" for p in err.problems)
    if problems:
        raise ConfigError(problems)


def _regions_fields(cfg: SensitivityConfig, problems: list[str]) -> dict:
    """The regions config's numeric keys as ``regions.<key>`` fields; a problem if the config cannot be loaded."""
    import dataclasses

    from .config import RegionsConfig
    from .regions import load_regions

    try:
        load_regions(cfg.regions)
    except ConfigError as err:
        problems.extend(err.problems)
    return {f"regions.{f.name}": f for f in dataclasses.fields(RegionsConfig) if f.name not in ("name", "members", "shared_sectors", "scenarios")}


def _regional_output_names(cfg: SensitivityConfig) -> tuple[str, ...]:
    from .regions import load_regions

    try:
        names = list(load_regions(cfg.regions).members)
    except ConfigError:
        names = []
    return (*[f"{r}.{o}" for r in names for o in (*OUTPUTS, *REGION_OUTPUTS)], "migrants_total")


def regional_outputs(res) -> dict[str, float]:
    """A regional run's outputs by name.

    Each region's summary (``<region>.<indicator>``), its labour demand in the shared sectors (last month over month 0),
    its AI-core employment growth, its net AI-core inflow, and all migrants (``migrants_total``).
    """
    shared = set(res.market_share.loc[res.market_share["shared"], "sector"])
    bs, bo, mig = res.table("by_sector"), res.table("by_occupation"), res.migration
    core_mig = mig[mig["lane"] == "ai_core"]
    out: dict[str, float] = {"migrants_total": float(mig["count"].sum()) if len(mig) else 0.0}
    for region in res.regions:
        out.update({f"{region}.{k}": v for k, v in res.summary[region].items() if isinstance(v, int | float)})
        dem = bs[(bs["region"] == region) & bs["sector"].isin(shared)].groupby("month")["demand"].sum()
        core = bo[(bo["region"] == region) & (bo["lane"] == "ai_core")].groupby("month")["employed"].sum()
        out[f"{region}.shared_demand_growth"] = float(dem.iloc[-1] / dem.iloc[0])
        out[f"{region}.ai_core_growth"] = float(core.iloc[-1] / core.iloc[0])
        out[f"{region}.net_ai_core_inflow"] = float(core_mig.loc[core_mig["to"] == region, "count"].sum()
                                                    - core_mig.loc[core_mig["from"] == region, "count"].sum())
    return out


def _fixed_overrides(cfg: SensitivityConfig) -> list[str]:
    return [f"workers={cfg.workers}", f"months={cfg.months}", f"seed={cfg.seed}", "progress=false", "figures=false", *cfg.overrides]


# --------------------------------------------------------------------------- design
def problem(cfg: SensitivityConfig) -> dict:
    """The SALib problem: parameter names and bounds."""
    flat = ranges(cfg)
    names = list(flat)
    return {"num_vars": len(names), "names": names, "bounds": [list(map(float, flat[n])) for n in names]}


def design(cfg: SensitivityConfig) -> pd.DataFrame:
    """The design (one row per run, one column per parameter), drawn by SALib with the problem's seed."""
    prob = problem(cfg)
    if cfg.method == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(prob, cfg.samples, calc_second_order=False, seed=cfg.seed)
    else:
        from SALib.sample import morris

        x = morris.sample(prob, cfg.samples, num_levels=cfg.morris_levels, seed=cfg.seed)
    df = pd.DataFrame(x, columns=prob["names"])
    df.insert(0, "row", np.arange(len(df)))
    return df


def run_overrides(cfg: SensitivityConfig, row: pd.Series | dict) -> list[str]:
    """The laborshift overrides of one design row (the fixed ones, then the row's parameter values; ``regions.*`` kept)."""
    return [*_fixed_overrides(cfg), *[f"{name}={float(row[name])!r}" for name in ranges(cfg)]]


def run_regional_row(cfg: SensitivityConfig, row: pd.Series | dict, out_dir: str | Path) -> dict:
    """One design row as a regional run: its tables and ``summary.json`` (with :func:`regional_outputs`) into ``out_dir``.

    Skipped when ``summary.json`` is already there, so an interrupted analysis resumes.
    """
    from .regions import run_regions, save_regions

    out = Path(out_dir)
    if (out / "summary.json").exists():
        return {"skipped": True}
    overrides = run_overrides(cfg, row)
    model = [o for o in overrides if not o.startswith("regions.") and not o.startswith("figures=")]
    res = run_regions(cfg.regions, cfg.scenario, model, [o for o in overrides if o.startswith("regions.")])
    res.summary.update(regional_outputs(res))
    save_regions(res, out)
    return res.summary


# --------------------------------------------------------------------------- analysis
def outputs_table(out_dir: Path, cfg: SensitivityConfig, n_rows: int) -> pd.DataFrame:
    """The chosen outputs of every run (one row per design row); a missing run raises :class:`ConfigError`."""
    rows, missing = [], []
    for i in range(n_rows):
        path = out_dir / RUNS_DIR / f"row-{i}" / "summary.json"
        try:
            summary = json.loads(path.read_text())
        except (OSError, ValueError):
            missing.append(i)
            continue
        rows.append({"row": i, **{o: summary.get(o) for o in cfg.outputs}})
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
        raise ConfigError([f"runs: {len(missing)} of {n_rows} design rows have no complete run (rows {shown}); "
                           "re-run the same command to run them"])
    return pd.DataFrame(rows).astype({o: float for o in cfg.outputs})


def analyze(cfg: SensitivityConfig, x: pd.DataFrame, y: pd.DataFrame) -> pd.DataFrame:
    """Indices per output and parameter: Sobol S1/ST with confidence intervals, or Morris mu*, sigma."""
    prob = problem(cfg)
    xs = x[prob["names"]].to_numpy()
    parts = []
    for out in cfg.outputs:
        values = y[out].to_numpy()
        if not np.all(np.isfinite(values)):
            raise ConfigError([f"outputs: {out} is not finite in every run; choose another output"])
        if cfg.method == "sobol":
            from SALib.analyze import sobol

            if np.ptp(values) == 0:
                res = {k: np.zeros(len(prob["names"])) for k in ("S1", "S1_conf", "ST", "ST_conf")}
            else:
                res = sobol.analyze(prob, values, calc_second_order=False, conf_level=cfg.conf_level, seed=cfg.seed)
            cols = {k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            from SALib.analyze import morris

            res = morris.analyze(prob, xs, values, conf_level=cfg.conf_level, num_levels=cfg.morris_levels, seed=cfg.seed)
            cols = {k: np.asarray(res[k], dtype=float) for k in ("mu", "mu_star", "mu_star_conf", "sigma")}
        parts.append(pd.DataFrame({"output": out, "parameter": prob["names"], **cols}))
    df = pd.concat(parts, ignore_index=True)
    df.insert(2, "method", cfg.method)
    return df


def plot_indices(indices: pd.DataFrame, cfg: SensitivityConfig, path: Path) -> None:
    """One panel per output: first-order and total indices (Sobol) or mu* and sigma (Morris), with intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outs = list(dict.fromkeys(indices["output"]))
    names = list(ranges(cfg))
    fig, axes = plt.subplots(1, len(outs), figsize=(5.2 * len(outs), 0.45 * len(names) + 1.8), squeeze=False, sharey=True)
    pos = np.arange(len(names))
    for ax, out in zip(axes[0], outs, strict=True):
        d = indices[indices["output"] == out].set_index("parameter").loc[names]
        if cfg.method == "sobol":
            ax.barh(pos - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], label="first-order S1", color="#4C72B0", capsize=2)
            ax.barh(pos + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], label="total ST", color="#DD8452", capsize=2)
            ax.set_xlabel(f"Sobol index ({100 * cfg.conf_level:.0f}% interval)")
        else:
            ax.barh(pos - 0.2, d["mu_star"], 0.4, xerr=d["mu_star_conf"], label="mu* (mean |effect|)", color="#4C72B0", capsize=2)
            ax.barh(pos + 0.2, d["sigma"], 0.4, label="sigma (non-linearity, interactions)", color="#DD8452")
            ax.set_xlabel("elementary effect (output units)")
        ax.set_title(out, fontsize=10)
        ax.axvline(0, color="k", lw=0.6)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks(pos, names, fontsize=8)
    axes[0][0].invert_yaxis()
    axes[0][-1].legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Sensitivity ({cfg.method}, {cfg.name}): {cfg.scenario}, {cfg.workers:,} workers x {cfg.months} months", fontsize=11)
    fig.tight_layout()
    atomic_write(path, lambda t: fig.savefig(t, dpi=110, format="png"))
    plt.close(fig)


def indices_markdown(indices: pd.DataFrame, cfg: SensitivityConfig, n_runs: int) -> str:
    """The indices as a Markdown page."""
    lines = [f"# Sensitivity analysis: {cfg.name} ({cfg.method})", "", cfg.description.strip(), "",
             f"Scenario `{cfg.scenario}`, {cfg.workers:,} workers x {cfg.months} months, seed {cfg.seed} for every run "
             f"(common random numbers); {n_runs} runs; fixed overrides: {', '.join(cfg.overrides) or 'none'}.", ""]
    lines += ["| parameter | range |", "|---|---|"] + [f"| `{k}` | [{v[0]}, {v[1]}] |" for k, v in ranges(cfg).items()] + [""]
    pct = f"{100 * cfg.conf_level:.0f}%"
    for out, d in indices.groupby("output", sort=False):
        lines += [f"## {out}", ""]
        if cfg.method == "sobol":
            lines += [f"| parameter | first-order S1 ({pct} CI) | total ST ({pct} CI) |", "|---|---|---|"]
            lines += [f"| `{r.parameter}` | {r.S1:.3f} ± {r.S1_conf:.3f} | {r.ST:.3f} ± {r.ST_conf:.3f} |"
                      for r in d.sort_values("ST", ascending=False).itertuples()]
        else:
            lines += [f"| parameter | mu* ({pct} CI) | mu | sigma |", "|---|---|---|---|"]
            lines += [f"| `{r.parameter}` | {r.mu_star:.4g} ± {r.mu_star_conf:.3g} | {r.mu:.4g} | {r.sigma:.4g} |"
                      for r in d.sort_values("mu_star", ascending=False).itertuples()]
        lines.append("")
    lines.append("![indices](indices.png)")
    return "\n".join(lines) + "\n"


def write_analysis(out_dir: Path, cfg: SensitivityConfig) -> pd.DataFrame:
    """Read the runs of a finished design, compute the indices and write the table, figure and page."""
    x = pd.read_parquet(out_dir / DESIGN_FILE)
    y = outputs_table(out_dir, cfg, len(x))
    runs = x.merge(y, on="row")
    atomic_write(out_dir / "runs.parquet", lambda t: runs.to_parquet(t, index=False))
    indices = analyze(cfg, x, y)
    atomic_write(out_dir / "indices.parquet", lambda t: indices.to_parquet(t, index=False))
    atomic_write(out_dir / "indices.csv", lambda t: indices.to_csv(t, index=False))
    plot_indices(indices, cfg, out_dir / "indices.png")
    atomic_write(out_dir / "indices.md", lambda t: Path(t).write_text(indices_markdown(indices, cfg, len(x))))
    return indices


# --------------------------------------------------------------------------- the command
def _to_cfg(node) -> SensitivityConfig:
    from omegaconf import OmegaConf

    obj = OmegaConf.to_object(node)
    return obj if isinstance(obj, SensitivityConfig) else SensitivityConfig(**obj)


def _evaluate_row(node) -> None:
    """Hydra task: run one design row into the job folder (skipped when already complete)."""
    from hydra.core.hydra_config import HydraConfig

    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = _to_cfg(node)
    x = pd.read_parquet(cfg.design_file)
    row = x.loc[x["row"] == cfg.row].iloc[0]
    out = HydraConfig.get().runtime.output_dir
    if cfg.regions:
        summary = run_regional_row(cfg, row, out)
    else:
        from .runner import run_and_save  # the model (and mesa) load when a run starts: a bad command line is answered at once

        summary = run_and_save(compose(cfg.scenario, run_overrides(cfg, row)), out, progress=False)
    state = "already complete, skipped" if summary.get("skipped") else f"done in {summary['wall_time_s']:.1f} s"
    print(f"[row {cfg.row}/{len(x)}] {state}", flush=True)


def _hydra_app():
    import hydra

    return hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name=SENSITIVITY_CONFIG_NAME)(_evaluate_row)


def compose_problem(overrides: Sequence[str]) -> SensitivityConfig:
    """Compose a sensitivity problem from ``configs/sensitivity.yaml`` and overrides; raise :class:`ConfigError` on bad input."""
    register_sensitivity_config()
    known = {f for f in SensitivityConfig.__dataclass_fields__} | {"sensitivity"}
    cfg = compose_command("laborshift-sensitivity", SENSITIVITY_CONFIG_NAME, overrides, known, hidden={"row", "design_file"},
                          by_section=True, refuse_sweeps="the command draws the design", convert=_to_cfg,
                          struct_hint="; to vary another parameter, add it with +parameters.<section>.<name>=[low,high]")
    check(cfg)
    return cfg


def default_out_dir(cfg: SensitivityConfig) -> Path:
    """``results/sensitivity/<name>-<method>-<hash>``: the same problem gets the same folder, so re-running resumes."""
    key = json.dumps({k: getattr(cfg, k) for k in SensitivityConfig.__dataclass_fields__ if k not in ("row", "design_file")},
                     sort_keys=True, default=str)
    return Path("results") / "sensitivity" / f"{cfg.name}-{cfg.method}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-sensitivity``: check, draw the design, evaluate it, analyse."""
    import time

    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in args):
        print(__doc__)
        print("usage: laborshift-sensitivity [sensitivity=<problem>] [method=sobol|morris] [samples=N] [workers=N] ... "
              "[hydra/launcher=slurm|ray_cluster] [hydra.sweep.dir=DIR]")
        return
    user = [a for a in args if not is_hydra_arg(a)]
    hydra_args = [a for a in args if is_hydra_arg(a)]
    try:
        cfg = compose_problem(user)
    except ConfigError as err:
        print(f"laborshift-sensitivity: error: {err}", file=sys.stderr)
        sys.exit(2)
    given = [a.split("=", 1)[1] for a in hydra_args if a.startswith("hydra.sweep.dir=")]
    out_dir = Path(given[0]) if given else default_out_dir(cfg)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    x = design(cfg)
    design_path = out_dir / DESIGN_FILE
    atomic_write(design_path, lambda t: x.to_parquet(t, index=False))
    print(f"{cfg.method} design for {cfg.name}: {len(ranges(cfg))} parameters, {len(x)} runs of {cfg.workers:,} workers x "
          f"{cfg.months} months -> {out_dir}", flush=True)

    launch = ["-m", f"row=range(0,{len(x)})", f"design_file={design_path.resolve()}", *user,
              *[a for a in hydra_args if not a.startswith("hydra.sweep.dir=")], f"hydra.sweep.dir={(out_dir / RUNS_DIR).resolve()}"]
    saved = sys.argv
    sys.argv = [saved[0], *launch]
    try:
        _hydra_app()()
    finally:
        sys.argv = saved
    try:
        indices = write_analysis(out_dir, cfg)
    except ConfigError as err:
        print(f"laborshift-sensitivity: error: {err}", file=sys.stderr)
        sys.exit(1)
    with pd.option_context("display.width", 160, "display.max_columns", 12, "display.precision", 3):
        print(indices.to_string(index=False))
    print(f"{len(x)} runs and the analysis in {time.perf_counter() - start:.1f} s; indices: {out_dir}/indices.md")
