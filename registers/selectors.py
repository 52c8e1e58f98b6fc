"""Reads of the register of crimes against peacekeepers, on the register kernel: how a case
concerns a Member State (`CASE_CONCERN`), which of its fields reach a State (`CASE_SHARING`), and
the one gate for cases (`CASES`: `cases_visible_to`, and `case_for`, which answers 404 for a
missing case and a forbidden one alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.models import AuditEntry, MemberState, Mission
from registers.access import RegisterAccess, register_access_for
from registers.kernel.concern import Basis, Concern, Ground, StateIds
from registers.kernel.selectors import Gate, accesses_concerning
from registers.kernel.sharing import Reading, SharedFields, reading
from registers.models import Case, CaseAccess, CaseDocument, FollowUpStep, Victim
from registers.sop import OPEN_STATUSES, STAGES, Overdue, applies_from, overdue
from reporting.models import Notification, Sensitivity

HostStates = Mission.host_states.through


def _nationals(states: StateIds) -> QuerySet[Any]:
    return Victim.objects.filter(nationality_id__in=states).order_by().values("case_id")


def _nationals_of(case: Case) -> Iterable[int]:
    return Victim.objects.filter(case=case, nationality__isnull=False).values_list(
        "nationality_id", flat=True
    )


def _on_territory(states: StateIds) -> QuerySet[Any]:
    return Case.objects.filter(country_id__in=states).order_by().values("pk")


def _territory_of(case: Case) -> Iterable[int]:
    return [] if case.country_id is None else [case.country_id]


def _hosted(states: StateIds) -> QuerySet[Any]:
    """Cases without a State of their own, in a mission these States host."""
    hosts = HostStates.objects.filter(memberstate_id__in=states).values("mission_id")
    return Case.objects.filter(country__isnull=True, mission_id__in=hosts).order_by().values("pk")


def _hosts_of(case: Case) -> Iterable[int]:
    if case.country_id is not None:
        return []
    return HostStates.objects.filter(mission_id=case.mission_id).values_list(
        "memberstate_id", flat=True
    )


# A case concerns a Member State when one of its victims is a national of that State, or when it
# took place on its territory: the case's State when it is set, otherwise any host State of the
# mission. Missions without a host Member State concern only the victims' States.
CASE_CONCERN = Concern(
    grounds=(
        Ground(Basis.NATIONALS, records=_nationals, states=_nationals_of),
        Ground(Basis.TERRITORY, records=_on_territory, states=_territory_of),
        Ground(Basis.TERRITORY, records=_hosted, states=_hosts_of),
    )
)

# What a delegate reads of a case; everything else (date, mission, State, place, type, status,
# victims, the follow-up's stages and dates) is always shared.
CASE_SHARING = SharedFields(
    unless_confidential=frozenset(
        {"description", "suspected_perpetrators", "latitude", "longitude", "followup_source"}
    ),
    staff_only=frozenset({"internal_notes", "sensitivity", "history"}),
)

CASES = Gate(model=Case, concern=CASE_CONCERN, mission_field="mission", missing=_("No such case."))


def cases_concerning_states(states: StateIds) -> Q:
    """Cases that concern any of these Member States (ids)."""
    return CASE_CONCERN.filter(states)


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """Register officers at HQ, senior leadership at HQ and administrators see every case; users
    attached to a mission see its cases; a Member State delegate sees the cases that concern its
    State. Anyone else sees none."""
    return CASES.visible_to(user)


def cases_for_statistics(user: User | AnonymousUser) -> QuerySet[Case] | None:
    """The cases whose aggregates the user may see (statistics page, dashboards), or None when
    the user may see none. The planning unit sees aggregates of every case (it consolidates the
    report) though it reads no case; anyone else the aggregates of the cases it may read."""
    return CASES.aggregates_for(user)


def case_reading(user: User | AnonymousUser, case: Case) -> Reading:
    """How this reader reads this case: in full (UN staff) or as a concerned State."""
    return reading(full=register_access_for(user).full_view(case), sensitivity=case.sensitivity)


def with_followup(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Adds the first date of each follow-up stage (`first_investigation` …) and the victim
    counts, in the same query."""
    return cases.annotate(
        **{f"first_{stage}": Min("steps__date", filter=Q(steps__stage=stage)) for stage in STAGES},
        killed=Count("victims", filter=Q(victims__outcome=Victim.Outcome.KILLED), distinct=True),
        injured=Count("victims", filter=Q(victims__outcome=Victim.Outcome.INJURED), distinct=True),
    )


def case_list(user: User | AnonymousUser) -> QuerySet[Case]:
    """The visible cases, newest first, without annotations (cheap to count and slice)."""
    return cases_visible_to(user).order_by("-incident_date", "-pk")


