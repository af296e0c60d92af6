"""The explorer's region view (issue 18): ``regions=none`` is today's model, ``regions=china_us`` the regional run.

Measured (1,000 workers a region, 24 months, seed 3; 2026-11-30; the migrants re-measured on the China profile of
2026-12-02):

* ``regions=none``: every table of the explorer's run equals a :class:`LaborMarketModel` run of the scenario's
  composed config, column for column (baseline and hype_cycle with adoption speed x2).
* ``regions=china_us``, global_race: the shown region's timeseries (china, then us) equals ``run_regions``' for
  that region on the same seed, every column, the migration columns included; the page's migration and
  market-share records equal the regional run's tables month by month (4 migrants into the US, none into China).
* switching the shown region (``show``) redraws the panels with the other region's series; the run is untouched.
* at the explorer's default size (5,000 workers a region, global_race), a regional month takes about 0.03 s and
  the one-region month 0.01 s; drawing the page's panels 1.0 s (six) against 0.6 s (four) for one region, at month 60
  (a 2-core machine at load 4.5).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.composition import compose
from simulation.config import ConfigError, to_config
from simulation.explorer.model import ExplorerModel, explorer_config, explorer_runs, region_names
from simulation.model import LaborMarketModel
from simulation.regions import REGION_COLUMNS, run_regions

W, M, SEED = 1_000, 24, 3
OV = [f"workers={W}", f"months={M}", f"seed={SEED}", "progress=false", "figures=false"]
MIGRATION_COLUMNS = list(REGION_COLUMNS)  # the regional timeseries columns of the talent channel, in the flows array's order

pytestmark = pytest.mark.filterwarnings("ignore:.*use_state.*found despite early return:UserWarning")

_cache: dict = {}


def played(**controls) -> ExplorerModel:
    """An explorer model stepped as Mesa's Play steps it, past its horizon (cached)."""
    key = tuple(sorted(controls.items()))
    if key not in _cache:
        model = ExplorerModel(workers=W, months=M, seed=SEED, **controls)
        while model.running:
            model.step()
        model.step()  # one more, as Play may: nothing moves
        _cache[key] = model
    return _cache[key]


def regional_run():
    if "run" not in _cache:
        _cache["run"] = run_regions("china_us", "global_race", [f"workers={W}", f"months={M}", f"seed={SEED}"])
    return _cache["run"]


# --------------------------------------------------------------------------- regions=none: today's model
@pytest.mark.parametrize(("preset", "extra"), [("baseline", {}), ("hype_cycle", {"adoption_speed_x": 2.0})])
def test_regions_none_is_todays_one_region_model(preset, extra):
    model = played(preset=preset, **extra)
    assert model.regional is None and model.names == ["china"] and model.month == M
    cfg = compose(preset, OV)
    if extra:
        cfg.ai.adoption_revision_rate = float(cfg.ai.adoption_revision_rate) * 2.0
    alone = LaborMarketModel(to_config(cfg))
    alone.run()
    want = alone.results().tables()
    got = model.results().tables()
    assert list(got) == list(want)
    for stem, df in want.items():
        pd.testing.assert_frame_equal(got[stem], df, check_exact=True, obj=f"{stem} of the explorer's regions=none run")


def test_region_names():
    assert region_names("none") == ["china"], "the one-region model is named by the default profile"
    assert region_names("china_us") == ["china", "us"]


# --------------------------------------------------------------------------- regions=china_us
@pytest.mark.parametrize("region", ["china", "us"])
def test_shown_region_is_the_regional_runs_region(region):
    model = played(preset="global_race", regions="china_us", region=region)
    assert model.regional is not None and model.names == ["china", "us"] and model.month == M and not model.running
    want = regional_run().regions[region].timeseries
    got = model.results().timeseries
    pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"{region}'s timeseries in the explorer")
    moved = sum(int(x.timeseries["migrants_in"].sum()) for x in regional_run().regions.values())
    assert moved > 0, "the run should move some workers, or the comparison of the flows proves little"
    assert model.cfg.profile.name == region and model.population == int(want["population"].iloc[-1])
    np.testing.assert_array_equal(model.recorder.ts[: model.recorder.rows, 0], want["month"].to_numpy())


def test_cross_region_records_are_the_regional_runs_tables():
    model = played(preset="global_race", regions="china_us", region="china")
    res = regional_run()
    for r, name in enumerate(model.names):
        ts = res.regions[name].timeseries
        np.testing.assert_array_equal(model.flow_history[:, r, :], ts[MIGRATION_COLUMNS].to_numpy(), err_msg=name)
    share = res.market_share.pivot_table(index="month", columns=["region", "sector"], values="share", sort=False)
    sectors = list(model.models[0].sectors.names)
    for r, name in enumerate(model.names):
        want = share.loc[:, [(name, s) for s in sectors]].to_numpy()
        np.testing.assert_array_equal(model.share_history[:, r, :], want, err_msg=f"{name}'s market shares")


