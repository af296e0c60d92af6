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

import copy
import dataclasses
import difflib
import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from .config import (
    COMPARE_CONFIG_NAME,
    CONFIG_NAME,
    CompareConfig,
    ConfigError,
    format_number,
    iter_params,
    range_problems,
    register_configs,
    schema_keys,
    validate,
)
from .resources import comparison_memory_problem

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
# scenarios whose story needs regions=... (simulation.regions); here so that checking a command line does not import the model
REGIONAL_SCENARIOS = ("global_race", "chip_controls", "talent_return")


def scenario_names() -> list[str]:
    """Scenarios shipped in ``configs/scenario``."""
    return sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def profile_names() -> list[str]:
    """Profiles (calibrated markets) shipped in ``configs/profile``."""
    return sorted(p.stem for p in (CONFIG_DIR / "profile").glob("*.yaml"))


GROUPS = {"scenario": scenario_names, "profile": profile_names}  # the config groups chosen by name on the command line


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


def parse_each(overrides: Sequence[str]) -> tuple[list, list[str]]:
    """Parse each override on its own: (the parsed ones, one problem per malformed one, naming its key).

    One malformed override then does not hide the problems of the others.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    parsed, problems = [], []
    for item in overrides:
        try:
            parsed += parser.parse_overrides([item])
        except Exception as exc:  # the parser's own message says what is malformed
            key, sep, value = item.partition("=")
            what = f"got {value!r}" if sep else f"got {item!r} without a value"
            problems.append(f"{key.lstrip('+~').strip() or item}: {what}; allowed: key=value in Hydra's override syntax "
                            f"({str(exc).splitlines()[0]})")
    return parsed, problems


def _values(ov) -> list[str]:
    """Every value of a parsed override (each value of a sweep), as text."""
    return [str(v) for v in ov.sweep_string_iterator()] if ov.is_sweep_override() else [ov.get_value_element_as_str()]


def key_problems(parsed: Sequence) -> list[str]:
    """Unknown keys, scenarios and profiles among parsed overrides (every value of a sweep is checked)."""
    known = schema_keys()
    problems = []
    for ov in parsed:
        key = ov.key_or_group
        values = _values(ov)
        if key in GROUPS:
            names = GROUPS[key]()
            bad = [v for v in values if v not in names]
            if bad:
                problems.append(f"{key}: got {', '.join(map(repr, bad))}; allowed: one of {', '.join(names)}")
        elif key not in known:
            # a dotted key names a parameter: suggest parameters, not the groups that hold them ("market" for "market.bogus")
            pool = [k for k, t in known.items() if not dataclasses.is_dataclass(t)] if "." in key else list(known)
            near = difflib.get_close_matches(key, pool, n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            problems.append(f"{key}: unknown config key (given {key}={','.join(values)}){hint}; see docs/PARAMETERS.md for every key")
    return problems


def _allowed_type(ftype: type, meta: Mapping | None = None) -> str:
    """What a value of a schema type may be, with its range if it has one (for the messages)."""
    if ftype is bool:
        return "true or false"
    kind = "an integer" if ftype is int else "a number"
    lo, hi = (meta or {}).get("lo"), (meta or {}).get("hi")
    if lo is not None and hi is not None:
        return f"{kind} in {'(' if meta.get('lo_open') else '['}{format_number(lo)}, {format_number(hi)}]"
    return kind


def _param_meta(schema: type | None) -> dict[str, Mapping]:
    return {name: f.metadata for name, f, _ in iter_params(None if schema is None else schema())}


def type_problems(parsed: Sequence, types: Mapping[str, type], schema: type | None = None) -> list[str]:
    """Values that cannot be taken as their key's schema type (int, float, bool), one line per key, before any composition.

    Every value of a sweep is checked. Booleans must be ``true`` or ``false``
    (Hydra would take ``-1`` or ``yes`` as true).
    """
    from omegaconf.errors import ValidationError
    from omegaconf.nodes import FloatNode, IntegerNode

    metas = _param_meta(schema)
    problems = []
    for ov in parsed:
        key = ov.key_or_group
        ftype = types.get(key)
        if ftype not in (int, float, bool) or ov.is_delete():
            continue
        values = list(ov.sweep_iterator()) if ov.is_sweep_override() else [ov.value()]
        bad = []
        for v in values:
            if ftype is bool:
                ok = isinstance(v, bool)
            elif v is None or isinstance(v, bool):
                ok = False
            else:
                try:
                    (IntegerNode if ftype is int else FloatNode)(value=v)
                    ok = True
                except (ValidationError, ValueError, TypeError):
                    ok = False
            if not ok:
                bad.append(v)
        if bad:
            got = ", ".join("null" if v is None else repr(v) for v in bad)
            problems.append(f"{key}: got {got}; allowed: {_allowed_type(ftype, metas.get(key))}")
    return problems


def duplicate_problems(parsed: Sequence) -> list[str]:
    """Keys given more than once (Hydra would silently keep the last), one line per key; a deletion (``~key``) does not count."""
    given: dict[str, list[str]] = {}
    for ov in parsed:
        if ov.is_delete():  # ~key then +key=... replaces a node: not a duplicate
            continue
        given.setdefault(ov.key_or_group, []).append(ov.input_line or ov.key_or_group)
    return [f"{key}: given {len(items)} times ({', '.join(items)}); allowed: each key once"
            for key, items in given.items() if len(items) > 1]


# keys of a run that laborshift-compare sets itself, and the comparison setting to use instead
COMPARE_CONTROLLED = {
    "scenario": "scenarios=[...] (the scenarios compared)",
    "seed": "seed=... (the master seed)",
    "workers": "workers=...",
    "months": "months=...",
    "progress": "progress=...",
}


def compare_override_problems(overrides: Sequence[str]) -> list[str]:
    """Problems of a comparison's run overrides found without composing: malformed, duplicated, set by the comparison, or of the wrong type."""
    try:
        parsed = parse_overrides(overrides)
    except ConfigError as err:
        return [f"overrides: {p}" for p in err.problems]
    problems = [f"overrides: '{ov.key_or_group}' is set by the comparison; use {COMPARE_CONTROLLED[ov.key_or_group]} instead"
                for ov in parsed if ov.key_or_group in COMPARE_CONTROLLED]
    problems += [f"overrides: {p}" for p in duplicate_problems(parsed) + type_problems(parsed, schema_keys())]
    return list(dict.fromkeys(problems))


