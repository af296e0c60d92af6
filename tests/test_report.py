"""The comparison report: files, numbers that match the tables, determinism, any subset, the command line."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from simulation.compare import INDICATORS, compare
from simulation.report import format_interval, write_report

SMALL = {"workers": 1500, "months": 30, "jobs": 2, "progress": False}
SCENARIOS = ["no_ai", "baseline", "hype_cycle"]
FIGURES = ["unemployment.png", "trajectory.png", "unemployment_by_lane.png", "wage_premium.png", "beveridge.png",
           "reemployment_by_stage.png"]


@pytest.fixture(scope="module")
def comp():
    return compare(SCENARIOS, replications=3, seed=5, **SMALL)


@pytest.fixture(scope="module")
def report_dir(comp, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_report(comp, out)
    return out


def _row(text: str, section: str, first_cell: str) -> list[str]:
    body = text.split(section, 1)[1]
    for line in body.splitlines():
        if line.startswith(f"| {first_cell} |"):
            return [c.strip() for c in line.strip().strip("|").split("|")]
    raise AssertionError(f"no row {first_cell!r} after {section!r}")


def test_report_writes_every_file(report_dir, comp):
    names = {p.name for p in report_dir.iterdir()}
    for stem in comp.tables():
        assert {f"{stem}.csv", f"{stem}.parquet"} <= names, f"missing table {stem}"
    assert set(FIGURES) <= names, f"missing figures: {set(FIGURES) - names}"
    assert "paired_differences.png" in names, "with baseline present the paired figure is drawn"
    assert "report.md" in names
    assert not [n for n in names if n.endswith(".partial")], "temporary files left behind"
    for png in FIGURES:
        assert (report_dir / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"


def test_tables_on_disk_equal_the_comparison(report_dir, comp):
    for stem, df in comp.tables().items():
        pd.testing.assert_frame_equal(pd.read_parquet(report_dir / f"{stem}.parquet"), df.reset_index(drop=True), obj=stem)
        csv = pd.read_csv(report_dir / f"{stem}.csv")
        assert list(csv.columns) == list(df.columns) and len(csv) == len(df), f"{stem}.csv differs in shape from the table"


def test_report_numbers_equal_the_summary_table(report_dir, comp):
    text = (report_dir / "report.md").read_text()
    header = _row(text, "## Levels by scenario", "scenario")
    for scenario in SCENARIOS:
        row = dict(zip(header, _row(text, "## Levels by scenario", f"`{scenario}`"), strict=True))
        for key, label in INDICATORS.items():
            s = comp.summary[(comp.summary["scenario"] == scenario) & (comp.summary["indicator"] == key)].iloc[0]
            want = format_interval(key, s["median"], s["lo"], s["hi"])
            assert row[label].startswith(want), f"{scenario} / {label}: report says {row[label]!r}, summary table gives {want!r}"


def test_no_ranking_and_no_false_no_ai_claim(report_dir):
    text = (report_dir / "report.md").read_text()
    assert "mean rank" not in text and "## Ranking" not in text, "the mean-rank ranking is gone: the decision table replaces it"
    assert "displaces nobody by construction" not in text
    assert "counts as 0" not in text, "an empty cohort is left out, not counted as 0 (docs/OUTPUTS.md)"


def test_every_figure_is_in_the_report_with_a_caption(report_dir):
    text = (report_dir / "report.md").read_text()
    for png in FIGURES + ["paired_differences.png"]:
        m = re.search(rf"!\[[^\]]+\]\({re.escape(png)}\)\n\n\*Figure \d+\. [^*]+\*", text)
        assert m, f"{png} is not shown in report.md with a caption"


def test_same_master_seed_gives_identical_reports(comp, report_dir, tmp_path):
    again = compare(SCENARIOS, replications=3, seed=5, **SMALL)
    write_report(again, tmp_path)
    assert (tmp_path / "report.md").read_text() == (report_dir / "report.md").read_text()
    for stem in comp.tables():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{stem}.parquet"), pd.read_parquet(report_dir / f"{stem}.parquet"))


@pytest.mark.parametrize("scenarios", [["retraining_push"], ["baseline", "safety_net"]])
def test_report_for_any_subset(scenarios, tmp_path):
    c = compare(scenarios, replications=2, seed=1, **SMALL)
    write_report(c, tmp_path)
    text = (tmp_path / "report.md").read_text()
    for s in scenarios:
        assert f"`{s}`" in text
    assert set(FIGURES) <= {p.name for p in tmp_path.iterdir()}


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-c", "from simulation.cli import compare_main; compare_main()", *args],
                          cwd=cwd, capture_output=True, text=True)


def test_cli_writes_the_report(tmp_path):
    out = tmp_path / "cmp"
    proc = _cli("scenarios=[no_ai,baseline]", "replications=2", "workers=1000", "months=12", "progress=false",
                f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "report.md").exists() and (out / "summary.parquet").exists()
    assert "wall time" in proc.stdout, f"the command prints its wall time: {proc.stdout!r}"


@pytest.mark.parametrize(
    ("arg", "needle"),
    [("scenarios=[nope]", "scenarios: got 'nope'"), ("replications=0", "replications: got 0"), ("scenarios=[]", "empty list")],
)
def test_cli_bad_input_exits_2_and_writes_nothing(arg, needle, tmp_path):
    out = tmp_path / "cmp"
    proc = _cli(arg, "workers=1000", "months=12", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert needle in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not out.exists(), "a rejected request must not leave a report folder"


def test_report_describes_every_scenario(report_dir):
    from simulation.runner import compose

    text = (report_dir / "report.md").read_text()
    assert "(no description)" not in text
    for s in SCENARIOS:
        assert compose(s).description in text, f"{s}'s description is missing from report.md"


def test_lane_panels_share_one_y_axis(comp):
    from simulation.report import unemployment_by_lane_figure

    axes = unemployment_by_lane_figure(comp).axes
    assert len({ax.get_ylim() for ax in axes}) == 1, f"lane panels have different y axes: {[ax.get_ylim() for ax in axes]}"


def test_beveridge_has_bands_and_keeps_x_labels_above_an_empty_slot(comp):
    """Five scenarios on a 4-column grid: the panels above the three empty slots keep their x-axis labels."""
    from copy import copy

    from matplotlib.collections import LineCollection

    from simulation.report import beveridge_figure

    five = copy(comp)
    base = comp.bands[comp.bands["scenario"] == "baseline"]
    five.bands = pd.concat([comp.bands, base.assign(scenario="x1"), base.assign(scenario="x2")], ignore_index=True)
    five.scenarios = [*comp.scenarios, "x1", "x2"]
    axes = [ax for ax in beveridge_figure(five).axes if ax.get_visible()]
    assert len(axes) == 5
    for k in (1, 2, 3, 4):
        assert axes[k].get_xlabel() == "unemployment rate (%)", f"panel {k} lost its x label"
        assert any(lab.get_visible() and lab.get_text() for lab in axes[k].get_xticklabels()), f"panel {k} lost its tick labels"
    for ax in axes:
        assert any(isinstance(c, LineCollection) for c in ax.collections), "a Beveridge panel has no band crosses"


def test_paired_figure_shows_differences_not_the_trajectory(comp):
    from simulation.report import paired_figure

    titles = [ax.get_title() for ax in paired_figure(comp).axes]
    assert titles == ["unemployment rate (pp)", "jobless rate, unemployed or in training (pp)", "displaced re-employed within 12 months (pp)",
                      "employed (workers)"], titles
