"""Command line: ``laborshift scenario=baseline workers=100000 months=120 seed=7``.

The console script checks the overrides first (unknown keys, unknown
scenarios, values of the wrong type or out of range) and exits with code 2
and one clear message, before Hydra starts a run. Then the thin
``@hydra.main`` wrapper calls :func:`run_and_save`, which tests call directly.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

import hydra
from omegaconf import DictConfig, OmegaConf

from .config import ConfigError, register_configs, validate
from .runner import CONFIG_DIR, _hydra_compose, composition_problem, key_problems, parse_overrides, resolved_config, run_config, save
from .sweep import clear_partial, completed_summary, config_hash, register_resolvers, sweep_id

log = logging.getLogger("laborshift")
register_configs()
register_resolvers()


def _is_hydra_arg(arg: str) -> bool:
    key = arg.lstrip("+~").split("=", 1)[0]
    return arg.startswith("-") or key.startswith("hydra.") or key.startswith("hydra/") or key == "hydra"


def check_overrides(overrides: Sequence[str]) -> None:
    """Raise one :class:`ConfigError` naming every unknown key, unknown scenario or invalid value in the overrides.

    Every value of a sweep (``a=1,2,3``) is checked, each composed with the
    other overrides at their first value.
    """
    parsed = parse_overrides(overrides)
    problems = key_problems(parsed)
    bad_keys = {p.split(":", 1)[0] for p in problems}
    choices = [
        [f"{ov.key_or_group}={v}" for v in ([str(x) for x in ov.sweep_string_iterator()] if ov.is_sweep_override() else [ov.get_value_element_as_str()])]
        for ov in parsed
        if ov.key_or_group not in bad_keys
    ]
    firsts = [c[0] for c in choices]
    base = None
    seen: set[str] = set()
    for i, opts in enumerate(choices):
        for opt in opts:
            combo = firsts[:i] + [opt] + firsts[i + 1 :]
            if "\n".join(combo) in seen:
                continue
            seen.add("\n".join(combo))
            try:
                key, _, value = opt.partition("=")
                if base is not None and opt != firsts[i] and key.lstrip("+~") != "scenario" and not key.startswith("~"):
                    # another value of a plain key: set it on the config composed once (composition is slow)
                    cfg = base.copy()
                    try:
                        OmegaConf.update(cfg, key.lstrip("+"), parse_overrides([f"{key.lstrip('+')}={value}"])[0].value(), merge=False)
                    except ConfigError:
                        raise
                    except Exception as exc:
                        raise ConfigError([f"{key.lstrip('+')}: got {value!r}; {str(exc).splitlines()[0]}"]) from None
                else:
                    cfg = _hydra_compose(combo)
                    if combo == firsts:
                        base = cfg
                validate(cfg)
            except ConfigError as err:
                problems.extend(p for p in err.problems if p not in problems)
            except Exception as exc:
                line = composition_problem(exc, [opt])
                if line not in problems:
                    problems.append(line)
    if problems:
        raise ConfigError(problems)


def run_and_save(cfg: DictConfig, out_dir: str, progress: bool | None = None) -> dict:
    """Run one configured scenario and write its outputs into ``out_dir``; return the summary.

    If ``out_dir`` already holds a complete run of the same resolved config
    (same hash in its ``summary.json``), nothing is run and that summary is
    returned with ``skipped: True``: this is how a re-run sweep resumes.
    """
    done = completed_summary(out_dir, config_hash(resolved_config(cfg)))
    if done is not None:
        return {**done, "skipped": True}
    clear_partial(out_dir)
    res = run_config(cfg, progress=progress)
    save(res, out_dir, figures=bool(cfg.figures))
    return res.summary


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> None:
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    logging.getLogger("MESA").setLevel(logging.WARNING)
    hc = HydraConfig.get()
    out = hc.runtime.output_dir
    sweeping = hc.mode == RunMode.MULTIRUN
    if sweeping and not any(o.lstrip("+").startswith("figures=") for o in hc.overrides.task):
        cfg.figures = False  # a sweep's runs skip their figures (seconds each) unless figures=true is given
    summary = run_and_save(cfg, out, progress=False if sweeping else None)
    if sweeping:
        label = ",".join(hc.overrides.task) or "(defaults)"
        state = "already complete, skipped" if summary.get("skipped") else f"done in {summary['wall_time_s']:.1f} s"
        print(f"[run {hc.job.num}] {label}: {state} | AI-displaced {summary['ai_displaced_final']:,} | "
              f"peak unemployment {100 * summary['unemployment_rate_peak']:.1f}%", flush=True)
        return
    print(
        f"{summary['scenario']}: {summary['workers']:,} workers x {summary['months']} months in {summary['wall_time_s']:.1f} s | "
        f"AI-displaced {summary['ai_displaced_final']:,} | peak unemployment {100 * summary['unemployment_rate_peak']:.1f}% | "
        f"retraining completions {summary['retraining_completed_total']:,} | AI wage premium {100 * summary['ai_wage_premium_final']:.0f}%"
    )
    print(f"outputs: {out}")


def _checked(prog: str, check, hydra_main, argv: Sequence[str] | None) -> None:
    """Check the overrides (exit 2 with one message on a user error), then hand over to a Hydra app."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(a in ("-h", "--help", "--hydra-help", "--info", "-i", "--cfg", "-c") for a in args):
        try:
            check([a for a in args if not _is_hydra_arg(a)])
        except ConfigError as err:
            print(f"{prog}: error: {err}", file=sys.stderr)
            sys.exit(2)
    sys.argv = [sys.argv[0], *args]
    hydra_main()