def hydra_arg_problems(args: Sequence[str]) -> list[str]:
    """Hydra arguments that would do harm: an empty ``hydra.run.dir`` or ``hydra.sweep.dir`` writes into the current folder."""
    problems = []
    for arg in args:
        key, sep, value = arg.lstrip("+").partition("=")
        if sep and key in ("hydra.run.dir", "hydra.sweep.dir") and value.strip().strip("'\"").strip() == "":
            problems.append(f"{key}: got {value!r}; allowed: a folder name (an empty one would write into the current folder)")
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
    parsed = parse_overrides(ov)
    problems = key_problems(parsed) + type_problems(parsed, schema_keys())
    if problems:
        raise ConfigError(problems)
    try:
        return _compose_fast(ov, parsed)
    except Exception as exc:
        raise ConfigError([composition_problem(exc, ov)]) from None


def _compose_fast(overrides: Sequence[str], parsed: Sequence) -> DictConfig:
    """What :func:`hydra_compose` gives for these overrides, without recomposing the defaults list every time.

    Hydra composes in two parts: it merges the defaults list (the schema, the profile and scenario chosen by the group
    overrides) and then sets each plain ``key=value`` with ``OmegaConf.update(cfg, key, value, merge=True)``. The first
    part, about 0.17 s a call, is composed once per set of group choices (:func:`_composed`) and copied; the second is
    done here as Hydra does it (``tests/test_composition.py`` checks that both give the same config). A sweep, ``+``,
    ``~``, Hydra's own keys or any failure go through Hydra itself, so its messages are unchanged.
    """
    groups, plain = [], []
    for item, ov in zip(overrides, parsed, strict=True):
        key = ov.key_or_group
        if (ov.is_sweep_override() or ov.is_delete() or ov.is_add() or ov.is_force_add() or ov.package is not None
                or key.startswith("hydra") or "/" in key):
            return hydra_compose(overrides)
        (groups if key in GROUPS else plain).append((item, ov))
    try:
        cfg = copy.deepcopy(_composed_groups(tuple(item for item, _ in groups)))
        for _, ov in plain:
            OmegaConf.update(cfg, ov.key_or_group, ov.value(), merge=True)
    except Exception:  # Hydra says what went wrong in its own words
        return hydra_compose(overrides)
    return cfg


def _composed_groups(groups: tuple[str, ...]) -> DictConfig:
    """The config Hydra composes from these group overrides alone (cached; callers copy it before changing it)."""
    from hydra.core.global_hydra import GlobalHydra

    # keyed by the composing function too, so that a replaced hydra_compose (a test pinning a profile) gets its own
    return _composed(groups, hydra_compose, GlobalHydra.instance().is_initialized())


@functools.lru_cache(maxsize=32)
def _composed(groups: tuple[str, ...], composer: Callable, in_app: bool) -> DictConfig:
    """``composer(groups)``; ``composer`` and ``in_app`` (inside a running Hydra app or not) only key the cache."""
    return composer(list(groups))


