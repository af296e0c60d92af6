"""The interactive explorer: its controls make the right config, its model stops at the horizon, and the page works offline.

The browser test starts the explorer server on 127.0.0.1, loads it in headless
Chromium, clicks Step and checks that the page shows the model's plots and the
same numbers as the same model stepped here, then picks another scenario and
presses Reset, then a regional run (regions=china_us: six plots) and switches
the region shown; every request the page makes must stay on this machine. Its
screenshots are test artifacts in
``results/test-artifacts/`` (git-ignored). It is skipped only when Chromium is
not installed (Debian: ``apt-get install -y --no-install-recommends chromium``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from simulation.composition import REGIONAL_SCENARIOS
from simulation.config import ConfigError, to_config
from simulation.explorer.launch import CHROMIUM_FLAGS, chromium_path, running_server
from simulation.explorer.model import ExplorerModel, explorer_config, explorer_runs
from simulation.regions import compose_regions, load_regions
from simulation.runner import compose, scenario_names

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "results" / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Mesa's own page component trips Solara's hook check; not this project's code
pytestmark = pytest.mark.filterwarnings("ignore:.*use_state.*found despite early return:UserWarning")


# --------------------------------------------------------------------------- controls -> config
def test_neutral_controls_reproduce_every_scenario():
    """One-region scenarios as on the command line; the regional ones (which need regions=) as ``laborshift regions=china_us``."""
    overrides = ["workers=1000", "months=24", "seed=3", "progress=false", "figures=false"]
    for name in scenario_names():
        if name in REGIONAL_SCENARIOS:
            configs, _, _ = compose_regions(load_regions("china_us"), name, overrides)
            for region, cfg in configs.items():
                got = explorer_config(preset=name, regions="china_us", region=region, workers=1000, months=24, seed=3)
                assert got == to_config(cfg), f"{name}, {region}: the neutral controls should give the region's own config"
            continue
        expected = to_config(compose(name, overrides))
        got = explorer_config(preset=name, workers=1000, months=24, seed=3)
        assert got == expected, f"{name}: the explorer's neutral controls should give the scenario's own config"


def test_ai_sliders_multiply_the_scenario_value():
    hype = explorer_config(preset="hype_cycle", adoption_speed_x=2.0)
    assert hype.ai.adoption_revision_rate == pytest.approx(2 * 0.12), "adoption speed x2 should double hype_cycle's own revision rate"
    assert hype.ai.hype_optimism == 1.5, "the scenario's other settings should stay"
    rapid = explorer_config(preset="rapid_adoption", capability_growth_x=0.5, adoption_cost_x=0.0, automation_strength_x=0.5)
    assert rapid.ai.capability_growth == pytest.approx(0.05)
    assert rapid.ai.adoption_cost == 0.0
    assert rapid.ai.automation_strength == pytest.approx(0.5)


def test_lever_choices_switch_levers_on_and_off():
    push = explorer_config(preset="retraining_push", retraining_subsidy="off")
    assert not push.policy.retraining_subsidy.enabled
    assert push.policy.hiring_subsidy.enabled, "a lever left at 'scenario' keeps the scenario's setting"
    kept = explorer_config(preset="retraining_push")
    assert kept.policy.retraining_subsidy.cost_share == 0.8, "'scenario' keeps the scenario's cost share, not the slider's"
    base = explorer_config(preset="baseline", retraining_subsidy="on", retraining_cost_share=0.9, retraining_seats_per_1000=4.0,
                           automation_tax="on", unemployment_insurance="off")
    rs = base.policy.retraining_subsidy
    assert (rs.enabled, rs.cost_share, rs.seats_per_1000) == (True, 0.9, 4.0)
    assert base.policy.automation_tax.enabled
    assert not base.policy.unemployment_insurance.enabled


def test_bad_controls_are_named():
    with pytest.raises(ConfigError) as err:
        explorer_config(preset="nope", hiring_subsidy="maybe", adoption_speed_x=-1.0)
    text = str(err.value)
    for field in ("preset: got 'nope'", "hiring_subsidy: got 'maybe'", "adoption_speed_x: got -1.0"):
        assert field in text, f"the error should name {field!r}: {text}"
    with pytest.raises(ConfigError, match=r"ai\.adoption_revision_rate: got 2\.4"):
        explorer_config(preset="hype_cycle", adoption_speed_x=20.0)  # 0.12 x 20 is not a probability


def test_model_controls_are_exactly_the_config_builders():
    """ExplorerModel spells out explorer_runs' controls for Mesa: the two signatures must not drift apart."""
    import inspect

    model_params = dict(inspect.signature(ExplorerModel.__init__).parameters)
    model_params.pop("self")
    config_params = inspect.signature(explorer_runs).parameters
    got = [(n, p.default) for n, p in model_params.items()]
    want = [(n, p.default) for n, p in config_params.items()]
    assert got == want, f"ExplorerModel controls {got} differ from explorer_runs' {want}"


