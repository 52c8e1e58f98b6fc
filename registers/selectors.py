"""Reads of the register. `cases_visible_to` is the one gate for cases; `case_for` answers 404
for a missing case and a forbidden one alike."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.models import Mission
from registers.access import register_access_for
from registers.models import Case, CaseAccess, CaseDocument, FollowUpStep, Victim
from registers.sop import STAGES
from reporting.models import Sensitivity

HostStates = Mission.host_states.through


def cases_concerning_states(states: Any) -> Q:
    """Cases that concern any of these Member States (ids): its nationals among the victims, or
    the incident on its territory (the case's State, else the mission's host States).

    One uncorrelated subquery, a union of the three ways, each read from an index: the database
    finds the State's cases first and reads only those (rather than testing every case)."""
    states = states if isinstance(states, QuerySet) else list(states)
    nationals = Victim.objects.filter(nationality_id__in=states).order_by().values("case_id")
    on_territory = Case.objects.filter(country_id__in=states).order_by().values("pk")
    hosted = (
        Case.objects.filter(
            country__isnull=True,
            mission_id__in=HostStates.objects.filter(memberstate_id__in=states).values(
                "mission_id"
            ),
        )
        .order_by()
        .values("pk")
    )
    return Q(pk__in=nationals.union(on_territory, hosted))


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Register officers at HQ, senior leadership at HQ and administrators see every case; users
    attached to a mission see its cases; a Member State delegate sees the cases that concern its
    State. Anyone else sees none."""
    a = register_access_for(user)
    cases = Case.objects.all()
    if a.all_cases:
        return cases
    visible = Q()
    if a.missions:
        visible |= Q(mission_id__in=a.missions)
    if a.states:
        visible |= cases_concerning_states(a.states)
    if not visible:
        return cases.none()
    return cases.filter(visible)


def cases_for_statistics(user: Any) -> QuerySet[Case] | None:
    """The cases whose aggregates the user may see (statistics page, dashboards), or None when
    the user may see none. The planning unit sees aggregates of every case (it consolidates the
    report) though it reads no case; anyone else the aggregates of the cases it may read."""
    a = register_access_for(user)
    if not a.any:
        return None
    if a.aggregates and not a.missions and not a.all_cases:
        return Case.objects.all()
    return cases_visible_to(user)


def with_followup(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Adds the first date of each follow-up stage (`first_investigation` …) and the victim
    counts, in the same query."""
    return cases.annotate(
        **{f"first_{stage}": Min("steps__date", filter=Q(steps__stage=stage)) for stage in STAGES},
        killed=Count("victims", filter=Q(victims__outcome=Victim.Outcome.KILLED), distinct=True),
        injured=Count("victims", filter=Q(victims__outcome=Victim.Outcome.INJURED), distinct=True),
    )


def case_list(user: Any) -> QuerySet[Case]:
    """The visible cases, newest first, without annotations (cheap to count and slice)."""
    return cases_visible_to(user).order_by("-incident_date", "-pk")


def annotated(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        with_followup(cases)
        .select_related("mission__entity", "country")
        .order_by("-incident_date", "-pk")
    )


def page_of(cases: QuerySet[Case], number: Any, size: int) -> Page:
    """One page of cases, annotated with their follow-up: the page is chosen on the plain
    queryset (an index scan), and only its rows are annotated."""
    page = Paginator(cases.order_by("-incident_date", "-pk"), size).get_page(number)
    ids = list(page.object_list.values_list("pk", flat=True))  # type: ignore[attr-defined]
    page.object_list = list(annotated(Case.objects.filter(pk__in=ids)))
    return page


def case_for(user: Any, pk: Any) -> Case:
    """The case with everything its page shows, or 404 (missing and forbidden alike)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such case.")) from None
    case = (
        cases_visible_to(user)
        .filter(pk=pk)
        .select_related("mission__entity", "country", "created_by")
        .prefetch_related(
            Prefetch("victims", queryset=Victim.objects.select_related("nationality")),
            Prefetch("steps", queryset=FollowUpStep.objects.select_related("recorded_by")),
            "documents",
            "mission__host_states",
        )
        .first()
    )
    if case is None:
        raise Http404(_("No such case."))
    return case


def documents_for(user: Any, case: Case) -> list[CaseDocument]:
    """The case's documents the user may see: concerned Member States see neither the documents
    of a confidential case nor confidential documents."""
    docs = list(case.documents.all())
    if register_access_for(user).full_view(case):
        return docs
    if case.sensitivity == Sensitivity.CONFIDENTIAL:
        return []
    return [d for d in docs if d.sensitivity != Sensitivity.CONFIDENTIAL]


def access_log_for_states(states: Any) -> QuerySet[CaseAccess]:
    """Accesses to the cases that concern these Member States, newest first."""
    concerned = Case.objects.filter(cases_concerning_states(states)).values("pk")
    return CaseAccess.objects.filter(case_id__in=concerned).select_related("case__mission__entity")


def concerned_state_ids(case: Case) -> set[int]:
    """The Member States a case concerns: its victims' nationalities and its territory."""
    states = set(
        Victim.objects.filter(case=case, nationality__isnull=False).values_list(
            "nationality_id", flat=True
        )
    )
    if case.country_id is not None:
        states.add(case.country_id)
    else:
        states |= set(
            HostStates.objects.filter(mission_id=case.mission_id).values_list(
                "memberstate_id", flat=True
            )
        )
    return states


def delegates_concerned(case: Case) -> QuerySet[User]:
    """Active Member State delegates of the States a case concerns."""
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.MEMBER_STATE_DELEGATE,
        memberships__member_state_id__in=concerned_state_ids(case),
    ).distinct()
