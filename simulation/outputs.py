"""Output declarations: every column of a run's tables is declared once, by the module that produces it.

A mechanism (:mod:`simulation.processes`) lists its outputs in its ``outputs``
attribute, as Starsim's modules define their results:

* a **flow** is a counter the mechanism adds to during the month
  (``model.flows["quits"] += n``); it starts every month at zero;
* a **value** is set when the month is recorded, by the mechanism's
  ``record(values)`` (``values["ai_capability"] = ...``);
* a **cumulative** column is the running sum of a flow since month 0;
* a **tally** is a counter like a flow that other mechanisms read (the month's
  searchers, say) and that is not written to the tables.

The :class:`~simulation.results.Recorder` is generic: it preallocates a column
for every declaration, fills it each month and gives tidy tables whose dtypes
are the declared ones. ``docs/OUTPUTS.md`` lists the columns from these
declarations (``python scripts/gen_docs.py``; a test checks it is current).
Adding an output is one declaration and one line that fills it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

TIMESERIES, BY_OCCUPATION, BY_STAGE, BY_SECTOR = "timeseries", "by_occupation", "by_stage", "by_sector"
TABLES = (TIMESERIES, BY_OCCUPATION, BY_STAGE, BY_SECTOR)
# the columns that identify a row, in front of every table's declared columns
INDEX_COLUMNS = {TIMESERIES: (), BY_OCCUPATION: ("month", "occupation", "lane"), BY_STAGE: ("month", "stage"),
                 BY_SECTOR: ("month", "sector")}
# a flow's key in model.flows: the column name, with this suffix outside the timeseries
KEY_SUFFIX = {TIMESERIES: "", BY_OCCUPATION: "_occ", BY_STAGE: "_stage", BY_SECTOR: "_sector"}
FLOW, VALUE, CUMULATIVE, TALLY = "flow", "value", "cumulative", "tally"
DTYPES = ("int64", "float64")


@dataclass(frozen=True)
class Output:
    """One declared output: a column of one table (or a tally that no table holds).

    Attributes:
        name: the column name.
        doc: what it measures, one line.
        unit: its unit (``workers / month``, ``share``, ``currency / month``, ...).
        table: ``timeseries``, ``by_occupation``, ``by_stage`` or ``by_sector``.
        kind: ``flow``, ``value``, ``cumulative`` or ``tally`` (see the module docstring).
        dtype: ``int64`` for counts, ``float64`` otherwise.
        of: for a cumulative column, the key of the flow (or tally) it sums.

    """

    name: str
    doc: str
    unit: str
    table: str = TIMESERIES
    kind: str = FLOW
    dtype: str = "int64"
    of: str = ""

    def __post_init__(self):
        if self.table not in TABLES or self.kind not in (FLOW, VALUE, CUMULATIVE, TALLY) or self.dtype not in DTYPES:
            raise ValueError(f"output {self.name!r}: table {self.table!r}, kind {self.kind!r} or dtype {self.dtype!r} is not one of "
                             f"{TABLES}, (flow, value, cumulative, tally), {DTYPES}")
        if (self.kind == CUMULATIVE) != bool(self.of):
            raise ValueError(f"output {self.name!r}: a cumulative output names the flow it sums (of=...), and only it")

    @property
    def key(self) -> str:
        """Its key in ``model.flows`` and in the values a mechanism records: the name, suffixed outside the timeseries."""
        return self.name + KEY_SUFFIX[self.table]

    @property
    def written(self) -> bool:
        """Whether it is a column of a table (tallies are not)."""
        return self.kind != TALLY


def flow(name: str, doc: str, unit: str = "workers / month", table: str = TIMESERIES) -> Output:
    """A count of events during the month, added to by the mechanism that declares it."""
    return Output(name, doc, unit, table, FLOW)


def money(name: str, doc: str, unit: str = "currency / month") -> Output:
    """A sum of money paid or received during the month (a fiscal line), added to by the mechanism that declares it."""
    return Output(name, doc, unit, TIMESERIES, FLOW, "float64")


def tally(name: str, doc: str, table: str = BY_OCCUPATION) -> Output:
    """A monthly counter that other mechanisms read and no table holds."""
    return Output(name, doc, "workers / month", table, TALLY)


def value(name: str, doc: str, unit: str, table: str = TIMESERIES, dtype: str = "float64") -> Output:
    """A quantity set when the month is recorded (a stock, a rate, an index)."""
    return Output(name, doc, unit, table, VALUE, dtype)


def stock(name: str, doc: str, unit: str = "workers", table: str = TIMESERIES) -> Output:
    """A count of workers (or firms) at the end of the month."""
    return Output(name, doc, unit, table, VALUE, "int64")


def cumulative(name: str, of: str, doc: str, unit: str = "workers") -> Output:
    """The running sum since month 0 of the flow (or tally) with key ``of``."""
    return Output(name, doc, unit, TIMESERIES, CUMULATIVE, "int64", of)


def collect(producers: Iterable) -> list[tuple[str, Output]]:
    """Every declaration of these producers, as ``(producer name, output)``, in order; a key declared twice raises."""
    out, seen = [], {}
    for p in producers:
        for o in p.outputs:
            if o.key in seen:
                raise ValueError(f"output {o.key!r} is declared by both {seen[o.key]} and {p.name}")
            seen[o.key] = p.name
            out.append((p.name, o))
    return out


class Flows(dict):
    """The month's flows and tallies: exactly the declared keys, each zero at the start of the month.

    Reading or writing a key that no mechanism declared raises ``KeyError``
    naming the declared keys, so a misspelt flow cannot go unrecorded.
    """

    def __init__(self, outputs: Iterable[Output], sizes: dict[str, int]):
        super().__init__()
        outputs = [o for o in outputs if o.kind in (FLOW, TALLY)]
        self._shapes = {o.key: sizes.get(o.table, 0) for o in outputs}
        self._money = {o.key for o in outputs if o.dtype == "float64"}
        self.reset()

    def reset(self) -> None:
        """Every flow back to zero (new arrays: a reference kept from last month keeps last month's counts)."""
        for key, n in self._shapes.items():
            dict.__setitem__(self, key, np.zeros(n, dtype=np.int64) if n else (0.0 if key in self._money else 0))

    def __setitem__(self, key: str, val) -> None:
        if key not in self._shapes:
            raise KeyError(f"{key!r} is not a declared flow; declared: {', '.join(self._shapes)}")
        dict.__setitem__(self, key, val)

    def __missing__(self, key: str):
        raise KeyError(f"{key!r} is not a declared flow; declared: {', '.join(self._shapes)}")


def columns_markdown(declared: list[tuple[str, Output]]) -> str:
    """The column tables of ``docs/OUTPUTS.md``: one section per table, one row per column, with its producer."""
    index_docs = {
        (TIMESERIES, "month"): None,
        (BY_OCCUPATION, "month"): ("month of the run", "month"),
        (BY_OCCUPATION, "occupation"): ("occupation id (see `simulation/data/occupations.csv`)", ""),
        (BY_OCCUPATION, "lane"): ("lane of the occupation: `ai_core`, `ai_adjacent`, `traditional`", ""),
        (BY_STAGE, "month"): ("month of the run", "month"),
        (BY_STAGE, "stage"): ("career stage: `early`, `mid`, `late`", ""),
        (BY_SECTOR, "month"): ("month of the run", "month"),
        (BY_SECTOR, "sector"): ("firms' sector (see `simulation/data/sectors.csv`); a worker's flows count in their employer's sector", ""),
    }
    lines = []
    for table in TABLES:
        lines += [f"## `{table}`", "", "| column | meaning | unit | type | from |", "|---|---|---|---|---|"]
        for name in INDEX_COLUMNS[table]:
            doc, unit = index_docs[(table, name)]
            lines.append(f"| `{name}` | {doc} | {unit} | {'int' if name == 'month' else 'text'} | index |")
        for producer, o in declared:
            if o.table == table and o.written:
                kind = {FLOW: "flow", VALUE: "", CUMULATIVE: "cumulative"}[o.kind]
                typ = ("count" if o.dtype == "int64" else "number") + (f", {kind}" if kind else "")
                lines.append(f"| `{o.name}` | {o.doc} | {o.unit} | {typ} | `{producer}` |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
