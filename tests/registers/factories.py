from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from core.models import MemberState, Mission
from registers.models import Case, FollowUpStep, Victim
from registers.services import tallies_refresh


def mission(code: str) -> Mission:
    return Mission.objects.get(entity__code=code)


def state(iso3: str) -> MemberState:
    return MemberState.objects.get(iso3=iso3)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    mission = factory.LazyFunction(lambda: mission("minusca"))
    incident_date = dt.date(2022, 3, 14)
    incident_type = Case.IncidentType.AMBUSH
    place = "Bangassou"
    description = "Convoy ambushed on the supply route."
    suspected_perpetrators = "Armed group"

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        if isinstance(kwargs.get("mission"), str):
            kwargs["mission"] = mission(kwargs["mission"])
        if isinstance(kwargs.get("country"), str):
            kwargs["country"] = state(kwargs["country"])
        return super()._create(model_class, *args, **kwargs)


# The factories write victims and steps as a writer of the register does: then recount the
# case's tallies.
class VictimFactory(factory.django.DjangoModelFactory[Victim]):
    class Meta:
        model = Victim

    case = factory.SubFactory(CaseFactory)
    personnel_type = Victim.PersonnelType.MILITARY
    outcome = Victim.Outcome.KILLED
    sex = Victim.Sex.MALE

    @classmethod
    def _create(cls, model_class: type[Victim], *args: Any, **kwargs: Any) -> Victim:
        if isinstance(kwargs.get("nationality"), str):
            kwargs["nationality"] = state(kwargs["nationality"])
        victim = super()._create(model_class, *args, **kwargs)
        tallies_refresh(case_ids=[victim.case_id])
        return victim


class StepFactory(factory.django.DjangoModelFactory[FollowUpStep]):
    class Meta:
        model = FollowUpStep

    case = factory.SubFactory(CaseFactory)
    stage = FollowUpStep.Stage.INVESTIGATION
    date = dt.date(2022, 4, 1)
    source = "Note verbale"

    @classmethod
    def _create(cls, model_class: type[FollowUpStep], *args: Any, **kwargs: Any) -> FollowUpStep:
        step = super()._create(model_class, *args, **kwargs)
        tallies_refresh(case_ids=[step.case_id])
        return step


def case_with(nationalities: list[str], **kwargs: Any) -> Case:
    """A case with one victim per nationality given."""
    case = CaseFactory.create(**kwargs)
    for iso3 in nationalities:
        VictimFactory.create(case=case, nationality=iso3)
    return case