def _compose_for_check(overrides: Sequence[str]) -> DictConfig:
    """What :func:`hydra_compose` gives, composed as :func:`compose` does (without its checks): for checking many command lines."""
    return _compose_fast(overrides, parse_overrides(overrides))


# --------------------------------------------------------------------------- laborshift
def check_overrides(overrides: Sequence[str]) -> None:
    """Raise one :class:`ConfigError` naming every unknown key, unknown scenario or invalid value in the overrides of a run.

    Every value of a sweep (``a=1,2,3``) is checked, each composed with the
    other overrides at their first value.
    """
    parsed, malformed = parse_each(overrides)
    problems = key_problems(parsed) + type_problems(parsed, schema_keys())
    bad_keys = {p.split(":", 1)[0] for p in problems + malformed}
    problems = malformed + duplicate_problems(parsed) + problems  # a duplicated key's values are still checked (the last one is what Hydra would take)
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
                if base is not None and opt != firsts[i] and key.lstrip("+~") not in GROUPS and not key.startswith("~"):
                    # another value of a plain key: set it on the config composed once (composition is slow)
                    cfg = copy.deepcopy(base)
                    try:
                        OmegaConf.update(cfg, key.lstrip("+"), parse_overrides([f"{key.lstrip('+')}={value}"])[0].value(), merge=False)
                    except ConfigError:
                        raise
                    except Exception as exc:
                        raise ConfigError([f"{key.lstrip('+')}: got {value!r}; {str(exc).splitlines()[0]}"]) from None
                else:
                    cfg = _compose_for_check(combo)
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
    schema: type | None = None,
    collect: list[str] | None = None,
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
        schema: the config's dataclass: each override's value is checked against its field's type before composing.
        collect: if given, duplicated keys and values of the wrong type are added to it, and the other overrides are composed.

    Returns:
        The composed config, converted by ``convert`` if given.

    Raises:
        ConfigError: every unknown key, refused sweep, duplicated key and value of the wrong type at once; else the composition error.

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
    # a duplicated key or a value of the wrong type: reported; with `collect`, the other overrides are still composed
    pending = duplicate_problems(parsed) + (type_problems(parsed, schema_keys(schema), schema) if schema is not None else [])
    if problems or (pending and collect is None):
        raise ConfigError(problems + pending)
    if pending:
        collect.extend(pending)
        bad = {p.split(":", 1)[0] for p in pending}
        overrides = [ov.input_line for ov in parsed if ov.key_or_group not in bad]
    try:
        cfg = hydra_compose(overrides, config_name=config_name)
        return convert(cfg) if convert is not None else cfg
    except Exception as exc:
        line = composition_problem(exc, overrides)
        if struct_hint and "not in struct" in line:
            line += struct_hint
        raise ConfigError([line]) from None


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_comparison(scenarios: Sequence[str], replications: int, workers: int, months: int, seed: int = 0) -> None:
    """Raise :class:`ConfigError` for an empty or unknown scenario list, R < 1, a bad size or a bad seed of a comparison."""
    problems = []
    known = scenario_names()
    if len(scenarios) == 0:
        problems.append(f"scenarios: got an empty list; allowed: one or more of {', '.join(known)}")
    bad = [s for s in scenarios if s not in known]
    if bad:
        problems.append(f"scenarios: got {', '.join(map(repr, bad))}; allowed: one or more of {', '.join(known)}")
    if len(set(scenarios)) != len(scenarios):
        problems.append(f"scenarios: got duplicates in {list(scenarios)}; allowed: each scenario once")
    if not _is_int(replications) or replications < 1:
        problems.append(f"replications: got {replications!r}; allowed: an integer >= 1")
    if not _is_int(workers) or workers < 10:
        problems.append(f"workers: got {workers!r}; allowed: an integer >= 10")
    if not _is_int(months) or months < 1:
        problems.append(f"months: got {months!r}; allowed: an integer >= 1")
    if not _is_int(seed) or not 0 <= seed <= 2**63 - 1:
        problems.append(f"seed: got {seed!r}; allowed: an integer in [0, {2**63 - 1}]")
    if problems:
        raise ConfigError(problems)


def list_without_brackets(overrides: Sequence[str], keys: Collection[str]) -> list[str]:
    """A problem for every list-valued key given without its brackets (``scenarios=a,b`` or ``scenarios=a``).

    Hydra reads ``key=a,b`` as a sweep over two values and ``key=a`` as a string; a list needs ``key=[a,b]``.
    """
    problems = []
    for item in overrides:
        key, sep, value = item.partition("=")
        if sep and key.lstrip("+~") in keys and not value.strip().startswith("["):
            listed = ",".join(v.strip() for v in value.split(","))
            problems.append(f"{key.lstrip('+~')}: got {value!r} without brackets; allowed: a list in brackets, "
                            f"{key.lstrip('+~')}=[{listed}] (quote it in a shell that expands brackets: '{key.lstrip('+~')}=[{listed}]')")
    return problems


