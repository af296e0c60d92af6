"""Every claim report.md makes is checked against the comparison's tables.

A small comparison (``no_ai``, ``baseline``, ``retraining_push``; 3 replications of 2,000 workers x 36 months) is
written as a report, then each generated statement is read back from the page and recomputed from the tables:
the decision table's cells and verdicts, the sentences under it, the recovery table, the "for whom" tables, the
sentence on what ``no_ai`` displaced, the levels table, and the numbers in the figure captions. The decision logic is
also tested on a hand-built comparison whose answer is known.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from simulation.compare import BETTER, INDICATORS, MIN_GROUP, Comparison, checkpoint_months, compare, decision_table, min_runs
from simulation.report import (
    DIMENSION_TITLES,
    LANE_TITLES,
    decision_markdown,
    format_interval,
    format_value,
    heading_anchor,
    report_markdown,
    write_report,
)

SCENARIOS = ["no_ai", "baseline", "retraining_push"]


@pytest.fixture(scope="module")
def comp():
    return compare(SCENARIOS, replications=3, seed=2, workers=2000, months=36, jobs=2, progress=False)


@pytest.fixture(scope="module")
def text(comp, tmp_path_factory):
    out = tmp_path_factory.mktemp("claims")
    write_report(comp, out)
    return (out / "report.md").read_text()


def _section(text: str, title: str) -> str:
    body = text.split(title, 1)[1]
    nxt = re.search(r"\n#{2,3} ", body)
    return body[: nxt.start()] if nxt else body


def _table(block: str) -> list[list[str]]:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in block.splitlines() if line.startswith("|")]
    return [r for r in rows if not set("".join(r)) <= set("-")]


def _expected_verdict(m, lo, hi, runs, r, better) -> str:
    """The verdict recomputed here from its definition (not with compare.verdict)."""
    if runs < max(2, (r + 1) // 2) or np.isnan(m):
        return "undefined"
    if lo <= 0 <= hi:
        return "not distinguishable"
    up = lo > 0
    if better is None:
        return "higher" if up else "lower"
    return "better" if up == (better == "higher") else "worse"


def _paired_text(k, m, lo, hi, runs, r) -> str:
    if runs < min_runs(r) or pd.isna(m):
        return f"n/a ({runs}/{r} runs)"
    t = format_interval(k, m, lo, hi, difference=True)
    return f"**{t}**" if lo > 0 or hi < 0 else t


def test_decision_table_cells_and_verdicts_equal_the_summary(comp, text):
    s = comp.summary.set_index(["scenario", "indicator"])
    label_to_key = {v: k for k, v in INDICATORS.items()}
    for ref in ("baseline", "no_ai"):
        rows = _table(_section(text, f"### Against `{ref}`"))
        header, body = rows[0], rows[1:]
        others = [x for x in SCENARIOS if x != ref]
        assert header == ["indicator", "better", *[f"`{x}` - `{ref}`" for x in others]]
        shown = set()
        for row in body:
            k = label_to_key[row[0]]
            shown.add(k)
            assert row[1] == BETTER.get(k, "none")
            for x, cell in zip(others, row[2:], strict=True):
                r = s.loc[(x, k)]
                m, lo, hi, n = r[f"vs_{ref}_median"], r[f"vs_{ref}_lo"], r[f"vs_{ref}_hi"], int(r[f"vs_{ref}_runs"])
                v = _expected_verdict(m, lo, hi, n, comp.replications, BETTER.get(k))
                want = _paired_text(k, m, lo, hi, n, comp.replications) + ("" if v == "undefined" else f" {v}")
                assert cell == want, f"{x} - {ref} / {k}: report {cell!r}, tables give {want!r}"
        # an indicator is left out only when it is undefined for every scenario, and the page says so
        for k in set(INDICATORS) - shown:
            assert all(int(s.loc[(x, k)][f"vs_{ref}_runs"]) < min_runs(comp.replications) for x in others), k
            assert INDICATORS[k] in _section(text, f"### Against `{ref}`").split("Left out", 1)[1]


def test_decision_sentences_equal_the_table(comp, text):
    d = comp.decisions.set_index(["reference", "scenario", "indicator"])
    n_sentences = 0
    for ref in ("baseline", "no_ai"):
        for line in _section(text, f"### Against `{ref}`").splitlines():
            m = re.match(r"- `(\w+)` against `(\w+)`: (.*)\.$", line)
            if not m:
                continue
            n_sentences += 1
            s, r, body = m.groups()
            assert r == ref
            sub = comp.decisions[(comp.decisions["reference"] == ref) & (comp.decisions["scenario"] == s)]
            for part in body.split("; "):
                word = part.split(" ", 1)[0]
                if word in ("better", "worse", "higher", "lower"):
                    clause = part.split(" on ", 1)[1]
                    items = [(k, m.group(1)) for k, label in INDICATORS.items()
                             if (m := re.search(r"(?:^|, )" + re.escape(label) + r" \(([^()]+)\)(?:, |$)", clause))]
                    assert len(items) == int((sub["verdict"] == word).sum()) == clause.count(" (") - clause.count("(cumulative)"), \
                        f"{s}: {part!r}"
                    for k, value in items:
                        row = d.loc[(ref, s, k)]
                        assert row["verdict"] == word, f"{s} / {k}: sentence says {word}, table {row['verdict']}"
                        assert value == format_value(k, row["median"], difference=True)
                elif part.startswith("not distinguishable"):
                    n = int(re.search(r"on (\d+) indicator", part).group(1))
                    assert n == int((sub["verdict"] == "not distinguishable").sum()), part
                elif part.startswith("n/a on"):
                    n = int(re.search(r"n/a on (\d+)", part).group(1))
                    assert n == int((sub["verdict"] == "undefined").sum()), part
                else:
                    raise AssertionError(f"unexpected clause {part!r}")
    assert n_sentences == 2 * (len(SCENARIOS) - 1)


def test_no_ai_sentence_says_what_the_numbers_say(comp, text):
    x = comp.indicators.loc[comp.indicators["scenario"] == "no_ai", "ai_displaced_final"].astype(float)
    m = re.search(r"In these runs `no_ai` displaced a median of ([\d,]+) workers by AI by month (\d+)(; (\d+) of its (\d+) "
                  r"replications? displaced some \(at most ([\d,]+)\))?\.", text)
    assert m, "the sentence on no_ai is missing"
    assert int(m.group(1).replace(",", "")) == int(np.median(x)) and int(m.group(2)) == comp.months
    if (x > 0).any():
        assert m.group(3), "some no_ai runs displaced workers: the sentence must say so"
        assert int(m.group(4)) == int((x > 0).sum()) and int(m.group(5)) == len(x) and int(m.group(6).replace(",", "")) == int(x.max())
    else:
        assert not m.group(3)


def test_recovery_table_equals_the_summary(comp, text):
    s = comp.summary.set_index(["scenario", "indicator"])
    rows = _table(_section(text, "## Unemployment and recovery"))
    assert rows[0][1:] == [f"unemployment rate, month {min(60, comp.months)}", f"unemployment rate, month {comp.months}",
                           f"jobless rate (unemployed or in training), month {comp.months}",
                           f"gap to `no_ai`, month {min(60, comp.months)}", f"gap to `no_ai`, month {comp.months}",
                           INDICATORS["months_to_widest_gap"]]
    for row in rows[1:]:
        sc = row[0].strip("`")
        for k, cell in zip(("unemployment_rate_month_60", "unemployment_rate_final", "jobless_rate_final"), row[1:4], strict=True):
            r = s.loc[(sc, k)]
            assert cell == format_interval(k, r["median"], r["lo"], r["hi"])
        for k, cell in zip(("unemployment_rate_month_60", "unemployment_rate_final"), row[4:6], strict=True):
            r = s.loc[(sc, k)]
            want = "reference" if sc == "no_ai" else _paired_text(k, r["vs_no_ai_median"], r["vs_no_ai_lo"], r["vs_no_ai_hi"],
                                                                   int(r["vs_no_ai_runs"]), comp.replications)
            assert cell == want, f"{sc} / gap {k}: {cell!r} vs {want!r}"
    assert "0.1 points" in _section(text, "## Unemployment and recovery") and "12-month" in _section(text, "## Unemployment and recovery")


def test_for_whom_tables_equal_the_group_tables(comp, text):
    months = checkpoint_months(comp.months)
    lv = comp.group_bands.set_index(["scenario", "month", "dimension", "group", "metric"])
    pp = comp.group_paired[comp.group_paired["reference"] == "baseline"].set_index(["scenario", "month", "dimension", "group", "metric"])
    checked = 0
    for dim in ("stage", "age", "lane", "occupation"):
        block = _section(text, f"### By {DIMENSION_TITLES[dim]}")
        unemp, rest = block.split("Jobless rate (unemployed or in training)")
        tables = [unemp, *rest.split("Share of the AI-displaced")]
        for metric, part in zip(("unemployment_rate", "jobless_rate", "reemployed_12m_share"), tables, strict=True):
            rows = _table(part)
            if not rows:
                continue
            assert rows[0][:3] == [DIMENSION_TITLES[dim], "month", "`baseline`"]
            names = {LANE_TITLES.get(g, g) if dim == "lane" else g: g for g in comp.groups.loc[comp.groups["dimension"] == dim, "group"]}
            for row in rows[1:]:
                g, month = names[row[0]], int(row[1])
                assert month in months
                key = ("baseline", month, dim, g, metric)
                if key in lv.index and lv.loc[key]["runs"] >= min_runs(comp.replications):
                    r = lv.loc[key]
                    assert row[2] == format_interval(metric, r["median"], r["lo"], r["hi"]), (dim, g, metric)
                else:
                    assert row[2].startswith("n/a"), (dim, g, metric, row[2])
                for sc, cell in zip([x for x in SCENARIOS if x != "baseline"], row[3:], strict=True):
                    k = (sc, month, dim, g, metric)
                    want = (f"n/a (0/{comp.replications} runs)" if k not in pp.index else
                            _paired_text(metric, pp.loc[k]["median"], pp.loc[k]["lo"], pp.loc[k]["hi"], int(pp.loc[k]["runs"]), comp.replications))
                    assert cell == want, (dim, g, metric, sc, cell, want)
                    checked += 1
    assert checked > 20, f"only {checked} for-whom cells checked"


def test_captions_state_the_numbers_of_the_run(comp, text):
    caps = dict(re.findall(r"!\[[^\]]+\]\(([\w.]+)\)\n\n\*Figure \d+\. ([^*]+)\*", text))
    for name in ("unemployment.png", "trajectory.png", "unemployment_by_lane.png", "wage_premium.png"):
        assert f"over {comp.replications} replications of {comp.workers:,} workers" in caps[name], name
    assert f"in month {comp.months}" in caps["reemployment_by_stage.png"]
    assert f"fewer than {MIN_GROUP} workers is left out" in caps["reemployment_by_stage.png"]
    assert "counts as 0" not in caps["reemployment_by_stage.png"]
    # the stages without a bar are exactly those whose cohort is below MIN_GROUP in every replication
    st = comp.stages[comp.stages["month"] == comp.months]
    empty = [(s, g) for s in SCENARIOS for g in ("early", "mid", "late")
             if (st[(st["scenario"] == s) & (st["stage"] == g)]["displaced_cohort_12m"] < MIN_GROUP).all()]
    said = re.findall(r"(\w+) (early|mid|late) career", caps["reemployment_by_stage.png"].split("No bar (n/a):", 1)[-1]) \
        if "No bar" in caps["reemployment_by_stage.png"] else []
    assert said == empty, f"caption lists {said}, tables give {empty}"
    assert f"month {comp.months} (square)" in caps["beveridge.png"]
    assert "no_ai" in caps["unemployment.png"] and "baseline in the same replication" in caps["paired_differences.png"]


def test_levels_table_notes_runs_where_an_indicator_is_undefined(comp, text):
    rows = _table(_section(text, "## Levels by scenario"))
    header = rows[0]
    s = comp.summary.set_index(["scenario", "indicator"])
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        sc = row[0].strip("`")
        for k, label in INDICATORS.items():
            runs = int(s.loc[(sc, k)]["runs"])
            note = f"({runs}/{comp.replications} runs)"
            assert (note in cells[label]) == (runs < comp.replications), (sc, k, cells[label])


# --------------------------------------------------------------------------- a hand-built comparison
def _hand_built() -> Comparison:
    """baseline, `good` (peak unemployment 1 point lower in every run), `same` (differences straddle 0), `rare`
    (a re-employment share defined in 1 of 4 runs), R = 4."""
    scen = ["baseline", "good", "same", "rare"]
    rows = []
    for sc in scen:
        for k in INDICATORS:
            base = {"scenario": sc, "indicator": k, "median": 0.1, "lo": 0.09, "hi": 0.11, "p05": 0.09, "p95": 0.11, "runs": 4,
                    "vs_baseline_median": 0.0, "vs_baseline_lo": 0.0, "vs_baseline_hi": 0.0, "vs_baseline_runs": 4}
            if sc == "good" and k == "unemployment_rate_peak":
                base.update(vs_baseline_median=-0.01, vs_baseline_lo=-0.012, vs_baseline_hi=-0.008)
            if sc == "good" and k == "retraining_completed_total":
                base.update(vs_baseline_median=50.0, vs_baseline_lo=40.0, vs_baseline_hi=60.0)
            if sc == "same" and k == "unemployment_rate_peak":
                base.update(vs_baseline_median=0.001, vs_baseline_lo=-0.002, vs_baseline_hi=0.004)
            if sc == "rare" and k == "displaced_reemployed_12m_share_final":
                base.update(vs_baseline_median=0.3, vs_baseline_lo=0.3, vs_baseline_hi=0.3, vs_baseline_runs=1)
            rows.append(base)
    summary = pd.DataFrame(rows)
    empty = pd.DataFrame()
    return Comparison(scenarios=scen, replications=4, workers=100, months=24, master_seed=0, seeds=[1, 2, 3, 4], overrides=[],
                      runs=empty, lanes=empty, stages=empty, bands=empty, paired=empty, indicators=empty, summary=summary,
                      decisions=decision_table(summary, scen, 4))


def test_decision_table_on_a_known_comparison():
    d = _hand_built().decisions.set_index(["scenario", "indicator"])["verdict"]
    assert d[("good", "unemployment_rate_peak")] == "better", "a band below 0 on a lower-is-better indicator is better"
    assert d[("good", "retraining_completed_total")] == "higher", "no better direction: the verdict says only which way"
    assert d[("same", "unemployment_rate_peak")] == "not distinguishable", "a band across 0 gives no verdict"
    assert d[("rare", "displaced_reemployed_12m_share_final")] == "undefined", "1 of 4 runs is too few for a verdict"
    assert d[("good", "wage_gini_final")] == "not distinguishable", "an exact 0 difference is not a difference"
    worse = decision_table(_hand_built().summary.assign(vs_baseline_median=lambda f: -f["vs_baseline_median"],
                                                         vs_baseline_lo=lambda f: -f["vs_baseline_hi"],
                                                         vs_baseline_hi=lambda f: -f["vs_baseline_lo"]), ["baseline", "good"], 4)
    assert worse.set_index(["scenario", "indicator"]).loc[("good", "unemployment_rate_peak"), "verdict"] == "worse"


def test_decision_markdown_on_a_known_comparison():
    table, left_out = decision_markdown(_hand_built(), "baseline")
    rows = {r[0]: r for r in _table(table)}
    peak = rows[INDICATORS["unemployment_rate_peak"]]
    assert peak[2] == "**-1.00 pp [-1.20 pp, -0.80 pp]** better"
    assert peak[3] == "+0.10 pp [-0.20 pp, +0.40 pp] not distinguishable"
    assert rows[INDICATORS["displaced_reemployed_12m_share_final"]][4] == "n/a (1/4 runs)"
    assert left_out == []


def test_report_sections_come_in_order(comp):
    """What was run (with every lever as run), then the results, then what the bands include and the rest."""
    page = report_markdown(comp, [])
    order = ["## What was run", "### Levers as run", "## Decision table", "## Unemployment and recovery",
             "## Policy evaluation against `baseline`", "## For whom", "## Levels by scenario", "## What the bands include",
             "## Figures", "## Configuration", "## How to read this"]
    pos = [page.index(f"\n{h}\n") for h in order]
    assert pos == sorted(pos), "sections out of order"


def test_contents_links_every_section_in_order(comp):
    page = report_markdown(comp, [])
    lines = page.splitlines()
    contents = [ln for ln in lines if ln.startswith("Contents: ")]
    assert len(contents) == 1 and lines.index(contents[0]) < lines.index("## What was run"), "one contents line, above the sections"
    headings = [ln[3:] for ln in lines if ln.startswith("## ")]
    assert re.findall(r"\]\(#([^)]+)\)", contents[0]) == [heading_anchor(h) for h in headings]
    assert heading_anchor("Policy evaluation against `baseline`") == "policy-evaluation-against-baseline"
    assert heading_anchor("What the bands include") == "what-the-bands-include"
    assert "[What the bands include](#what-the-bands-include)" in _section(page, "## Decision table"), "the decision table points to the bands' contents"
