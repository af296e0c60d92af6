"""Command line: ``laborshift scenario=baseline workers=100000 months=120 seed=7``.

The console script checks the overrides first (unknown keys, unknown
scenarios, values of the wrong type or out of range) and exits with code 2
and one clear message, before Hydra starts a run. Then the thin
``@hydra.main`` wrapper calls :func:`run_and_save`, which tests call directly.
The checks live in :mod:`simulation.composition`, shared by every command.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

import hydra
from omegaconf import DictConfig, OmegaConf

from . import reaper
from .composition import CONFIG_DIR, check_compare_overrides, check_overrides, hydra_arg_problems, is_hydra_arg, parse_overrides
from .config import ConfigError, register_configs
from .files import FolderBusy, FolderError, OutputWriteError, folder_lock, os_error, sweep_id, writable_problem
from .parallel import exit_on_signals
from .sweep import register_resolvers

log = logging.getLogger("laborshift")
register_configs()
register_resolvers()


def _sweep_line(text: str) -> None:
    """One line of a sweep's report, written whole in one call.

    The runs of a sweep (and of two sweeps at once) run in parallel workers that share the terminal or pipe, and a
    line written in two parts (text, then newline) can be cut by another worker's line.
    """
    sys.stdout.flush()
    data = (text + "\n").encode()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a stdout without a file descriptor (captured in-process): one write all the same
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return
    while data:  # a line is far below PIPE_BUF, so this is one write; loop only for a short write
        data = data[os.write(fd, data):]


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
    label = ",".join(hc.overrides.task) or "(defaults)"
    from .runner import run_and_save  # imported here: the checks before a run need neither the model nor Mesa

    try:
        summary = run_and_save(cfg, out, progress=False if sweeping else None)
    except OutputWriteError as err:  # a full disk: not a usage error (exit 1), but one line all the same
        if sweeping:
            _sweep_line(f"[run {hc.job.num}] {label}: error: {err}")
            sys.exit(1)
        print(f"laborshift: error: {err}", file=sys.stderr)
        sys.exit(1)
    except FolderError as err:
        if sweeping:  # another sweep is running this one (it will write it), or its folder is unsafe: carry on with the rest
            why = f"{err.holder} is running it" if isinstance(err, FolderBusy) else f"error: {err}"
            _sweep_line(f"[run {hc.job.num}] {label}: {why}, skipped")
            return
        print(f"laborshift: error: hydra.run.dir: {err}", file=sys.stderr)
        sys.exit(2)
    if sweeping:
        state = "already complete, skipped" if summary.get("skipped") else f"done in {summary['wall_time_s']:.1f} s"
        _sweep_line(f"[run {hc.job.num}] {label}: {state} | AI-displaced {summary['ai_displaced_final']:,} | "
                    f"peak unemployment {100 * summary['unemployment_rate_peak']:.1f}%")
        return
    ran = ("already complete (same configuration), skipped; its results" if summary.get("skipped")
           else f"in {summary['wall_time_s']:.1f} s")
    print(
        f"{summary['scenario']}: {summary['workers']:,} workers x {summary['months']} months {ran} | "
        f"AI-displaced {summary['ai_displaced_final']:,} | peak unemployment {100 * summary['unemployment_rate_peak']:.1f}% | "
        f"retraining completions {summary['retraining_completed_total']:,} | AI wage premium {100 * summary['ai_wage_premium_final']:.0f}%"
    )
    print(f"outputs: {out}")


HELP_FLAGS = ("-h", "--help", "--hydra-help", "--info", "-i", "--cfg", "-c")  # Hydra's flags that only print


def _checked(prog: str, check, hydra_main, argv: Sequence[str] | None) -> None:
    """Check the overrides (exit 2 with one message on a user error), then hand over to a Hydra app."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(a in HELP_FLAGS for a in args):
        try:
            problems = hydra_arg_problems(args)
            try:
                check([a for a in args if not is_hydra_arg(a)])
            except ConfigError as err:
                problems = err.problems + problems
            if problems:
                raise ConfigError(problems)
        except ConfigError as err:
            print(f"{prog}: error: {err}", file=sys.stderr)
            sys.exit(2)
    if not any(a in HELP_FLAGS for a in args):
        _check_output_folder(prog, args)
    sys.argv = [sys.argv[0], *args]
    hydra_main()


