"""Checks on the shipped occupation table and on the script that derives it.

The table is read straight from ``simulation/data/occupations.csv`` (next to
this file's parent), without importing the ``simulation`` package. The
reproduction test needs the raw public data: point ``LABORSHIFT_DATA_DIR`` at
the folder holding ``occ_level.csv``, ``occupations_onet_basic_skills.csv``
and ``national_May2021_dl.csv`` (or its parent with a ``gpts-are-gpts/``
subfolder).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "simulation" / "data" / "occupations.csv"
# the public raw data, kept beside a clone (never in it); LABORSHIFT_DATA_DIR points elsewhere
SHARED_DATA = REPO.parent / "shared" / "data"
PROVENANCE = REPO / "simulation" / "data" / "occupations_provenance.md"
SCRIPT = REPO / "scripts" / "build_occupations.py"

ROLES = [
    ("ml_engineer", "ai_core"),
    ("data_engineer", "ai_core"),
    ("ai_infra_engineer", "ai_core"),
    ("applied_researcher", "ai_core"),
    ("ai_product_manager", "ai_core"),
    ("compliance_safety", "ai_adjacent"),
    ("enterprise_ai_sales", "ai_adjacent"),
    ("localization", "ai_adjacent"),
    ("backend_engineer", "traditional"),
    ("frontend_developer", "traditional"),
    ("qa_engineer", "traditional"),
    ("it_operations", "traditional"),
    ("customer_support", "traditional"),
    ("ux_designer", "traditional"),
    ("product_manager", "traditional"),
]
SKILLS = [
    "active_learning", "critical_thinking", "learning_strategies", "monitoring",
    "active_listening", "mathematics", "programming", "reading_comprehension",
    "science", "speaking", "writing",
]
COLUMNS = [
    "occupation", "title", "lane", "onet_codes", "automation_exposure",
    "augmentation_exposure", "base_wage", "initial_share",
] + [f"skill_{s}" for s in SKILLS]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(TABLE)


def test_columns(table):
    assert list(table.columns) == COLUMNS


def test_rows_and_lanes_in_order(table):
    assert list(zip(table["occupation"], table["lane"], strict=True)) == ROLES
    assert set(table["lane"]) == {"ai_core", "ai_adjacent", "traditional"}
    assert table["title"].notna().all() and (table["title"].str.len() > 0).all()


def test_onet_codes_well_formed(table):
    for codes in table["onet_codes"]:
        parts = codes.split(";")
        assert parts and all(re.fullmatch(r"\d\d-\d{4}\.\d\d", p) for p in parts), codes
        assert len(parts) == len(set(parts)), codes


def test_shares(table):
    share = table["initial_share"].to_numpy(np.float64)
    assert (share > 0).all()
    assert abs(share.sum() - 1.0) < 1e-9
    by_lane = table.groupby("lane")["initial_share"].sum()
    # plausibility targets for a ~2021 tech workforce (see provenance)
    assert 0.08 <= by_lane["ai_core"] <= 0.15
    assert 0.05 <= by_lane["ai_adjacent"] <= 0.10


def test_exposures_in_unit_interval(table):
    for col in ("automation_exposure", "augmentation_exposure"):
        values = table[col].to_numpy(np.float64)
        assert np.isfinite(values).all()
        assert ((values >= 0) & (values <= 1)).all(), col
    # E1 + E2 (= gamma) cannot exceed 1 for any rater, so neither can the mean
    assert (table["automation_exposure"] + table["augmentation_exposure"] <= 1 + 1e-9).all()


def test_skills_in_unit_interval(table):
    skills = table[[f"skill_{s}" for s in SKILLS]].to_numpy(np.float64)
    assert np.isfinite(skills).all()
    assert ((skills >= 0) & (skills <= 1)).all()
    # profiles must differ, or skill distances would be degenerate
    assert len({tuple(row) for row in skills}) == len(table)


def test_wages(table):
    wage = table["base_wage"].to_numpy(np.float64)
    assert np.isfinite(wage).all() and (wage > 0).all()
    # monthly USD: between $1,000 and $50,000 a month
    assert ((wage > 1_000) & (wage < 50_000)).all()
    lane_mean = table.groupby("lane")["base_wage"].mean()
    assert lane_mean["ai_core"] > lane_mean["traditional"]


def test_provenance_exists_without_machine_paths():
    text = PROVENANCE.read_text(encoding="utf-8")
    assert "scripts/build_occupations.py --source <data dir>" in text
    assert "/work/" not in text and "/home/" not in text


def _run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True, text=True, timeout=300,
    )


def test_script_reports_missing_inputs_cleanly(tmp_path):
    result = _run_script("--source", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "missing input file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "occupations.csv").exists()


def test_script_reports_missing_columns_cleanly(tmp_path):
    (tmp_path / "occ_level.csv").write_text("O*NET-SOC Code,Title\n15-1252.00,Software Developers\n")
    (tmp_path / "occupations_onet_basic_skills.csv").write_text("Occupation\nSoftware Developers\n")
    (tmp_path / "national_May2021_dl.csv").write_text("OCC_CODE,TOT_EMP,A_MEAN\n15-1252,1,1\n")
    result = _run_script("--source", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "missing expected column" in result.stderr
    assert "Traceback" not in result.stderr


def test_script_reproduces_shipped_table(tmp_path):
    source = os.environ.get("LABORSHIFT_DATA_DIR") or (str(SHARED_DATA) if SHARED_DATA.is_dir() else "")
    if not source:
        message = (f"no raw data: neither LABORSHIFT_DATA_DIR nor {SHARED_DATA} holds occ_level.csv, "
                   "occupations_onet_basic_skills.csv and national_May2021_dl.csv")
        if os.environ.get("LABORSHIFT_REQUIRE_DATA"):
            pytest.fail(message + " (CI sets LABORSHIFT_REQUIRE_DATA: the check must run there)")
        pytest.skip(message)
    result = _run_script("--source", source, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "occupations.csv").read_bytes() == TABLE.read_bytes()
