"""Demo indicator data for `a4p demo`: the values of every typed indicator of the A4P+ plan in the
five demo cycles, the computed indicators recalculated, and the plan revision DPO published after
a year of implementation.

The values tell a story against each indicator's baseline and targets: most indicators move
towards their targets, several fall behind, a few run ahead (women in formed police units, whose
targets the revision raises); counts of harm go down with noise, the camp defence policy is
adopted in 2023, early-warning systems climb the scale a step at a time. Missions report their
own figures at their real scale; Headquarters offices report across the missions they cover, with
the breakdown by mission. The open cycle is half reported, and MINUSMA stops reporting when its
mandate ends.

Everything is derived from fixed seeds, each item with its own generator, so two databases hold
the same data. Loading again creates only what is missing.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit
from core.models import Entity
from demo import texts
from demo.reporting import CYCLES, DEMO_ENTITIES, FOCAL_USERS, PLAN_CODE
from indicators.models import Breakdown, Category, Dimension, Indicator, IndicatorValue
from indicators.services import reporting_entity_ids, values_recalculate
from plans import versions
from plans.models import Plan, PlanVersion
from plans.services import assignments_generate
from reporting.models import Cycle

SEED = "a4p-plus-demo-indicators"
PERIODS = tuple(spec.code for spec in CYCLES)  # 2022-H1 … 2024-H1, the last one open
OPEN_SHARE = 0.5  # share of the indicators each entity has reported in the open cycle
FOUR_PLACES = Decimal("0.0001")

Cells = dict[tuple[str | None, str | None], tuple[int, int]]  # (mission, category) → (n, d)


def _rng(*parts: object) -> random.Random:
    """A generator of its own for each item, so that what one item draws never depends on what
    exists already or on the order things are made in."""
    return random.Random(":".join([SEED, *map(str, parts)]))  # noqa: S311 (demo data, not secrets)


# Missions -------------------------------------------------------------------------------------

PERSONNEL = (
    "troops",
    "staff_officers",
    "military_observers",
    "formed_police_units",
    "individual_police_officers",
    "justice_corrections",
)
MILITARY = ("troops", "staff_officers", "military_observers")
POLICE = ("formed_police_units", "individual_police_officers")
SEX = ("female", "male")


@dataclass(frozen=True)
class Mission:
    region: str  # the regional ASG's office that covers it
    weight: float  # relative scale of its political and programme work
    strength: tuple[int, int, int, int, int]  # troops, staff officers, military observers,
    # FPU members, individual police officers deployed (mid-2022)
    sites: int  # camps and team sites
    power_mwh: int  # electricity consumed in a half-year
    reports: int  # Secretary-General's reports to the Security Council a year
    leaders: int  # civilian Head and Deputy Head posts
    poc: bool  # protection-of-civilians mandate
    multidimensional: bool


MISSIONS: dict[str, Mission] = {
    "minurso": Mission("africa", 0.7, (20, 12, 190, 0, 0), 11, 1_900, 1, 1, False, False),
    "minusca": Mission("africa", 5.0, (13_300, 420, 150, 2_300, 620), 46, 34_000, 3, 3, True, True),
    "minusma": Mission("africa", 4.5, (12_050, 460, 0, 1_420, 330), 31, 31_000, 4, 3, True, True),
    "monusco": Mission("africa", 5.0, (12_400, 400, 190, 1_350, 340), 39, 29_000, 4, 3, True, True),
    "undof": Mission("meap", 0.4, (1_120, 45, 0, 0, 0), 9, 2_600, 2, 1, False, False),
    "unficyp": Mission("ecaa", 0.8, (760, 50, 0, 0, 68), 10, 2_400, 2, 2, False, False),
    "unifil": Mission("meap", 2.0, (9_700, 230, 0, 0, 0), 48, 25_000, 3, 2, True, True),
    "unisfa": Mission("africa", 1.5, (3_150, 95, 120, 0, 45), 15, 8_500, 3, 2, True, False),
    "unmik": Mission("ecaa", 1.0, (0, 0, 8, 0, 10), 3, 700, 2, 2, False, False),
    "unmiss": Mission("africa", 5.0, (13_350, 410, 210, 1_280, 610), 29, 31_000, 4, 3, True, True),
    "unmogip": Mission("meap", 0.2, (0, 0, 42, 0, 0), 8, 450, 0, 1, False, False),
    "untso": Mission("meap", 0.3, (0, 0, 150, 0, 0), 6, 900, 0, 1, False, False),
}
FULL = (1.0, 1.0, 1.0, 1.0, 1.0)
# Share of the mission's 2022 strength still deployed at the end of each cycle: MINUSMA withdrew
# in the second half of 2023 and its mandate ended on 31 December 2023; MONUSCO began to
# disengage from South Kivu.
DRAWDOWN = {"minusma": (1.0, 0.97, 0.93, 0.06, 0.0), "monusco": (1.0, 1.0, 0.98, 0.95, 0.88)}
REGIONS = {"asg-africa": "africa", "asg-meap": "meap", "asg-ecaa": "ecaa"}
APPLIES = {
    "all": lambda m: True,
    "poc": lambda m: m.poc,
    "multidimensional": lambda m: m.multidimensional,
}


def _deployed(mission: str, index: int) -> float:
    return DRAWDOWN.get(mission, FULL)[index]


def _active(mission: str, index: int) -> bool:
    return _deployed(mission, index) > 0


def _covered(entity: str) -> list[str]:
    """The missions a Headquarters office reports on: its region, or all of them."""
    region = REGIONS.get(entity)
    return [code for code, m in MISSIONS.items() if region is None or m.region == region]


# The story of each indicator ------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How an indicator's values are made. `path` is the plan-wide level in each cycle, from
    2022-H1 to 2024-H1, read against the targets of the plan file."""

    kind: str  # adoption, ratio, counts, parts, level, yesno
    path: tuple[float, ...]
    applies: str = "all"  # adoption: the missions the indicator concerns
    order: tuple[str, ...] = ()  # adoption: missions first to get there
    den: str = "default"  # ratio: what the denominator counts
    cats: tuple[str | None, ...] = (None,)  # ratio: categories the cells are split into
    seats: bool = False  # ratio: small denominators, each unit in or out
    spread: float = 0.3  # ratio: how far missions differ from the plan-wide level
    cumulative: bool = False  # ratio: numerators never go down
    keeps_closed: bool = False  # a closed mission's figures still count
    mission_weights: dict[str, tuple[float, ...]] = field(default_factory=dict)  # counts
    cat_weights: dict[str, tuple[float, ...]] = field(default_factory=dict)  # counts
    cat_scope: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity → categories
    weights: dict[str, float] = field(default_factory=dict)  # parts: missions' shares
    hq_share: float = 0.03  # parts: a Headquarters office's share of the plan-wide total
    noise: float = 0.25  # parts: how much one period differs from the next
    offsets: dict[str, float] = field(default_factory=dict)  # level: missions above or below
    reached: str = ""  # yesno: the note of the period it turns to yes