def uncertainty_problems(setting: str, scenario: str, overrides: Sequence[str]) -> list[str]:
    """The problems of ``parameter_uncertainty`` for the profile the runs compose (``on`` without a calibration record, a corrupt one)."""
    from .profiles import resolve_uncertainty

    try:
        profile = str(compose(scenario, list(overrides)).profile.name)
        resolve_uncertainty(setting, profile)
    except ConfigError as err:
        return [p for p in err.problems if p.startswith("parameter_uncertainty")]
    return []


def check_compare_overrides(overrides: Sequence[str], request_checks=None) -> CompareConfig:
    """Compose the comparison config (``laborshift-compare``) from the overrides and check it.

    Raises one :class:`ConfigError` listing every problem: unknown keys, then
    the request (:func:`check_comparison`, ``jobs``), then the overrides
    applied to the runs, checked with every scenario, then ``request_checks(cfg)``
    (a list of problems; the command passes :func:`simulation.variants.check_request`,
    the variants and decompositions) once the rest of the request holds.
    """
    problems = list_without_brackets(overrides, ("scenarios",))
    if problems:  # reported with the bracket hint, not as Hydra's "Ambiguous value"; the rest is still checked
        named = {p.split(":", 1)[0] for p in problems}
        overrides = [o for o in overrides if o.split("=", 1)[0].lstrip("+~") not in named]
    try:
        cfg = compose_command("laborshift-compare", COMPARE_CONFIG_NAME, overrides, schema_keys(CompareConfig), schema=CompareConfig,
                              collect=problems)
    except ConfigError as err:
        if any(o.lstrip("+").startswith("variants") for o in overrides) and any("parse" in p for p in err.problems):
            raise ConfigError([*problems, *err.problems, "variants: write each setting as a key of the variant ({name: {scenario: "
                               "retraining_push, policy.retraining_subsidy.cost_share: 0.4}}) or quote override strings "
                               "(overrides: ['key=value'])"]) from None
        raise ConfigError([*problems, *err.problems]) from None
    scenarios = list(cfg.scenarios)
    try:
        check_comparison(scenarios, cfg.replications, cfg.workers, cfg.months, cfg.seed)
    except ConfigError as err:
        problems.extend(err.problems)
    if cfg.jobs < 0:
        problems.append(f"jobs: got {cfg.jobs}; allowed: an integer >= 0 (0: one per core)")
    reported = {p.split(":", 1)[0] for p in problems}
    problems += [p for p in range_problems(cfg, CompareConfig) if p.split(":", 1)[0] not in reported]
    reported = {p.split(":", 1)[0] for p in problems}
    if not reported & {"scenarios", "replications", "months"}:
        too_big = comparison_memory_problem(len(scenarios), int(cfg.replications), int(cfg.months))
        problems += [too_big] if too_big else []
    request_ok = "scenarios" not in reported
    size = [f"{k}={cfg[k]}" for k in ("workers", "months") if k not in reported]  # a size already refused is not reported again
    own = compare_override_problems(list(cfg.overrides))
    problems += own
    try:
        parsed = parse_overrides(list(cfg.overrides))
    except ConfigError:
        parsed, request_ok = [], False
    if request_ok:
        # the overrides not already refused, checked with every scenario (their range errors join the others)
        bad = {o.key_or_group for o in parsed
               if o.key_or_group in COMPARE_CONTROLLED or any(p.startswith(f"overrides: {o.key_or_group}:") for p in own)}
        rest_lines = [o.input_line for o in parsed if o.key_or_group not in bad]
        for scenario in scenarios:
            try:
                validate(compose(scenario, [*size, *rest_lines]))
            except ConfigError as err:
                problems.extend(f"overrides: {p}" for p in err.problems if f"overrides: {p}" not in problems)
    if request_ok and "parameter_uncertainty" not in reported:
        problems += [p for p in uncertainty_problems(cfg.parameter_uncertainty, scenarios[0], [*size, *rest_lines]) if p not in problems]
    if request_ok and not own and request_checks is not None:
        problems += [p for p in request_checks(cfg) if p not in problems]
    if problems:
        raise ConfigError(problems)
    return OmegaConf.to_object(cfg)  # type: ignore[return-value]


__all__ = ["COMPARE_CONTROLLED", "CONFIG_DIR", "check_comparison", "check_compare_overrides", "check_overrides",
           "compare_override_problems", "compose", "compose_command", "composition_problem", "duplicate_problems", "hydra_arg_problems",
           "hydra_compose", "is_hydra_arg", "key_problems", "parse_each", "parse_overrides", "scenario_names", "type_problems"]
