"""The China profile's validation page (simulation/validation/china_*.py) at small size.

Every verdict is recomputed here from the page's own numbers (the median over seeds of each judged moment against the
stated tolerance, the fact's verdict the worst of its criteria), and moving the numbers moves the verdict: none is
hard-coded. The moments are checked on a synthetic run whose answers are known, the page and its figures (the README's
too) are written, the calibration record's section is rendered from a fixture record, the index links to every page's
sections, and the README's China block is the page's headline table.

Measured at 1,500 workers x 2 seeds (1, 2), no_ai, 36 months, on the China profile of 2026-12-02 (each verdict is the
median's): urban rate 4.74% and 4.48% (pass: median 4.61, band 4.5-6.0), July-August bump 0.79 and 0.43 points (pass),
16-24 18.8% and 12.7% (pass) with August 11.3 and 6.2 points above June (pass: median 8.8), 25-29 6.7% and 5.0% (pass),
30-59 3.4% and 3.6% (pass), AI-core / traditional seekers per opening 0.27 and 0.56 (pass), AI pay ratio 1.33 and 1.33
(pass), graduates per employed 0.024 (partial). (On main at 10f1e9d, before the China calibration, the urban rate was
4.44% and 4.47%, partial.) At 6 seeds x 10,000 (docs/VALIDATION_china.md) the urban rate is 5.18%
(4.95-5.37) and passes. The verdict tests do not depend on these values: they recompute every verdict from the numbers.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from simulation.validation import china_page, story
from simulation.validation.china_facts import CRITERIA, Criterion, china_moments, run_china, worst
from simulation.validation.page import main, verdict_rows, write_index
from simulation.validation.profile_data import monthly, record_section, role_label, targets

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def runs():
    return run_china(1_500, (1, 2), 36, 1, (), ("no_ai", "baseline"), log=lambda s: None)


@pytest.fixture(scope="module")
def built(runs):
    return china_page.build_china_facts(runs, monthly(), targets("china"))


def _verdict_from_numbers(x: float, c: dict) -> str:
    """The tolerance read off the check's own band, independently of Criterion.verdict."""
    if c["lo"] <= x <= c["hi"]:
        return "pass"
    if c["lo_partial"] <= x <= c["hi_partial"]:
        return "partial"
    return "miss"


def test_every_verdict_follows_from_its_numbers(built):
    for fact, _fig in built:
        values = fact.numbers["values"][fact.numbers["scenario"]]
        assert fact.numbers["checks"], f"{fact.title}: no criterion judged"
        for c in fact.numbers["checks"]:
            med = float(np.median(values[c["moment"]]))
            assert math.isclose(c["median"], med), f"{fact.title}: {c['label']} median {c['median']} is not the seeds' median {med}"
            assert c["verdict"] == _verdict_from_numbers(med, c), f"{fact.title}: {c['label']} = {med:.3g} judged {c['verdict']}"
            assert f"{c['label']} {med:.3g} ({c['verdict']})" in fact.why, f"{fact.title}: the page does not state {c['label']}'s number"
        order = ["miss", "partial", "pass"]
        expected = min((c["verdict"] for c in fact.numbers["checks"]), key=order.index)
        assert fact.verdict == expected, f"{fact.title}: verdict {fact.verdict}, its criteria give {expected}"
        assert "Tolerance:" in fact.why


def _shifted(runs, column: str, rate: float) -> dict:
    """The runs with ``column`` replaced by a constant rate (a share), to move one moment."""
    return {s: [{**r, column: np.full_like(r[column], rate)} for r in rs] for s, rs in runs.items()}