def _flat(value: float) -> tuple[float, ...]:
    return (value,) * len(PERIODS)


SPLIT = {"dpo-oma": MILITARY, "dpo-orolsi-pd": POLICE, "dpo-orolsi": POLICE}
FATALITIES: dict[str, tuple[float, ...]] = {
    "minusma": (0.56, 0.52, 0.5, 0.3, 0.0),
    "minusca": (0.14, 0.16, 0.18, 0.2, 0.3),
    "monusco": (0.16, 0.16, 0.16, 0.3, 0.45),
    "unmiss": (0.04, 0.04, 0.06, 0.06, 0.08),
    "unisfa": (0.1, 0.05, 0.1, 0.14, 0.14),
    "unifil": (0.0, 0.07, 0.0, 0.0, 0.03),
}
SEA: dict[str, tuple[float, ...]] = {
    "monusco": _flat(0.33),
    "minusca": _flat(0.33),
    "unmiss": _flat(0.12),
    "minusma": (0.09, 0.09, 0.08, 0.04, 0.0),
    "unifil": _flat(0.03),
    "unisfa": _flat(0.04),
    "minurso": _flat(0.01),
    "unficyp": _flat(0.01),
    "undof": _flat(0.01),
    "unmik": _flat(0.01),
}
SOFA: dict[str, float] = {
    "minusca": 6.5,
    "minusma": 7.5,
    "monusco": 2.5,
    "unmiss": 5.0,
    "unifil": 1.0,
    "unisfa": 1.2,
    "minurso": 0.6,
    "undof": 0.3,
    "unficyp": 0.2,
    "unmik": 0.1,
    "unmogip": 0.1,
    "untso": 0.1,
}
CASES = (64, 78, 90, 97, 101)  # crimes against peacekeepers recorded since the plan began
CASE_SHARE = {
    "minusma": 0.46,
    "minusca": 0.2,
    "monusco": 0.18,
    "unmiss": 0.05,
    "unisfa": 0.05,
    "unifil": 0.03,
    "minurso": 0.01,
    "undof": 0.01,
    "unficyp": 0.01,
}
PLEDGES = (118, 139, 151, 156, 156)  # pledges accepted since the start of the plan
CASEVAC: dict[str, float] = {
    "minusca": 9.0,
    "minusma": 18.0,
    "monusco": 2.0,
    "unmiss": 6.0,
    "unifil": -35.0,
}

