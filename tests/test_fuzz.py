"""Fuzzing the command lines: every invalid configuration is one clear message and exit code 2.

Hypothesis builds command lines for ``laborshift`` and ``laborshift-compare``
from one to four invalid items (a value outside its parameter's range or of
the wrong type, an unknown key or scenario, a duplicated key, a list of values
without ``-m``, broken override syntax, an age structure beyond the retirement
age, an empty output folder), mixed with valid overrides, and runs the
command's entry point in this process, as the console script does. Each must
exit with code 2, print no traceback, name the key of every invalid item, and
write nothing: no run folder, no file in the current folder.

The examples are drawn deterministically (``derandomize``), so a failure
reproduces; 1,000 command lines for ``laborshift`` and 200 for
``laborshift-compare`` per run. Run in-process because a console script's
start-up (about a second) times 1,200 would dominate the suite; the
subprocess tests in ``test_bad_input.py`` show the console scripts behave
like their entry points.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation.cli import compare_main, main
from simulation.composition import scenario_names
from simulation.config import iter_params

PARAMS = [(name, f.metadata, default) for name, f, default in iter_params()]
NUMERIC = [p for p in PARAMS if type(p[2]) in (int, float) and p[1]["lo"] is not None and p[1]["hi"] is not None]
BOOLS = [p for p in PARAMS if type(p[2]) is bool]
CHOICES = [p for p in PARAMS if p[1].get("choices")]
# values of the wrong type for any number: words and malformed numbers (not "nan": a float field refuses it by range)
NOT_A_NUMBER = st.sampled_from(["abc", "1e", "--", "1,5", "one", "0x", "1.2.3", "[1]", "{a: 1}", "''", "null"])
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12)


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))


def _number(x: float, integer: bool) -> str:
    return str(int(x)) if integer else repr(float(x))


@st.composite
def out_of_range(draw) -> tuple[str, str]:
    name, meta, default = draw(st.sampled_from(NUMERIC))
    integer = type(default) is int
    lo, hi = float(meta["lo"]), float(meta["hi"])
    step = draw(st.integers(1, 10**6)) if integer else draw(st.floats(1e-3, 1e6)) * max(1.0, abs(hi - lo) * 1e-3)
    below = draw(st.booleans())
    if below and meta.get("lo_open") and draw(st.booleans()):
        value = lo  # an open lower bound refuses the bound itself
    else:
        value = lo - step if below else hi + step
    return f"{name}={_number(value, integer)}", name


@st.composite
def wrong_type(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(["number", "integer", "bool", "choice"]))
    if kind == "bool":
        name, _, _ = draw(st.sampled_from(BOOLS))
        return f"{name}={draw(st.sampled_from(['maybe', '2', '-1', '1', 'yes', 'off', 'abc', '0.5']))}", name
    if kind == "choice":
        name, meta, _ = draw(st.sampled_from(CHOICES))
        word = draw(WORDS.filter(lambda w: w not in meta["choices"]))
        return f"{name}={word}", name
    pool = [p for p in NUMERIC if type(p[2]) is int] if kind == "integer" else NUMERIC
    name, meta, _ = draw(st.sampled_from(pool))
    if kind == "integer":  # a fraction where an integer is due
        return f"{name}={draw(st.integers(0, 50))}.5", name
    return f"{name}={draw(NOT_A_NUMBER)}", name


@st.composite
def unknown_key(draw) -> tuple[str, str]:
    name, _, default = draw(st.sampled_from(PARAMS))
    how = draw(st.sampled_from(["suffix", "prefix", "fresh"]))
    if how == "suffix":
        key = f"{name}{draw(WORDS)}"
    elif how == "prefix":
        key = f"{draw(WORDS)}.{name}"
    else:
        key = f"{draw(WORDS)}.{draw(WORDS)}"
    return f"{key}={default if not isinstance(default, list) else 1}", key


@st.composite
def unknown_scenario(draw) -> tuple[str, str]:
    word = draw(WORDS.filter(lambda w: w not in scenario_names()))
    return f"scenario={word}", "scenario"


@st.composite
def duplicate(draw) -> list[tuple[str, str]]:
    name, _, default = draw(st.sampled_from(NUMERIC + BOOLS))
    value = str(default).lower() if isinstance(default, bool) else default
    return [(f"{name}={value}", name), (f"{name}={value}", name)]


@st.composite
def list_without_m(draw) -> tuple[str, str]:
    name, meta, default = draw(st.sampled_from(NUMERIC))
    return f"{name}={default},{default}", name


@st.composite
def broken_syntax(draw) -> tuple[str, str]:
    name, _, _ = draw(st.sampled_from(NUMERIC))
    form = draw(st.sampled_from(["{k}", "{k}==1", "{k}=(", "{k}=[1", "{k}={{", "{k}=1)", "{k}='1", "{k}=\\"]))
    return form.format(k=name), name


def age_beyond_retirement(draw_age) -> tuple[str, str]:
    return f"demography.age_mean={draw_age}", "demography.age_mean"


# the keys that bound the initial mean age: with one of them invalid too, "beyond the retirement age" (60) is not judged
AGE_BOUNDS = ("demography.retirement_age", "demography.age_entry")


def _age_beyond(arg: str, key: str) -> bool:
    """Whether an item is :func:`age_beyond_retirement`'s (a valid mean age beyond the default retirement age)."""
    try:
        return key == "demography.age_mean" and 60.5 <= float(arg.split("=", 1)[1]) <= 64.0
    except ValueError:
        return False


