"""Saving is atomic: a save that fails part-way leaves no file that looks complete and no temporary file.

``simulation.runner.save`` writes each file under a temporary name and renames
it into place, and writes ``summary.json`` (the mark of a complete run) last.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import simulation.plotting
from simulation.files import OutputWriteError
from simulation.runner import OUTPUT_FILES, save

WORKERS, MONTHS, SEED = 1_000, 6, 1


@pytest.fixture(scope="module")
def res(run_scenario_fn):
    return run_scenario_fn("baseline", SEED, WORKERS, MONTHS)


def _partials(d: Path) -> list[str]:
    return sorted(name for name in os.listdir(d) if name.endswith(".partial"))


def test_complete_save_writes_everything_summary_last(res, tmp_path):
    written = save(res, tmp_path, figures=True)
    names = sorted(os.listdir(tmp_path))
    missing = [f for f in (*OUTPUT_FILES, "trajectory.png", "market.png", "wages.png", "occupations.png") if f not in names]
    assert not missing, f"a complete save should write every output; missing {missing}, found {names}"
    assert not _partials(tmp_path), f"temporary files left after a complete save: {_partials(tmp_path)}"
    assert Path(written[-1]).name == "summary.json", f"summary.json must be written last; order was {[Path(p).name for p in written]}"
    stamp = {n: (tmp_path / n).stat().st_mtime_ns for n in names}
    later = [n for n, t in stamp.items() if t > stamp["summary.json"]]
    assert not later, f"files finished after summary.json: {later}"


def test_failure_while_writing_a_figure(res, tmp_path, monkeypatch):
    def failing_figures(results, out, atomic_write):
        def half_written(tmp):
            Path(tmp).write_bytes(b"\x89PNG half a figure")
            raise RuntimeError("disk full while writing a figure")

        atomic_write(Path(out) / "trajectory.png", half_written)
        return []

    monkeypatch.setattr(simulation.plotting, "save_run_figures", failing_figures)
    with pytest.raises(RuntimeError, match="disk full"):
        save(res, tmp_path, figures=True)
    names = sorted(os.listdir(tmp_path))
    assert "summary.json" not in names, f"a failed save must not write summary.json (the mark of a complete run); found {names}"
    assert "trajectory.png" not in names, f"a half-written figure must not appear under its final name; found {names}"
    assert not _partials(tmp_path), f"a failed save left temporary files: {_partials(tmp_path)}"


def test_failure_while_writing_a_table(res, tmp_path, monkeypatch):
    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def flaky_to_parquet(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second table fails half-way
            Path(path).write_bytes(b"PAR1 truncated")
            raise OSError("connection to the file server lost")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky_to_parquet)
    with pytest.raises(OutputWriteError, match="file server"):  # one line for the user, not the OSError's traceback
        save(res, tmp_path, figures=False)
    names = sorted(os.listdir(tmp_path))
    assert "timeseries.parquet" not in names, f"the tables written before the failure are removed again; found {names}"
    assert "summary.json" not in names, f"a failed save must not write summary.json; found {names}"
    assert "by_occupation.parquet" not in names, f"the half-written table must not appear under its final name; found {names}"
    assert not _partials(tmp_path), f"a failed save left temporary files: {_partials(tmp_path)}"
    assert calls["n"] == 2, f"the save should stop at the first failure; to_parquet called {calls['n']} times"


def test_interrupt_while_writing_leaves_no_partial(res, tmp_path, monkeypatch):
    def interrupted(results, out, atomic_write):
        def stop(tmp):
            Path(tmp).write_bytes(b"partial")
            raise KeyboardInterrupt

        atomic_write(Path(out) / "market.png", stop)
        return []

    monkeypatch.setattr(simulation.plotting, "save_run_figures", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save(res, tmp_path, figures=True)
    names = sorted(os.listdir(tmp_path))
    assert "summary.json" not in names and "market.png" not in names, f"an interrupted save must not look complete; found {names}"
    assert not _partials(tmp_path), f"an interrupted save left temporary files: {_partials(tmp_path)}"