SPECS: dict[str, Spec] = {
    "1.1-a": Spec("adoption", (33, 42, 50, 58, 67)),
    "1.2-a": Spec("parts", (18, 23, 24, 28, 26), hq_share=0.04),
    "1.2.1-a": Spec("ratio", (23.5, 26.0, 27.8, 29.4, 30.5), den="participants", spread=0.35),
    "1.3-a": Spec("ratio", (20, 33, 50, 58, 64), den="reports", seats=True),
    "2.1-a": Spec("adoption", (58, 67, 75, 83, 92)),
    "2.2-a": Spec("adoption", (50, 50, 67, 67, 83), applies="multidimensional"),
    "2.3.1-a": Spec("ratio", (55, 63, 71, 78, 84), den="plans", seats=True),
    "2.4-a": Spec("adoption", (33, 42, 50, 58, 67)),
    "3.1.1-a": Spec(
        "ratio", (5.6, 5.9, 6.4, 6.9, 7.3), den="strength", cats=("troops",), spread=0.5
    ),
    "3.1.1-b": Spec(
        "ratio",
        (18.2, 19.4, 20.3, 20.9, 21.4),
        den="strength",
        cats=("staff_officers", "military_observers"),
        spread=0.35,
    ),
    "3.1.1-c": Spec(
        "ratio",
        (13.2, 14.1, 14.8, 15.6, 16.1),
        den="strength",
        cats=("formed_police_units",),
        spread=0.45,
    ),
    "3.1.1-d": Spec(
        "ratio",
        (29.0, 29.8, 30.6, 31.3, 31.9),
        den="strength",
        cats=("individual_police_officers",),
        spread=0.3,
    ),
    "3.1.2-a": Spec("ratio", (41.7, 45.8, 45.8, 47.8, 47.6), den="leaders", seats=True),
    "3.1.3-a": Spec("ratio", (22, 41, 60, 84, 88), den="pledges", cumulative=True),
    "3.1.6-a": Spec(
        "counts",
        (18, 23, 24, 27, 21),
        cat_weights={"troops": _flat(0.74), "formed_police_units": _flat(0.26)},
        cat_scope=SPLIT,
    ),
    "3.2-a": Spec(
        "adoption",
        (3, 4, 5, 6, 7),
        order=("minusca", "minusma", "monusco", "unmiss", "unifil", "unisfa"),
    ),
    "3.3-a": Spec("level", (1.8, 2.2, 2.5, 2.8, 3.0)),
    "3.3.3-a": Spec("parts", (55, 76, 98, 118, 128), hq_share=0.05, noise=0.08),
    "3.4-a": Spec("adoption", (25, 42, 58, 75, 83)),
    "3.5.1-a": Spec(
        "counts",
        (260, 410, 470, 540, 380),
        cat_weights={
            "female": (0.33, 0.35, 0.36, 0.38, 0.39),
            "male": (0.67, 0.65, 0.64, 0.62, 0.61),
        },
    ),
    "4.1-a": Spec(
        "counts",
        (16, 14, 12, 7, 5),
        mission_weights=FATALITIES,
        cat_weights={
            "troops": _flat(0.78),
            "staff_officers": _flat(0.02),
            "military_observers": _flat(0.02),
            "formed_police_units": _flat(0.1),
            "individual_police_officers": _flat(0.03),
            "civilian": (0.0, 0.08, 0.0, 0.0, 0.0),
        },
        cat_scope={"dpo-opsp": (*MILITARY, "civilian"), "dpo-orolsi-pd": POLICE},
    ),
    "4.1.2-a": Spec(
        "ratio",
        (17, 22, 27, 31, 34),
        den="cases",
        cats=("military", "police"),
        cat_scope={"dpo-opsp": ("military",), "dpo-orolsi-pd": ("police",)},
        cumulative=True,
        keeps_closed=True,
    ),
    "4.2.1-a": Spec("ratio", (38, 46, 55, 63, 69), den="sites", seats=True),
    "4.3.1-a": Spec("level", (134, 121, 108, 97, 93), offsets=CASEVAC),
    "4.4.1-a": Spec(
        "yesno", (0, 0, 1, 1, 1), reached="Policy approved and issued to missions in the period."
    ),
    "5.1-a": Spec("counts", (37, 33, 35, 29, 27), mission_weights=SEA),
    "5.2.1-a": Spec("adoption", (17, 33, 50, 67, 80), applies="poc"),
    "5.3-a": Spec(
        "ratio",
        (83, 86, 88, 89, 91),
        den="units",
        cats=("troops", "formed_police_units"),
        cat_scope={"dpo-oma": MILITARY, "dpo-orolsi": POLICE},
        seats=True,
    ),
    "5.4-a": Spec("ratio", (4.1, 5.6, 7.9, 10.4, 12.2), den="power", spread=0.6),
    "6.1.6-a": Spec("adoption", (42, 58, 75, 83, 91)),
    "6.2-a": Spec("parts", (9, 13, 14, 17, 16), hq_share=0.12),
    "7.1-a": Spec("adoption", (67, 67, 75, 83, 91)),
    "7.1.2-a": Spec("parts", (190, 230, 250, 240, 200), weights=SOFA, hq_share=0.02),
    "7.1.2-b": Spec("ratio", (55, 64, 72, 78, 83), den="sofa", spread=0.2),
}


