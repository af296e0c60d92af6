"""The two-region validation page (MacroPolo targets; issue 18).

* ``regions_targets.csv`` is reproduced byte for byte from ``../shared/data`` by ``scripts/build_regions.py``
  (skipped where the raw data are absent, unless CI sets ``LABORSHIFT_REQUIRE_DATA``).
* ``laborshift-validate regions=china_us`` at a tiny size writes the page and links it from the index. Measured
  (2,000 workers a region, 2 seeds, 24 months, master seed 2024; on the China profile of 2026-12-02): China's share of
  the pair's AI-core employment 53.6% (target 40%), China-born share 62.8% (72%), China-born working in China 85.1%
  (51%, top-tier researchers' graduate-school choice).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
SCRIPT = REPO / "scripts" / "build_regions.py"
SHIPPED = REPO / "simulation" / "data" / "profiles" / "regions_targets.csv"


def test_regions_targets_reproduced_from_shared_data(tmp_path):
    source = os.environ.get("LABORSHIFT_DATA_DIR") or (str(SHARED_DATA) if (SHARED_DATA / "china").is_dir() else "")
    if not source:
        message = f"no raw data: neither LABORSHIFT_DATA_DIR nor {SHARED_DATA} holds china/"
        if os.environ.get("LABORSHIFT_REQUIRE_DATA"):
            pytest.fail(message + " (CI sets LABORSHIFT_REQUIRE_DATA: the check must run there)")
        pytest.skip(message)
    out = subprocess.run([sys.executable, str(SCRIPT), "--source", source, "--out", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "regions_targets.csv").read_bytes() == SHIPPED.read_bytes()


def test_build_regions_bad_source_exits_2(tmp_path):
    out = subprocess.run([sys.executable, str(SCRIPT), "--source", str(tmp_path), "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert out.returncode == 2 and "not found" in out.stderr and "Traceback" not in out.stderr


def test_targets_are_macropolo_and_usable():
    from simulation.validation.regions_page import load_targets

    tg = load_targets()
    assert tg["top_ai_talent_working_in_china"]["value"] == "28" and tg["china_undergrad_share_of_top_tier_ai_researchers"]["value"] == "47"
    assert all(r["use"] == "target" and r["source"].startswith("MacroPolo") for r in tg.values())


def test_regions_page_written_and_indexed(tmp_path):
    from simulation.validation.page import main

    main(["regions=china_us", "--workers", "1000", "--seeds", "1", "--months", "12", "--out", str(tmp_path)])
    page = (tmp_path / "VALIDATION_regions.md").read_text()
    assert "MacroPolo" in page and "| fact | verdict |" in page and page.count("**Verdict:") == 4
    assert "VALIDATION_regions.md#" in (tmp_path / "VALIDATION.md").read_text()


def test_unknown_regions_is_a_usage_error(capsys):
    from simulation.validation.page import main

    with pytest.raises(SystemExit) as exc:
        main(["regions=mars", "--out", "/tmp"])
    assert exc.value.code == 2 and "china_us" in capsys.readouterr().err