def test_model_stops_at_its_horizon():
    model = ExplorerModel(workers=1000, months=24)
    assert model.running
    for _ in range(30):  # Mesa's Play keeps calling step until running turns false
        model.step()
    assert model.month == 24 and not model.running, f"the model should stop at month 24, it is at {model.month} (running={model.running})"
    assert model.recorder.rows == 25
    ts = model.results().timeseries
    assert ts["month"].tolist() == list(range(25))


def test_page_controls_rebuild_the_model_as_mesa_does():
    pytest.importorskip("solara", reason="the explorer extra is not installed")
    from mesa.visualization import solara_viz

    from simulation.explorer import app

    values = {name: spec["value"] for name, spec in app.MODEL_PARAMS.items()}
    solara_viz._check_model_params(ExplorerModel.__init__, app.MODEL_PARAMS)  # what Mesa checks when the page opens
    if hasattr(solara_viz, "_build_model_init_kwargs"):  # mesa >= 3.5 builds Reset's kwargs with this
        kwargs = solara_viz._build_model_init_kwargs(app.model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True)
        assert kwargs == values, f"Reset would call ExplorerModel with {kwargs}"
    values.update(workers=1000, preset="hype_cycle", adoption_speed_x=0.5)
    model = ExplorerModel(**values)
    assert model.cfg.ai.adoption_revision_rate == pytest.approx(0.06)
    for _ in range(3):
        model.step()
    fig = app.panel_figure(model, "labour")
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), 100 * model.results().timeseries["unemployment_rate"].to_numpy())
    assert fig.axes[0].get_xlim() == (0, 120)
    for panel in ("displacement", "adoption", "wages"):
        assert len(app.panel_figure(model, panel).axes[0].get_lines()[0].get_xdata()) == 4


def test_launcher_is_offline_and_rejects_a_bad_port(capsys):
    from simulation.explorer.launch import OFFLINE_CDN, main, offline_env, server_command

    env = offline_env({})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert urlsplit(env["SOLARA_ASSETS_CDN"]).hostname == "127.0.0.1" == urlsplit(OFFLINE_CDN).hostname
    cmd = server_command(port=8123)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and "--production" in cmd
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", "99999"])
    assert exit_info.value.code == 2
    assert "--port: got 99999; allowed: an integer in [1, 65535]" in capsys.readouterr().err


# --------------------------------------------------------------------------- the page in a browser
def expected_after_one_step(**controls) -> str:
    """The headline the page must show after one Step: the same model stepped here."""
    model = ExplorerModel(**controls)
    model.step()
    ts = model.results().timeseries
    return f"unemployment {100 * ts['unemployment_rate'].iloc[-1]:.1f}%; {int(ts['ai_displaced_cumulative'].iloc[-1]):,} displaced by AI so far"


def _image_of(img, attempts: int = 20) -> str:
    """The picture a plot shows (its ``src``); the page may swap the element while it redraws, so retry briefly."""
    last = None
    for _ in range(attempts):
        try:
            return img.get_attribute("src", timeout=5_000) or ""
        except Exception as exc:  # replaced while redrawing: look again
            last = exc
            time.sleep(0.1)
    raise AssertionError(f"could not read the plot image: {last}")