def test_moving_the_numbers_moves_the_verdict(runs):
    """The 30-59 rate set to 4% passes its criterion, 2% misses it, 2.7% is partial: the verdict is computed, not written."""
    for rate, expected in ((0.04, "pass"), (0.027, "partial"), (0.02, "miss")):
        facts = dict((f.key, f) for f, _ in china_page.build_china_facts(_shifted(runs, "unemployment_rate_30_59", rate), monthly(), targets("china")))
        check = next(c for c in facts["age"].numbers["checks"] if c["moment"] == "age_30_59")
        assert check["verdict"] == expected, f"30-59 at {100 * rate}%: {check}"
    flat = dict((f.key, f) for f, _ in china_page.build_china_facts(_shifted(runs, "unemployment_rate", 0.052), monthly(), targets("china")))
    assert flat["urban"].verdict == "pass", f"a flat 5.2% urban rate is in the band with no bump: {flat['urban'].why}"


def test_criterion_bands():
    c = Criterion("x", 4.5, 6.0, 4.0, 6.5)
    assert [c.verdict(x) for x in (4.5, 6.0, 4.2, 6.4, 3.9, 7.0, float("nan"))] == ["pass", "pass", "partial", "partial", "miss", "miss", "miss"]
    assert worst(["pass", "partial"]) == "partial" and worst(["pass", "miss", "partial"]) == "miss" and worst(["pass"]) == "pass"
    peak = CRITERIA["age_16_24_august_over_june"]
    assert [peak.verdict(x) for x in (3.0, 2.0, 12.0, 25.0)] == ["pass", "partial", "partial", "miss"]
    assert CRITERIA["seekers_per_opening_ratio_ai_core_traditional"].verdict(0.5) == "pass"
    assert CRITERIA["seekers_per_opening_ratio_ai_core_traditional"].verdict(0.9) == "partial"


def _synthetic_run() -> dict:
    months = np.arange(37)
    cal = (months - 1) % 12 + 1
    young = np.where(cal == 8, 0.20, np.where(cal == 6, 0.13, np.where(cal == 12, 0.15, 0.16)))
    return {
        "month": months, "unemployment_rate": np.where(np.isin(cal, (7, 8)), 0.055, 0.05), "unemployment_rate_16_24": young,
        "unemployment_rate_25_29": np.full(37, 0.07), "unemployment_rate_30_59": np.full(37, 0.04),
        "mean_wage_ai_core": np.full(37, 30_000.0), "mean_wage_traditional": np.full(37, 20_000.0),
        "graduates": np.where(cal == 7, 240.0, 0.0), "employed": np.full(37, 10_000.0),
        "unemployed_ai_core": np.full(37, 10.0), "vacancies_ai_core": np.full(37, 20.0),
        "unemployed_ai_adjacent": np.full(37, 10.0), "vacancies_ai_adjacent": np.full(37, 10.0),
        "unemployed_traditional": np.full(37, 40.0), "vacancies_traditional": np.full(37, 20.0), "ui_duration_months": 12.0,
    }


def test_moments_of_a_synthetic_run():
    m = china_moments(_synthetic_run())
    assert math.isclose(m["urban_rate"], 100 * (0.05 * 30 + 0.055 * 6) / 36)
    assert math.isclose(m["urban_graduation_bump"], 0.5)
    assert math.isclose(m["age_16_24_june"], 13.0) and math.isclose(m["age_16_24_august_over_june"], 7.0)
    assert math.isclose(m["age_16_24_december_over_june"], 2.0)
    assert math.isclose(m["age_25_29"], 7.0) and math.isclose(m["age_30_59"], 4.0)
    assert math.isclose(m["seekers_per_opening_ratio_ai_core_traditional"], 0.25), "AI-core 0.5 per opening against traditional 2"
    assert math.isclose(m["ai_pay_ratio"], 1.5) and math.isclose(m["graduates_per_employed"], 0.024)
    assert set(m) >= {k for k, t in targets("china").items() if t["role"] != "input"}, "every target and check is measured"


