"""The documentation pages say what the code does."""

import re
import subprocess
import sys
from pathlib import Path

from simulation.results import OCCUPATION_COLUMNS, SECTOR_COLUMNS, STAGE_COLUMNS, TIMESERIES_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_generated_pages_are_current():
    """docs/PARAMETERS.md and the column tables of docs/OUTPUTS.md are what scripts/gen_docs.py generates from the code."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_generated_pages_check_fails_when_stale(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    stale = (ROOT / "docs" / "OUTPUTS.md").read_text().replace("| `quits` |", "| `quits_renamed` |")
    assert gen.render_outputs(stale) != stale, "a renamed column in OUTPUTS.md went unnoticed by the generator's check"


def _documented(section: str) -> set[str]:
    text = (ROOT / "docs" / "OUTPUTS.md").read_text()
    body = text.split(f"## `{section}`", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z0-9_]+)`", body))


def test_every_output_column_is_documented():
    for section, columns in (("timeseries", TIMESERIES_COLUMNS), ("by_occupation", ("month", "occupation", "lane", *OCCUPATION_COLUMNS)),
                             ("by_stage", ("month", "stage", *STAGE_COLUMNS)), ("by_sector", ("month", "sector", *SECTOR_COLUMNS))):
        missing = set(columns) - _documented(section)
        assert not missing, f"columns of {section} missing from docs/OUTPUTS.md: {sorted(missing)}"
