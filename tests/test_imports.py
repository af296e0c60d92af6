"""The modules of ``simulation/`` import each other without cycles and without reaching for another module's private names.

The import graph is read from the source (AST), so imports inside functions
count too; only imports under ``if TYPE_CHECKING:`` are left out (they never
run). An import names its explicit target only: ``from .processes.drivers
import x`` is an edge to ``simulation.processes.drivers``, not to the
packages above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "simulation"

# Known offenders in validate.py / calibrate.py, which another branch turns into a validation package.
# Emptied when that branch is merged; an entry that no longer occurs makes the tests fail, so the list cannot go stale.

def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path = ROOT) -> dict[str, Path]:
    return {_module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every import node of a module, including those in functions, except under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` reads from."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _edges(modules: dict[str, Path]) -> tuple[dict[str, set[str]], list[tuple[str, str, str, int]]]:
    """The import graph within the package, and every ``from <module> import _private`` as (importer, module, name, line)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    private = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                source = _resolve(module, is_package, node)
                # `from . import x` / `from .pkg import mod`: the name is a module when such a module exists
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
                if source in modules and source != module:
                    private += [(module, source, a.name, node.lineno) for a in node.names
                                if a.name.startswith("_") and not a.name.startswith("__") and f"{source}.{a.name}" not in modules]
            graph[module] |= {t for t in targets if t in modules and t != module}
    return graph, private


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as one cycle through them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_one_cycle(graph, comp) for comp in components]


def _one_cycle(graph: dict[str, set[str]], comp: set[str]) -> list[str]:
    """A shortest cycle through the first module of a component (breadth-first), closed: ``[a, b, a]``."""
    start = min(comp)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & comp):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle through {start}")  # a component of more than one module always has one


def test_the_graph_sees_imports_inside_functions_and_skips_type_checking_ones():
    graph, _ = _edges(_modules())
    assert "simulation.model" in graph["simulation.runner"]  # a top-level import
    assert "simulation.plotting" in graph["simulation.runner"]  # imported inside save()
    assert "simulation.model" not in graph["simulation.processes.base"]  # only under `if TYPE_CHECKING:`
    assert "simulation.composition" in graph["simulation.explorer.model"]  # a relative import from a subpackage (..composition)


def test_no_import_cycles():
    graph, _ = _edges(_modules())
    cycles = [" -> ".join(c) for c in _cycles(graph)]
    assert not cycles, "import cycles in simulation/ (break them; an import only for type hints goes under `if TYPE_CHECKING:`):\n  " + \
        "\n  ".join(cycles)


def test_no_private_names_imported_from_other_modules():
    _, private = _edges(_modules())
    found = [f"{m} (line {line}): from {src} import {name}" for m, src, name, line in private]
    assert not found, "private names imported from another module (make them public where they belong):\n  " + "\n  ".join(found)


def test_the_checks_catch_a_cycle_and_a_private_import(tmp_path):
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nfrom simulation.sub import c\nif TYPE_CHECKING:\n    from . import a\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from ..a import _hidden\nfrom . import __doc__\n")
    graph, private = _edges(_modules(tmp_path))
    assert graph["simulation.a"] == {"simulation.b"}
    assert graph["simulation.b"] == {"simulation.sub.c"}
    assert graph["simulation.sub.c"] == {"simulation.a", "simulation.sub"}
    assert _cycles(graph) == [["simulation.a", "simulation.b", "simulation.sub.c", "simulation.a"]]
    assert [(m, s, n) for m, s, n, _ in private] == [("simulation.sub.c", "simulation.a", "_hidden")]
