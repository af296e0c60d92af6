#!/usr/bin/env python3
"""Derive the model's occupation table from public raw data.

Usage::

    python scripts/build_occupations.py --source <data dir> [--out simulation/data]

``<data dir>`` holds three files (or has a ``gpts-are-gpts/`` subfolder that
holds them); none of them is shipped with the project:

* ``occ_level.csv`` -- AI exposure by O*NET-SOC occupation from Eloundou,
  Manning, Mishkin & Rock (2024), "GPTs are GPTs", Science 384
  (repository openai/GPTs-are-GPTs, MIT licence). ``*_alpha`` = E1,
  ``*_gamma`` = E1 + E2, for a GPT-4 rater (``dv_``) and human annotators.
* ``occupations_onet_basic_skills.csv`` -- O*NET basic skills (importance and
  level) by occupation title (O*NET, US DoL/ETA, CC BY 4.0; packaged in the
  same repository).
* ``national_May2021_dl.csv`` -- US BLS OEWS May 2021 national estimates
  (public domain).

It writes ``occupations.csv`` into ``--out``: one row per modelled role with
lane, mapped O*NET-SOC codes, automation and augmentation exposure, monthly
base wage, initial employment share and eleven O*NET basic-skill levels in
[0, 1]. Every role is a weighted mix of O*NET-SOC codes; the weight of a code
in a role is its *attributed employment*::

    emp(code)  = BLS TOT_EMP of the code's SOC (first 7 characters)
                 / number of O*NET codes in occ_level.csv sharing that SOC
    w(role, c) = emp(c) * fraction(role, c)

where ``fraction`` is one of the named constants below (the part of that
code's US workforce counted as this role in the tech labour market). Those
fractions are assumptions, not data; see ``occupations_provenance.md``.

Output is deterministic: fixed row order, 6 significant digits for every
float except ``initial_share`` (6 decimals, largest-remainder rounding so the
column sums to exactly 1). Uses only pandas, numpy and the standard library.
Missing files, missing columns and unusable values exit with status 2 and a
one-line message.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "simulation" / "data"
SUBFOLDER = "gpts-are-gpts"

EXPOSURE_FILE = "occ_level.csv"
SKILLS_FILE = "occupations_onet_basic_skills.csv"
BLS_FILE = "national_May2021_dl.csv"
INPUT_FILES = (EXPOSURE_FILE, SKILLS_FILE, BLS_FILE)

EXPOSURE_COLUMNS = (
    "O*NET-SOC Code",
    "Title",
    "dv_rating_alpha",
    "dv_rating_gamma",
    "human_rating_alpha",
    "human_rating_gamma",
)
BLS_COLUMNS = ("OCC_CODE", "TOT_EMP", "A_MEAN")
# O*NET basic skills in the order of the output columns (skill_<name>).
SKILLS = (
    "active_learning",
    "critical_thinking",
    "learning_strategies",
    "monitoring",
    "active_listening",
    "mathematics",
    "programming",
    "reading_comprehension",
    "science",
    "speaking",
    "writing",
)
SKILL_LEVEL_COLUMNS = tuple(
    "_".join(w.capitalize() for w in s.split("_")) + "_Level" for s in SKILLS
)
# The packaged skills file gives O*NET levels already rescaled from the native
# 0-7 scale to 0-100 (as O*NET OnLine displays them), so divide by 100.
SKILL_LEVEL_SCALE = 100.0
SKILL_NOT_RELEVANT = "Not relevant"  # O*NET suppresses the level: importance too low -> 0
SKILL_NOT_AVAILABLE = "Not available"  # no estimate -> left out of that skill's weighted mean

# BLS OEWS special markers (from the OEWS file notes).
BLS_MARKERS = {
    "*": "estimate not released",
    "**": "employment estimate not released",
    "#": "wage at or above the top-coded $208,000 a year",
    "~": "less than 0.5 percent of establishments",
}

SIG_DIGITS = 6
SHARE_DECIMALS = 6

# ---------------------------------------------------------------------------
# Tech-labour-market fractions. ASSUMPTIONS, not data: each is the part of a
# code's US workforce counted in a role. Computing occupations count in full
# wherever employed (their labour market is the tech labour market); other
# occupations count only for the part working in or for tech firms/products.
# ---------------------------------------------------------------------------
ALL = 1.0  # computing occupation, counted in full

# Software Developers (15-1252.00) split by specialisation; the five parts sum to 1.
SWE_ML = 0.04  # developers specialised in ML/AI systems in 2021 (model training, serving, ML platforms)
SWE_DATA = 0.04  # developers building data pipelines and data platforms (titled data engineers)
SWE_INFRA = 0.02  # developers on compute, GPU/accelerator software and performance engineering
SWE_FRONTEND = 0.25  # developers working mainly on web/mobile front ends
SWE_BACKEND = 1.0 - (SWE_ML + SWE_DATA + SWE_INFRA + SWE_FRONTEND)  # remainder: backend, platform, full-stack

HW_ENGINEER_TECH = 0.60  # computer hardware engineers in computer/semiconductor makers and their R&D (chips, servers)
SYS_ARCHITECT_INFRA = 0.50  # systems engineers/architects on compute and performance; the other half do enterprise IT (unmapped)

USER_SUPPORT_IT_OPS = 0.70  # computer user support specialists on internal help desks and end-user IT
USER_SUPPORT_CUSTOMER = 1.0 - USER_SUPPORT_IT_OPS  # the rest support external customers of tech products
CSR_TECH = 0.05  # customer service representatives serving software, internet, telecom and electronics customers

CIS_MANAGER_PRODUCT = 0.25  # computer and information systems managers who run products/engineering rather than internal IT
IT_PROJECT_MANAGER_PRODUCT = 1.0  # IT project managers: product/delivery management in tech, counted in full
PM_AI = 0.10  # part of that product-management pool working on AI/ML products in 2021
PM_GENERALIST = 1.0 - PM_AI  # the rest: generalist product managers
PROJECT_SPECIALIST_TECH = 0.08  # project management specialists employed by tech firms (generalist PM/programme roles)

COMPLIANCE_TECH = 0.10  # compliance officers working on tech regulation (privacy, data, platform rules) in tech firms
INFOSEC_SAFETY = 0.35  # information security analysts in governance, risk, compliance and abuse/misuse work
SALES_ENGINEER_TECH = 0.60  # sales engineers selling computer systems, software and electronics
SERVICES_SALES_TECH = 0.08  # services sales representatives selling software, cloud and IT services
PRODUCT_SALES_TECH = 0.15  # technical-products sales representatives selling computers, electronics and software licences
TRANSLATOR_TECH = 0.15  # interpreters/translators doing software and digital-content localisation
GRAPHIC_DESIGNER_UX = 0.10  # graphic designers working on digital product interfaces

# Skill proxies: O*NET codes whose title is absent from the packaged skills
# file (codes new or renamed in the 2019 O*NET-SOC taxonomy) take the mean skill levels of
# these codes. Exposure, wage and employment still come from the code itself.
SKILL_PROXIES: dict[str, tuple[tuple[str, ...], str]] = {
    "15-1252.00": (
        ("15-1251.00", "15-1299.08"),
        "Software Developers merged the former applications and systems-software "
        "developer occupations: programmers plus systems engineers/architects",
    ),
    "15-2051.00": (
        ("15-2041.00", "15-1221.00"),
        "data science = statistical modelling (statisticians) plus computing "
        "research and ML (computer and information research scientists)",
    ),
    "15-1255.00": (
        ("15-1254.00", "27-1024.00"),
        "interface design = building for the web (web developers) plus visual "
        "design (graphic designers)",
    ),
    "13-1082.00": (
        ("15-1299.09",),
        "the same project-management job; IT project managers are its closest "
        "code with skills data",
    ),
    "41-3091.00": (
        ("41-4011.00",),
        "the same account-selling job for services; technical-products sales "
        "representatives are its closest code with skills data",
    ),
}


@dataclass(frozen=True)
class CodeShare:
    code: str
    fraction: float
    fraction_name: str
    why: str


@dataclass(frozen=True)
class Role:
    occupation: str
    title: str
    lane: str
    codes: tuple[CodeShare, ...]


def fraction_value(name: str) -> float:
    """Value of a fraction constant, or of a product of them written ``A*B``."""
    value = 1.0
    for part in name.split("*"):
        value *= float(globals()[part])
    return value


def _c(code: str, fraction_name: str, why: str) -> CodeShare:
    return CodeShare(code, fraction_value(fraction_name), fraction_name, why)


ROLES: tuple[Role, ...] = (
    # ---- AI core ----
    Role("ml_engineer", "Machine learning engineer", "ai_core", (
        _c("15-2051.00", "ALL", "data scientists build and train the models; closest O*NET code to ML work"),
        _c("15-1252.00", "SWE_ML", "most ML engineers are counted by BLS as software developers"),
    )),
    Role("data_engineer", "Data engineer", "ai_core", (
        _c("15-1243.00", "ALL", "database architects design data models and data platforms"),
        _c("15-1243.01", "ALL", "data warehousing specialists build ETL pipelines and warehouses, the core of data engineering"),
        _c("15-1252.00", "SWE_DATA", "pipeline and data-platform developers are counted as software developers"),
    )),
    Role("ai_infra_engineer", "AI infrastructure engineer (compute/chips/performance)", "ai_core", (
        _c("17-2061.00", "HW_ENGINEER_TECH", "computer hardware engineers design processors, accelerators and servers (chips)"),
        _c("15-1299.08", "SYS_ARCHITECT_INFRA", "computer systems engineers/architects design large compute systems (compute, performance)"),
        _c("15-1252.00", "SWE_INFRA", "GPU/accelerator software and performance engineers are counted as software developers"),
    )),
    Role("applied_researcher", "Applied AI researcher", "ai_core", (
        _c("15-1221.00", "ALL", "computer and information research scientists: the O*NET code for research in computing, incl. ML"),
    )),
    Role("ai_product_manager", "AI product manager", "ai_core", (
        _c("11-3021.00", "CIS_MANAGER_PRODUCT*PM_AI", "technical product leads are largely counted as computer and information systems managers"),
        _c("15-1299.09", "IT_PROJECT_MANAGER_PRODUCT*PM_AI", "IT project managers plan and deliver software products"),
    )),
    # ---- AI adjacent ----
    Role("compliance_safety", "Compliance and model safety", "ai_adjacent", (
        _c("13-1041.00", "COMPLIANCE_TECH", "compliance officers: regulatory compliance, audits, policy (the compliance side)"),
        _c("15-1212.00", "INFOSEC_SAFETY", "information security analysts: risk assessment, abuse and misuse, red-teaming (the safety side)"),
    )),
    Role("enterprise_ai_sales", "Enterprise AI sales", "ai_adjacent", (
        _c("41-9031.00", "SALES_ENGINEER_TECH", "sales engineers sell technical products to enterprises and explain them"),
        _c("41-3091.00", "SERVICES_SALES_TECH", "services sales representatives include software/cloud account executives"),
        _c("41-4011.00", "PRODUCT_SALES_TECH", "technical-products sales representatives sell hardware and software through wholesale/vendor channels"),
    )),
    Role("localization", "Localization specialist", "ai_adjacent", (
        _c("27-3091.00", "TRANSLATOR_TECH", "interpreters and translators: the O*NET code for translation and localisation work"),
    )),
    # ---- Traditional tech ----
    Role("backend_engineer", "Backend / platform engineer", "traditional", (
        _c("15-1252.00", "SWE_BACKEND", "software developers not assigned to another specialisation: backend, platform, full-stack"),
        _c("15-1251.00", "ALL", "computer programmers write and maintain server-side and legacy code"),
    )),
    Role("frontend_developer", "Web / frontend developer", "traditional", (
        _c("15-1254.00", "ALL", "web developers: the O*NET code for web front ends"),
        _c("15-1252.00", "SWE_FRONTEND", "front-end and mobile developers are mostly counted as software developers"),
    )),
    Role("qa_engineer", "QA / test engineer", "traditional", (
        _c("15-1253.00", "ALL", "software quality assurance analysts and testers: exact match"),
    )),
    Role("it_operations", "IT operations", "traditional", (
        _c("15-1244.00", "ALL", "network and computer systems administrators run servers and networks"),
        _c("15-1231.00", "ALL", "computer network support specialists keep networks running"),
        _c("15-1242.00", "ALL", "database administrators operate production databases"),
        _c("15-1232.00", "USER_SUPPORT_IT_OPS", "computer user support specialists on internal help desks"),
    )),
    Role("customer_support", "Customer support", "traditional", (
        _c("15-1232.00", "USER_SUPPORT_CUSTOMER", "computer user support specialists supporting customers of tech products (technical support)"),
        _c("43-4051.00", "CSR_TECH", "customer service representatives for software/internet/telecom products (first-line support)"),
    )),
    Role("ux_designer", "UI / UX designer", "traditional", (
        _c("15-1255.00", "ALL", "web and digital interface designers: exact match for UI/UX"),
        _c("27-1024.00", "GRAPHIC_DESIGNER_UX", "graphic designers working on product interfaces and visual design systems"),
    )),
    Role("product_manager", "Product manager (generalist)", "traditional", (
        _c("11-3021.00", "CIS_MANAGER_PRODUCT*PM_GENERALIST", "technical product leads are largely counted as computer and information systems managers"),
        _c("15-1299.09", "IT_PROJECT_MANAGER_PRODUCT*PM_GENERALIST", "IT project managers plan and deliver software products"),
        _c("13-1082.00", "PROJECT_SPECIALIST_TECH", "project management specialists in tech firms: generalist product/programme coordination"),
    )),
)


class DataError(Exception):
    """A problem with the inputs or the mapping; reported without a traceback."""


# ---------------------------------------------------------------------------
# reading the inputs
# ---------------------------------------------------------------------------
def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def resolve_source(source: Path) -> Path:
    """The folder holding the three input files (``source`` or its subfolder)."""
    if not source.is_dir():
        raise DataError(f"--source {source}: not a directory")
    for folder in (source, source / SUBFOLDER):
        if all((folder / name).is_file() for name in INPUT_FILES):
            return folder
    missing = [name for name in INPUT_FILES if not (source / name).is_file()]
    raise DataError(
        f"--source {source}: missing input file(s) {', '.join(missing)} "
        f"(looked in {source} and {source / SUBFOLDER})"
    )


def read_table(path: Path, required: tuple[str, ...], **kwargs) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path.name}: cannot read as CSV ({exc.__class__.__name__}: {exc})") from None
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"{path.name}: missing expected column(s) {', '.join(missing)}")
    return df


def read_exposure(path: Path) -> pd.DataFrame:
    df = read_table(path, EXPOSURE_COLUMNS)
    df = df[list(EXPOSURE_COLUMNS)].copy()
    df["O*NET-SOC Code"] = df["O*NET-SOC Code"].str.strip()
    df["Title"] = df["Title"].str.strip()
    if df["O*NET-SOC Code"].duplicated().any():
        dup = df.loc[df["O*NET-SOC Code"].duplicated(), "O*NET-SOC Code"].iloc[0]
        raise DataError(f"{path.name}: duplicate O*NET-SOC Code {dup}")
    for col in EXPOSURE_COLUMNS[2:]:
        values = pd.to_numeric(df[col], errors="coerce")
        if values.isna().any() or not values.between(0.0, 1.0).all():
            raise DataError(f"{path.name}: column {col} must hold numbers in [0, 1]")
        df[col] = values.astype(np.float64)
    for rater in ("dv", "human"):
        if (df[f"{rater}_rating_gamma"] < df[f"{rater}_rating_alpha"]).any():
            raise DataError(f"{path.name}: {rater}_rating_gamma below {rater}_rating_alpha (gamma = E1 + E2 >= alpha = E1)")
    df["soc"] = df["O*NET-SOC Code"].str[:7]
    return df.set_index("O*NET-SOC Code")


def read_skills(path: Path) -> pd.DataFrame:
    df = read_table(path, ("Occupation",) + SKILL_LEVEL_COLUMNS)
    df["Occupation"] = df["Occupation"].str.strip()
    if df["Occupation"].duplicated().any():
        dup = df.loc[df["Occupation"].duplicated(), "Occupation"].iloc[0]
        raise DataError(f"{path.name}: duplicate occupation title {dup!r}")
    out = pd.DataFrame(index=df["Occupation"])
    for col, skill in zip(SKILL_LEVEL_COLUMNS, SKILLS, strict=True):
        raw = df[col].str.strip()
        values = pd.to_numeric(raw, errors="coerce")
        values[raw.eq(SKILL_NOT_RELEVANT).to_numpy()] = 0.0
        unknown = values.isna() & ~raw.isin([SKILL_NOT_AVAILABLE, ""])
        if unknown.any():
            raise DataError(f"{path.name}: column {col} has unreadable value {raw[unknown].iloc[0]!r}")
        out[skill] = values.to_numpy(np.float64)
    top = np.nanmax(out.to_numpy())
    if np.nanmin(out.to_numpy()) < 0 or top > SKILL_LEVEL_SCALE:
        raise DataError(f"{path.name}: skill levels outside [0, {SKILL_LEVEL_SCALE:g}]")
    if top <= 7.0:
        raise DataError(
            f"{path.name}: skill levels look like the raw O*NET 0-7 scale (max {top:g}); "
            f"this script expects the 0-100 rescaled levels"
        )
    return out


def parse_bls_number(raw: str, what: str) -> float:
    text = raw.strip()
    if text in BLS_MARKERS:
        raise DataError(f"{BLS_FILE}: {what} is {text!r} ({BLS_MARKERS[text]}); cannot use it")
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise DataError(f"{BLS_FILE}: {what} is not a number ({raw!r})") from None
    if not value > 0:
        raise DataError(f"{BLS_FILE}: {what} must be positive, got {raw!r}")
    return value


def read_bls(path: Path) -> pd.DataFrame:
    df = read_table(path, BLS_COLUMNS)
    df["OCC_CODE"] = df["OCC_CODE"].str.strip()
    return df


def bls_row(bls: pd.DataFrame, soc: str) -> tuple[float, float]:
    """(TOT_EMP, A_MEAN) of a 6-digit SOC code; the file must have one row for it."""
    rows = bls[bls["OCC_CODE"] == soc]
    if len(rows) == 0:
        raise DataError(
            f"{BLS_FILE}: SOC {soc} not found; every mapped O*NET code needs BLS employment "
            f"(no imputation is done)"
        )
    if len(rows) > 1:
        raise DataError(f"{BLS_FILE}: {len(rows)} rows for SOC {soc}; expected the national cross-industry file")
    row = rows.iloc[0]
    return (
        parse_bls_number(row["TOT_EMP"], f"TOT_EMP of {soc}"),
        parse_bls_number(row["A_MEAN"], f"A_MEAN of {soc}"),
    )


# ---------------------------------------------------------------------------
# the derivation
# ---------------------------------------------------------------------------
def check_fractions(roles: tuple[Role, ...]) -> None:
    """Each fraction in [0, 1]; no code attributed more than once in total."""
    total: dict[str, float] = {}
    for role in roles:
        for cs in role.codes:
            if not 0.0 < cs.fraction <= 1.0:
                raise DataError(f"mapping: fraction {cs.fraction_name} of {cs.code} in {role.occupation} must be in (0, 1]")
            total[cs.code] = total.get(cs.code, 0.0) + cs.fraction
    over = {code: f for code, f in total.items() if f > 1.0 + 1e-12}
    if over:
        raise DataError(f"mapping: code(s) attributed more than fully across roles: {over}")


def skill_vector(code: str, exposure: pd.DataFrame, skills: pd.DataFrame) -> np.ndarray:
    title = exposure.at[code, "Title"]
    if title in skills.index:
        return skills.loc[title].to_numpy(np.float64)
    if code not in SKILL_PROXIES:
        raise DataError(f"{SKILLS_FILE}: no skills for {code} ({title}) and no proxy defined")
    proxies = SKILL_PROXIES[code][0]
    rows = []
    for proxy in proxies:
        if proxy not in exposure.index:
            raise DataError(f"proxy {proxy} for {code} not in {EXPOSURE_FILE}")
        ptitle = exposure.at[proxy, "Title"]
        if ptitle not in skills.index:
            raise DataError(f"{SKILLS_FILE}: no skills for proxy {proxy} ({ptitle})")
        rows.append(skills.loc[ptitle].to_numpy(np.float64))
    stacked = np.vstack(rows)
    counts = np.isfinite(stacked).sum(axis=0)
    sums = np.where(np.isfinite(stacked), stacked, 0.0).sum(axis=0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def code_details(roles, exposure, skills, bls) -> dict[str, dict]:
    siblings = exposure.groupby("soc").size()
    details: dict[str, dict] = {}
    for role in roles:
        for cs in role.codes:
            if cs.code in details:
                continue
            if cs.code not in exposure.index:
                raise DataError(f"mapping: {cs.code} (role {role.occupation}) not in {EXPOSURE_FILE}")
            row = exposure.loc[cs.code]
            tot_emp, a_mean = bls_row(bls, row["soc"])
            details[cs.code] = {
                "title": row["Title"],
                "soc": row["soc"],
                "siblings": int(siblings[row["soc"]]),
                "emp": tot_emp / int(siblings[row["soc"]]),
                "wage": a_mean,
                "automation": 0.5 * (row["dv_rating_alpha"] + row["human_rating_alpha"]),
                "augmentation": 0.5 * (
                    (row["dv_rating_gamma"] - row["dv_rating_alpha"])
                    + (row["human_rating_gamma"] - row["human_rating_alpha"])
                ),
                "skills": skill_vector(cs.code, exposure, skills),
            }
    return details


def derive(roles, details) -> list[dict]:
    rows = []
    for role in roles:
        w = np.array([details[cs.code]["emp"] * cs.fraction for cs in role.codes])
        def wmean(key: str, w=w, role=role) -> float:
            return float(np.dot(w, [details[cs.code][key] for cs in role.codes]) / w.sum())
        levels = np.vstack([details[cs.code]["skills"] for cs in role.codes])
        ok = np.isfinite(levels)
        weight = (w[:, None] * ok).sum(axis=0)
        if (weight <= 0).any():
            skill = SKILLS[int(np.argmax(weight <= 0))]
            raise DataError(f"role {role.occupation}: no skill level for {skill} in any mapped code")
        level = (w[:, None] * np.where(ok, levels, 0.0)).sum(axis=0) / weight
        rows.append({
            "occupation": role.occupation,
            "title": role.title,
            "lane": role.lane,
            "onet_codes": ";".join(cs.code for cs in role.codes),
            "employment": float(w.sum()),
            "automation_exposure": wmean("automation"),
            "augmentation_exposure": wmean("augmentation"),
            "base_wage": wmean("wage") / 12.0,
            "skills": np.clip(level / SKILL_LEVEL_SCALE, 0.0, 1.0),
        })
    return rows


def round_shares(employment: list[float], decimals: int = SHARE_DECIMALS) -> list[int]:
    """Shares in units of 10**-decimals summing exactly to 10**decimals (largest remainder)."""
    unit = 10 ** decimals
    total = sum(employment)
    exact = [e / total * unit for e in employment]
    floors = [int(np.floor(x)) for x in exact]
    left = unit - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def fmt(x: float) -> str:
    return np.format_float_positional(float(x), precision=SIG_DIGITS, unique=False, fractional=False, trim="-")


def write_table(rows: list[dict], path: Path) -> None:
    shares = round_shares([r["employment"] for r in rows])
    header = [
        "occupation", "title", "lane", "onet_codes", "automation_exposure",
        "augmentation_exposure", "base_wage", "initial_share",
    ] + [f"skill_{s}" for s in SKILLS]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for r, share in zip(rows, shares, strict=True):
            out.writerow(
                [r["occupation"], r["title"], r["lane"], r["onet_codes"],
                 fmt(r["automation_exposure"]), fmt(r["augmentation_exposure"]),
                 fmt(r["base_wage"]), f"{share / 10 ** SHARE_DECIMALS:.{SHARE_DECIMALS}f}"]
                + [fmt(v) for v in r["skills"]]
            )


def mapping_markdown(roles, details) -> str:
    lines = [
        "| role | O*NET-SOC | title | fraction | attributed employment | why |",
        "|---|---|---|---|---:|---|",
    ]
    for role in roles:
        for cs in role.codes:
            d = details[cs.code]
            frac = f"`{cs.fraction_name}` = {fmt(cs.fraction)}" if cs.fraction_name != "ALL" else "1 (all)"
            lines.append(
                f"| {role.occupation} | {cs.code} | {d['title']} | {frac} | "
                f"{d['emp'] * cs.fraction:,.0f} | {cs.why} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True, type=Path,
                        help="folder holding occ_level.csv, occupations_onet_basic_skills.csv and "
                             "national_May2021_dl.csv (or a gpts-are-gpts/ subfolder holding them)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder for occupations.csv (default: simulation/data in this repository)")
    parser.add_argument("--print-mapping", action="store_true",
                        help="also print the role -> code mapping as a Markdown table")
    args = parser.parse_args(argv)
    try:
        folder = resolve_source(args.source)
        roles = ROLES
        check_fractions(roles)
        exposure = read_exposure(folder / EXPOSURE_FILE)
        skills = read_skills(folder / SKILLS_FILE)
        bls = read_bls(folder / BLS_FILE)
        details = code_details(roles, exposure, skills, bls)
        rows = derive(roles, details)
        out_path = args.out / "occupations.csv"
        write_table(rows, out_path)
    except DataError as exc:
        print(f"build_occupations: error: {exc}", file=sys.stderr)
        return 2
    total = sum(r["employment"] for r in rows)
    print(f"wrote {out_path} ({len(rows)} occupations, attributed US employment {total:,.0f})")
    for lane in ("ai_core", "ai_adjacent", "traditional"):
        share = sum(r["employment"] for r in rows if r["lane"] == lane) / total
        print(f"  {lane:12s} share {share:.4f}")
    for name in INPUT_FILES:
        print(f"  sha256 {sha256(folder / name)}  {name}")
    if args.print_mapping:
        print()
        print(mapping_markdown(roles, details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