def _default_spec(indicator: Indicator) -> Spec:
    """An indicator the demo does not know: a path from its baseline towards its targets."""
    targets = {t.period: float(t.value) for t in indicator.targets.all()}
    known = [targets.get(p) for p in PERIODS]
    first = next((t for t in known if t is not None), None)
    if indicator.unit == Indicator.Unit.YESNO:
        return Spec("yesno", tuple(t if t is not None else 0.0 for t in known))
    if first is None:
        level = float(indicator.baseline) if indicator.baseline is not None else 10.0
        path = _flat(level)
    else:
        start = (
            float(indicator.baseline)
            if indicator.baseline is not None
            else first * (0.7 if indicator.increase else 1.3)
        )
        pace = (0.9, 0.92, 0.94, 0.96, 0.98)
        filled = []
        last = first
        for target, share in zip(known, pace, strict=True):
            last = target if target is not None else last
            filled.append(start + (last - start) * share)
        path = tuple(filled)
    if indicator.unit == Indicator.Unit.ORDINAL or indicator.entity_rule == "mean":
        return Spec("level", path)
    if indicator.unit == Indicator.Unit.PERCENT:
        return Spec("ratio", path)
    return Spec("parts", path)


# Cells: the figures of each mission and category, from which every entity's value is summed ---


def _den(spec: Spec, code: str, mission: str, cat: str | None, index: int) -> int:
    m = MISSIONS[mission]
    deployed = _deployed(mission, index)
    rng = _rng("den", code, mission, cat, index)
    if spec.den == "strength":
        assert cat is not None
        return round(m.strength[PERSONNEL.index(cat)] * deployed * rng.uniform(0.96, 1.04))
    if spec.den == "participants":
        return round(m.weight * 160 * max(deployed, 0.25) * rng.uniform(0.7, 1.3))
    if spec.den == "reports":
        if deployed < 0.5:
            return 1  # the last report on a mission leaving
        return m.reports // 2 + (m.reports % 2 if index % 2 == 0 else 0)
    if spec.den == "plans":
        return rng.randint(1, 2) + (1 if m.weight >= 4 and rng.random() < 0.6 else 0)
    if spec.den == "sites":
        return round(m.sites * deployed * rng.uniform(0.85, 1.0))
    if spec.den == "units":
        assert cat is not None
        unit_size = 750 if cat == "troops" else 150
        people = m.strength[PERSONNEL.index(cat)] * deployed
        return round(people / unit_size * 0.55 * rng.uniform(0.8, 1.2))
    if spec.den == "power":
        return round(m.power_mwh * 1000 * deployed * rng.uniform(0.93, 1.07))
    if spec.den == "sofa":
        return _part("7.1.2-a", SPECS["7.1.2-a"], mission, index)
    if spec.den == "leaders":
        return m.leaders - (1 if m.leaders > 1 and rng.random() < 0.12 else 0)
    if spec.den == "cases":
        share = CASE_SHARE.get(mission, 0.0) * (0.18 if cat == "police" else 0.82)
        return max(round(CASES[i] * share) for i in range(index + 1))
    return round(m.weight * 20 * max(deployed, 0.25) * rng.uniform(0.8, 1.2))


def _ratio_cells(code: str, spec: Spec, index: int) -> Cells:
    if spec.den == "pledges":
        den = PLEDGES[index]
        return {(None, None): (round(den * spec.path[index] / 100), den)}
    keys = [
        (mission, cat)
        for mission in MISSIONS
        if spec.keeps_closed or _active(mission, index)
        for cat in spec.cats
    ]
    dens = {key: _den(spec, code, key[0], key[1], index) for key in keys}
    share = spec.path[index] / 100
    if spec.seats:
        seats = sorted(
            (_rng("seat", code, mission, cat, n).random(), (mission, cat))
            for (mission, cat), den in dens.items()
            for n in range(den)
        )
        taken = Counter(key for _u, key in seats[: round(share * len(seats))])
        return {key: (taken[key], den) for key, den in dens.items()}
    factors = {
        key: _rng("factor", code, *key).uniform(1 - spec.spread, 1 + spec.spread)
        * _rng("drift", code, *key, index).uniform(0.95, 1.05)
        for key in keys
    }
    total = sum(dens.values())
    norm = sum(dens[key] * factors[key] for key in keys) / total if total else 1.0
    cells: Cells = {
        key: (min(den, round(den * share * factors[key] / norm)), den) for key, den in dens.items()
    }
    if spec.cumulative and index:
        before = _ratio_cells(code, spec, index - 1)
        cells = {
            key: (min(den, max(num, before.get(key, (0, 0))[0])), den)
            for key, (num, den) in cells.items()
        }
    return cells