def _check_output_folder(prog: str, args: list[str]) -> None:
    """Exit 2 before any run when the output folder (named, or the default's ``results/``) cannot be written."""
    given = {a.lstrip("+").split("=", 1)[0]: a.split("=", 1)[1] for a in args if "=" in a and a.lstrip("+").startswith("hydra.")}
    key = "hydra.sweep.dir" if any(a in ("-m", "--multirun") for a in args) else "hydra.run.dir"
    folder = given.get(key, "results")  # the default folders all lie under results/
    problem = "the folder name is empty" if not folder.strip() else writable_problem(folder, folder=True)
    if problem:
        print(f"{prog}: error: {key}: {problem}", file=sys.stderr)
        sys.exit(2)


def with_sweep_dir(args: list[str]) -> list[str]:
    """For a sweep (``-m``) without ``hydra.sweep.dir``, name its folder after the sweep definition.

    The same command then writes into the same folder, so re-running it
    resumes the sweep; ``hydra.sweep.dir=...`` names the folder instead.
    """
    if not any(a in ("-m", "--multirun") for a in args) or any(a.lstrip("+").startswith("hydra.sweep.dir=") for a in args):
        return args
    task = [a for a in args if not is_hydra_arg(a)]
    return [*args, f"hydra.sweep.dir=results/sweeps/{sweep_id(task)}"]


LOCAL_LAUNCHERS = ("joblib", "basic")  # the launchers whose processes run on this machine, below the command
_keep: list = []  # the sweep's watchdog process, referenced for the command's lifetime


def _launcher(args: list[str]) -> str:
    """The launcher a sweep's arguments choose (the default: joblib)."""
    return next((a.split("=", 1)[1] for a in args if a.startswith("hydra/launcher=")), "joblib")


def split_regions(args: list[str]) -> tuple[bool, list[str]]:
    """Whether a command line asks for a regional run, and its words without the ones the one-region path must not see.

    Regional: its last ``regions=`` is not ``none`` and no help flag is given; dropped: ``regions=none``, and every
    ``regions=`` when help is asked for.
    """
    chosen = [a.split("=", 1)[1] for a in args if a.startswith("regions=")]
    rest = [a for a in args if not (a.startswith("regions=") and (a == "regions=none" or any(h in args for h in HELP_FLAGS)))]
    return bool(chosen) and chosen[-1] != "none" and not any(a in HELP_FLAGS for a in rest), rest


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift``: check the overrides, then hand over to Hydra (Ctrl-C, SIGTERM: exit 130, 143).

    A single run into a named folder (``hydra.run.dir=...``) locks it first, so a second process aiming at the
    same folder stops with exit code 2 before Hydra writes anything into it.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    regional, args = split_regions(args)
    if regional:
        exit_on_signals("laborshift", lambda: regions_main(args))
        return
    args = with_sweep_dir(args)
    run_dir = next((a.split("=", 1)[1] for a in args if a.lstrip("+").startswith("hydra.run.dir=")), "")
    app = _hydra_main
    if run_dir and not any(a in ("-m", "--multirun", *HELP_FLAGS) for a in args):
        def app():
            return _locked(run_dir, _hydra_main)
    multirun = any(a in ("-m", "--multirun") for a in args)
    if multirun and _launcher(args) in LOCAL_LAUNCHERS:
        _keep.append(reaper.start())  # a killed sweep's loky workers go with it (see simulation.reaper)
    exit_on_signals("laborshift", lambda: _checked("laborshift", lambda ov: _check_run_overrides(ov, multirun), app, args))