def with_sweep_dir(args: list[str]) -> list[str]:
    """For a sweep (``-m``) without ``hydra.sweep.dir``, name its folder after the sweep definition.

    The same command then writes into the same folder, so re-running it
    resumes the sweep; ``hydra.sweep.dir=...`` names the folder instead.
    """
    if not any(a in ("-m", "--multirun") for a in args) or any(a.lstrip("+").startswith("hydra.sweep.dir=") for a in args):
        return args
    task = [a for a in args if not _is_hydra_arg(a)]
    return [*args, f"hydra.sweep.dir=results/sweeps/{sweep_id(task)}"]


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift``: check the overrides, then hand over to Hydra."""
    args = with_sweep_dir(list(sys.argv[1:] if argv is None else argv))
    _checked("laborshift", check_overrides, _hydra_main, args)


# --------------------------------------------------------------------------- laborshift-compare
def check_compare_overrides(overrides: Sequence[str]):
    """Compose the comparison config from the overrides and check it; raise one :class:`ConfigError` listing every problem."""
    from omegaconf import OmegaConf

    from .compare import check_request
    from .config import COMPARE_CONFIG_NAME, CompareConfig, schema_keys
    from .runner import compose

    parsed = parse_overrides(overrides)
    known = schema_keys(CompareConfig)
    problems = [f"{ov.key_or_group}: unknown key of laborshift-compare; allowed: {', '.join(sorted(known))}"
                for ov in parsed if ov.key_or_group not in known]
    if problems:
        raise ConfigError(problems)
    try:
        cfg = _hydra_compose(list(overrides), config_name=COMPARE_CONFIG_NAME)
    except Exception as exc:
        raise ConfigError([composition_problem(exc, overrides)]) from None
    scenarios = list(cfg.scenarios)
    try:
        check_request(scenarios, cfg.replications, cfg.workers, cfg.months)
    except ConfigError as err:
        problems.extend(err.problems)
    if cfg.jobs < 0:
        problems.append(f"jobs: got {cfg.jobs}; allowed: an integer >= 0 (0: one per core)")
    if not problems:
        for scenario in scenarios:
            try:
                validate(compose(scenario, [f"workers={cfg.workers}", f"months={cfg.months}", *cfg.overrides]))
            except ConfigError as err:
                problems.extend(f"overrides: {p}" for p in err.problems if f"overrides: {p}" not in problems)
    if problems:
        raise ConfigError(problems)
    return OmegaConf.to_object(cfg)


def run_compare_and_report(cfg, out_dir: str):
    """Run the comparison and write its report into ``out_dir``; the report files appear only once all are written."""
    import shutil
    import tempfile
    from pathlib import Path

    from .compare import compare
    from .report import write_report

    comp = compare(list(cfg.scenarios), replications=cfg.replications, workers=cfg.workers, months=cfg.months,
                   seed=cfg.seed, overrides=list(cfg.overrides), jobs=cfg.jobs, progress=cfg.progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out))
    try:
        write_report(comp, staging)
        names = sorted(p.name for p in staging.iterdir())
        for name in [n for n in names if n != "report.md"] + ["report.md"]:
            (staging / name).replace(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return comp


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="compare")
def _hydra_compare(cfg: DictConfig) -> None:
    import time

    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    start = time.perf_counter()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out = HydraConfig.get().runtime.output_dir
    comp = run_compare_and_report(OmegaConf.to_object(cfg), out)
    n = len(comp.scenarios) * comp.replications
    print(f"compared {len(comp.scenarios)} scenarios x {comp.replications} replications ({n} runs of {comp.workers:,} workers x "
          f"{comp.months} months): runs {comp.wall_time_s:.1f} s, wall time with the report {time.perf_counter() - start:.1f} s")
    print(f"report: {out}/report.md")


def compare_main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-compare``: check the request, then hand over to Hydra."""
    _checked("laborshift-compare", check_compare_overrides, _hydra_compare, argv)


if __name__ == "__main__":  # pragma: no cover
    main()
