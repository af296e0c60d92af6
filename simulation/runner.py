"""Run one scenario from Python: compose the config, run the model, save its outputs."""

from __future__ import annotations

import difflib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .config import CONFIG_NAME, Config, ConfigError, register_configs, schema_keys, to_config
from .model import LaborMarketModel
from .results import Results, summarize
from .sweep import config_hash

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
OUTPUT_FILES = ("timeseries.parquet", "by_occupation.parquet", "by_stage.parquet", "config.yaml", "summary.json")


def scenario_names() -> list[str]:
    """Scenarios shipped in ``configs/scenario``."""
    return sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def parse_overrides(overrides: Sequence[str]) -> list:
    """Parse Hydra override strings; a malformed one raises :class:`ConfigError`."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        return OverridesParser.create().parse_overrides(list(overrides))
    except Exception as exc:  # the parser's own message says what is malformed
        raise ConfigError([f"cannot parse the overrides: {str(exc).splitlines()[0]}"]) from None


def key_problems(parsed: Sequence) -> list[str]:
    """Unknown keys and unknown scenarios among parsed overrides (every value of a sweep is checked)."""
    known = schema_keys()
    scenarios = scenario_names()
    problems = []
    for ov in parsed:
        key = ov.key_or_group
        values = [str(v) for v in ov.sweep_string_iterator()] if ov.is_sweep_override() else [ov.get_value_element_as_str()]
        if key == "scenario":
            bad = [v for v in values if v not in scenarios]
            if bad:
                problems.append(f"scenario: got {', '.join(map(repr, bad))}; allowed: one of {', '.join(scenarios)}")
        elif key not in known:
            near = difflib.get_close_matches(key, list(known), n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            problems.append(f"{key}: unknown config key (given {key}={','.join(values)}){hint}; see docs/PARAMETERS.md for every key")
    return problems


def _hydra_compose(overrides: list[str], config_name: str = CONFIG_NAME) -> DictConfig:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_configs()
    if GlobalHydra.instance().is_initialized():
        return hydra_compose(config_name=config_name, overrides=overrides)
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return hydra_compose(config_name=config_name, overrides=overrides)


def compose(scenario: str | None = None, overrides: Sequence[str] = ()) -> DictConfig:
    """Compose the Hydra config (schema + ``configs/config.yaml`` + a scenario + overrides).

    An unknown key or scenario, or a value of the wrong type, raises one
    :class:`ConfigError` naming each problem; ranges are checked by
    :func:`~simulation.config.validate` when the model is built.
    """
    ov = list(overrides)
    if scenario is not None:
        ov = [f"scenario={scenario}", *ov]
    problems = key_problems(parse_overrides(ov))
    if problems:
        raise ConfigError(problems)
    try:
        return _hydra_compose(ov)
    except Exception as exc:
        raise ConfigError([composition_problem(exc, ov)]) from None


def composition_problem(exc: Exception, overrides: Sequence[str]) -> str:
    """One line for a Hydra composition error: which override, what was given, what went wrong."""
    cause = str(exc.__cause__ or exc).splitlines()[0]
    for item in overrides:
        key, _, value = item.partition("=")
        if f"'{key.lstrip('+~')}'" in str(exc) or f"{item}" in str(exc):
            return f"{key}: got {value!r}; {cause}"
    return cause


def _plain(cfg: Any) -> dict:
    if isinstance(cfg, Config):
        cfg = OmegaConf.structured(cfg)
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def resolved_config(cfg: Config | DictConfig) -> dict:
    """The validated config of a run with every default filled in, as plain data (what ``config.yaml`` holds)."""
    return _plain(to_config(cfg))


def run_config(cfg: Config | DictConfig, progress: bool | None = None) -> Results:
    """Build the model from a config, run its horizon and return the results with a summary."""
    typed = to_config(cfg)
    show = typed.progress if progress is None else progress
    start = time.perf_counter()
    model = LaborMarketModel(typed)
    if show:
        from tqdm.auto import tqdm

        with tqdm(total=typed.months, desc=f"{typed.scenario} ({typed.workers:,} workers)", unit="month") as bar:
            model.run(progress=lambda: bar.update(1))
    else:
        model.run()
    res = model.results()
    res.config = _plain(typed)
    res.summary = {"scenario": typed.scenario, "seed": int(typed.seed), "workers": int(typed.workers),
                   **summarize(res.timeseries), **{f"burn_in_{k}": int(v) for k, v in model.burn_in_flows.items()},
                   "wall_time_s": round(time.perf_counter() - start, 3),
                   "config_hash": config_hash(res.config)}
    return res


def run(
    cfg: Config | DictConfig | None = None,
    *,
    scenario: str | None = None,
    workers: int | None = None,
    months: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    progress: bool = False,
) -> Results:
    """Run one scenario and return its tables as pandas DataFrames.

    Either pass a config, or name a scenario (default ``baseline``) with the
    population, horizon, seed and any Hydra overrides, e.g.
    ``run(scenario="hype_cycle", workers=20_000, overrides=["ai.adoption_speed=0.1"])``.
    """
    if cfg is None:
        ov = list(overrides)
        for key, value in (("workers", workers), ("months", months), ("seed", seed)):
            if value is not None:
                ov.append(f"{key}={value}")
        cfg = compose(scenario, ov)
    elif scenario is not None or workers is not None or months is not None or seed is not None or overrides:
        raise TypeError("pass either a config or scenario/workers/months/seed/overrides, not both")
    return run_config(cfg, progress=progress)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # the permissions of a plain new file, not mkstemp's private 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(res: Results, out_dir: str | Path, figures: bool = True) -> list[Path]:
    """Write the tables (Parquet), the resolved config, figures and, last, ``summary.json``.

    Every file is written under a temporary name and renamed into place, and
    the summary (the mark of a complete run) comes last: a run killed part-way
    leaves no file that looks complete.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, df in res.tables().items():
        p = out / f"{stem}.parquet"
        _atomic_write(p, lambda t, df=df: df.to_parquet(t, index=False))
        written.append(p)
    p = out / "config.yaml"
    _atomic_write(p, lambda t: Path(t).write_text(OmegaConf.to_yaml(OmegaConf.create(res.config))))
    written.append(p)
    if figures:
        from .plotting import save_run_figures

        written += save_run_figures(res, out, _atomic_write)
    p = out / "summary.json"
    _atomic_write(p, lambda t: Path(t).write_text(json.dumps(res.summary, indent=2) + "\n"))
    written.append(p)
    return written
