"""Composing configs and checking overrides: the one place every command does it.

:func:`compose` builds the config of one run (the schema, ``configs/config.yaml``,
a scenario and Hydra overrides). Before a command starts anything, its
overrides are checked here and every problem is reported at once, as one
:class:`~simulation.config.ConfigError` naming the field, the value given and
the values allowed:

* :func:`check_overrides`: the overrides of ``laborshift`` (a run or a sweep);
* :func:`check_compare_overrides`: those of ``laborshift-compare``;
* :func:`compose_command`: the generic check-and-compose of a command's own
  config (``laborshift-compare``, ``laborshift-sensitivity``);
* :func:`check_comparison`: a comparison request given from Python.

:func:`is_hydra_arg` tells the arguments meant for Hydra (``-m``,
``hydra.*``, ``hydra/launcher=...``) from the overrides that are checked.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .config import COMPARE_CONFIG_NAME, CONFIG_NAME, CompareConfig, ConfigError, register_configs, schema_keys, validate

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def scenario_names() -> list[str]:
    """Scenarios shipped in ``configs/scenario``."""
    return sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def is_hydra_arg(arg: str) -> bool:
    """Whether a command-line argument is meant for Hydra (a flag, ``hydra.*`` or ``hydra/...``) rather than a config override."""
    key = arg.lstrip("+~").split("=", 1)[0]
    return arg.startswith("-") or key.startswith("hydra.") or key.startswith("hydra/") or key == "hydra"


def parse_overrides(overrides: Sequence[str]) -> list:
    """Parse Hydra override strings; a malformed one raises :class:`ConfigError`."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        return OverridesParser.create().parse_overrides(list(overrides))
    except Exception as exc:  # the parser's own message says what is malformed
        raise ConfigError([f"cannot parse the overrides: {str(exc).splitlines()[0]}"]) from None


def _values(ov) -> list[str]:
    """Every value of a parsed override (each value of a sweep), as text."""
    return [str(v) for v in ov.sweep_string_iterator()] if ov.is_sweep_override() else [ov.get_value_element_as_str()]


