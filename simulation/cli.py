"""Command line: ``laborshift scenario=baseline workers=100000 months=120 seed=7``.

The console script checks the overrides first (unknown keys, unknown
scenarios, values of the wrong type or out of range) and exits with code 2
and one clear message, before Hydra starts a run. Then the thin
``@hydra.main`` wrapper calls :func:`run_and_save`, which tests call directly.
"""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Sequence

import hydra
from omegaconf import DictConfig

from .config import ConfigError, register_configs, schema_keys, validate
from .runner import CONFIG_DIR, compose, run_config, save, scenario_names

log = logging.getLogger("laborshift")
register_configs()


def _is_hydra_arg(arg: str) -> bool:
    key = arg.lstrip("+~").split("=", 1)[0]
    return arg.startswith("-") or key.startswith("hydra.") or key.startswith("hydra/") or key == "hydra"


def check_overrides(overrides: Sequence[str]) -> None:
    """Raise :class:`ConfigError` naming every unknown key, unknown scenario or invalid value in the overrides."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    problems: list[str] = []
    known = schema_keys()
    scenarios = scenario_names()
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except Exception as exc:  # the parser's own message says what is malformed
        raise ConfigError([f"cannot parse the overrides: {str(exc).splitlines()[0]}"]) from None
    choices: list[list[str]] = []
    for ov in parsed:
        key = ov.key_or_group
        values = [str(v) for v in ov.sweep_string_iterator()] if ov.is_sweep_override() else [ov.get_value_element_as_str()]
        if key == "scenario":
            bad = [v for v in values if v not in scenarios]
            if bad:
                problems.append(f"scenario: got {', '.join(map(repr, bad))}; allowed: one of {', '.join(scenarios)}")
        elif key not in known:
            near = difflib.get_close_matches(key, list(known), n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            problems.append(f"{key}: unknown config key{hint}; see docs/PARAMETERS.md for every key")
        choices.append([f"{ov.key_or_group}={v}" for v in values])
    if problems:
        raise ConfigError(problems)
    # compose once per distinct value (others at their first value) so every sweep value is checked
    firsts = [c[0] for c in choices]
    seen: set[str] = set()
    for i, opts in enumerate(choices):
        for opt in opts:
            combo = firsts[:i] + [opt] + firsts[i + 1 :]
            key = "\n".join(combo)
            if key in seen:
                continue
            seen.add(key)
            try:
                cfg = compose(None, combo)
            except Exception as exc:
                cause = exc.__cause__ or exc
                raise ConfigError([f"{opt.split('=', 1)[0]}: got {opt.split('=', 1)[1]!r}; {str(cause).splitlines()[0]}"]) from None
            try:
                validate(cfg)
            except ConfigError as err:
                problems.extend(p for p in err.problems if p not in problems)
    if problems:
        raise ConfigError(problems)


def run_and_save(cfg: DictConfig, out_dir: str) -> dict:
    """Run one configured scenario and write its outputs into ``out_dir``; return the summary."""
    res = run_config(cfg)
    save(res, out_dir, figures=bool(cfg.figures))
    return res.summary


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> None:
    from hydra.core.hydra_config import HydraConfig

    logging.getLogger("MESA").setLevel(logging.WARNING)
    out = HydraConfig.get().runtime.output_dir
    summary = run_and_save(cfg, out)
    print(
        f"{summary['scenario']}: {summary['workers']:,} workers x {summary['months']} months in {summary['wall_time_s']:.1f} s | "
        f"AI-displaced {summary['ai_displaced_final']:,} | peak unemployment {100 * summary['unemployment_rate_peak']:.1f}% | "
        f"retraining completions {summary['retraining_completed_total']:,} | AI wage premium {100 * summary['ai_wage_premium_final']:.0f}%"
    )
    print(f"outputs: {out}")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: check the overrides, then hand over to Hydra."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(a in ("-h", "--help", "--hydra-help", "--info", "-i") for a in args):
        try:
            check_overrides([a for a in args if not _is_hydra_arg(a)])
        except ConfigError as err:
            print(f"laborshift: error: {err}", file=sys.stderr)
            sys.exit(2)
    sys.argv = [sys.argv[0], *args]
    _hydra_main()


if __name__ == "__main__":  # pragma: no cover
    main()