def cases_filtered(
    cases: QuerySet[Case],
    *,
    mission: str = "",
    year: int | None = None,
    status: str = "",
    state: str = "",
) -> QuerySet[Case]:
    """The cases narrowed by the list's filters: a mission's acronym, a year, a status, a
    concerned State's ISO3 code."""
    if mission:
        cases = cases.filter(mission__entity__acronym__iexact=mission)
    if year:
        cases = cases.filter(incident_date__year=year)
    if status:
        cases = cases.filter(status=status)
    if state:
        cases = cases.filter(
            cases_concerning_states(MemberState.objects.filter(iso3=state.upper()).values("pk"))
        )
    return cases


def annotated(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        with_followup(cases)
        .select_related("mission__entity", "country")
        .order_by("-incident_date", "-pk")
    )


def page_of(cases: QuerySet[Case], number: str | None, size: int) -> Page[Case]:
    """One page of cases, annotated with their follow-up: the page is chosen on the plain
    queryset (an index scan), and only its rows are annotated."""
    page = Paginator(cases.order_by("-incident_date", "-pk"), size).get_page(number)
    ids = list(page.object_list.values_list("pk", flat=True))  # type: ignore[attr-defined]
    page.object_list = list(annotated(Case.objects.filter(pk__in=ids)))
    return page


def _with_everything(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("mission__entity", "country", "created_by").prefetch_related(
        Prefetch("victims", queryset=Victim.objects.select_related("nationality")),
        Prefetch("steps", queryset=FollowUpStep.objects.select_related("recorded_by")),
        "documents",
        "mission__host_states",
    )


def case_for(user: User | AnonymousUser, pk: object) -> Case:
    """The case with everything its page shows, or 404 (missing and forbidden alike)."""
    return CASES.record_for(user, pk, prepare=_with_everything)


def case_as_stored(case: Case) -> Case:
    """The case as the database holds it, before a form changed the instance in memory."""
    return Case.objects.get(pk=case.pk)


def documents_for(user: User | AnonymousUser, case: Case) -> list[CaseDocument]:
    """The case's documents the user may see: concerned Member States see neither the documents
    of a confidential case nor confidential documents."""
    docs = list(case.documents.all())
    read = case_reading(user, case)
    if read.full:
        return docs
    if not read.narrative:
        return []
    return [d for d in docs if d.sensitivity != Sensitivity.CONFIDENTIAL]


def case_history(case: Case) -> QuerySet[AuditEntry]:
    """The case's audit trail, newest first (UN staff only)."""
    return AuditEntry.objects.filter(
        object_type="registers.case", object_id=str(case.pk)
    ).select_related("actor")


def missions_with_cases(user: User | AnonymousUser) -> QuerySet[Mission]:
    """The missions of the cases the user sees (the list's filter)."""
    return Mission.objects.filter(
        entity_id__in=cases_visible_to(user).values("mission_id")
    ).select_related("entity")


def editable_missions(reader: RegisterAccess) -> QuerySet[Mission]:
    """The missions whose cases the reader may record or move a case to."""
    if reader.edit_all:
        return Mission.objects.all()
    return Mission.objects.filter(entity_id__in=reader.edit_missions)


# Member State portal ---------------------------------------------------------------------------


def cases_concerning(states: StateIds) -> QuerySet[Case]:
    """The cases that concern these Member States (the portal asks for the delegate's own)."""
    return CASES.concerning(states)


def overdue_among(cases: QuerySet[Case], today: dt.date) -> dict[int, Overdue]:
    """The cases whose follow-up is overdue, by pk. Only open cases since the procedure applies
    can be overdue: few, whatever the register's size. Judged on plain rows (dates of the stages
    reached, no victims or names)."""
    may_be_late = cases.filter(status__in=OPEN_STATUSES, incident_date__gte=applies_from())
    late: dict[int, Overdue] = {}
    for row in may_be_late.annotate(
        **{f"first_{s}": Min("steps__date", filter=Q(steps__stage=s)) for s in STAGES}
    ).values("pk", "incident_date", "status", *[f"first_{s}" for s in STAGES]):
        found = overdue(
            incident_date=row["incident_date"],
            status=row["status"],
            reached={s: row[f"first_{s}"] for s in STAGES},
            today=today,
        )
        if found:
            late[row["pk"]] = found
    return late


def cases_annotated(pks: Iterable[int]) -> dict[int, Case]:
    """These cases with their follow-up, by pk."""
    return {c.pk: c for c in annotated(Case.objects.filter(pk__in=list(pks)))}


def access_log_for_states(states: StateIds) -> QuerySet[CaseAccess]:
    """Accesses to the cases that concern these Member States, newest first."""
    return (
        accesses_concerning(gate=CASES, log=CaseAccess, states=states)
        .select_related("case__mission__entity")
        .order_by("-at", "-id")
    )


def case_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications that a case concerning their State changed, newest first."""
    return Notification.objects.filter(
        user_id=user.pk, kind=Notification.Kind.CASE_CHANGED
    ).order_by("-created_at")