def _record(tmp_path: Path) -> Path:
    rec = {"profile": "china", "scenario": "no_ai", "settings": {"workers": 5000, "months": 36, "seeds": [1, 2]},
           "parameters": [{"name": "market.quit_rate", "estimate": 0.0061, "se": 0.0004}],
           "covariance": [[1.6e-7]],
           "moments": [{"name": "urban_rate", "target": 5.16, "target_se": 0.05, "model": 5.3, "model_se": 0.1, "role": "target"},
                       {"name": "graduates_per_employed", "target": 0.016, "target_se": 0.001, "model": 0.024, "model_se": 0.001, "role": "check"}],
           "distance": 1.25}
    path = tmp_path / "china_calibration.json"
    path.write_text(json.dumps(rec))
    return path


def test_calibration_record_section(tmp_path):
    none = "\n".join(record_section("china", tmp_path / "missing.json"))
    assert "not yet calibrated" in none
    text = "\n".join(record_section("china", _record(tmp_path)))
    assert "`market.quit_rate` | 0.0061 ± 0.0004" in text and "distance 1.25" in text
    assert "| urban_rate | used in calibration |" in text and "| graduates_per_employed | out-of-sample check |" in text
    rec = json.loads(_record(tmp_path).read_text())
    assert role_label("urban_rate", "target", rec) == "used in calibration"
    assert role_label("age_16_24_june", "check", rec) == "out-of-sample check"
    assert "not yet calibrated" in role_label("urban_rate", "target", None)


def test_china_page_figures_and_index(tmp_path):
    page, facts = china_page.write_china(tmp_path, workers=1_000, seeds=1, jobs=1, log=lambda s: None, record=_record(tmp_path),
                                         story_months=48)
    text = page.read_text()
    assert len(re.findall(r"\*\*Verdict: (pass|partial|miss)\.\*\*", text)) == len(facts) == 5 + len(story.POINTS)
    assert "## The story" in text and all(f"### {f.title}" in text for f in facts[5:]), "the story's points on the China page"
    for rel in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (tmp_path / rel).read_bytes()[:8] == PNG_MAGIC, f"figure {rel} not written"
    assert (tmp_path / china_page.README_FIGURE).read_bytes()[:8] == PNG_MAGIC, "the README's age figure is not written"
    assert "| urban_rate | used in calibration |" in text and "| age_16_24_june | out-of-sample check |" in text
    assert "`market.quit_rate` | 0.0061 ± 0.0004" in text
    index = write_index(tmp_path).read_text()
    anchors = {f"#{china_page._anchor(t)}" for t in re.findall(r"^## (.+)$", text, flags=re.M)}
    links = re.findall(r"\(VALIDATION_china\.md(#[^)]+)\)", index)
    assert len(links) == 5 and set(links) <= anchors, f"index links {links} not among the page's sections"
    assert "Not generated yet: run `laborshift-validate profile=us`" in index


def test_readme_china_block_is_the_pages_headline():
    readme = (ROOT / "README.md").read_text()
    page = (ROOT / "docs" / china_page.PAGE).read_text()
    block = readme.split(china_page.README_START, 1)[1].split(china_page.README_END, 1)[0]
    expected = china_page.readme_block(page).split(china_page.README_START, 1)[1].split(china_page.README_END, 1)[0]
    assert block == expected, "README's China block differs from docs/VALIDATION_china.md: run laborshift-validate"
    assert (ROOT / "docs" / china_page.README_FIGURE).exists()


def test_index_rows_of_the_shipped_pages():
    index = (ROOT / "docs" / "VALIDATION.md").read_text()
    for name in ("VALIDATION_china.md", "VALIDATION_us.md"):
        rows = verdict_rows((ROOT / "docs" / name).read_text(), name)
        assert rows and all(r in index for r in rows), f"docs/VALIDATION.md does not carry {name}'s verdicts: rerun laborshift-validate"


def test_unknown_profile_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["profile=mars", "--out", "/tmp"])
    assert exc.value.code == 2 and "profile: got 'mars'" in capsys.readouterr().err