def _wait_until_changed(page, img, before: str, what: str, seconds: float = 15) -> None:
    """Wait until the plot ``img`` shows another picture than ``before``; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while _image_of(img) == before:
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(250)


def test_explorer_page_in_headless_chromium():
    chromium = chromium_path()
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install -y --no-install-recommends chromium)")
    pytest.importorskip("solara", reason="the explorer extra is not installed")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = Path(os.environ.get("LABORSHIFT_EXPLORER_SCREENSHOT", ARTIFACTS / "explorer.png"))
    expected = expected_after_one_step()
    expected_us = expected_after_one_step(preset="global_race", regions="china_us", region="us")
    urls: list[str] = []
    failures: list[str] = []
    start = time.monotonic()
    with running_server(log=ARTIFACTS / "explorer-server.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.on("request", lambda r: urls.append(r.url))
            page.on("websocket", lambda ws: urls.append(ws.url))
            page.on("requestfailed", lambda r: failures.append(f"{r.url}: {r.failure}"))
            page.on("response", lambda r: failures.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
            page.goto(url, wait_until="networkidle", timeout=45_000)
            page.get_by_text("month 0 of 120").wait_for(timeout=30_000)
            plots = page.locator(".vue-grid-item img")
            plots.nth(3).wait_for(timeout=20_000)
            assert plots.count() == 4, f"the page should show 4 trajectory plots, it shows {plots.count()}"
            before = _image_of(plots.nth(0))

            page.get_by_role("button", name="Step").click()
            page.get_by_text("month 1 of 120").wait_for(timeout=30_000)
            status = page.locator(".laborshift-status").inner_text()
            assert expected in status, f"after one Step the page should show the model's numbers {expected!r}; it shows {status!r}"
            _wait_until_changed(page, plots.nth(0), before, "the unemployment plot did not change after Step")
            page.screenshot(path=str(shot))

            # a control rebuilds the model on Reset, as Mesa does it
            page.locator(".v-select").filter(has_text="Scenario").first.click()
            page.get_by_role("option", name="hype_cycle").click()
            page.get_by_role("button", name="Reset").click()
            page.get_by_text("Scenario hype_cycle: month 0 of 120").wait_for(timeout=30_000)
            page.get_by_text("adoption revision rate 0.12/month").wait_for(timeout=10_000)

            # the region view: two regions, six plots; the region buttons switch the plots while the run goes on
            page.locator(".v-select").filter(has_text="Regions").first.click()
            page.get_by_role("option", name="china_us").click()
            page.locator(".v-select").filter(has_text="Scenario").first.click()
            page.get_by_role("option", name="global_race").click()
            page.get_by_role("button", name="Reset").click()
            page.get_by_text("Scenario global_race: month 0 of 120 (china)").wait_for(timeout=30_000)
            plots.nth(5).wait_for(timeout=20_000)
            assert plots.count() == 6, f"a regional run should show 6 plots, it shows {plots.count()}"
            page.get_by_role("button", name="Step").click()
            page.get_by_text("month 1 of 120 (china)").wait_for(timeout=30_000)
            page.wait_for_timeout(500)  # the plots follow the text
            before = _image_of(plots.nth(0))
            page.get_by_role("button", name="us", exact=True).click()
            page.get_by_text("month 1 of 120 (us)").wait_for(timeout=30_000)
            status = page.locator(".laborshift-status").inner_text()
            assert expected_us in status, f"showing the US, the page should show its numbers {expected_us!r}; it shows {status!r}"
            _wait_until_changed(page, plots.nth(0), before, "the unemployment plot did not change when the shown region changed")
            page.screenshot(path=str(shot.with_name(shot.stem + "-regions" + shot.suffix)))
        finally:
            browser.close()
    print(f"explorer page test: {time.monotonic() - start:.1f} s, {len(urls)} requests, screenshot {shot}")

    assert urls, "the page made no request at all"
    off_machine = [u for u in urls if urlsplit(u).scheme not in ("blob", "data") and urlsplit(u).hostname not in LOCAL_HOSTS]
    assert not off_machine, f"the page fetched from outside this machine: {off_machine}"
    blobs = [u for u in urls if u.startswith("blob:") and urlsplit(u[len("blob:"):]).hostname not in LOCAL_HOSTS]
    assert not blobs, f"blob URLs of another origin: {blobs}"
    assert not failures, f"requests failed (a front-end asset missing from the local cache?): {failures}"
    assert shot.stat().st_size > 10_000
