"""Run one scenario from Python: compose the config, run the model, save its outputs.

:func:`compose` and :func:`scenario_names` live in :mod:`simulation.composition`
and the file helpers in :mod:`simulation.files`; the first two are re-exported
here, where notebooks and ``from simulation import compose`` find them.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .composition import CONFIG_DIR, compose, scenario_names
from .config import Config, to_config
from .files import OutputWriteError, atomic_write, clear_partial, completed_summary, config_hash, folder_lock, os_error
from .model import LaborMarketModel
from .results import Results, summarize

OUTPUT_FILES = ("timeseries.parquet", "by_occupation.parquet", "by_stage.parquet", "by_sector.parquet", "config.yaml", "summary.json")


def _plain(cfg: Any) -> dict:
    """A config as plain data (dicts, lists, scalars), as ``OmegaConf.to_container`` gives it (a Config: 0.05 s faster)."""
    if isinstance(cfg, Config):
        return _lists(dataclasses.asdict(cfg))
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def _lists(value: Any) -> Any:
    """Tuples as lists, inside dicts and lists (what OmegaConf's containers hold)."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def resolved_config(cfg: Config | DictConfig) -> dict:
    """The validated config of a run with every default filled in, as plain data (what ``config.yaml`` holds)."""
    return _plain(to_config(cfg))


def run_config(cfg: Config | DictConfig, progress: bool | None = None, observe=None) -> Results:
    """Build the model from a config, run its horizon and return the results with a summary.

    ``observe``, if given, is called with the model after every month (the comparison takes its snapshots by group so).
    """
    typed = to_config(cfg)
    show = typed.progress if progress is None else progress
    start = time.perf_counter()
    model = LaborMarketModel(typed)
    if show:
        from tqdm.auto import tqdm

        with tqdm(total=typed.months, desc=f"{typed.scenario} ({typed.workers:,} workers)", unit="month") as bar:
            model.run(progress=lambda: (bar.update(1), observe and observe(model)))
    else:
        model.run(progress=None if observe is None else lambda: observe(model))
    res = model.results()
    res.config = _plain(typed)
    res.summary = {"scenario": typed.scenario, "seed": int(typed.seed), "workers": int(typed.workers),
                   **summarize(res.timeseries, model.cfg.fiscal.discount_rate), **{f"burn_in_{k}": int(v) for k, v in model.burn_in_flows.items()},
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
    ``run(scenario="hype_cycle", workers=20_000, overrides=["ai.adoption_revision_rate=0.1"])``.
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


def save(res: Results, out_dir: str | Path, figures: bool = True) -> list[Path]:
    """Write the tables (Parquet), the resolved config, figures and, last, ``summary.json``.

    Every file is written under a temporary name and renamed into place, and
    the summary (the mark of a complete run) comes last: a run killed part-way
    leaves no file that looks complete. When a write fails (a full disk, say),
    the files this call wrote are removed again and :class:`OutputWriteError` says why in one line.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(path: Path, fill) -> None:
        atomic_write(path, fill)
        written.append(Path(path))

    try:
        for stem, df in res.tables().items():
            write(out / f"{stem}.parquet", lambda t, df=df: df.to_parquet(t, index=False))
        write(out / "config.yaml", lambda t: Path(t).write_text(OmegaConf.to_yaml(OmegaConf.create(res.config))))
        if figures:
            from .plotting import save_run_figures

            save_run_figures(res, out, write)
        write(out / "summary.json", lambda t: Path(t).write_text(json.dumps(res.summary, indent=2) + "\n"))
    except BaseException as err:
        for p in written:
            p.unlink(missing_ok=True)
        cause = os_error(err)
        if cause is not None:
            raise OutputWriteError(f"cannot write the outputs into {out}: {cause.strerror or cause}; nothing of this run was kept") from None
        raise
    return written


def run_and_save(cfg: Config | DictConfig, out_dir: str | Path, progress: bool | None = None) -> dict:
    """Run one configured scenario and write its outputs into ``out_dir``; return the summary.

    If ``out_dir`` already holds a complete run of the same resolved config
    (same hash in its ``summary.json``, every table readable), nothing is run
    and that summary is returned with ``skipped: True``: this is how a re-run
    sweep resumes. The folder is locked while the run writes it: another
    process writing it raises :class:`~simulation.files.FolderBusy` at once.
    """
    cfg_hash = config_hash(resolved_config(cfg))  # validates the config before anything is written
    with folder_lock(out_dir):
        done = completed_summary(out_dir, cfg_hash)
        if done is not None:
            return {**done, "skipped": True}
        clear_partial(out_dir)
        res = run_config(cfg, progress=progress)
        save(res, out_dir, figures=bool(cfg.figures))
        return res.summary


__all__ = ["CONFIG_DIR", "OUTPUT_FILES", "compose", "resolved_config", "run", "run_and_save", "run_config", "save", "scenario_names"]
