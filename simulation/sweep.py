"""Parameter sweeps: run folders named by their overrides, resume by config hash, and collection into one dataset.

A sweep is Hydra's multirun (``laborshift -m a=1,2 seed=range(5)``): every
combination of the swept values is one run, in its own folder under the sweep
folder, named by the run's overrides (``a=1,seed=0``; a hash when the name
would be long or unsafe). A run is complete when its ``summary.json`` exists:
it is written last and atomically, and it records the hash of the run's
resolved config. Re-running a sweep into the same folder skips every run
whose summary carries the same hash, so a sweep killed part-way loses no
finished run and duplicates none.

:func:`collect` merges the runs of a sweep into tidy tables (one row per run
and month; one row per run of summary indicators), with the swept parameters
and the seed as columns, and lists the runs that are missing or incomplete by
their parameters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import pandas as pd

# run-folder naming and resume live in .files; re-exported here, where sweeps have always found them
from .files import SUMMARY_FILE, TABLES, atomic_write, clear_partial, completed_summary, config_hash, job_dirname, run_dir_name, sweep_id

COLLECTED_DIR = "collected"
RUN_ID_COLUMN = "run"
BY_TABLES = ("by_occupation", "by_stage", "by_sector")  # the by-tables a collection can merge, beside the timeseries


def register_resolvers() -> None:
    """Register the ``laborshift_run_dir`` resolver that names run folders (``hydra.sweep.subdir``)."""
    from omegaconf import OmegaConf

    OmegaConf.register_new_resolver("laborshift_run_dir", run_dir_name, replace=True)


# --------------------------------------------------------------------------- the expected runs of a sweep
def expected_runs(sweep_dir: str | Path) -> list[list[str]] | None:
    """The job overrides of every run of the sweep recorded in ``multirun.yaml``, or ``None`` if there is none."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    path = Path(sweep_dir) / "multirun.yaml"
    if not path.is_file():
        return None
    try:
        meta = yaml.safe_load(path.read_text())
        task = list(meta["hydra"]["overrides"]["task"])
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
        return None
    parsed = OverridesParser.create().parse_overrides(task)
    return BasicSweeper.split_arguments(parsed, max_batch_size=None)[0]


def _params(job_overrides: Sequence[str]) -> dict[str, Any]:
    """Overrides as typed values: ``["ai.x=0.1", "seed=3"]`` -> ``{"ai.x": 0.1, "seed": 3}``."""
    out = {}
    for item in job_overrides:
        key, _, value = item.partition("=")
        try:
            out[key.lstrip("+~")] = yaml.safe_load(value)
        except yaml.YAMLError:
            out[key.lstrip("+~")] = value
    return out


def _describe(params: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items()) or "(defaults)"


