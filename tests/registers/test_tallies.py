"""The cases' stored year and tallies (victims killed and injured, stages reached) stay equal to
a count of the records, whichever writer made them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accounts.models import Role, User
from demo.synthetic import make_cases
from registers import services
from registers.models import STAGE_BITS, Case, FollowUpStep, Victim
from registers.services import tallies_refresh
from tests.factories import MembershipFactory, UserFactory
from tests.registers.factories import StepFactory, VictimFactory, case_with
from tests.registers.test_import import GOOD, HEADER, run, write


def recount() -> dict[int, tuple[int, int, int, int]]:
    out = {}
    for case in Case.objects.all():
        victims = list(Victim.objects.filter(case=case))
        stages = {s.stage for s in FollowUpStep.objects.filter(case=case)}
        out[case.pk] = (
            case.incident_date.year,
            sum(v.outcome == Victim.Outcome.KILLED for v in victims),
            sum(v.outcome == Victim.Outcome.INJURED for v in victims),
            sum(STAGE_BITS[s] for s in stages),
        )
    return out


def stored() -> dict[int, tuple[int, int, int, int]]:
    return {
        pk: (year, killed, injured, stages)
        for pk, year, killed, injured, stages in Case.objects.values_list(
            "pk", "incident_year", "victims_killed", "victims_injured", "stages_reached"
        )
    }


@pytest.fixture
def officer(db: None) -> User:
    user = UserFactory.create()
    MembershipFactory(user=user, role=Role.REGISTER_OFFICER, entity="dpo-opsp")
    return user


def test_services_and_factories_keep_the_tallies(officer: User) -> None:
    case = case_with(["BGD", "NPL"], mission="monusco")
    VictimFactory.create(case=case, outcome=Victim.Outcome.INJURED)
    StepFactory.create(case=case, stage="arrest")
    victim = services.victim_add(
        actor=officer, case=case, nationality=None, personnel_type="police", outcome="injured"
    )
    services.followup_add(
        actor=officer, case=case, stage="charges", date=dt.date(2022, 5, 1), source="Note"
    )
    services.victim_remove(actor=officer, victim=Victim.objects.get(pk=victim.pk))
    assert stored() == recount()
    assert stored()[case.pk] == (2022, 2, 1, STAGE_BITS["arrest"] | STAGE_BITS["charges"])
    # A case read before a victim was added does not write stale tallies back.
    stale = Case.objects.get(pk=case.pk)
    VictimFactory.create(case=case)
    services.case_update(actor=officer, case=stale, incident_date=dt.date(2021, 3, 1))
    assert stored() == recount()
    assert stored()[case.pk][0] == 2021


def test_the_import_and_the_synthetic_data_keep_the_tallies(tmp_path: Path, db: None) -> None:
    run(write(tmp_path, [HEADER, *GOOD]))
    changed = GOOD[0].replace("Fatality", "Injury")
    run(write(tmp_path, [HEADER, changed, *GOOD[1:]], "g.csv"))
    make_cases(n=40, seed=3)
    assert stored() == recount()
    Case.objects.update(victims_killed=0, victims_injured=0, stages_reached=0)
    assert tallies_refresh() == Case.objects.count()
    assert stored() == recount()
