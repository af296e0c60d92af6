"""The notebooks are committed clean and in sync with their plain-text twins (no execution here).

Each ``notebooks/NN_name.ipynb`` is paired with ``notebooks/NN_name.py`` (jupytext
percent format, ``notebooks/jupytext.toml``). A stale pair, a committed output or a
notebook without its exercises fails here; running the notebooks is nbmake's job
(``pytest --nbmake notebooks/``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
IPYNB = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
TWINS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_there_are_notebooks_and_every_one_has_a_twin():
    assert IPYNB, f"no notebooks found in {NOTEBOOKS}"
    stems_nb = {p.stem for p in IPYNB}
    stems_py = {p.stem for p in TWINS}
    assert stems_nb == stems_py, f"unpaired: notebooks without a .py twin {sorted(stems_nb - stems_py)}, .py without a notebook {sorted(stems_py - stems_nb)}"


@pytest.mark.parametrize("path", IPYNB, ids=lambda p: p.name)
def test_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts; clear them (jupyter nbconvert --clear-output --inplace) before committing"


@pytest.mark.parametrize("path", IPYNB, ids=lambda p: p.name)
def test_notebook_matches_its_twin(path):
    twin = path.with_suffix(".py")
    nb = nbformat.read(path, as_version=4)
    text = jupytext.read(twin, fmt="py:percent")
    a, b = _cells(nb), _cells(text)
    if a != b:
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        pytest.fail(f"{path.name} and {twin.name} differ (cells: {len(a)} against {len(b)}; first difference at cell {first}); "
                    f"run `jupytext --sync notebooks/{twin.name}` from the file you edited")


@pytest.mark.parametrize("path", IPYNB, ids=lambda p: p.name)
def test_notebook_uses_the_python3_kernel_and_jupytext_pairing(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec must be python3"
    assert "py:percent" in nb.metadata.get("jupytext", {}).get("formats", ""), f"{path.name}: not paired with a py:percent twin"


@pytest.mark.parametrize("path", IPYNB, ids=lambda p: p.name)
def test_notebook_ends_with_exercises_and_a_worked_answer(path):
    nb = nbformat.read(path, as_version=4)
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    exercises = [i for i, s in enumerate(md) if "## Exercises" in s]
    assert exercises, f"{path.name}: no '## Exercises' section"
    assert any("Worked answer" in s for s in md[exercises[0]:]), f"{path.name}: no worked answer after the exercises"


def test_python3_kernel_runs_this_interpreter():
    """nbmake starts the notebooks' ``python3`` kernel: it must be the interpreter running the tests (the project's venv)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    km = KernelManager(kernel_name="python3")
    cmd = km.format_kernel_cmd()
    assert Path(cmd[0]).resolve() == Path(sys.executable).resolve(), (
        f"the python3 kernel ({spec.resource_dir}) runs {cmd[0]}, not this interpreter {sys.executable}: "
        "install ipykernel into this environment (pip install -e '.[test]')")


@pytest.mark.parametrize("path", IPYNB, ids=lambda p: p.name)
def test_code_takes_the_currency_from_the_run(path):
    """Money is labelled with the run's profile currency (issue 17): no code cell spells a currency code itself."""
    from simulation.config import CURRENCIES

    nb = nbformat.read(path, as_version=4)
    pattern = re.compile(r"\b(" + "|".join(CURRENCIES) + r")\b")
    bad = {i: sorted(set(pattern.findall(c.source))) for i, c in enumerate(nb.cells) if c.cell_type == "code" and pattern.search(c.source)}
    assert not bad, (f"{path.name}: code cells {bad} name a currency; take it from the run "
                     "(res.config['profile']['currency'], model.cfg.profile.currency or compose(...).profile.currency)")


def test_quickstart_says_which_profile_it_runs_and_how_to_switch():
    nb = nbformat.read(NOTEBOOKS / "01_quickstart.ipynb", as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "`china`" in md and "profile=us" in md, "01_quickstart: say that it runs the china profile and how to run profile=us"