INVALID_ITEM = st.one_of(
    out_of_range(), wrong_type(), unknown_key(), unknown_scenario(), list_without_m(), broken_syntax(),
    st.floats(60.5, 64.0).map(lambda a: age_beyond_retirement(round(a, 1))),
    st.just(("hydra.run.dir=", "hydra.run.dir")),
)


# valid values for the mix: the age structure's keys are left out (they move the bounds of the cross-field age checks)
MIXABLE = [p for p in NUMERIC if not p[0].startswith("demography.")]


@st.composite
def valid_override(draw) -> str:
    name, meta, default = draw(st.sampled_from(MIXABLE))
    integer = type(default) is int
    lo, hi = float(meta["lo"]), float(meta["hi"])
    value = draw(st.integers(int(math.ceil(lo)), int(hi)) if integer else st.floats(lo, hi, exclude_min=bool(meta.get("lo_open"))))
    return f"{name}={_number(value, integer)}"


@st.composite
def invalid_command(draw) -> tuple[list[str], list[str]]:
    """(arguments, keys the message must name): 1-4 invalid items among 0-3 valid overrides, shuffled."""
    items: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 9)) == 0:
            items += draw(duplicate())
        else:
            items.append(draw(INVALID_ITEM))
    if any(k in AGE_BOUNDS for _, k in items):  # an age beyond the default retirement age is then no longer invalid
        items = [(a, k) for a, k in items if not _age_beyond(a, k)]
    bad_keys = {k for _, k in items}
    valid = [v for v in draw(st.lists(valid_override(), max_size=3)) if v.split("=", 1)[0] not in bad_keys]
    args = draw(st.permutations([a for a, _ in items] + valid))
    return list(args), sorted(bad_keys)


def _run(entry, args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    code: object = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            entry(args)
        except SystemExit as exc:
            code = exc.code
    return code, err.getvalue()  # type: ignore[return-value]


@pytest.fixture
def in_empty_folder(tmp_path):
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _check(entry, prog: str, folder: Path, args: list[str], keys: list[str]) -> None:
    out = folder / "run"
    code, err = _run(entry, [*args, f"hydra.run.dir={out}"])
    shown = " ".join(args)
    assert code == 2, f"{prog} {shown}: exit code {code!r}; stderr:\n{err[-2000:]}"
    assert "Traceback" not in err, f"{prog} {shown}: traceback:\n{err[-3000:]}"
    assert err.startswith(f"{prog}: error: "), f"{prog} {shown}: not one clear message:\n{err[-2000:]}"
    missing = [k for k in keys if k not in err]
    assert not missing, f"{prog} {shown}: the message does not name {missing}:\n{err}"
    assert not out.exists() and list(folder.iterdir()) == [], f"{prog} {shown}: wrote {list(folder.iterdir())}"


@_settings(1000)
@given(command=invalid_command())
def test_invalid_run_commands_are_one_message_and_exit_2(in_empty_folder, command):
    args, keys = command
    _check(main, "laborshift", in_empty_folder, args, keys)


@st.composite
def invalid_compare_command(draw) -> tuple[list[str], list[str]]:
    """A comparison of ``baseline`` (one scenario keeps the checks quick) with invalid settings or overrides."""
    kind = draw(st.sampled_from(["own", "overrides", "controlled", "scenarios"]))
    size = ["replications=1", "workers=100", "months=2"]
    if kind == "own":
        key, value = draw(st.sampled_from([
            ("replications", "0"), ("replications", "-3"), ("replications", "x"), ("workers", "5"), ("workers", "abc"),
            ("months", "0"), ("seed", "-1"), ("seed", str(2**63)), ("jobs", "-2"), ("progress", "maybe")]))
        args = [f"{key}={value}", *[s for s in size if not s.startswith(key)], "scenarios=[baseline]"]
        return args, [key]
    if kind == "controlled":
        key = draw(st.sampled_from(["scenario", "seed", "workers", "months", "progress"]))
        return [*size, "scenarios=[baseline]", f"overrides=[{key}=3]"], ["overrides", key]
    if kind == "scenarios":
        word = draw(WORDS.filter(lambda w: w not in scenario_names()))
        listed = draw(st.sampled_from([f"[baseline,{word}]", "[]", "[baseline,baseline]", word]))
        return [*size, f"scenarios={listed}"], ["scenarios"]
    item, key = draw(st.one_of(out_of_range(), wrong_type(), unknown_key()))
    return [*size, "scenarios=[baseline]", f"overrides=[{item}]"], ["overrides", key]


@_settings(200)
@given(command=invalid_compare_command())
def test_invalid_compare_commands_are_one_message_and_exit_2(in_empty_folder, command):
    args, keys = command
    _check(compare_main, "laborshift-compare", in_empty_folder, args, keys)
