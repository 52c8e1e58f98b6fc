"""Deterministic synthetic cases, for the demo and for benchmarks at scale.

`make_cases(n=…, seed=…)` bulk-creates n cases with their victims and follow-up steps; the same
seed gives the same data. The rows are marked `source = synthetic`."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from core.models import MemberState, Mission
from registers.models import Case, FollowUpStep, Victim

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


def make_cases(
    *,
    n: int,
    seed: int,
    start: dt.date = dt.date(2013, 1, 1),
    end: dt.date = dt.date(2024, 6, 30),
    source: str = Case.Source.SYNTHETIC,
) -> int:
    """Create n cases (with one to four victims and zero to six follow-up steps each) between
    two dates; returns the number of cases created."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
    missions = list(
        Mission.objects.filter(entity__code__in=MISSIONS).order_by("entity__code")
    ) or list(Mission.objects.order_by("entity__code")[:8])
    states = dict(MemberState.objects.filter(iso3__in=NATIONALITIES).values_list("iso3", "pk"))
    codes = [c for c in NATIONALITIES if c in states]
    span = (end - start).days
    created = 0
    with transaction.atomic():
        while created < n:
            size = min(BATCH, n - created)
            plans = []
            cases = []
            for _ in range(size):
                mission = missions[rng.randrange(len(missions))]
                date = start + dt.timedelta(days=rng.randrange(span + 1))
                level = rng.choices(range(7), weights=[30, 25, 12, 10, 8, 8, 7])[0]
                cases.append(
                    Case(
                        mission=mission,
                        incident_date=date,
                        incident_type=rng.choice(TYPES),
                        place="",
                        status=STATUS_AT[level],
                        source=source,
                    )
                )
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
            Case.objects.bulk_create(cases, batch_size=1000)
            victims_rows: list[Victim] = []
            steps: list[FollowUpStep] = []
            for case, (date, level, victims) in zip(cases, plans, strict=True):
                for nationality, personnel, outcome, sex in victims:
                    victims_rows.append(
                        Victim(
                            case_id=case.pk,
                            nationality_id=nationality,
                            personnel_type=personnel,
                            outcome=outcome,
                            sex=sex,
                        )
                    )
                day = date
                for stage in STAGES[:level]:
                    day = day + dt.timedelta(days=rng.randint(5, 200))
                    steps.append(
                        FollowUpStep(
                            case_id=case.pk,
                            stage=stage,
                            date=min(day, end),
                            source="Synthetic source",
                        )
                    )
            Victim.objects.bulk_create(victims_rows, batch_size=2000)
            FollowUpStep.objects.bulk_create(steps, batch_size=2000)
            created += size
    return created