def _adoption_cells(code: str, spec: Spec, index: int, percent: bool) -> Cells:
    """Each mission concerned has it or not; the first ones to get there keep it."""
    concerned = [c for c, m in MISSIONS.items() if APPLIES[spec.applies](m)]
    ranked = sorted(
        concerned,
        key=lambda c: (
            spec.order.index(c) if c in spec.order else len(spec.order),
            _rng("rank", code, c).random(),
        ),
    )
    level = max(spec.path[: index + 1])
    count = round(level / 100 * len(concerned)) if percent else round(level)
    adopted = set(ranked[:count])
    return {
        (c, None): (1 if c in adopted else 0, 1 if percent else 0)
        for c in concerned
        if _active(c, index)
    }


def _count_cells(code: str, spec: Spec, index: int) -> Cells:
    """A plan-wide count, drawn one by one into missions and categories."""
    rng = _rng("counts", code, index)
    total = round(spec.path[index] * rng.uniform(0.94, 1.06))
    missions: dict[str | None, float] = (
        {m: w[index] for m, w in spec.mission_weights.items() if w[index] > 0}
        if spec.mission_weights
        else {None: 1.0}
    )
    cats: dict[str | None, float] = (
        {c: w[index] for c, w in spec.cat_weights.items()} if spec.cat_weights else {None: 1.0}
    )
    keys = [(m, c) for m in missions for c in cats]
    weights = [missions[m] * cats[c] for m, c in keys]
    drawn = Counter(rng.choices(keys, weights=weights, k=total))
    return {key: (drawn[key], 0) for key in keys}


def _part(code: str, spec: Spec, owner: str, index: int) -> int:
    """One entity's own part of a plan-wide count: a mission's in proportion to its weight and
    strength, a Headquarters office's a small share of its own."""
    if owner in MISSIONS:
        weights = spec.weights or {c: m.weight for c, m in MISSIONS.items()}
        share = weights.get(owner, 0.0) / sum(weights.values()) * _deployed(owner, index)
    else:
        share = spec.hq_share
    noise = _rng("part", code, owner, index).uniform(1 - spec.noise, 1 + spec.noise)
    return max(0, round(spec.path[index] * share * noise))


# What one entity reports ----------------------------------------------------------------------


@dataclass
class Reported:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    note: str = ""


def _percent(num: int, den: int) -> Reported:
    return Reported(
        value=(Decimal(num) * 100 / Decimal(den)).quantize(FOUR_PLACES),
        numerator=Decimal(num),
        denominator=Decimal(den),
    )


def _from_cells(
    cells: Cells, *, entity: str, is_mission: bool, spec: Spec, percent: bool, dims: set[str]
) -> Reported | None:
    missions = {entity} if is_mission else set(_covered(entity))
    cats = spec.cat_scope.get(entity)
    kept = {
        key: amounts
        for key, amounts in cells.items()
        if (key[0] is None or key[0] in missions) and (cats is None or key[1] in cats)
    }
    if not kept:
        return None
    num = sum(n for n, _d in kept.values())
    den = sum(d for _n, d in kept.values())
    if percent and den == 0:
        return None
    reported = _percent(num, den) if percent else Reported(value=Decimal(num))
    if "mission" in dims and not is_mission and all(m is not None for m, _c in kept):
        reported.parts["mission"] = _sum_by(kept, 0)
    for dim, codes in (("personnel", PERSONNEL), ("sex", SEX)):
        if dim not in dims:
            continue
        outside = sum(n for (_m, c), (n, _d) in kept.items() if c not in codes)
        if outside:
            reported.note = (
                f"Includes {outside} civilian personnel; the breakdown by personnel category "
                "covers uniformed personnel only and is not given."
            )
            continue
        reported.parts[dim] = _sum_by(kept, 1)
    return reported


def _sum_by(cells: Cells, position: int) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for key, (n, d) in cells.items():
        code = key[position]
        assert code is not None
        before = out.get(code, (0, 0))
        out[code] = (before[0] + n, before[1] + d)
    return out