# --------------------------------------------------------------------------- collect
@dataclass
class Collected:
    """The runs of one sweep, merged.

    ``timeseries``: one row per run and month; ``summary``: one row per run;
    both carry ``run`` (the run's folder), ``config_hash``, ``scenario``,
    ``seed`` and one column per overridden parameter. ``missing`` and
    ``incomplete`` list the runs not collected, each as a dict of its
    parameters (plus ``reason`` for incomplete ones).
    """

    sweep_dir: Path
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    by_occupation: pd.DataFrame | None = None
    missing: list[dict] = field(default_factory=list)
    incomplete: list[dict] = field(default_factory=list)
    by_stage: pd.DataFrame | None = None
    by_sector: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The merged by-tables that were collected, by name (``by_occupation``, ``by_stage``, ``by_sector``)."""
        return {name: df for name in BY_TABLES if (df := getattr(self, name)) is not None}

    @property
    def parameters(self) -> list[str]:
        """Columns holding the overridden parameters."""
        return list(self.summary.attrs.get("parameters", []))

    def report(self) -> str:
        """Human-readable lines on what was collected and what is missing."""
        lines = [f"collected {len(self.summary)} complete runs ({len(self.timeseries):,} run-months) from {self.sweep_dir}"]
        if self.missing:
            lines.append(f"missing ({len(self.missing)} runs never written):")
            lines += [f"  {_describe(m)}" for m in self.missing]
        if self.incomplete:
            lines.append(f"incomplete ({len(self.incomplete)} runs):")
            lines += [f"  {_describe({k: v for k, v in m.items() if k != 'reason'})}: {m['reason']}" for m in self.incomplete]
        return "\n".join(lines)


class CollectError(ValueError):
    """The folder is not a sweep that can be collected."""


def _run_folders(sweep_dir: Path) -> list[Path]:
    return sorted(p.parent.parent for p in sweep_dir.glob("*/.hydra/overrides.yaml") if p.parent.parent.name != COLLECTED_DIR)


def _job_overrides(run: Path) -> list[str]:
    data = yaml.safe_load((run / ".hydra" / "overrides.yaml").read_text())
    return [str(x) for x in (data or [])]


def _missing_runs(expected: list | None, seen_names: set[str], keys: list[str]) -> list[dict]:
    """The expected runs never written, by their parameters; their parameter names are added to ``keys``."""
    missing = []
    for job in expected or []:
        if job_dirname(job) not in seen_names:
            params = _params(job)
            missing.append(params)
            keys += [k for k in params if k not in keys]
    return missing


def collect(sweep_dir: str | Path, by_occupation: bool = False, by_stage: bool = False, by_sector: bool = False) -> Collected:
    """Merge every complete run of a sweep folder; list missing and incomplete runs by their parameters.

    A run is complete when its ``summary.json`` and tables exist and can be
    read. ``by_occupation=True`` also merges the month x occupation tables,
    ``by_stage`` the month x career-stage ones and ``by_sector`` the month x sector ones.
    Raises :class:`CollectError` if the folder does not exist or holds no run.
    """
    import pandas as pd  # imported here: the command line's checks import this module and need no pandas

    root = Path(sweep_dir)
    if not root.is_dir():
        raise CollectError(f"sweep folder: {str(sweep_dir)!r} does not exist; give the folder of a sweep (hydra.sweep.dir)")
    folders = _run_folders(root)
    expected = expected_runs(root)
    if not folders and expected is None:
        raise CollectError(f"sweep folder: {str(sweep_dir)!r} holds no runs of a sweep (no */.hydra/overrides.yaml and no multirun.yaml)")

    wanted = [name for name, on in zip(BY_TABLES, (by_occupation, by_stage, by_sector), strict=True) if on]
    ts_parts, rows, incomplete = [], [], []
    by_parts: dict[str, list[pd.DataFrame]] = {name: [] for name in wanted}
    seen_names = set()
    keys: list[str] = []
    for run in folders:
        try:
            ov = _job_overrides(run)
        except (OSError, yaml.YAMLError) as exc:
            incomplete.append({RUN_ID_COLUMN: run.name, "reason": f"unreadable overrides: {exc}"})
            continue
        params = _params(ov)
        for k in params:
            if k not in keys:
                keys.append(k)
        seen_names.add(run.name)
        try:
            summary = json.loads((run / SUMMARY_FILE).read_text())
        except FileNotFoundError:
            incomplete.append({**params, "reason": "no summary.json (the run did not finish)"})
            continue
        except (OSError, ValueError) as exc:
            incomplete.append({**params, "reason": f"unreadable summary.json: {exc}"})
            continue
        try:
            ts = pd.read_parquet(run / "timeseries.parquet")
            by = {name: pd.read_parquet(run / f"{name}.parquet") for name in wanted}
        except Exception as exc:  # a corrupt or missing table: report it, keep collecting
            incomplete.append({**params, "reason": f"unreadable table: {str(exc).splitlines()[0]}"})
            continue
        # the summary's scenario and seed win over the overrides' spelling of them
        ident = {**params, RUN_ID_COLUMN: run.name, "config_hash": summary.get("config_hash"),
                 "scenario": summary.get("scenario"), "seed": summary.get("seed")}
        rows.append({**ident, **{k: v for k, v in summary.items() if k not in ident}})
        ts_parts.append(ts.assign(**ident))
        for name, df in by.items():
            by_parts[name].append(df.assign(**ident))

    missing = _missing_runs(expected, seen_names, keys)

    id_cols = [RUN_ID_COLUMN, "config_hash", "scenario", "seed", *[k for k in keys if k not in ("scenario", "seed")]]
    summary_df = pd.DataFrame(rows)
    if len(summary_df):
        summary_df = summary_df[[c for c in id_cols if c in summary_df] + [c for c in summary_df if c not in id_cols]]
        summary_df = summary_df.sort_values(RUN_ID_COLUMN, kind="stable").reset_index(drop=True)
    summary_df.attrs["parameters"] = [k for k in keys]

    def _merge(parts: list[pd.DataFrame]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame(columns=[c for c in id_cols])
        df = pd.concat(parts, ignore_index=True)
        front = [c for c in id_cols if c in df]
        df = df[front + [c for c in df if c not in front]]
        return df.sort_values([RUN_ID_COLUMN, "month"], kind="stable").reset_index(drop=True)

    merged = {name: _merge(parts) for name, parts in by_parts.items()}
    return Collected(root, _merge(ts_parts), summary_df, merged.get("by_occupation"), missing, incomplete, merged.get("by_stage"),
                     merged.get("by_sector"))


def write_collected(c: Collected, out_dir: str | Path | None = None) -> list[Path]:
    """Write the merged tables (Parquet; the summary also as CSV) and ``status.json`` atomically; return the paths."""
    out = Path(out_dir) if out_dir is not None else c.sweep_dir / COLLECTED_DIR
    if out.is_symlink():
        raise CollectError(f"{out} is a symbolic link; laborshift does not write through links: give the real folder (--out)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CollectError(f"cannot write the dataset into {out}: {err.strerror or err}") from None
    written = []
    tables = {"timeseries": c.timeseries, "summary": c.summary, **c.tables()}
    for stem, df in tables.items():
        df = df.copy()
        for col in df.columns[df.dtypes.map(lambda d: d == "object")]:  # mixed-type parameter columns: store as text
            if df[col].map(type).nunique() > 1:
                df[col] = df[col].astype(str)
        p = out / f"{stem}.parquet"
        atomic_write(p, lambda t, df=df: df.to_parquet(t, index=False))
        written.append(p)
    p = out / "summary.csv"
    atomic_write(p, lambda t: c.summary.to_csv(t, index=False))
    written.append(p)
    status = {"runs": len(c.summary), "parameters": c.parameters, "missing": c.missing, "incomplete": c.incomplete}
    p = out / "status.json"
    atomic_write(p, lambda t: Path(t).write_text(json.dumps(status, indent=2, default=str) + "\n"))
    written.append(p)
    return written


def collect_main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-collect <sweep folder>``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="laborshift-collect",
        description="Merge the runs of a sweep into one dataset: <sweep>/collected/timeseries.parquet (one row per run and month) "
                    "and summary.parquet/.csv (one row per run), with the swept parameters and the seed as columns.")
    parser.add_argument("sweep_dir", help="the sweep folder (hydra.sweep.dir of a `laborshift -m ...` run)")
    parser.add_argument("--out", help="where to write the dataset (default: <sweep_dir>/collected)")
    parser.add_argument("--by-occupation", action="store_true", help="also merge the month x occupation tables")
    parser.add_argument("--by-stage", action="store_true", help="also merge the month x career-stage tables")
    parser.add_argument("--by-sector", action="store_true", help="also merge the month x sector tables")
    parser.add_argument("--strict", action="store_true", help="exit with code 1 if any run is missing or incomplete")
    args = parser.parse_args(argv)
    try:
        c = collect(args.sweep_dir, by_occupation=args.by_occupation, by_stage=args.by_stage, by_sector=args.by_sector)
    except CollectError as err:
        print(f"laborshift-collect: error: {err}", file=sys.stderr)
        sys.exit(2)
    if len(c.summary) == 0:
        print(c.report(), file=sys.stderr)
        print("laborshift-collect: error: no complete run to collect", file=sys.stderr)
        sys.exit(1)
    try:
        paths = write_collected(c, args.out)
    except CollectError as err:
        print(f"laborshift-collect: error: {err}", file=sys.stderr)
        sys.exit(2)
    print(c.report())
    print(f"dataset: {paths[0].parent}")
    if args.strict and (c.missing or c.incomplete):
        sys.exit(1)


__all__ = [
    "COLLECTED_DIR", "RUN_ID_COLUMN", "SUMMARY_FILE", "TABLES", "CollectError", "Collected", "clear_partial", "collect", "collect_main",
    "completed_summary", "config_hash", "expected_runs", "job_dirname", "register_resolvers", "run_dir_name", "sweep_id", "write_collected",
]
