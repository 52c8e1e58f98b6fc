"""Writes of the register: every one takes keyword-only arguments, runs in one transaction,
checks that the actor may write, and writes its audit entry. Changes that concern Member States
(a follow-up step, a new status) notify their delegates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.models import MemberState, Mission
from registers.access import register_access_for
from registers.fatalities import FatalityRow, ParsedFile, Progress
from registers.kernel import services as kernel
from registers.models import (
    STAGE_BITS,
    Case,
    CaseAccess,
    CaseDocument,
    FatalitiesImport,
    FollowUpStep,
    Victim,
)
from registers.selectors import CASE_CONCERN, HostStates
from reporting.models import Notification, Sensitivity

# The status a follow-up stage implies; adding a step moves the case forward, never back.
STAGE_STATUS = {
    FollowUpStep.Stage.INVESTIGATION: Case.Status.INVESTIGATION,
    FollowUpStep.Stage.ARREST: Case.Status.PROSECUTION,
    FollowUpStep.Stage.CHARGES: Case.Status.PROSECUTION,
    FollowUpStep.Stage.TRIAL: Case.Status.PROSECUTION,
    FollowUpStep.Stage.VERDICT: Case.Status.ADJUDICATED,
    FollowUpStep.Stage.SENTENCE: Case.Status.ADJUDICATED,
}
STATUS_ORDER = [s.value for s in Case.Status]


class RegisterError(Exception):
    """A refused write; the message is shown to the user as is."""


def _require_edit(actor: User, case: Case | None = None, mission: Mission | None = None) -> None:
    a = register_access_for(actor)
    mission_id = case.mission_id if case is not None else getattr(mission, "pk", None)
    if not (a.edit_all or mission_id in a.edit_missions):
        raise RegisterError(_("You may not change the cases of this mission."))


def _check_incident_date(incident_date: dt.date) -> None:
    if incident_date > timezone.localdate():
        raise RegisterError(_("The date of the incident cannot be in the future."))


def _touch(case: Case) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at"])


def _count_of(outcome: str) -> Coalesce:
    return Coalesce(
        Subquery(
            Victim.objects.filter(case=OuterRef("pk"), outcome=outcome)
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _stages_reached() -> Coalesce:
    bit = models.Case(
        *[When(stage=stage, then=Value(b)) for stage, b in STAGE_BITS.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return Coalesce(
        Subquery(
            FollowUpStep.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(bits=Sum(bit, distinct=True))
            .values("bits")
        ),
        0,
    )


def tallies_refresh(*, case_ids: Iterable[int] | None = None) -> int:
    """Recount the victims killed and injured and the stages reached of these cases (every case
    with None), in one UPDATE; returns the number of cases updated. Every writer of victims or
    follow-up steps calls it: the services below, the fatalities import, and any bulk insert or
    SQL that adds or removes them (`synthetic.make_cases` writes the tallies with the rows)."""
    cases = Case.objects.all()
    if case_ids is not None:
        ids = list(case_ids)
        if not ids:
            return 0
        cases = cases.filter(pk__in=ids)
    return cases.update(
        victims_killed=_count_of(Victim.Outcome.KILLED),
        victims_injured=_count_of(Victim.Outcome.INJURED),
        stages_reached=_stages_reached(),
    )


@transaction.atomic
def case_create(
    *,
    actor: User,
    mission: Mission,
    incident_date: dt.date,
    incident_type: str,
    place: str = "",
    country: MemberState | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    description: str = "",
    suspected_perpetrators: str = "",
    internal_notes: str = "",
    sensitivity: str = Sensitivity.INTERNAL,
) -> Case:
    _require_edit(actor, mission=mission)
    _check_incident_date(incident_date)
    case = Case(
        mission=mission,
        incident_date=incident_date,
        incident_type=incident_type,
        place=place,
        country=country,
        latitude=latitude,
        longitude=longitude,
        description=description,
        suspected_perpetrators=suspected_perpetrators,
        internal_notes=internal_notes,
        sensitivity=sensitivity,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    audit.log(
        action="register.case.created",
        obj=case,
        actor=actor,
        data={"mission": mission.entity.acronym, "date": incident_date.isoformat()},
    )
    return case


CASE_FIELDS = (
    "mission",
    "incident_date",
    "incident_type",
    "place",
    "country",
    "latitude",
    "longitude",
    "description",
    "suspected_perpetrators",
    "internal_notes",
    "sensitivity",
)


@transaction.atomic
def case_update(*, actor: User, case: Case, **values: Any) -> list[str]:
    """Change the case's facts; returns the names of the fields that changed."""
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"case_update: unknown fields {sorted(unknown)}")
    _require_edit(actor, case=case)
    if "mission" in values:
        _require_edit(actor, mission=values["mission"])
    if "incident_date" in values:
        _check_incident_date(values["incident_date"])
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(case, name, values[name])
    case.updated_at = timezone.now()
    case.full_clean()
    case.save(update_fields=[*changed, "updated_at"])
    audit.log(action="register.case.changed", obj=case, actor=actor, data={"fields": changed})
    return changed