def _level(code: str, spec: Spec, indicator: Indicator, entity: str, index: int) -> Decimal:
    if indicator.unit == Indicator.Unit.ORDINAL:
        steps = len(indicator.scale) or 4
        offset = _rng("offset", code, entity).uniform(-0.7, 0.7) if entity in MISSIONS else 0.0
        reached = max(
            round(spec.path[i] + offset + _rng("level", code, entity, i).uniform(-0.25, 0.25))
            for i in range(index + 1)
        )
        return Decimal(min(max(reached, 1), steps))
    path = spec.path[index]
    if entity in MISSIONS:
        offset = spec.offsets.get(entity, _rng("offset", code, entity).uniform(-0.1, 0.1) * path)
    else:
        offset = 0.0
    value = path + offset + _rng("level", code, entity, index).gauss(0, path * 0.04)
    return Decimal(str(round(max(value, 0.0), 1)))


def _hq_parts(code: str, spec: Spec, entity: str, total: int, index: int) -> dict[str, int]:
    """Where a Headquarters office's own items took place, drawn over the missions it covers."""
    covered = [c for c in _covered(entity) if _active(c, index)]
    weights = [spec.weights.get(c, MISSIONS[c].weight) for c in covered]
    drawn = Counter(_rng("where", code, entity, index).choices(covered, weights=weights, k=total))
    return {c: drawn[c] for c in covered}


class Maker:
    """Values of one indicator, cycle by cycle; cells are drawn once per cycle."""

    def __init__(self, indicator: Indicator, dims: set[str]) -> None:
        self.indicator = indicator
        self.code = indicator.code
        self.spec = SPECS.get(indicator.code) or _default_spec(indicator)
        self.percent = indicator.unit == Indicator.Unit.PERCENT
        self.dims = dims if indicator.unit in ("number", "percent") else set()
        if indicator.entity_rule == Indicator.EntityRule.MEAN:
            self.dims = set()  # parts of a mean do not add up to it
        self._cells: dict[int, Cells] = {}

    def cells(self, index: int) -> Cells:
        if index not in self._cells:
            kind = self.spec.kind
            if kind == "adoption":
                made = _adoption_cells(self.code, self.spec, index, self.percent)
            elif kind == "counts":
                made = _count_cells(self.code, self.spec, index)
            else:
                made = _ratio_cells(self.code, self.spec, index)
            self._cells[index] = made
        return self._cells[index]

    def report(self, entity: Entity, index: int) -> Reported | None:
        code, spec = entity.code, self.spec
        is_mission = entity.kind == Entity.Kind.MISSION and code in MISSIONS
        if spec.kind == "yesno":
            return Reported(value=Decimal(1 if spec.path[index] >= 0.5 else 0))
        if spec.kind == "level":
            return Reported(value=_level(self.code, spec, self.indicator, code, index))
        if spec.kind == "parts":
            total = _part(self.code, spec, code, index)
            reported = Reported(value=Decimal(total))
            if "mission" in self.dims and not is_mission:
                reported.parts["mission"] = {
                    c: (n, 0) for c, n in _hq_parts(self.code, spec, code, total, index).items()
                }
            return reported
        return _from_cells(
            self.cells(index),
            entity=code,
            is_mission=is_mission,
            spec=spec,
            percent=self.percent,
            dims=self.dims,
        )


# Writing --------------------------------------------------------------------------------------


def _entered_at(cycle: Cycle, rng: random.Random, today: dt.date) -> dt.datetime:
    if cycle.state == Cycle.State.OPEN:
        first, last = cycle.opens_on, max(cycle.opens_on, min(today, cycle.closes_on))
    else:
        first, last = cycle.period_end + dt.timedelta(days=5), cycle.due_on
    day = first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=dt.UTC)


def _reporters(indicator: Indicator, entities: dict[int, Entity]) -> list[Entity]:
    """The demo entities that report the indicator; when none does, every entity that does."""
    ids = reporting_entity_ids(indicator)
    known = [entities[i] for i in ids if i in entities]
    demo = [e for e in known if e.code in DEMO_ENTITIES]
    return sorted(demo or known, key=lambda e: e.code)


def _note(spec: Spec, entity: str, index: int) -> str:
    if entity == "minusma" and _deployed("minusma", index) < 0.5:
        return "Last report of MINUSMA: the mission's mandate ended on 31 December 2023."
    if spec.kind == "yesno" and index and spec.path[index] >= 0.5 > spec.path[index - 1]:
        return spec.reached
    return ""