def _check_run_overrides(overrides: list[str], multirun: bool) -> None:
    """:func:`check_overrides`, and what only ``laborshift`` itself knows: a list of values needs ``-m``; ``+scenario``."""
    try:
        check_overrides(overrides)
        problems = []
    except ConfigError as err:
        problems = list(err.problems)
    from .composition import REGIONAL_SCENARIOS

    for item in overrides:
        if item.startswith("scenario=") and item.split("=", 1)[1] in REGIONAL_SCENARIOS:
            problems.append(f"scenario: got {item.split('=', 1)[1]!r}, a regional scenario; allowed: with regions=china_us "
                            "(docs/REGIONS.md), or one of the one-region scenarios")
        if item.startswith("+scenario="):
            problems.append(f"scenario: got {item!r}; allowed: scenario={item.split('=', 1)[1]} (the scenario is set already: no +)")
    named = {p.split(":", 1)[0].strip() for p in problems}
    for item in overrides if not multirun else []:
        try:
            parsed = parse_overrides([item])
        except ConfigError:
            continue  # broken syntax: reported by check_overrides
        for ov in parsed:
            if ov.is_sweep_override() and ov.key_or_group not in named:
                problems.append(f"{ov.key_or_group}: got {ov.input_line.split('=', 1)[1]!r}, several values; allowed: one value, "
                                "or add -m to sweep over them")
    if problems:
        raise ConfigError(problems)


def _locked(run_dir: str, hydra_main) -> None:
    """Run a Hydra app holding the lock of its run folder (taken once the overrides have been checked)."""
    from pathlib import Path

    from .files import LOCK_FILE

    existed = Path(run_dir).exists()
    try:
        with folder_lock(run_dir):
            hydra_main()
    except FolderError as err:
        print(f"laborshift: error: hydra.run.dir: {err}", file=sys.stderr)
        sys.exit(2)
    finally:
        folder = Path(run_dir)  # a folder made only to hold the lock of a run that never started goes again
        if not existed and folder.is_dir() and not folder.is_symlink() and [p.name for p in folder.iterdir()] == [LOCK_FILE]:
            (folder / LOCK_FILE).unlink()
            folder.rmdir()


# --------------------------------------------------------------------------- laborshift regions=...
def regions_main(args: list[str]) -> None:
    """``laborshift regions=NAME [scenario=...] [regions.key=value ...] [key=value ...]``: one regional run (simulation.regions).

    Every problem of the regions config or of a region's run config exits 2 with one message naming the field.
    The tables (each region's with a ``region`` column, migration, market_share, transit) go into
    ``hydra.run.dir`` or ``results/regions/<regions>/<scenario>/<date_time>/``.
    """
    import time as _time

    from .regions import load_regions, run_regions, save_regions

    name = [a.split("=", 1)[1] for a in args if a.startswith("regions=")][-1]
    rest = [a for a in args if not a.startswith("regions=")]
    problems = [f"{a}: a regional run is one run; allowed: no sweep (-m)" for a in rest if a in ("-m", "--multirun")]
    run_dir = next((a.split("=", 1)[1] for a in rest if a.startswith("hydra.run.dir=")), "")
    scenario = next((a.split("=", 1)[1] for a in rest if a.startswith("scenario=")), "baseline")
    region_ov = [a.removeprefix("regions.") for a in rest if a.startswith("regions.")]
    run_ov = [a for a in rest if not a.startswith(("regions.", "scenario=", "hydra.", "-"))]
    try:
        if problems:
            raise ConfigError(problems)
        from .composition import check_overrides
        from .regions import compose_regions

        check_overrides([f"scenario={scenario}", *[o for o in run_ov if not o.startswith("profile=")]])
        compose_regions(load_regions(name, region_ov), scenario, run_ov)
    except ConfigError as err:
        print(f"laborshift: error: {err}", file=sys.stderr)
        sys.exit(2)
    out = run_dir or f"results/regions/{name}/{scenario}/{_time.strftime('%Y-%m-%d_%H-%M-%S')}"
    res = run_regions(name, scenario, run_ov, region_ov)
    try:
        save_regions(res, out)
    except OSError as err:
        print(f"laborshift: error: cannot write the outputs into {out}: {err.strerror or err}", file=sys.stderr)
        sys.exit(1)
    moved = res.migration.groupby("direction")["count"].sum().to_dict() if len(res.migration) else {}
    print(f"{scenario} in {name} ({', '.join(res.regions)}): {res.summary['wall_time_s']:.1f} s | migrants "
          f"{moved.get('emigration', 0):,} emigrating, {moved.get('return', 0):,} returning")
    print(f"outputs: {out}")


