"""Deterministic synthetic cases, for the demo and for benchmarks at scale.

`make_cases(n=…, seed=…)` bulk-creates n cases with their victims and follow-up steps; the same
seed gives the same data. The rows are marked `source = synthetic`."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from core.models import MemberState, Mission
from registers.models import STAGE_BITS, Case, FollowUpStep, Victim
from reporting.models import Sensitivity

BATCH = 5000

# Contributing countries whose nationals appear among synthetic victims.
NATIONALITIES = [
    "BGD", "NPL", "PAK", "IND", "EGY", "RWA", "SEN", "TCD", "BFA", "GHA",
    "ZMB", "MAR", "FRA", "TZA", "NGA", "NER", "TGO", "GIN", "CMR", "JOR",
]  # fmt: skip
MISSIONS = ["minusca", "monusco", "minusma", "unmiss", "unifil", "unisfa", "minurso", "undof"]

STAGES = [s.value for s in FollowUpStep.Stage]
STATUS_AT = {
    0: Case.Status.REPORTED,
    1: Case.Status.INVESTIGATION,
    2: Case.Status.PROSECUTION,
    3: Case.Status.PROSECUTION,
    4: Case.Status.PROSECUTION,
    5: Case.Status.ADJUDICATED,
    6: Case.Status.ADJUDICATED,
}
TYPES = [t.value for t in Case.IncidentType if t != Case.IncidentType.UNDETERMINED]
PERSONNEL = [
    Victim.PersonnelType.MILITARY,
    Victim.PersonnelType.MILITARY,
    Victim.PersonnelType.MILITARY,
    Victim.PersonnelType.POLICE,
    Victim.PersonnelType.MILITARY_OBSERVER,
    Victim.PersonnelType.INTERNATIONAL_CIVILIAN,
    Victim.PersonnelType.LOCAL_CIVILIAN,
]


def _insert(
    model: type[Model], columns: list[str], rows: list[tuple[Any, ...]], *, ids: bool = False
) -> list[int]:
    """Plain multi-row inserts: the ORM's per-object overhead dominates at 100,000 rows. With
    `ids`, returns the new primary keys in the order of the rows (RETURNING, SQLite 3.35+ and
    PostgreSQL)."""
    made: list[int] = []
    if not rows:
        return made
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, 900 // len(columns))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), size):
            chunk = rows[i : i + size]
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([marks] * len(chunk))  # noqa: S608 (names from the model, values bound)
            if ids:
                sql += ' RETURNING "id"'
            cursor.execute(sql, [v for row in chunk for v in row])
            if ids:
                made.extend(row[0] for row in cursor.fetchall())
    return made


def make_cases(
    *,
    n: int,
    seed: int,
    start: dt.date = dt.date(2013, 1, 1),
    end: dt.date = dt.date(2024, 6, 30),
    source: str = Case.Source.SYNTHETIC,
    missions: list[str] | None = None,
) -> int:
    """Create n cases (with one to four victims and zero to six follow-up steps each) between
    two dates, in these missions (codes; by default eight of the largest); returns the number of
    cases created."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
    chosen = list(
        Mission.objects.filter(entity__code__in=missions or MISSIONS).order_by("entity__code")
    )
    chosen = chosen or list(Mission.objects.order_by("entity__code")[:8])
    states = dict(MemberState.objects.filter(iso3__in=NATIONALITIES).values_list("iso3", "pk"))
    codes = [c for c in NATIONALITIES if c in states]
    span = (end - start).days
    created = 0
    with transaction.atomic():
        while created < n:
            size = min(BATCH, n - created)
            plans = []
            cases: list[tuple[Any, ...]] = []
            now = timezone.now()
            for _ in range(size):
                mission = chosen[rng.randrange(len(chosen))]
                date = start + dt.timedelta(days=rng.randrange(span + 1))
                level = rng.choices(range(7), weights=[30, 25, 12, 10, 8, 8, 7])[0]
                incident_type = rng.choice(TYPES)
                victims = [
                    (
                        states[rng.choice(codes)] if codes and rng.random() < 0.9 else None,
                        rng.choice(PERSONNEL),
                        Victim.Outcome.KILLED if rng.random() < 0.6 else Victim.Outcome.INJURED,
                        Victim.Sex.FEMALE if rng.random() < 0.08 else Victim.Sex.MALE,
                    )
                    for _ in range(rng.randint(1, 4))
                ]
                plans.append((date, level, victims))
                killed = sum(1 for v in victims if v[2] == Victim.Outcome.KILLED)
                cases.append(
                    (
                        date,
                        mission.pk,
                        incident_type,
                        STATUS_AT[level],
                        source,
                        now,
                        now,
                        *("", "", "", ""),
                        Sensitivity.INTERNAL,
                        # The tallies that tallies_refresh would compute.
                        killed,
                        len(victims) - killed,
                        sum(STAGE_BITS[stage] for stage in STAGES[:level]),
                    )
                )
            case_ids = _insert(
                Case,
                ["incident_date", "mission_id", "incident_type", "status", "source",
                 "created_at", "updated_at", "place", "description", "suspected_perpetrators",
                 "internal_notes", "sensitivity", "victims_killed", "victims_injured",
                 "stages_reached"],
                cases,
                ids=True,
            )  # fmt: skip
            victims_rows: list[tuple[Any, ...]] = []
            steps: list[tuple[Any, ...]] = []
            for case_id, (date, level, victims) in zip(case_ids, plans, strict=True):
                for nationality, personnel, outcome, sex in victims:
                    victims_rows.append((case_id, nationality, "", personnel, sex, outcome))
                day = date
                for stage in STAGES[:level]:
                    day = day + dt.timedelta(days=rng.randint(5, 200))
                    steps.append((case_id, stage, min(day, end), "Synthetic source", "", now))
            _insert(
                Victim,
                ["case_id", "nationality_id", "nationality_recorded", "personnel_type", "sex",
                 "outcome"],
                victims_rows,
            )  # fmt: skip
            _insert(
                FollowUpStep,
                ["case_id", "stage", "date", "source", "note", "recorded_at"],
                steps,
            )
            created += size
    return created
