"""Benchmark of the laborshift model: run time, peak memory and scaling, and a side-by-side with idiomatic Mesa.

Usage::

    python benchmarks/benchmark.py [--sizes 10000 100000 1000000] [--months 120]
                                   [--toy-sizes 10000 100000] [--toy-months 120]
                                   [--repeat 5] [--out results/benchmark.json] [--check]

For each size in ``--sizes`` the full model (``Config()`` with ``workers=size``,
``months=months``, ``progress=False``, ``seed=0``: the schema's defaults, i.e. the
US profile, not the command line's default China profile) is built and run in a fresh
subprocess of this script, so that the peak resident memory reported
(``ru_maxrss`` of that child) belongs to that size alone. Construction and the
monthly steps are timed separately with ``time.perf_counter``.

For each size in ``--toy-sizes`` one more subprocess runs, one after the
other, the full model and the Mesa toy (``benchmarks/mesa_toy.py``) for
``--toy-months`` months at that size, and the two are compared per
worker-step (worker-months simulated / step time).

Everything printed is also written to the JSON file given by ``--out``.

With ``--regions china_us`` (issue 18's target: two regions of 1M workers each x 120 months in at most twice the
one-region time, within 3 GB) it measures instead, for each size in ``--sizes``, in fresh processes: one region
(the regions config's first member, e.g. China, ``--scenario`` baseline) of that size, then the regional run with
every region of that size (``simulation.regions.RegionalModel``), and prints both times, their ratio, the ratio to the
sum of the separate regions' times (each member run alone), the ratio of CPU times (the process's own, less moved by
other work on a shared machine than wall time) and the peak memory::

    python benchmarks/benchmark.py --regions china_us --sizes 100000 1000000 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD_FLAG = "--_child"  # hidden: run one measurement and print it as JSON on stdout

# acceptance targets
TARGET_1M_TOTAL_S = 30.0
TARGET_1M_RSS_MB = 1.5 * 1024  # 1.5 GiB, in MiB (ru_maxrss is KiB on Linux)
TARGET_100K_TOTAL_S = 3.0
TARGET_SPEEDUP_100K = 20.0
TARGET_EXPONENT = 1.15


# --------------------------------------------------------------------------- measurements (in the child)
def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / (1024.0 * 1024.0) if sys.platform == "darwin" else kb / 1024.0  # bytes on macOS, KiB on Linux


def _run_full(workers: int, months: int, seed: int) -> dict:
    """Build and run the full model; time construction and steps separately."""
    from simulation.config import Config
    from simulation.model import LaborMarketModel
    from simulation.state import EMPLOYED, UNEMPLOYED

    cfg = Config(workers=workers, months=months, progress=False, seed=seed)
    t0 = time.perf_counter()
    model = LaborMarketModel(cfg)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.run()
    step_s = time.perf_counter() - t0
    status = model.workers.status[: model.next_slot]
    employed, unemployed = int((status == EMPLOYED).sum()), int((status == UNEMPLOYED).sum())
    # worker-months simulated: the living population at the start of each month
    worker_months = int(model.results().timeseries["population"].iloc[:-1].sum())
    return {
        "workers": workers,
        "months": months,
        "firms": int(model.firms.n),
        "build_s": build_s,
        "step_s": step_s,
        "total_s": build_s + step_s,
        "worker_months": worker_months,
        "worker_steps_per_s": worker_months / step_s,
        "timings_s": dict(model.timings),
        "final_population": int(model.population),
        "final_unemployment_rate": unemployed / max(employed + unemployed, 1),
    }


def _run_toy(workers: int, months: int, seed: int) -> dict:
    """Build and run the Mesa toy with the model's occupation table; time construction and steps separately."""
    sys.path.insert(0, str(HERE))
    from mesa_toy import ToyLaborMarket

    from simulation.occupations import load_occupations

    occ = load_occupations()
    t0 = time.perf_counter()
    toy = ToyLaborMarket(n_workers=workers, seed=seed, occupation_shares=occ.initial_share.tolist(),
                         base_wages=occ.base_wage.tolist())
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(months):
        toy.step()
    step_s = time.perf_counter() - t0
    return {
        "workers": workers,
        "months": months,
        "firms": max(1, workers // 200),
        "build_s": build_s,
        "step_s": step_s,
        "total_s": build_s + step_s,
        "worker_steps_per_s": workers * months / step_s,
        "final_unemployment_rate": toy.unemployment_rate,
    }


def _run_region_one(regions: str, member: str, scenario: str, workers: int, months: int, seed: int) -> dict:
    """One member of a regions config run alone, as the one-region model with that member's profile."""
    from simulation.composition import compose
    from simulation.config import to_config
    from simulation.model import LaborMarketModel
    from simulation.regions import load_regions

    profile = load_regions(regions).members[member].profile
    cfg = to_config(compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", f"profile={profile}"]))
    cpu0, t0 = time.process_time(), time.perf_counter()
    model = LaborMarketModel(cfg)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.run()
    step_s = time.perf_counter() - t0
    return {"workers": workers, "months": months, "member": member, "build_s": build_s, "step_s": step_s, "total_s": build_s + step_s,
            "cpu_s": time.process_time() - cpu0}


def _run_regional(regions: str, scenario: str, workers: int, months: int, seed: int) -> dict:
    """Every member of a regions config, ``workers`` each, in one regional run."""
    from simulation.regions import RegionalModel, compose_regions, load_regions

    rc = load_regions(regions)
    configs, rc, run_seed = compose_regions(rc, scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false"])
    cpu0, t0 = time.process_time(), time.perf_counter()
    model = RegionalModel(rc, configs, seed=run_seed)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.run()
    step_s = time.perf_counter() - t0
    return {"workers": workers, "months": months, "regions": len(configs), "build_s": build_s, "step_s": step_s,
            "total_s": build_s + step_s, "cpu_s": time.process_time() - cpu0, "timings_s": {k: float(v) for k, v in model.timings.items()}}


def _child(spec: dict) -> dict:
    import simulation  # noqa: F401  (imports counted in the baseline, not in the build time)
    import simulation.model  # noqa: F401

    out = {"rss_after_imports_mb": _peak_rss_mb()}
    if spec["kind"] == "region_one":
        out["full"] = _run_region_one(spec["regions"], spec["member"], spec["scenario"], spec["workers"], spec["months"], spec["seed"])
    elif spec["kind"] == "regional":
        out["full"] = _run_regional(spec["regions"], spec["scenario"], spec["workers"], spec["months"], spec["seed"])
    elif spec["kind"] == "full":
        out["full"] = _run_full(spec["workers"], spec["months"], spec["seed"])
    else:  # "compare": full model then toy, same size and months, same process
        out["full"] = _run_full(spec["workers"], spec["months"], spec["seed"])
        out["toy"] = _run_toy(spec["workers"], spec["months"], spec["seed"])
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


# --------------------------------------------------------------------------- orchestration (in the parent)
def _spawn(spec: dict) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG, json.dumps(spec)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed (exit {proc.returncode}): {spec}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _best_of(spec: dict, repeat: int, label: str) -> dict:
    """Run ``repeat`` times; keep each model's fastest run (timeit's rule: the minimum is the least disturbed by
    other work on the machine) and the largest peak RSS seen. Fastest means the least total time for the full-model
    sizes, and the least step time in the Mesa comparison, whose ratio is per worker-step."""
    runs = []
    for r in range(repeat):
        tag = f" (repeat {r + 1}/{repeat})" if repeat > 1 else ""
        _log(f"{label}{tag} ...")
        res = _spawn(spec)
        runs.append(res)
        msg = f"full {res['full']['total_s']:.2f} s"
        if "toy" in res:
            msg += f", toy {res['toy']['total_s']:.2f} s"
        _log(f"{label}{tag} done: {msg}, peak RSS {res['peak_rss_mb']:.0f} MB")
    best = dict(runs[0])
    measure = "step_s" if spec["kind"] == "compare" else "total_s"
    for key in ("full", "toy"):
        if key in best:
            best[key] = min((x[key] for x in runs), key=lambda m: m[measure])
    best["peak_rss_mb"] = max(x["peak_rss_mb"] for x in runs)
    best["repeats"] = repeat
    return best


def _machine() -> dict:
    import mesa
    import numpy

    cpu_model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": cpu_model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "mesa": mesa.__version__,
        "loadavg_start": load,
    }


def _exponent(a: dict, b: dict, key: str) -> float:
    return math.log(b[key] / a[key]) / math.log(b["workers"] / a["workers"])


def month_cost(a: dict, b: dict) -> dict:
    """A month's step time as a fixed part plus a part per worker: the line through two full-model runs.

    ``a``, ``b``: the runs (``_run_full``'s records) at two sizes. Each run's point is its mean step time a month against
    its mean living population (worker-months / months). Returns the fixed part (s a month), the part per worker
    (s a worker-month) and the fixed part's share of the larger run's step time.
    """
    xa, xb = a["worker_months"] / a["months"], b["worker_months"] / b["months"]
    ya, yb = a["step_s"] / a["months"], b["step_s"] / b["months"]
    per_worker = (yb - ya) / (xb - xa)
    fixed = ya - per_worker * xa
    return {"from": a["workers"], "to": b["workers"], "fixed_s_per_month": fixed, "s_per_worker_month": per_worker,
            "fixed_share_at_larger": fixed / yb}


def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def _regions_main(args) -> int:
    """``--regions``: one region against the regional run at each size; times, ratios and peak memory."""
    sys.path.insert(0, str(HERE.parent))
    from simulation.regions import load_regions

    members = list(load_regions(args.regions).members)
    machine, rows = _machine(), []
    for n in sorted(set(args.sizes)):
        base = {"regions": args.regions, "scenario": args.scenario, "workers": n, "months": args.months, "seed": args.seed}
        alone = {m: _best_of({**base, "kind": "region_one", "member": m}, args.repeat, f"{m} alone, {n:,} workers x {args.months} months")
                 for m in members}
        both = _best_of({**base, "kind": "regional"}, args.repeat, f"{args.regions}, {n:,} workers a region x {args.months} months")
        first = alone[members[0]]
        rows.append({"workers": n, "alone": {m: {**r["full"], "peak_rss_mb": r["peak_rss_mb"]} for m, r in alone.items()},
                     "regional": {**both["full"], "peak_rss_mb": both["peak_rss_mb"]},
                     "ratio_to_first": both["full"]["total_s"] / first["full"]["total_s"],
                     "ratio_to_sum": both["full"]["total_s"] / sum(r["full"]["total_s"] for r in alone.values()),
                     # CPU time (the process's, single-threaded): less moved by other work on the machine than wall time
                     "cpu_ratio_to_first": both["full"]["cpu_s"] / first["full"]["cpu_s"]})
    try:
        machine["loadavg_end"] = os.getloadavg()
    except OSError:
        pass
    lines = [f"laborshift regional benchmark: {args.regions} ({', '.join(members)}), scenario {args.scenario}, {args.months} months, "
             f"seed {args.seed}, best of {args.repeat} run(s), each in a fresh process", "",
             f"{'workers':>10} " + " ".join(f"{m + ' s':>10}" for m in members) + f" {'regional s':>11} {'x first':>8} {'x sum':>6} "
             f"{'x first CPU':>11} {'peak MB (first)':>16} {'peak MB (regional)':>19}"]
    for r in rows:
        lines.append(f"{r['workers']:>10,} " + " ".join(f"{r['alone'][m]['total_s']:>10.2f}" for m in members)
                     + f" {r['regional']['total_s']:>11.2f} {r['ratio_to_first']:>8.2f} {r['ratio_to_sum']:>6.2f} {r['cpu_ratio_to_first']:>11.2f} "
                     f"{r['alone'][members[0]]['peak_rss_mb']:>16.0f} {r['regional']['peak_rss_mb']:>19.0f}")
    la0, la1 = machine.get("loadavg_start"), machine.get("loadavg_end")
    if la0:
        lines.append(f"Load average (1 min) at start {la0[0]:.2f}, at end {(la1 or la0)[0]:.2f}; {machine['cpus_usable']} usable CPUs")
    big = [r for r in rows if r["workers"] == 1_000_000 and args.months == 120]
    if big:
        ok = big[0]["ratio_to_first"] <= 2.0 and big[0]["regional"]["peak_rss_mb"] <= 3 * 1024
        lines.append(f"{'PASS' if ok else 'FAIL'}  two regions of 1M x 120 months: {big[0]['ratio_to_first']:.2f}x the one-region time "
                     f"(target <= 2; CPU time {big[0]['cpu_ratio_to_first']:.2f}x), peak {big[0]['regional']['peak_rss_mb']:.0f} MB (target <= 3072)")
    print("\n".join(lines), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "machine": machine, "rows": rows, "report": lines}, indent=2, default=str) + "\n")
    _log(f"figures written to {out}")
    return 1 if args.check and big and not ok else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000], help="full-model populations")
    ap.add_argument("--months", type=int, default=120, help="months per full-model run")
    ap.add_argument("--toy-sizes", type=int, nargs="*", default=[10_000, 100_000], help="populations of the Mesa comparison")
    ap.add_argument("--toy-months", type=int, default=None,
                    help="months of the Mesa comparison (default: --months); the comparison is per worker-step")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement; each model's fastest is kept")
    ap.add_argument("--out", default="results/benchmark.json", help="JSON file for all figures")
    ap.add_argument("--check", action="store_true", help="exit with status 1 if any acceptance target fails")
    ap.add_argument("--regions", default="", help="a regions config (e.g. china_us): compare one region with the regional run instead")
    ap.add_argument("--scenario", default="baseline", help="scenario of the --regions runs (default baseline)")
    args = ap.parse_args(argv)
    if args.regions:
        return _regions_main(args)
    toy_months = args.toy_months if args.toy_months is not None else args.months
    sizes = sorted(set(args.sizes))
    toy_sizes = sorted(set(args.toy_sizes))

    machine = _machine()
    started = time.perf_counter()

    full = {}
    for n in sizes:
        res = _best_of({"kind": "full", "workers": n, "months": args.months, "seed": args.seed}, args.repeat,
                       f"full model, {n:,} workers x {args.months} months")
        full[n] = {**res["full"], "peak_rss_mb": res["peak_rss_mb"], "rss_after_imports_mb": res["rss_after_imports_mb"],
                   "repeats": res["repeats"]}

    compare = {}
    for n in toy_sizes:
        res = _best_of({"kind": "compare", "workers": n, "months": toy_months, "seed": args.seed}, args.repeat,
                       f"full model vs Mesa toy, {n:,} workers x {toy_months} months (one process)")
        compare[n] = {"full": res["full"], "toy": res["toy"],
                      "speedup": res["full"]["worker_steps_per_s"] / res["toy"]["worker_steps_per_s"]}

    try:
        machine["loadavg_end"] = os.getloadavg()
    except OSError:
        pass
    wall = time.perf_counter() - started

    # ------------------------------------------------------------------ report
    lines: list[str] = []
    p = lines.append
    p(f"laborshift benchmark: seed {args.seed}, best of {args.repeat} run(s) per measurement, "
      "each size in a fresh process")
    p("")
    p(f"Full model, {args.months} months (worker-steps/s = worker-months simulated / step time; the population grows with graduates and entrants)")
    head = f"{'workers':>10} {'build s':>8} {'step s':>8} {'total s':>8} {'worker-steps/s':>15} {'peak RSS MB':>12}  top sub-steps (s)"
    p(head)
    p("-" * len(head))
    for n in sizes:
        r = full[n]
        top = sorted(r["timings_s"].items(), key=lambda kv: -kv[1])[:4]
        tops = ", ".join(f"{k} {v:.2f}" for k, v in top)
        p(f"{n:>10,} {r['build_s']:>8.2f} {r['step_s']:>8.2f} {r['total_s']:>8.2f} {r['worker_steps_per_s']:>15,.0f} "
          f"{r['peak_rss_mb']:>12.0f}  {tops}")
    if sizes:
        base = full[sizes[0]]["rss_after_imports_mb"]
        p(f"(peak RSS includes about {base:.0f} MB of interpreter and imports: numpy, pandas, mesa, hydra; "
          "MB = 2^20 bytes)")

    scaling = None
    if len(sizes) >= 2:
        a, b = full[sizes[-2]], full[sizes[-1]]
        scaling = {"from": sizes[-2], "to": sizes[-1], "exponent_total": _exponent(a, b, "total_s"),
                   "exponent_step": _exponent(a, b, "step_s")}
        p("")
        p(f"Scaling exponent {sizes[-2]:,} -> {sizes[-1]:,} workers, log(t2/t1)/log(n2/n1): "
          f"total time {scaling['exponent_total']:.3f}, step time {scaling['exponent_step']:.3f} (1.0 = linear)")

    cost = None
    small = [n for n in sizes if n <= 100_000]
    if len(small) >= 2 and small[-1] >= 5 * small[0]:
        cost = month_cost(full[small[0]], full[small[-1]])
    if cost is not None and not (cost["s_per_worker_month"] > 0 and 0 <= cost["fixed_share_at_larger"] < 1):
        p("")
        p(f"Cost of a month's step: not split into fixed and per-worker parts (the {small[0]:,} and {small[-1]:,} runs are "
          "too noisy for a line through them)")
        cost = None
    elif cost is not None:
        p("")
        p(f"Cost of a month's step (the line through the {small[0]:,} and {small[-1]:,} runs): "
          f"{cost['fixed_s_per_month'] * 1e3:.1f} ms whatever the size, plus {cost['s_per_worker_month'] * 1e9:.0f} ns a "
          f"worker; the fixed part is {cost['fixed_share_at_larger']:.0%} of the step time at {small[-1]:,}")

    if toy_sizes:
        p("")
        note = "" if toy_months == args.months else f" (fewer than the {args.months} of the full runs: compare per worker-step)"
        p(f"Full model vs idiomatic Mesa toy (benchmarks/mesa_toy.py), {toy_months} months{note}, same process")
        head = f"{'workers':>10} {'full step s':>12} {'toy step s':>11} {'full w-steps/s':>15} {'toy w-steps/s':>14} {'full/toy':>9}"
        p(head)
        p("-" * len(head))
        for n in toy_sizes:
            c = compare[n]
            p(f"{n:>10,} {c['full']['step_s']:>12.2f} {c['toy']['step_s']:>11.2f} {c['full']['worker_steps_per_s']:>15,.0f} "
              f"{c['toy']['worker_steps_per_s']:>14,.0f} {c['speedup']:>8.1f}x")
        p("(the toy does far less per worker-month than the full model: no skills, ages, AI adoption, retraining, "
          "ranking or graduates)")
        if cost is not None and cost["to"] in compare:
            c = compare[cost["to"]]
            without = c["speedup"] / (1.0 - cost["fixed_share_at_larger"])
            p(f"(without its fixed cost a month the full model would be {without:.1f}x the toy at {cost['to']:,}: "
              "the per-worker part alone sets how far the ratio can go)")

    p("")
    m = machine
    p(f"Machine: {m['cpu_count']} CPUs ({m['cpus_usable']} usable), {m['cpu_model'] or 'unknown CPU'}; "
      f"Python {m['python']}, numpy {m['numpy']}, mesa {m['mesa']}; {m['platform']}")
    if m.get("loadavg_start") is not None:
        la0, la1 = m["loadavg_start"], m.get("loadavg_end", m["loadavg_start"])
        p(f"Load average (1 min) at start {la0[0]:.2f}, at end {la1[0]:.2f}: other work on the machine makes times noisy")

    # ------------------------------------------------------------------ acceptance
    big = full.get(1_000_000) if args.months == 120 else None
    mid = full.get(100_000) if args.months == 120 else None
    targets = []

    def target(name, value, limit, ok, unit):
        targets.append({"target": name, "value": value, "limit": limit, "unit": unit,
                        "result": "n/a" if ok is None else ("PASS" if ok else "FAIL")})

    v = big["total_s"] if big else None
    target("1M workers x 120 months, total time", v, TARGET_1M_TOTAL_S, None if v is None else v <= TARGET_1M_TOTAL_S, "s")
    v = full[1_000_000]["peak_rss_mb"] if 1_000_000 in full else None
    target("peak memory at 1M workers", v, TARGET_1M_RSS_MB, None if v is None else v <= TARGET_1M_RSS_MB, "MB")
    v = mid["total_s"] if mid else None
    target("100k workers x 120 months, total time", v, TARGET_100K_TOTAL_S, None if v is None else v <= TARGET_100K_TOTAL_S, "s")
    v = compare[100_000]["speedup"] if 100_000 in compare else None
    target("full model vs Mesa toy per worker-step at 100k", v, TARGET_SPEEDUP_100K, None if v is None else v >= TARGET_SPEEDUP_100K, "x")
    if 100_000 in full and 1_000_000 in full:
        v = _exponent(full[100_000], full[1_000_000], "total_s")
    else:
        v = None
    target("scaling exponent 100k -> 1M (total time)", v, TARGET_EXPONENT, None if v is None else v <= TARGET_EXPONENT, "")

    p("")
    p("Acceptance targets")
    for t in targets:
        op = ">=" if t["unit"] == "x" else "<="
        val = "not measured" if t["value"] is None else f"{t['value']:.2f}{(' ' + t['unit']) if t['unit'] not in ('', 'x') else t['unit']}"
        lim = f"{t['limit']:g}{(' ' + t['unit']) if t['unit'] not in ('', 'x') else t['unit']}"
        p(f"  {_verdict(None if t['result'] == 'n/a' else t['result'] == 'PASS')}  {t['target']}: {val} (target {op} {lim})")
    p("")
    p(f"Benchmark wall time {wall:.0f} s")

    print("\n".join(lines), flush=True)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "args": {"sizes": sizes, "months": args.months, "toy_sizes": toy_sizes, "toy_months": toy_months,
                 "seed": args.seed, "repeat": args.repeat},
        "machine": machine,
        "full_model": [full[n] for n in sizes],
        "scaling": scaling,
        "month_cost": cost,
        "mesa_comparison": [{"workers": n, "months": toy_months, **compare[n]} for n in toy_sizes],
        "acceptance": targets,
        "report": lines,
        "wall_time_s": wall,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    out.write_text(json.dumps(doc, indent=2) + "\n")
    _log(f"figures written to {out}")
    if args.check and any(t["result"] == "FAIL" for t in targets):
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == CHILD_FLAG:
        result = _child(json.loads(sys.argv[2]))
        print(json.dumps(result), flush=True)
        sys.exit(0)
    sys.exit(main())