@transaction.atomic
def case_status_set(*, actor: User, case: Case, status: str, reason: str = "") -> bool:
    """Set the status; closing a case without a judicial outcome needs a reason."""
    _require_edit(actor, case=case)
    if status not in STATUS_ORDER:
        raise RegisterError(_("Unknown status."))
    if status == Case.Status.CLOSED and not reason.strip():
        raise RegisterError(_("Give the reason for closing the case."))
    if status == case.status:
        return False
    before = case.status
    case.status = status
    case.updated_at = timezone.now()
    case.save(update_fields=["status", "updated_at"])
    entry = audit.log(
        action="register.case.status",
        obj=case,
        actor=actor,
        data={"from": before, "to": status, "reason": reason.strip()},
    )
    _states_notify(case, f"status:{entry.pk}")
    return True


@transaction.atomic
def victim_add(
    *,
    actor: User,
    case: Case,
    personnel_type: str,
    outcome: str,
    nationality: MemberState | None = None,
    sex: str = Victim.Sex.UNKNOWN,
) -> Victim:
    _require_edit(actor, case=case)
    victim = Victim(
        case=case, nationality=nationality, personnel_type=personnel_type, sex=sex, outcome=outcome
    )
    victim.full_clean()
    victim.save()
    tallies_refresh(case_ids=[case.pk])
    _touch(case)
    audit.log(
        action="register.victim.added",
        obj=case,
        actor=actor,
        data={
            "victim": victim.pk,
            "nationality": nationality.iso3 if nationality else "",
            "outcome": outcome,
        },
    )
    return victim


@transaction.atomic
def victim_remove(*, actor: User, victim: Victim) -> None:
    case = victim.case
    _require_edit(actor, case=case)
    audit.log(action="register.victim.removed", obj=case, actor=actor, data={"victim": victim.pk})
    victim.delete()
    tallies_refresh(case_ids=[case.pk])
    _touch(case)


@transaction.atomic
def followup_add(
    *, actor: User, case: Case, stage: str, date: dt.date, source: str, note: str = ""
) -> FollowUpStep:
    """Record a step of the host State's follow-up; the case's status moves forward to what the
    step implies, and the concerned Member States are told."""
    _require_edit(actor, case=case)
    if stage not in FollowUpStep.Stage.values:
        raise RegisterError(_("Unknown follow-up stage."))
    if date < case.incident_date:
        raise RegisterError(_("A follow-up step cannot come before the incident."))
    if date > timezone.localdate():
        raise RegisterError(_("The date of a follow-up step cannot be in the future."))
    if not source.strip():
        raise RegisterError(_("Give the source of this information."))
    step = FollowUpStep.objects.create(
        case=case, stage=stage, date=date, source=source.strip(), note=note, recorded_by=actor
    )
    tallies_refresh(case_ids=[case.pk])
    implied = STAGE_STATUS[FollowUpStep.Stage(stage)]
    fields = ["updated_at"]
    if case.status != Case.Status.CLOSED and STATUS_ORDER.index(implied) > STATUS_ORDER.index(
        case.status
    ):
        case.status = implied
        fields.append("status")
    case.updated_at = timezone.now()
    case.save(update_fields=fields)
    entry = audit.log(
        action="register.followup.added",
        obj=case,
        actor=actor,
        data={"step": step.pk, "stage": stage, "date": date.isoformat(), "status": case.status},
    )
    _states_notify(case, f"step:{entry.pk}")
    return step


@transaction.atomic
def document_add(
    *,
    actor: User,
    case: Case,
    title: str,
    reference: str = "",
    url: str = "",
    document_date: dt.date | None = None,
    sensitivity: str = Sensitivity.INTERNAL,
) -> CaseDocument:
    _require_edit(actor, case=case)
    if not (reference.strip() or url.strip()):
        raise RegisterError(_("Give the document's reference or a link to it."))
    document = CaseDocument(
        case=case,
        title=title,
        reference=reference,
        url=url,
        document_date=document_date,
        sensitivity=sensitivity,
        added_by=actor,
    )
    document.full_clean()
    document.save()
    _touch(case)
    audit.log(
        action="register.document.added", obj=case, actor=actor, data={"document": document.pk}
    )
    return document


def accesses_record(*, user: User | AnonymousUser, case_ids: Iterable[int], action: str) -> int:
    """The access log: one row per case viewed or exported."""
    return kernel.accesses_record(log=CaseAccess, user=user, record_ids=case_ids, action=action)


def _states_notify(case: Case, event: str) -> int:
    """Tell the delegates of the concerned Member States that the case changed."""
    return kernel.concerned_notify(
        concern=CASE_CONCERN,
        record=case,
        kind=Notification.Kind.CASE_CHANGED,
        link=reverse("register-case", kwargs={"pk": case.pk}),
        event=f"case:{case.pk}:{event}",
    )


# Import of the UN fatalities data --------------------------------------------------------------


class ImportRejected(Exception):
    """`--strict`: the file has rejected rows, so nothing was written."""