def test_controls_act_on_every_region():
    configs, rc, seed = explorer_runs(preset="chip_controls", regions="china_us", capability_growth_x=2.0, automation_tax="on",
                                      workers=W, months=M, seed=SEED)
    neutral, _, _ = explorer_runs(preset="chip_controls", regions="china_us", workers=W, months=M, seed=SEED)
    assert rc.name == "china_us" and seed == SEED
    assert neutral["china"].ai.capability_growth == pytest.approx(0.03), "chip controls slow China's AI"
    for region in ("china", "us"):
        assert configs[region].ai.capability_growth == pytest.approx(2 * neutral[region].ai.capability_growth), region
        assert configs[region].policy.automation_tax.enabled, region
    assert configs["china"].policy.adoption_subsidy.enabled, "the scenario's regional overrides stay"


# --------------------------------------------------------------------------- the page
def test_switching_the_region_changes_the_plots():
    pytest.importorskip("solara", reason="the explorer extra is not installed")
    from simulation.explorer import app

    model = played(preset="global_race", regions="china_us", region="china")
    res = regional_run()
    plotted = {}
    for region in ("china", "us", "china"):
        model.show(region)
        fig = app.panel_figure(model, "labour")
        y = fig.axes[0].get_lines()[0].get_ydata()
        np.testing.assert_allclose(y, 100 * res.regions[region].timeseries["unemployment_rate"].to_numpy(), err_msg=region)
        plotted[region] = y
        share = app.panel_figure(model, "market").axes[0]
        assert share.get_title() == f"{region}'s market share in the shared sectors"
        assert len(share.get_lines()) == int(model.regional.shared.sum()) + 1  # a line per shared sector, and the start
    assert not np.array_equal(plotted["china"], plotted["us"]), "the two regions' unemployment should differ"
    migration = app.panel_figure(model, "migration").axes[0]
    arrived = {line.get_label(): line.get_ydata()[-1] for line in migration.get_lines()}
    ts = {r: res.regions[r].timeseries for r in ("china", "us")}
    assert arrived["into us: not returning home"] == ts["us"]["migrants_in"].sum() - ts["us"]["returns_in"].sum()
    assert arrived["into china: returning home"] == ts["china"]["returns_in"].sum()
    assert model.month == M, "switching the region does not touch the run"


def test_page_controls_rebuild_a_regional_model_as_mesa_does():
    pytest.importorskip("solara", reason="the explorer extra is not installed")
    from mesa.visualization import solara_viz

    from simulation.explorer import app

    assert app.MODEL_PARAMS["regions"]["values"] == ["none", "china_us"]
    assert app.MODEL_PARAMS["region"]["values"] == ["china", "us"]
    solara_viz._check_model_params(ExplorerModel.__init__, app.MODEL_PARAMS)
    values = {name: spec["value"] for name, spec in app.MODEL_PARAMS.items()}
    values.update(workers=W, months=M, preset="talent_return", regions="china_us", region="us")
    model = ExplorerModel(**values)
    model.step()
    assert (model.regional is not None, model.region, model.month) == (True, "us", 1)
    again = model.__class__(**{**values, "preset": "baseline", "regions": "none", "region": "china"})  # Mesa's Reset
    assert again.regional is None and again.month == 0
    for panel in ("migration", "market"):
        with pytest.raises(ValueError, match=f"panel: got '{panel}', a cross-region panel"):
            app.panel_figure(again, panel)  # the page shows a note instead (app.Panel)


# --------------------------------------------------------------------------- bad controls
def test_bad_region_controls_are_named():
    with pytest.raises(ConfigError) as err:
        explorer_config(preset="global_race", regions="none", region="us")
    text = str(err.value)
    for field in ("preset: got 'global_race', a regional scenario; allowed: with regions=china_us", "region: got 'us'; allowed: one of china"):
        assert field in text, f"the error should name {field!r}: {text}"
    with pytest.raises(ConfigError) as err:
        ExplorerModel(regions="mars", hiring_subsidy="maybe")
    text = str(err.value)
    for field in ("regions: got 'mars'; allowed: one of china_us, none", "hiring_subsidy: got 'maybe'"):
        assert field in text, f"the error should name {field!r}: {text}"
    with pytest.raises(ConfigError, match=r"region: got 'mars'; allowed: one of china, us \(the regions of regions=china_us\)"):
        ExplorerModel(regions="china_us", region="mars")
    with pytest.raises(ConfigError, match=r"regions\.members\.china: ai\.adoption_revision_rate: got"):
        explorer_config(preset="global_race", regions="china_us", adoption_speed_x=40.0)
    model = played(preset="global_race", regions="china_us", region="china")
    with pytest.raises(ConfigError, match=r"region: got 'mars'; allowed: one of china, us"):
        model.show("mars")
    assert model.region == "china"


# --------------------------------------------------------------------------- laborshift-explore --regions
def test_launcher_opens_the_page_with_the_regions_asked_for(capsys):
    pytest.importorskip("solara", reason="the explorer extra is not installed")
    import os
    import subprocess
    import sys

    from simulation.explorer.launch import REGIONS_ENV, main

    with pytest.raises(SystemExit) as exit_info:
        main(["--regions", "mars"])
    assert exit_info.value.code == 2
    assert "--regions: got 'mars'; allowed: one of china_us, none" in capsys.readouterr().err
    code = "from simulation.explorer import app; print(app.MODEL_PARAMS['regions']['value'], app.model.names)"
    root = str(Path(__file__).resolve().parent.parent)  # this checkout's package, whatever is installed
    env = {**os.environ, REGIONS_ENV: "china_us", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "china_us ['china', 'us']", out.stdout + out.stderr
