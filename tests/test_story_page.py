"""The validation page's section "The story" (:mod:`simulation.validation.story`): every point is built from real runs,
has a verdict from its own check and a figure, and the page shows them before the calibration record.

The runs are tiny (2,000 workers, 48 months, one seed): this checks the contract (every point measured from the
columns the model writes, the section rendered), not the numbers, which the tests of each mechanism check at a size
that shows them and ``laborshift-validate`` reports at full size.
"""

from __future__ import annotations

import pytest

from simulation.validation import story
from simulation.validation.page import render_page


@pytest.fixture(scope="module")
def points():
    runs = story.run_story(2_000, [5], 48, jobs=1, log=lambda _line: None)
    return story.story_points(runs)


def test_every_point_has_a_verdict_numbers_and_a_figure(points):
    assert len(points) == len(story.POINTS)
    for fact, fig in points:
        assert fact.verdict in ("pass", "partial", "miss"), fact.title
        assert fact.table and all(len(row) == 3 and row[1] for row in fact.table), fact.title
        assert fact.figure.startswith("story_") and fig.axes, fact.title


def test_the_page_shows_the_story_before_the_calibration(points, tmp_path):
    settings = {"workers": 2_000, "seeds": 1, "months": 48, "master_seed": 1, "overrides": [], "runs": 9, "wall_time_s": 1.0}
    page = render_page([], settings, record_path=tmp_path / "missing.json", story=[f for f, _ in points])
    assert page.index("## The story") < page.index("## Calibration")
    for fact, _ in points:
        assert f"### {fact.title}" in page


@pytest.mark.parametrize(("profile", "half"), [("china", 0.25), ("us", 0.125)])
def test_half_budget_halves_the_profiles_share(profile, half):
    """The story's half-budget runs halve the share their profile (and their other overrides) set, not a fixed value."""
    resolved = story.resolve_half_budget("rapid_adoption", [f"profile={profile}", story.HALF_AI_BUDGET])
    assert resolved == [f"profile={profile}", f"firms.ai_budget_share={half}"]
    resolved = story.resolve_half_budget("baseline", [f"profile={profile}", "firms.ai_budget_share=2.0", story.HALF_AI_BUDGET])
    assert resolved[-1] == "firms.ai_budget_share=1.0"
    assert story.resolve_half_budget("baseline", ["workers=100"]) == ["workers=100"]