# --------------------------------------------------------------------------- laborshift-compare
def run_compare_and_report(cfg, out_dir: str):
    """Run the comparison and write its report into ``out_dir``; the report files appear only once all are written."""
    import shutil
    import tempfile
    from pathlib import Path

    from .compare import compare
    from .report import write_report
    from .variants import parse_variants, resolve_decompose

    variants = parse_variants(cfg.variants, cfg.variants_file)
    decompose = resolve_decompose(cfg.decompose, [*cfg.scenarios, *variants])
    comp = compare(list(cfg.scenarios), replications=cfg.replications, workers=cfg.workers, months=cfg.months,
                   seed=cfg.seed, overrides=list(cfg.overrides), jobs=cfg.jobs, progress=cfg.progress, variants=variants,
                   decompose=decompose, parameter_uncertainty=cfg.parameter_uncertainty, noise_replications=cfg.noise_replications)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out))
    try:
        try:
            write_report(comp, staging)
        except Exception as err:
            cause = os_error(err)
            if cause is None:
                raise
            raise OutputWriteError(f"cannot write the report into {out}: {cause.strerror or cause}; nothing of it was kept") from None
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

    start = time.perf_counter()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out = HydraConfig.get().runtime.output_dir
    try:
        comp = run_compare_and_report(OmegaConf.to_object(cfg), out)
    except OutputWriteError as err:
        print(f"laborshift-compare: error: {err}", file=sys.stderr)
        sys.exit(1)
    n = len(comp.scenarios) * comp.replications
    extra = len(comp.policy.get("policy_outcomes", ())) - n  # the lever decompositions' runs
    noise = len(comp.noise.scenarios) * comp.noise.replications if comp.noise is not None else 0
    print(f"compared {len(comp.scenarios)} scenarios x {comp.replications} replications ({n} runs"
          f"{f' and {extra} lever-alone runs' if extra > 0 else ''}"
          f"{f', parameters drawn from the calibration, and {noise} runs at the point estimates' if noise else ''} of {comp.workers:,} workers x "
          f"{comp.months} months): runs {comp.wall_time_s:.1f} s, wall time with the report {time.perf_counter() - start:.1f} s")
    print(f"report: {out}/report.md")