def _ensure_values(
    plan: Plan,
    cycles: list[Cycle],
    users: dict[str, User],
    today: dt.date,
    retiring: dict[str, dt.date],
    counts: Counter[str],
) -> None:
    indicators = list(
        Indicator.objects.filter(plan=plan, computed="")
        .select_related("retired_in")
        .prefetch_related("targets", "dimensions")
        .order_by("position")
    )
    entities = {e.pk: e for e in Entity.objects.all()}
    categories: dict[int, list[Category]] = defaultdict(list)
    for category in Category.objects.filter(dimension__plan=plan).select_related("dimension"):
        categories[category.dimension_id].append(category)
    have = set(
        IndicatorValue.objects.filter(indicator__plan=plan, cycle__in=cycles).values_list(
            "indicator_id", "cycle_id", "entity_id"
        )
    )
    rows: list[tuple[IndicatorValue, list[Breakdown]]] = []
    for indicator in indicators:
        dims = {d.code: d for d in indicator.dimensions.all()}
        maker = Maker(indicator, set(dims))
        retired_from = retiring.get(indicator.code)
        added_from = EFFECTIVE if indicator.code == ADDED["code"] else None
        if indicator.retired_in is not None and indicator.retired_in.effective_from:
            retired_from = indicator.retired_in.effective_from
        for entity in _reporters(indicator, entities):
            author = users.get(FOCAL_USERS.get(entity.code, ""))
            for cycle in cycles:
                index = PERIODS.index(cycle.code)
                if retired_from is not None and cycle.period_start >= retired_from:
                    continue
                if added_from is not None and cycle.period_start < added_from:
                    continue
                if (indicator.pk, cycle.pk, entity.pk) in have:
                    continue
                if entity.code in MISSIONS and not _active(entity.code, index):
                    continue
                if cycle.state == Cycle.State.OPEN and (
                    _rng("open", indicator.code, entity.code).random() >= OPEN_SHARE
                ):
                    continue
                reported = maker.report(entity, index)
                if reported is None:
                    continue
                note = reported.note or _note(maker.spec, entity.code, index)
                value = IndicatorValue(
                    indicator=indicator,
                    cycle=cycle,
                    entity=entity,
                    value=reported.value,
                    numerator=reported.numerator,
                    denominator=reported.denominator,
                    note=note,
                    entered_by=author,
                    entered_at=_entered_at(
                        cycle, _rng("entered", indicator.code, cycle.code, entity.code), today
                    ),
                )
                parts = _breakdowns(reported, dims, categories, maker.percent)
                rows.append((value, parts))
    created = IndicatorValue.objects.bulk_create([value for value, _parts in rows])
    breakdowns: list[Breakdown] = []
    for value, (_v, parts) in zip(created, rows, strict=True):
        for part in parts:
            part.value = value
        breakdowns.extend(parts)
    Breakdown.objects.bulk_create(breakdowns)
    counts["values"] += len(created)
    counts["breakdowns"] += len(breakdowns)


def _breakdowns(
    reported: Reported,
    dims: dict[str, Dimension],
    categories: dict[int, list[Category]],
    percent: bool,
) -> list[Breakdown]:
    """Every category of each dimension given, and the parts adding up to the total; a
    dimension whose parts would not add up is left out."""
    out: list[Breakdown] = []
    for code, parts in reported.parts.items():
        dimension = dims.get(code)
        if dimension is None:
            continue
        cats = categories[dimension.pk]
        if set(parts) - {c.code for c in cats}:
            continue
        amounts = [parts.get(c.code, (0, 0)) for c in cats]
        if percent:
            sums = (sum(a[0] for a in amounts), sum(a[1] for a in amounts))
            if sums != (reported.numerator, reported.denominator):
                continue
            out.extend(
                Breakdown(category=c, numerator=Decimal(n), denominator=Decimal(d))
                for c, (n, d) in zip(cats, amounts, strict=True)
            )
        else:
            if sum(a[0] for a in amounts) != reported.value:
                continue
            out.extend(
                Breakdown(category=c, amount=Decimal(n))
                for c, (n, _d) in zip(cats, amounts, strict=True)
            )
    return out


# The plan revision ----------------------------------------------------------------------------

EFFECTIVE = dt.date(2023, 1, 1)
REVISION = texts.load("indicators")["revision"]
REWORDED = REVISION["reworded"]["deliverable"]
REWORDED_TEXT = REVISION["reworded"]["text"]
ADDED: dict[str, Any] = REVISION["added"]
RAISED = "3.1.1-c"
RAISED_TARGETS = {"2023-H1": 15, "2023-H2": 15, "2024-H1": 16}
RAISED_END = 15
RETIRED = "7.1.2-a"
REASONS: dict[str, str] = REVISION["reasons"]


def _reworded(tree: dict[str, Any]) -> dict[str, Any] | None:
    found = versions.deliverables_of(tree).get(REWORDED)
    if found is None or found["text"] == REWORDED_TEXT:
        return None
    item = {k: v for k, v in found.items() if k != "result"}
    item["text"] = REWORDED_TEXT
    return versions.with_deliverable(tree, item, found["result"])