VICTIM_FIELDS = ("case_id", "nationality_id", "nationality_recorded", "personnel_type", "sex")


def _import_cases(
    rows: list[FatalityRow], acronyms: dict[int, str], actor: User | None
) -> tuple[dict[str | None, int], int]:
    """One case per mission and incident date (`source_key`): the keys' case ids, created where
    missing, and how many were created."""
    hosts: dict[int, list[int]] = {}
    for mission_id, state_id in HostStates.objects.values_list("mission_id", "memberstate_id"):
        hosts.setdefault(mission_id, []).append(state_id)
    wanted: dict[str, FatalityRow] = {}
    for row in rows:
        wanted.setdefault(_case_key(row, acronyms), row)
    existing = dict(
        Case.objects.filter(source_key__in=list(wanted)).values_list("source_key", "pk")
    )
    new_cases = []
    for key, row in wanted.items():
        if key in existing:
            continue
        only_host = hosts.get(row.mission_id, [])
        new_cases.append(
            Case(
                mission_id=row.mission_id,
                incident_date=row.incident_date,
                country_id=only_host[0] if len(only_host) == 1 else None,
                incident_type=Case.IncidentType.UNDETERMINED,
                source=Case.Source.UN_FATALITIES,
                source_key=key,
                sensitivity=Sensitivity.INTERNAL,
                created_by=actor,
            )
        )
    Case.objects.bulk_create(new_cases, batch_size=500)
    if new_cases:
        existing.update(
            Case.objects.filter(source_key__in=[c.source_key for c in new_cases]).values_list(
                "source_key", "pk"
            )
        )
    return existing, len(new_cases)


def _case_key(row: FatalityRow, acronyms: dict[int, str]) -> str:
    return f"un-fatalities:{acronyms[row.mission_id]}:{row.incident_date.isoformat()}"


def _import_victims(
    rows: list[FatalityRow], case_of: Callable[[FatalityRow], int], counts: dict[str, int]
) -> None:
    """One victim per casualty id: created, updated where its data changed, or left alone;
    the tallies of every case touched are recounted."""
    ids = [r.casualty_id for r in rows]
    current = {v.casualty_id: v for v in Victim.objects.filter(casualty_id__in=ids)}
    previous_case = {key: v.case_id for key, v in current.items()}
    to_create: list[Victim] = []
    to_update: list[Victim] = []
    for row in rows:
        values = {
            "case_id": case_of(row),
            "nationality_id": row.nationality_id,
            "nationality_recorded": row.nationality_recorded,
            "personnel_type": row.personnel_type,
            "sex": row.sex,
            "outcome": row.outcome,
        }
        victim = current.get(row.casualty_id)
        if victim is None:
            to_create.append(Victim(casualty_id=row.casualty_id, **values))
        elif any(getattr(victim, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(victim, k, v)
            to_update.append(victim)
        else:
            counts["victims_unchanged"] += 1
    Victim.objects.bulk_create(to_create, batch_size=1000)
    Victim.objects.bulk_update(to_update, [*VICTIM_FIELDS, "outcome"], batch_size=500)
    touched = {v.case_id for v in to_create} | {v.case_id for v in to_update}
    for victim in to_update:  # a victim moved to another case leaves its old one
        touched.add(previous_case[victim.casualty_id])
    tallies_refresh(case_ids=touched)
    counts["victims_created"] = len(to_create)
    counts["victims_updated"] = len(to_update)


@transaction.atomic
def fatalities_import(
    *,
    parsed: ParsedFile,
    filename: str,
    sha256: str,
    actor: User | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> FatalitiesImport:
    """Write the checked rows of a fatalities file in one transaction: one case per mission and
    incident date, one victim per casualty id. Running it again with the same file changes
    nothing; a newer file updates the victims whose data changed. Victims are never deleted by an
    import (a file may be a subset)."""
    if strict and parsed.rejected:
        raise ImportRejected(
            _("%(count)d rows rejected; nothing was written (--strict).")
            % {"count": len(parsed.rejected)}
        )
    rows = parsed.rows
    counts = {
        "rows": parsed.total,
        "malicious_acts": len(rows) + len(parsed.rejected),
        "other_incidents": parsed.other_incidents,
        "rejected": len(parsed.rejected),
        "warnings": len(parsed.warnings),
        "cases_created": 0,
        "victims_created": 0,
        "victims_updated": 0,
        "victims_unchanged": 0,
    }
    acronyms = dict(Mission.objects.values_list("entity_id", "entity__acronym"))
    cases, counts["cases_created"] = _import_cases(rows, acronyms, actor)
    if progress:
        progress("write", len(rows) // 3, len(rows))
    _import_victims(rows, lambda row: cases[_case_key(row, acronyms)], counts)
    run = FatalitiesImport.objects.create(
        by=actor,
        filename=filename[:300],
        sha256=sha256,
        counts=counts,
        rejected=[{"line": line, "reason": reason} for line, reason in parsed.rejected],
    )
    audit.log(action="register.fatalities.imported", obj=run, actor=actor, data=counts)
    if progress:
        progress("write", len(rows), len(rows))
    return run