def key_problems(parsed: Sequence) -> list[str]:
    """Unknown keys and unknown scenarios among parsed overrides (every value of a sweep is checked)."""
    known = schema_keys()
    scenarios = scenario_names()
    problems = []
    for ov in parsed:
        key = ov.key_or_group
        values = _values(ov)
        if key == "scenario":
            bad = [v for v in values if v not in scenarios]
            if bad:
                problems.append(f"scenario: got {', '.join(map(repr, bad))}; allowed: one of {', '.join(scenarios)}")
        elif key not in known:
            near = difflib.get_close_matches(key, list(known), n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            problems.append(f"{key}: unknown config key (given {key}={','.join(values)}){hint}; see docs/PARAMETERS.md for every key")
    return problems


def composition_problem(exc: Exception, overrides: Sequence[str]) -> str:
    """One line for a Hydra composition error: which override, what was given, what went wrong."""
    cause = str(exc.__cause__ or exc).splitlines()[0]
    for item in overrides:
        key, _, value = item.partition("=")
        if f"'{key.lstrip('+~')}'" in str(exc) or f"{item}" in str(exc):
            return f"{key}: got {value!r}; {cause}"
    return cause


def hydra_compose(overrides: Sequence[str], config_name: str = CONFIG_NAME) -> DictConfig:
    """Compose ``configs/<config_name>.yaml`` with Hydra, as is (no checks; Hydra's own exceptions propagate).

    Inside a running Hydra app the app's Hydra is used; otherwise Hydra is
    initialised on ``configs/`` for this call only.
    """
    from hydra import compose as _compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_configs()
    if GlobalHydra.instance().is_initialized():
        return _compose(config_name=config_name, overrides=list(overrides))
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return _compose(config_name=config_name, overrides=list(overrides))


def compose(scenario: str | None = None, overrides: Sequence[str] = ()) -> DictConfig:
    """Compose the Hydra config (schema + ``configs/config.yaml`` + a scenario + overrides).

    An unknown key or scenario, or a value of the wrong type, raises one
    :class:`ConfigError` naming each problem; ranges are checked by
    :func:`~simulation.config.validate` when the model is built.
    """
    ov = list(overrides)
    if scenario is not None:
        ov = [f"scenario={scenario}", *ov]
    problems = key_problems(parse_overrides(ov))
    if problems:
        raise ConfigError(problems)
    try:
        return hydra_compose(ov)
    except Exception as exc:
        raise ConfigError([composition_problem(exc, ov)]) from None


# --------------------------------------------------------------------------- laborshift
def check_overrides(overrides: Sequence[str]) -> None:
    """Raise one :class:`ConfigError` naming every unknown key, unknown scenario or invalid value in the overrides of a run.

    Every value of a sweep (``a=1,2,3``) is checked, each composed with the
    other overrides at their first value.
    """
    parsed = parse_overrides(overrides)
    problems = key_problems(parsed)
    bad_keys = {p.split(":", 1)[0] for p in problems}
    choices = [[f"{ov.key_or_group}={v}" for v in _values(ov)] for ov in parsed if ov.key_or_group not in bad_keys]
    firsts = [c[0] for c in choices]
    base = None
    seen: set[str] = set()
    for i, opts in enumerate(choices):
        for opt in opts:
            combo = firsts[:i] + [opt] + firsts[i + 1 :]
            if "\n".join(combo) in seen:
                continue
            seen.add("\n".join(combo))
            try:
                key, _, value = opt.partition("=")
                if base is not None and opt != firsts[i] and key.lstrip("+~") != "scenario" and not key.startswith("~"):
                    # another value of a plain key: set it on the config composed once (composition is slow)
                    cfg = base.copy()
                    try:
                        OmegaConf.update(cfg, key.lstrip("+"), parse_overrides([f"{key.lstrip('+')}={value}"])[0].value(), merge=False)
                    except ConfigError:
                        raise
                    except Exception as exc:
                        raise ConfigError([f"{key.lstrip('+')}: got {value!r}; {str(exc).splitlines()[0]}"]) from None
                else:
                    cfg = hydra_compose(combo)
                    if combo == firsts:
                        base = cfg
                validate(cfg)
            except ConfigError as err:
                problems.extend(p for p in err.problems if p not in problems)
            except Exception as exc:
                line = composition_problem(exc, [opt])
                if line not in problems:
                    problems.append(line)
    if problems:
        raise ConfigError(problems)


# --------------------------------------------------------------------------- the configs of other commands
def compose_command(
    command: str,
    config_name: str,
    overrides: Sequence[str],
    known: Collection[str],
    *,
    hidden: Collection[str] = (),
    by_section: bool = False,
    refuse_sweeps: str = "",
    struct_hint: str = "",
    convert: Callable[[DictConfig], Any] | None = None,
) -> Any:
    """Check a command's overrides against its own config's keys, then compose ``configs/<config_name>.yaml`` with them.

    Args:
        command: the command's name, for the messages (``laborshift-compare``).
        config_name: the config to compose.
        overrides: the command's overrides (no Hydra arguments).
        known: the keys a user may set.
        hidden: keys of the config that are not for users (refused, and not listed as allowed).
        by_section: check only the first part of a dotted key (``parameters.ai.x`` is a ``parameters`` key).
        refuse_sweeps: why a sweep (``a=1,2``) is refused; empty: sweeps are allowed.
        struct_hint: appended to a composition error about a key the config does not have.
        convert: applied to the composed config (its errors are reported like composition errors).

    Returns:
        The composed config, converted by ``convert`` if given.

    Raises:
        ConfigError: every unknown key and refused sweep at once; else the composition error.

    """
    parsed = parse_overrides(overrides)
    allowed = ", ".join(sorted(set(known) - set(hidden)))
    problems = []
    for ov in parsed:
        key = ov.key_or_group.split(".")[0] if by_section else ov.key_or_group
        if key not in known or ov.key_or_group in hidden:
            problems.append(f"{key}: unknown key of {command}; allowed: {allowed}")
    if refuse_sweeps:
        problems += [f"{ov.key_or_group}: a sweep is not allowed here ({refuse_sweeps})" for ov in parsed if ov.is_sweep_override()]
    if problems:
        raise ConfigError(problems)
    try:
        cfg = hydra_compose(overrides, config_name=config_name)
        return convert(cfg) if convert is not None else cfg
    except Exception as exc:
        line = composition_problem(exc, overrides)
        if struct_hint and "not in struct" in line:
            line += struct_hint
        raise ConfigError([line]) from None


def check_comparison(scenarios: Sequence[str], replications: int, workers: int, months: int) -> None:
    """Raise :class:`ConfigError` for an empty or unknown scenario list, R < 1, or a bad size of a comparison."""
    problems = []
    known = scenario_names()
    if len(scenarios) == 0:
        problems.append(f"scenarios: got an empty list; allowed: one or more of {', '.join(known)}")
    bad = [s for s in scenarios if s not in known]
    if bad:
        problems.append(f"scenarios: got {', '.join(map(repr, bad))}; allowed: one or more of {', '.join(known)}")
    if len(set(scenarios)) != len(scenarios):
        problems.append(f"scenarios: got duplicates in {list(scenarios)}; allowed: each scenario once")
    if not isinstance(replications, int) or isinstance(replications, bool) or replications < 1:
        problems.append(f"replications: got {replications!r}; allowed: an integer >= 1")
    if not isinstance(workers, int) or workers < 10:
        problems.append(f"workers: got {workers!r}; allowed: an integer >= 10")
    if not isinstance(months, int) or months < 1:
        problems.append(f"months: got {months!r}; allowed: an integer >= 1")
    if problems:
        raise ConfigError(problems)


def check_compare_overrides(overrides: Sequence[str]) -> CompareConfig:
    """Compose the comparison config (``laborshift-compare``) from the overrides and check it.

    Raises one :class:`ConfigError` listing every problem: unknown keys, then
    the request (:func:`check_comparison`, ``jobs``), then the overrides
    applied to the runs, checked with every scenario.
    """
    cfg = compose_command("laborshift-compare", COMPARE_CONFIG_NAME, overrides, schema_keys(CompareConfig))
    problems = []
    scenarios = list(cfg.scenarios)
    try:
        check_comparison(scenarios, cfg.replications, cfg.workers, cfg.months)
    except ConfigError as err:
        problems.extend(err.problems)
    if cfg.jobs < 0:
        problems.append(f"jobs: got {cfg.jobs}; allowed: an integer >= 0 (0: one per core)")
    if not problems:
        for scenario in scenarios:
            try:
                validate(compose(scenario, [f"workers={cfg.workers}", f"months={cfg.months}", *cfg.overrides]))
            except ConfigError as err:
                problems.extend(f"overrides: {p}" for p in err.problems if f"overrides: {p}" not in problems)
    if problems:
        raise ConfigError(problems)
    return OmegaConf.to_object(cfg)  # type: ignore[return-value]


__all__ = ["CONFIG_DIR", "check_comparison", "check_compare_overrides", "check_overrides", "compose", "compose_command",
           "composition_problem", "hydra_compose", "is_hydra_arg", "key_problems", "parse_overrides", "scenario_names"]