def _added(tree: dict[str, Any]) -> dict[str, Any] | None:
    if any(i["code"] == ADDED["code"] for i in tree.get("indicators", [])):
        return None
    return versions.with_indicator(tree, copy.deepcopy(ADDED))


def _raised(tree: dict[str, Any]) -> dict[str, Any] | None:
    """The indicator's targets raised, in place, so that it keeps its position in the plan."""
    new = copy.deepcopy(tree)
    for indicator in new.get("indicators", []):
        if indicator["code"] != RAISED:
            continue
        targets = dict(indicator.get("targets", {}))
        for period, value in RAISED_TARGETS.items():
            targets[period] = max(value, targets.get(period, value))
        indicator["targets"] = dict(sorted(targets.items()))
        indicator["end_target"] = max(RAISED_END, indicator.get("end_target", RAISED_END))
        return new if new != tree else None
    return None


def _retired(tree: dict[str, Any]) -> dict[str, Any] | None:
    if not any(i["code"] == RETIRED for i in tree.get("indicators", [])):
        return None
    return versions.without_indicator(tree, RETIRED)


CHANGES = (
    (f"deliverable:{REWORDED}", _reworded),
    (f"indicator:{ADDED['code']}", _added),
    (f"indicator:{RAISED}", _raised),
    (f"indicator:{RETIRED}", _retired),
)


def _revise(plan: Plan, planner: User | None) -> PlanVersion | None:
    """Version 2, as DPO published it after a year of implementation, in force from 2023.

    The planner opens a revision and makes each change with its reason. The changes are
    proposed as one tree: every check of a tree validates the whole plan, and once is enough."""
    revision = versions.revision_open(plan=plan, actor=planner)
    tree, reasons = revision.tree, {}
    for key, change in CHANGES:
        changed = change(tree)
        if changed is not None:
            tree, reasons[key] = changed, REASONS[key]
    if not reasons:
        versions.revision_discard(revision=revision, actor=planner)
        return None
    revision = versions.revision_propose(plan=plan, tree=tree, actor=planner)
    revision = versions.revision_set_reasons(revision=revision, reasons=reasons, actor=planner)
    published = versions.revision_publish(
        revision=revision, effective_from=EFFECTIVE, actor=planner
    )
    # Publishing changes the plan, not the work plans: the new deliverable joins them now.
    assignments_generate(plan=plan, actor=planner)
    return published


def _bind_cycles(plan: Plan, cycles: list[Cycle], *, all_of_them: bool) -> int:
    """Each cycle bound to the version in force when it began; after the revision, all of
    them, later only those not bound yet."""
    bound = 0
    for cycle in cycles:
        if cycle.version_id is not None and not all_of_them:
            continue
        version = versions.version_in_force(plan, cycle.period_start)
        if version is not None and cycle.version_id != version.pk:
            Cycle.objects.filter(pk=cycle.pk).update(version=version)
            cycle.version = version
            bound += 1
    return bound


# Entry point ----------------------------------------------------------------------------------


@transaction.atomic
def demo_indicators_ensure(*, today: dt.date | None = None) -> dict[str, int]:
    """Load the demo indicator values and the plan revision into the A4P+ plan, after the demo
    reporting data; returns how many values and breakdowns were created, how many computed values
    appeared, and the number of the version now in force. Running it again creates nothing."""
    today = today or timezone.localdate()
    plan = Plan.objects.get(code=PLAN_CODE)
    found = {c.code: c for c in Cycle.objects.filter(plan=plan, code__in=PERIODS)}
    cycles = [found[code] for code in PERIODS if code in found]
    users = {
        u.username: u for u in User.objects.filter(username__in=["planner", *FOCAL_USERS.values()])
    }
    counts: Counter[str] = Counter()
    revising = not plan.versions.exclude(number=1).exists()
    # Revise first, so that the indicator it adds and the one it retires get values only for
    # the periods of the version they belong to.
    published = _revise(plan, users.get("planner")) if revising else None

    _ensure_values(plan, cycles, users, today, {}, counts)

    computed = IndicatorValue.objects.filter(indicator__plan=plan).exclude(indicator__computed="")
    before = computed.count()
    for cycle in cycles:
        values_recalculate(cycle=cycle)
    counts["computed"] = max(computed.count() - before, 0)

    counts["cycles_bound"] = _bind_cycles(plan, cycles, all_of_them=published is not None)
    current = versions.current_version(plan)

    result = {
        "values": counts["values"],
        "breakdowns": counts["breakdowns"],
        "computed": counts["computed"],
        "cycles_bound": counts["cycles_bound"],
        "version": current.number if current else 0,
    }
    if counts["values"] or counts["breakdowns"] or published is not None:
        audit.log(action="demo.indicators_loaded", obj=plan, data=result)
    return result
