r"""Named variants and lever decompositions of a comparison (issue 16, items 4 and 5).

A **variant** is a scenario plus its own overrides, compared under its own name in
the same run as the scenarios, on the same replication seeds. It is declared on
the command line of ``laborshift-compare`` (``variants={name: {...}}``) or in a
small YAML file (``variants_file=path.yaml``), each as a mapping::

    push_cheap:
      scenario: retraining_push                    # the scenario it starts from (required)
      policy.retraining_subsidy.cost_share: 0.4    # any model key, dotted or nested
      overrides: ["policy.hiring_subsidy.enabled=false"]   # or Hydra override strings

On the command line (Hydra's dictionary syntax; quote the whole argument)::

    laborshift-compare scenarios=[baseline,retraining_push] \
        'variants={push_cheap: {scenario: retraining_push, policy.retraining_subsidy.cost_share: 0.4}}'

A variant's runs get the comparison's ``overrides`` first and its own after them
(its own win on a key set by both). A variant's name may not be a scenario's
name, and its keys are checked like every override (unknown key, wrong type,
out of range, a key the comparison sets itself): every problem at once, exit 2.

A **lever decomposition** of a scenario or variant (``decompose=[name]``) runs each
of its levers alone: ``baseline`` plus the settings of that lever (every
``policy.<lever>.*`` key where the bundle differs from ``baseline``), on the same
seeds. Settings outside ``policy`` where the bundle differs from ``baseline`` form
one more part, ``other settings``. A bundle with a single part needs no extra
runs (the part alone is the bundle).
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ConfigError, flatten

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
RESERVED = ("scenario", "overrides")
OTHER = "other settings"
DEFAULT_DECOMPOSE = "retraining_push"
REFERENCE = "baseline"
# keys that never count as a difference between two scenarios' configurations
IGNORED = ("scenario", "description", "seed", "workers", "months", "progress")


@dataclass(frozen=True)
class Variant:
    """A named variant: a scenario and its own overrides (Hydra override strings)."""

    name: str
    scenario: str
    overrides: tuple[str, ...] = ()


@dataclass
class RunPlan:
    """Every run of a comparison, by name: the names compared, and the extra runs of the lever decompositions.

    ``specs``: name -> (scenario file, the run's own overrides, after the comparison's);
    ``decomposition``: bundle -> {part: the name of its "alone" run (the bundle's own name for a single part)};
    ``parts``: bundle -> {part: its override strings}.
    """

    names: list[str]
    specs: dict[str, tuple[str, tuple[str, ...]]]
    decomposition: dict[str, dict[str, str]] = field(default_factory=dict)
    parts: dict[str, dict[str, list[str]]] = field(default_factory=dict)


# --------------------------------------------------------------------------- parsing
def format_override_value(value: Any) -> str:
    """A value as Hydra override text (strings quoted, lists bracketed)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(format_override_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def _spec_problems(name: str, spec: Any, known: Sequence[str]) -> tuple[Variant | None, list[str]]:
    """One variant's definition: the variant, or the problems of its name, scenario and form."""
    where = f"variants.{name}"
    problems = []
    if not NAME_RE.match(str(name)):
        problems.append(f"{where}: the name {name!r} is not allowed; allowed: a letter, then letters, digits or _")
    elif name in known:
        problems.append(f"{where}: the name clashes with the scenario {name!r}; allowed: a name that is not a scenario's")
    if not isinstance(spec, Mapping):
        return None, problems + [f"{where}: got {spec!r}; allowed: a mapping with 'scenario' and settings, "
                                 f"e.g. {{scenario: retraining_push, policy.retraining_subsidy.cost_share: 0.4}}"]
    scenario = spec.get("scenario")
    if scenario is None:
        problems.append(f"{where}.scenario: missing; allowed: one of {', '.join(known)}")
    elif scenario not in known:
        problems.append(f"{where}.scenario: got {scenario!r}; allowed: one of {', '.join(known)}")
    own = spec.get("overrides", [])
    if isinstance(own, str):
        own = [own]
    if not isinstance(own, list | tuple) or not all(isinstance(o, str) for o in own):
        problems.append(f"{where}.overrides: got {own!r}; allowed: a list of override strings such as ['policy.hiring_subsidy.enabled=false']")
        own = []
    rest = {k: v for k, v in spec.items() if k not in RESERVED}
    settings = [f"{k}={format_override_value(v)}" for k, v in flatten(rest).items()]
    if problems:
        return None, problems
    return Variant(str(name), str(scenario), tuple(settings) + tuple(own)), []


def read_variants_file(path: str) -> tuple[dict, list[str]]:
    """The mapping of a variants file (a top-level ``variants:`` key is optional), or the problem reading it."""
    import yaml

    p = Path(path)
    if not p.is_file():
        return {}, [f"variants_file: got {path!r}; allowed: a readable YAML file (no such file)"]
    try:
        data = yaml.safe_load(p.read_text())
    except (OSError, yaml.YAMLError) as exc:
        return {}, [f"variants_file: cannot read {path!r}: {str(exc).splitlines()[0]}"]
    if isinstance(data, Mapping) and set(data) == {"variants"}:
        data = data["variants"]
    if data is None:
        return {}, []
    if not isinstance(data, Mapping):
        return {}, [f"variants_file: {path!r} holds {type(data).__name__}; allowed: a mapping of variant name to its definition"]
    return dict(data), []


def _parse(given: Any, file: str = "") -> tuple[dict[str, Variant], list[str]]:
    """The well-formed variants of the command line and of the file, and the problems of the others."""
    from .composition import scenario_names

    if given is not None and not isinstance(given, Mapping):
        return {}, [f"variants: got {given!r}; allowed: a mapping of variant name to its definition, "
                    f"e.g. {{push_cheap: {{scenario: retraining_push, policy.retraining_subsidy.cost_share: 0.4}}}}"]
    known = scenario_names()
    problems: list[str] = []
    specs = dict(given or {})
    if file:
        from_file, file_problems = read_variants_file(file)
        problems += file_problems
        problems += [f"variants.{n}: defined both on the command line and in {file}; allowed: each name once" for n in from_file if n in specs]
        specs.update({n: s for n, s in from_file.items() if n not in specs})
    out = {}
    for name, spec in specs.items():
        variant, found = _spec_problems(str(name), spec, known)
        problems += found
        if variant is not None:
            out[variant.name] = variant
    return out, problems


def parse_variants(given: Mapping | None, file: str = "") -> dict[str, Variant]:
    """The variants of the command line and of the file, checked for form (not yet composed); raises :class:`ConfigError`."""
    out, problems = _parse(given, file)
    if problems:
        raise ConfigError(problems)
    return out


def variant_problems(variants: Mapping[str, Variant], overrides: Sequence[str], size: Sequence[str]) -> list[str]:
    """Each variant's overrides checked like the comparison's: form, keys the comparison sets, types, then composed and validated."""
    from .composition import COMPARE_CONTROLLED, compare_override_problems, compose, parse_overrides
    from .config import validate

    problems = []
    for v in variants.values():
        own = [p.removeprefix("overrides: ") for p in compare_override_problems(list(v.overrides))]
        problems += [f"variants.{v.name}: {p}" for p in own]
        try:
            parsed = parse_overrides(list(v.overrides))
        except ConfigError:
            continue
        # the overrides not already refused, composed with the scenario (their range errors join the others)
        rest = [o.input_line for o in parsed if o.key_or_group not in COMPARE_CONTROLLED
                and not any(p.startswith(f"{o.key_or_group}:") or f"'{o.key_or_group}'" in p for p in own)]
        try:
            validate(compose(v.scenario, [*size, *overrides, *rest]))
        except ConfigError as err:
            problems += [f"variants.{v.name}: {p}" for p in err.problems]
    return problems


def resolve_decompose(decompose: Sequence[str] | None, names: Sequence[str]) -> list[str]:
    """The names to decompose: the given ones, or (None) ``retraining_push`` when it is compared with ``baseline``."""
    if decompose is None:
        return [DEFAULT_DECOMPOSE] if DEFAULT_DECOMPOSE in names and REFERENCE in names else []
    return list(decompose)


def decompose_problems(decompose: Sequence[str], names: Sequence[str]) -> list[str]:
    """A decomposition needs ``baseline`` and the decomposed scenario or variant in the comparison."""
    problems = []
    bad = [d for d in decompose if d not in names or d == REFERENCE]
    if bad:
        allowed = [n for n in names if n != REFERENCE]
        problems.append(f"decompose: got {', '.join(map(repr, bad))}; allowed: scenarios or variants of the comparison other than "
                        f"baseline ({', '.join(allowed) or 'none'})")
    if decompose and REFERENCE not in names:
        problems.append("decompose: a lever decomposition is measured against baseline; allowed: only with baseline in scenarios")
    if len(set(decompose)) != len(decompose):
        problems.append(f"decompose: got duplicates in {list(decompose)}; allowed: each name once")
    return problems


def check_request(cfg) -> list[str]:
    """Problems of a comparison config's variants and decomposition (for ``laborshift-compare``'s check)."""
    variants, problems = _parse(cfg.variants, cfg.variants_file)
    names = [*cfg.scenarios, *variants]
    if not problems:
        problems += decompose_problems(resolve_decompose(cfg.decompose, names), names)
    size = [f"workers={cfg.workers}", f"months={cfg.months}"]
    return problems + variant_problems(variants, list(cfg.overrides), size)


# --------------------------------------------------------------------------- the runs
def composed(scenario: str, overrides: Sequence[str], workers: int, months: int) -> dict:
    """The plain configuration of a run (no seed); a fresh copy of a cached composition."""
    return copy.deepcopy(_composed(scenario, tuple(overrides), int(workers), int(months)))


@functools.lru_cache(maxsize=64)
def _composed(scenario: str, overrides: tuple[str, ...], workers: int, months: int) -> dict:
    from omegaconf import OmegaConf

    from .composition import compose

    cfg = compose(scenario, [f"workers={workers}", f"months={months}", *overrides])
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def lever_parts(base: Mapping, bundle: Mapping) -> dict[str, list[str]]:
    """Where ``bundle`` differs from ``base``, as override strings grouped by policy lever (others: :data:`OTHER`)."""
    fb, fx = flatten(base), flatten(bundle)
    parts: dict[str, list[str]] = {}
    for key in sorted(set(fx)):
        if key in IGNORED or key not in fb or fb[key] == fx[key]:
            continue
        bits = key.split(".")
        part = bits[1] if bits[0] == "policy" and len(bits) > 2 else OTHER
        parts.setdefault(part, []).append(f"{key}={format_override_value(fx[key])}")
    return parts


def plan_runs(scenarios: Sequence[str], variants: Mapping[str, Variant], decompose: Sequence[str], overrides: Sequence[str],
              workers: int, months: int) -> RunPlan:
    """Every run of the comparison by name, with the "alone" runs of the decompositions; raises :class:`ConfigError`."""
    names = [*scenarios, *variants]
    problems = decompose_problems(decompose, names)
    if problems:
        raise ConfigError(problems)
    specs = {s: (s, ()) for s in scenarios} | {n: (v.scenario, v.overrides) for n, v in variants.items()}
    plan = RunPlan(names=names, specs=dict(specs))
    if not decompose:
        return plan
    base = composed(REFERENCE, overrides, workers, months)
    for d in decompose:
        scenario, own = specs[d]
        parts = lever_parts(base, composed(scenario, [*overrides, *own], workers, months))
        plan.parts[d] = parts
        plan.decomposition[d] = {}
        for part, settings in parts.items():
            label = d if len(parts) == 1 else f"{d}|{part}"
            plan.decomposition[d][part] = label
            if label not in plan.specs:
                plan.specs[label] = (REFERENCE, tuple(settings))
    return plan




__all__ = ["OTHER", "RunPlan", "Variant", "check_request", "composed", "decompose_problems", "format_override_value", "lever_parts",
           "parse_variants", "plan_runs", "resolve_decompose", "variant_problems"]