def compare_main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-compare``: check the request, then hand over to Hydra.

    Ctrl-C or SIGTERM cancels the runs and exits (130, 143) with one line saying how many had finished.
    """
    from .variants import check_request

    args = list(sys.argv[1:] if argv is None else argv)
    regional, args = split_regions(args)
    if regional:
        exit_on_signals("laborshift-compare", lambda: regions_compare_main(args))
        return

    def check(overrides):
        cfg = check_compare_overrides(overrides, request_checks=check_request)
        _refuse_regional_scenarios(list(cfg.scenarios))
        return cfg

    exit_on_signals("laborshift-compare", lambda: _checked("laborshift-compare", check, _hydra_compare, args))


def _refuse_regional_scenarios(scenarios: list[str]) -> None:
    from .composition import REGIONAL_SCENARIOS

    bad = [s for s in scenarios if s in REGIONAL_SCENARIOS]
    if bad:
        raise ConfigError([f"scenarios: got {', '.join(map(repr, bad))}, regional scenarios; allowed: with regions=china_us "
                           "(docs/REGIONS.md), or one-region scenarios"])


def regions_compare_main(args: list[str]) -> None:
    """``laborshift-compare regions=NAME scenarios=[...] [replications= workers= months= seed= jobs= progress= overrides=[...]]``.

    A regional comparison (:mod:`simulation.regions_compare`); ``regions.key=value`` sets the regions config;
    ``parameter_uncertainty`` draws each profile's calibrated parameters. Variants and decompositions are not supported
    (exit 2 if asked for); problems exit 2 with one message.
    The report goes into ``hydra.run.dir`` or ``results/compare/regions/<regions>/<date_time>/``.
    """
    import time as _time

    from .regions import load_regions
    from .regions_compare import check_regional_request, compare_regions, region_draws
    from .regions_report import write_regional_report

    prog = "laborshift-compare"
    name = [a.split("=", 1)[1] for a in args if a.startswith("regions=")][-1]
    rest = [a for a in args if not a.startswith("regions=")]
    run_dir = next((a.split("=", 1)[1] for a in rest if a.startswith("hydra.run.dir=")), "")
    region_ov = [a.removeprefix("regions.") for a in rest if a.startswith("regions.")]
    request = [a for a in rest if not a.startswith(("regions.", "hydra.", "-"))]
    problems = [f"{a}: a regional comparison is one comparison; allowed: no sweep (-m)" for a in rest if a in ("-m", "--multirun")]
    unsupported = ("variants", "variants_file", "decompose")
    problems += [f"{a.split('=', 1)[0]}: got {a.split('=', 1)[1]!r}; allowed: not with regions= (a regional comparison compares scenarios)"
                 for a in request if a.lstrip("+").split("=", 1)[0] in unsupported]
    try:
        cfg = check_compare_overrides([a for a in request if a.lstrip("+").split("=", 1)[0] not in unsupported])
        check_regional_request(name, list(cfg.scenarios), list(cfg.overrides), region_ov, cfg.workers, cfg.months)
        region_draws(load_regions(name, region_ov).members, cfg.parameter_uncertainty, 1, cfg.seed)  # a bad setting or a missing record
        if problems:
            raise ConfigError(problems)
    except ConfigError as err:
        print(f"{prog}: error: {ConfigError([*problems, *[p for p in err.problems if p not in problems]])}", file=sys.stderr)
        sys.exit(2)
    out = run_dir or f"results/compare/regions/{name}/{_time.strftime('%Y-%m-%d_%H-%M-%S')}"
    problem = writable_problem(out, folder=True)
    if problem:
        print(f"{prog}: error: hydra.run.dir: {problem}", file=sys.stderr)
        sys.exit(2)
    start = _time.perf_counter()
    comp = compare_regions(name, list(cfg.scenarios), replications=cfg.replications, workers=cfg.workers, months=cfg.months,
                           seed=cfg.seed, overrides=list(cfg.overrides), regions_overrides=region_ov, jobs=cfg.jobs, progress=cfg.progress,
                           parameter_uncertainty=cfg.parameter_uncertainty, noise_replications=cfg.noise_replications)
    try:
        write_regional_report(comp, out)
    except OSError as err:
        print(f"{prog}: error: cannot write the report into {out}: {err.strerror or err}", file=sys.stderr)
        sys.exit(1)
    print(regional_headline(comp))
    print(f"compared {len(comp.scenarios)} regional scenarios x {comp.replications} replications in {name} ({', '.join(comp.regions)}; "
          f"{comp.workers:,} workers a region x {comp.months} months): runs {comp.wall_time_s:.1f} s, wall time with the report "
          f"{_time.perf_counter() - start:.1f} s")
    print(f"report: {out}/report.md")


def regional_headline(comp) -> str:
    """One line per scenario: each region's AI-core growth and the net AI-core inflow into the first region (medians)."""
    s = comp.summary.set_index(["scenario", "region", "indicator"])["median"]
    lines = []
    for sc in comp.scenarios:
        growth = ", ".join(f"{r} x{s[(sc, r, 'employed_ai_core_growth')]:.3f}" for r in comp.regions)
        first = comp.regions[0]
        lines.append(f"{sc}: AI-core employment {growth} | net AI-core inflow into {first} {s[(sc, first, 'net_ai_core_inflow')]:+.1f} | "
                     f"returns into {first} {s[(sc, first, 'returns_total')]:.1f}")
    return "\n".join(lines)


# check_overrides, check_compare_overrides (simulation.composition) and run_and_save (simulation.runner) are re-exported:
# tests and scripts import them from here


def __getattr__(name: str):
    """``run_and_save`` is re-exported lazily, so that a command line refused by the checks never imports the model."""
    if name == "run_and_save":
        from .runner import run_and_save

        return run_and_save
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["check_compare_overrides", "check_overrides", "compare_main", "main", "run_compare_and_report", "with_sweep_dir"]


if __name__ == "__main__":  # pragma: no cover
    main()
