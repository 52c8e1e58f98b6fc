"""The demo register: 48 deterministic synthetic cases (2019 to early 2024) in eight missions,
with victims of twenty nationalities (Bangladesh among them, so `delegate.bgd` sees some cases
but not all), follow-up at every stage, some of it overdue, and one change recorded by the
register officer so that the delegate has a notification. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from accounts.models import User
from demo import texts
from demo.synthetic import make_cases
from registers.models import Case, FollowUpStep
from registers.services import followup_add
from reporting.models import Sensitivity

DEMO_CASES = 48
SEED = 2589

TEXTS = texts.load("registers")
PLACES: dict[str, list[str]] = TEXTS["places"]
DESCRIPTIONS: dict[str, str] = TEXTS["descriptions"]
PERPETRATORS: list[str] = TEXTS["perpetrators"]


@transaction.atomic
def demo_registers_ensure() -> dict[str, int]:
    """Create the demo cases unless they exist; returns how many were created."""
    if Case.objects.filter(source=Case.Source.DEMO).exists():
        return {"cases": 0}
    made = make_cases(
        n=DEMO_CASES,
        seed=SEED,
        start=dt.date(2019, 1, 1),
        end=dt.date(2024, 3, 31),
        source=Case.Source.DEMO,
    )
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    cases = list(
        Case.objects.filter(source=Case.Source.DEMO)
        .select_related("mission__entity")
        .order_by("pk")
    )
    for n, case in enumerate(cases):
        acronym = case.mission.entity.acronym
        case.place = rng.choice(PLACES.get(acronym, ["—"]))
        case.description = DESCRIPTIONS[case.incident_type]
        case.suspected_perpetrators = rng.choice(PERPETRATORS)
        case.sensitivity = Sensitivity.CONFIDENTIAL if n % 9 == 4 else Sensitivity.INTERNAL
        if n % 7 == 3:
            case.internal_notes = TEXTS["internal_note"]
        case.source_key = f"demo:{n + 1}"
    Case.objects.bulk_update(
        cases, ["place", "description", "suspected_perpetrators", "sensitivity",
                "internal_notes", "source_key"]
    )  # fmt: skip
    FollowUpStep.objects.filter(case__source=Case.Source.DEMO).update(
        source=TEXTS["followup_source"]
    )
    registrar = User.objects.filter(username="registrar").first()
    bangladesh = Case.objects.filter(
        source=Case.Source.DEMO, status=Case.Status.REPORTED, victims__nationality__iso3="BGD"
    ).order_by("pk")
    first = bangladesh.first()
    if registrar is not None and first is not None:
        followup_add(
            actor=registrar,
            case=first,
            stage=FollowUpStep.Stage.INVESTIGATION,
            date=min(first.incident_date + dt.timedelta(days=20), dt.date(2024, 4, 30)),
            source=TEXTS["changed_source"],
        )
    return {"cases": made}
