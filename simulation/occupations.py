"""The occupation and sector tables shipped with the package, and skill distances.

``data/occupations.csv`` is derived from public data by
``scripts/build_occupations.py`` (provenance in ``data/occupations_provenance.md``).
``data/sectors.csv`` holds the firm sectors, their employment shares, their fit
for AI and how they tilt the occupation mix (stated assumptions).

Skill distance between two skill vectors is the root-mean-square difference of
their O*NET basic-skill levels (each rescaled to [0, 1])::

    d(a, b) = sqrt(mean_k (a_k - b_k)^2)

and a worker's *fit* for an occupation is ``1 - d(skills, profile) / d_max``,
where ``d_max`` is the largest distance between two occupation profiles.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .config import LANES

LANE_CODES = {name: i for i, name in enumerate(LANES)}


@dataclass(frozen=True)
class OccupationTable:
    """Occupations as arrays indexed by occupation code (row order of the CSV)."""

    names: tuple[str, ...]
    titles: tuple[str, ...]
    lane: np.ndarray  # int8 lane code per occupation
    automation: np.ndarray  # E1 exposure in [0, 1]
    augmentation: np.ndarray  # E2 exposure in [0, 1]
    base_wage: np.ndarray  # a month, in the profile currency (USD for the table itself)
    initial_share: np.ndarray  # sums to 1
    profiles: np.ndarray  # (n_occupations, n_skills) in [0, 1]
    skill_names: tuple[str, ...]
    distance: np.ndarray  # (n_occupations, n_occupations) RMS skill distance
    max_distance: float

    @property
    def n(self) -> int:
        """Number of occupations."""
        return len(self.names)

    @property
    def lane_names(self) -> list[str]:
        """Lane name of each occupation."""
        return [LANES[i] for i in self.lane]

    def index(self, name: str) -> int:
        """Code of an occupation by name."""
        return self.names.index(name)

    def in_lane(self, lane: str) -> np.ndarray:
        """Boolean mask of the occupations in a lane."""
        return self.lane == LANE_CODES[lane]

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame."""
        return load_occupation_frame()


@dataclass(frozen=True)
class SectorTable:
    """Firm sectors."""

    names: tuple[str, ...]
    employment_share: np.ndarray
    ai_affinity: np.ndarray
    lane_tilt: np.ndarray  # (n_sectors, n_lanes)

    @property
    def n(self) -> int:
        """Number of sectors."""
        return len(self.names)


def _read_csv(name: str) -> pd.DataFrame:
    with resources.files("simulation.data").joinpath(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


@lru_cache(maxsize=1)
def load_occupation_frame() -> pd.DataFrame:
    """The shipped occupation table as a DataFrame."""
    return _read_csv("occupations.csv")


def skill_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Root-mean-square difference of skill vectors along the last axis."""
    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return np.sqrt(np.mean(diff * diff, axis=-1))


PROFILE_COLUMNS = ("occupation", "base_wage", "initial_share")


@lru_cache(maxsize=8)
def load_profile_occupations(name: str) -> pd.DataFrame:
    """A profile's occupation data (wages in its currency, initial employment shares), checked against the table."""
    df = _read_csv(f"profiles/{name}_occupations.csv")
    missing = [c for c in PROFILE_COLUMNS if c not in df.columns]
    table = set(load_occupation_frame()["occupation"])
    if missing or set(df["occupation"]) != table:
        raise ValueError(f"profiles/{name}_occupations.csv: needs columns {', '.join(PROFILE_COLUMNS)} and one row per occupation of occupations.csv")
    if not (df["base_wage"] > 0).all() or not (df["initial_share"] > 0).all():
        raise ValueError(f"profiles/{name}_occupations.csv: base_wage and initial_share must be positive")
    return df


@lru_cache(maxsize=8)
def load_occupations(profile_data: str = "") -> OccupationTable:
    """Load and check the shipped occupation table, with a profile's wages and shares (``profile.occupation_data``) if named."""
    df = load_occupation_frame()
    if profile_data:
        prof = load_profile_occupations(profile_data).set_index("occupation")
        df = df.copy()
        df["base_wage"] = prof.loc[df["occupation"], "base_wage"].to_numpy()
        df["initial_share"] = prof.loc[df["occupation"], "initial_share"].to_numpy()
    skill_cols = [c for c in df.columns if c.startswith("skill_")]
    unknown = sorted(set(df["lane"]) - set(LANES))
    if unknown:
        raise ValueError(f"occupations.csv: unknown lane(s) {unknown}; allowed: {', '.join(LANES)}")
    profiles = df[skill_cols].to_numpy(np.float64)
    dist = skill_distance(profiles[:, None, :], profiles[None, :, :])
    share = df["initial_share"].to_numpy(np.float64)
    return OccupationTable(
        names=tuple(df["occupation"]),
        titles=tuple(df["title"]),
        lane=np.array([LANE_CODES[x] for x in df["lane"]], dtype=np.int8),
        automation=df["automation_exposure"].to_numpy(np.float64),
        augmentation=df["augmentation_exposure"].to_numpy(np.float64),
        base_wage=df["base_wage"].to_numpy(np.float64),
        initial_share=share / share.sum(),
        profiles=profiles,
        skill_names=tuple(c.removeprefix("skill_") for c in skill_cols),
        distance=dist,
        max_distance=float(dist.max()),
    )


def scale_ai_core_pay(table: OccupationTable, scale: float) -> OccupationTable:
    """The table with the AI-core occupations' base wages times ``scale`` (``market.ai_core_pay_scale``); itself at 1."""
    if scale == 1.0:
        return table
    core = table.lane == LANE_CODES["ai_core"]
    return replace(table, base_wage=np.where(core, table.base_wage * scale, table.base_wage))


@lru_cache(maxsize=1)
def load_sectors() -> SectorTable:
    """Load the shipped sector table."""
    df = _read_csv("sectors.csv")
    share = df["employment_share"].to_numpy(np.float64)
    return SectorTable(
        names=tuple(df["sector"]),
        employment_share=share / share.sum(),
        ai_affinity=df["ai_affinity"].to_numpy(np.float64),
        lane_tilt=df[[f"{lane}_tilt" for lane in LANES]].to_numpy(np.float64),
    )
