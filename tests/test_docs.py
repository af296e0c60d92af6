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


def _anchor(heading: str) -> str:
    """GitHub's anchor of a markdown heading (lower case, punctuation dropped, spaces to hyphens)."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def test_links_of_the_readme_and_the_validation_pages_resolve():
    """Every relative link (and image) of README.md and docs/VALIDATION*.md names an existing file, and its #anchor a heading there."""
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("VALIDATION*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and file.suffix == ".md" and anchor not in {_anchor(h) for h in re.findall(r"^#+ (.+)$", file.read_text(), flags=re.M)}:
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, "broken links:\n  " + "\n  ".join(broken)


def test_readme_bad_input_example_is_what_the_command_prints(laborshift_cmd, tmp_path):
    """The README's bad-input session: each ``$ laborshift ...`` line, run, prints the lines under it and exits with 2."""
    text = (ROOT / "README.md").read_text()
    block = text.split("Bad input stops before anything runs", 1)[1].split("```", 2)[1]
    sessions = re.findall(r"^\$ laborshift (.*)\n((?:(?!\$ ).*\n)*)", block, flags=re.M)
    assert len(sessions) >= 2, f"the README's bad-input example was not found: {block[:200]!r}"
    for args, shown in sessions:
        proc = subprocess.run([*laborshift_cmd, *args.split()], capture_output=True,
                              text=True, cwd=tmp_path, timeout=120)
        assert proc.returncode == 2, f"laborshift {args}: exit {proc.returncode}"
        assert proc.stderr.strip() == shown.strip(), f"laborshift {args} prints\n{proc.stderr}\nthe README shows\n{shown}"
