"""Every write of the reporting workflow. Each function checks state and role, writes in one
transaction, records the step, and raises `ReportingError` with a message for the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import access_for
from accounts.models import User
from core import audit
from plans.models import Assignment, Plan
from plans.versions import version_in_force
from reporting import access, hooks
from reporting.models import (
    Cycle,
    Evidence,
    Notification,
    Obstacle,
    ProgressUpdate,
    Transition,
)
from reporting.notifications import render_email
from reporting.selectors import reviewers_of

S = ProgressUpdate.State


class ReportingError(Exception):
    """A refused action; str(error) is a translated message for the user."""


class EditConflict(ReportingError):
    """Someone saved the update since this form was opened."""

    def __init__(self, current: ProgressUpdate):
        self.current = current
        super().__init__(
            _(
                "%(user)s saved this update while you were editing it. Your text is kept below "
                "beside the saved version: merge what you need and save again."
            )
            % {"user": current.updated_by or _("Someone")}
        )


# Cycles --------------------------------------------------------------------------------------

CYCLE_STEPS = {
    "open": (Cycle.State.PLANNED, Cycle.State.OPEN),
    "close": (Cycle.State.OPEN, Cycle.State.CLOSED),
    "publish": (Cycle.State.CLOSED, Cycle.State.PUBLISHED),
}


@transaction.atomic
def cycle_create(
    *,
    plan: Plan,
    code: str,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    opens_on: dt.date,
    due_on: dt.date,
    closes_on: dt.date,
    actor: User,
) -> Cycle:
    if not access_for(actor).planner:
        raise ReportingError(_("Only the planning unit creates reporting cycles."))
    if Cycle.objects.filter(plan=plan, code=code).exists():
        raise ReportingError(_("There is already a cycle %(code)s.") % {"code": code})
    if not (period_start <= period_end and opens_on <= due_on <= closes_on):
        raise ReportingError(
            _(
                "The period must end after it starts, and a cycle opens, is "
                "due and closes in that order."
            )
        )
    cycle = Cycle.objects.create(
        plan=plan,
        version=version_in_force(plan, period_start),
        code=code,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        due_on=due_on,
        closes_on=closes_on,
    )
    audit.log(action="cycle.created", obj=cycle, actor=actor, data={"code": code})
    return cycle


@transaction.atomic
def cycle_step(*, cycle: Cycle, step: str, actor: User) -> Cycle:
    """Open, close or publish a cycle. Opening creates a draft update for every assignment."""
    if not access_for(actor).planner:
        raise ReportingError(_("Only the planning unit opens, closes and publishes cycles."))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    before, after = CYCLE_STEPS[step]
    if cycle.state != before:
        raise ReportingError(
            _("Cycle %(code)s is %(state)s; it cannot be %(step)s now.")
            % {
                "code": cycle.code,
                "state": cycle.get_state_display().lower(),
                "step": {"open": _("opened"), "close": _("closed"), "publish": _("published")}[
                    step
                ],
            }
        )
    if step == "open" and Cycle.objects.filter(plan=cycle.plan, state=Cycle.State.OPEN).exists():
        raise ReportingError(_("Another cycle of this plan is open; close it first."))
    cycle.state = after
    cycle.save(update_fields=["state"])
    created = updates_ensure(cycle=cycle) if step == "open" else 0
    if step == "close":
        cycle.updates.filter(reopened=True).update(reopened=False)
        hooks.cycle_closed(cycle)  # e.g. the closed cycle's computed values become final
    audit.log(action=f"cycle.{step}", obj=cycle, actor=actor, data={"updates_created": created})
    return cycle


def updates_ensure(*, cycle: Cycle) -> int:
    """A draft update for every active assignment of the cycle's plan that has none."""
    have = set(cycle.updates.values_list("assignment_id", flat=True))
    missing = (
        Assignment.objects.filter(deliverable__plan=cycle.plan, active=True)
        .exclude(pk__in=have)
        .values_list("pk", flat=True)
    )
    created = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(cycle=cycle, assignment_id=pk) for pk in missing
    )
    return len(created)


# Progress updates ----------------------------------------------------------------------------

UPDATE_FIELDS = ["rating", "narrative", "achievements", "next_steps", "wps_note", "sensitivity"]
OBSTACLE_FIELDS = [
    "category",
    "description",
    "severity",
    "mitigation",
    "support_requested",
    "support_from",
    "escalate",
]


@dataclass
class ObstacleData:
    category: str
    description: str
    severity: str
    mitigation: str = ""
    support_requested: str = ""
    support_from: str = ""
    escalate: bool = False
    id: int | None = None


@transaction.atomic
def update_save(
    *,
    update: ProgressUpdate,
    actor: User,
    expected_version: int,
    values: dict[str, Any],
    obstacles: list[ObstacleData] | None = None,
) -> ProgressUpdate:
    """Save the author's text. A stale `expected_version` raises EditConflict and writes
    nothing."""
    if not access.can_edit(actor, update):
        raise ReportingError(edit_refusal(actor, update))
    changes = {name: values[name] for name in UPDATE_FIELDS if name in values}
    saved = ProgressUpdate.objects.filter(pk=update.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now(), updated_by=actor
    )
    if not saved:
        raise EditConflict(ProgressUpdate.objects.select_related("updated_by").get(pk=update.pk))
    if obstacles is not None:
        _replace_obstacles(update, obstacles)
    update.refresh_from_db()
    audit.log(
        action="update.saved",
        obj=update,
        actor=actor,
        data={"version": update.version, "fields": sorted(changes)},
    )
    return update


def _replace_obstacles(update: ProgressUpdate, items: list[ObstacleData]) -> None:
    keep: set[int] = set()
    current = {o.pk: o for o in update.obstacles.all()}
    for item in items:
        values = {name: getattr(item, name) for name in OBSTACLE_FIELDS}
        if item.id and item.id in current:
            obstacle = current[item.id]
            for name, value in values.items():
                setattr(obstacle, name, value)
            obstacle.save(update_fields=OBSTACLE_FIELDS)
            keep.add(obstacle.pk)
        else:
            keep.add(Obstacle.objects.create(update=update, **values).pk)
    update.obstacles.exclude(pk__in=keep).delete()


def edit_refusal(actor: User, update: ProgressUpdate) -> str:
    if not access.is_writable(update):
        return _("Cycle %(code)s is %(state)s: updates can no longer be changed.") % {
            "code": update.cycle.code,
            "state": update.cycle.get_state_display().lower(),
        }
    if not update.is_with_author:
        return _("This update is %(state)s; it is with the reviewer, not with its author.") % {
            "state": update.get_state_display().lower()
        }
    return _("Only a focal point of %(entity)s or the planning unit can change this update.") % {
        "entity": update.assignment.entity.label
    }


def _step(
    update: ProgressUpdate, *, action: str, to_state: str, actor: User, comment: str = ""
) -> Transition:
    from_state = update.state
    update.state = to_state
    fields = ["state", "updated_at", "updated_by", "version"]
    update.updated_at = timezone.now()
    update.updated_by = actor
    update.version += 1
    if to_state in (S.SUBMITTED, S.RESUBMITTED):
        update.submitted_at = update.updated_at
        fields.append("submitted_at")
    if to_state == S.VALIDATED:
        update.validated_at = update.updated_at
        update.reopened = False
        fields += ["validated_at", "reopened"]
    update.save(update_fields=fields)
    step = Transition.objects.create(
        update=update,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
    )
    audit.log(
        action=f"update.{action}",
        obj=update,
        actor=actor,
        data={"from": from_state, "to": to_state, "comment": comment},
    )
    return step


def _locked(update: ProgressUpdate) -> ProgressUpdate:
    """Lock the row for this transaction and bring the caller's instance up to date, so that
    the caller sees the new state after the service returns."""
    list(ProgressUpdate.objects.select_for_update().filter(pk=update.pk).values_list("pk"))
    update.refresh_from_db()
    return update


@transaction.atomic
def update_submit(*, update: ProgressUpdate, actor: User) -> ProgressUpdate:
    update = _locked(update)
    if not access.can_edit(actor, update):
        raise ReportingError(edit_refusal(actor, update))
    labels = {"rating": _("rating"), "narrative": _("narrative of progress")}
    missing = [str(label) for name, label in labels.items() if not getattr(update, name).strip()]
    if missing:
        raise ReportingError(
            _("Fill in %(fields)s before submitting.") % {"fields": _(" and ").join(missing)}
        )
    to_state = S.RESUBMITTED if update.state == S.RETURNED else S.SUBMITTED
    _step(
        update,
        action="submit" if to_state == S.SUBMITTED else "resubmit",
        to_state=to_state,
        actor=actor,
    )
    notify_reviewers(update, Notification.Kind.SUBMITTED)
    return update


def _review_refusal(actor: User, update: ProgressUpdate) -> str:
    if not access.is_writable(update):
        return _("Cycle %(code)s is %(state)s: updates can no longer be reviewed.") % {
            "code": update.cycle.code,
            "state": update.cycle.get_state_display().lower(),
        }
    if not update.is_with_reviewer:
        return _(
            "This update is %(state)s; only a submitted update can be returned or validated."
        ) % {"state": update.get_state_display().lower()}
    return _("Only a reviewer of %(entity)s or the planning unit can review this update.") % {
        "entity": update.assignment.entity.label
    }


@transaction.atomic
def update_return(*, update: ProgressUpdate, actor: User, comment: str) -> ProgressUpdate:
    update = _locked(update)
    if not access.can_review(actor, update):
        raise ReportingError(_review_refusal(actor, update))
    if not comment.strip():
        raise ReportingError(
            _("Say what needs to change: a comment is required to return an update.")
        )
    _step(update, action="return", to_state=S.RETURNED, actor=actor, comment=comment.strip())
    notify_authors(update, Notification.Kind.RETURNED)
    return update


@transaction.atomic
def update_validate(*, update: ProgressUpdate, actor: User, comment: str = "") -> ProgressUpdate:
    update = _locked(update)
    if not access.can_review(actor, update):
        raise ReportingError(_review_refusal(actor, update))
    _step(update, action="validate", to_state=S.VALIDATED, actor=actor, comment=comment.strip())
    notify_authors(update, Notification.Kind.VALIDATED)
    return update


@transaction.atomic
def update_reopen(*, update: ProgressUpdate, actor: User, reason: str) -> ProgressUpdate:
    """The planning unit reopens one update of a closed cycle, giving it back to its author."""
    update = _locked(update)
    if not access.can_reopen(actor, update):
        raise ReportingError(
            _("Only the planning unit can reopen an update, and only in a closed cycle.")
        )
    if not reason.strip():
        raise ReportingError(_("Give the reason for reopening this update."))
    update.reopened = True
    update.save(update_fields=["reopened"])
    _step(update, action="reopen", to_state=S.RETURNED, actor=actor, comment=reason.strip())
    notify_authors(update, Notification.Kind.RETURNED)
    return update


# Evidence ------------------------------------------------------------------------------------

EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".png": ("image/png", b"\x89PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".csv": ("text/csv", b""),
    ".txt": ("text/plain", b""),
}


def _check_file(upload: UploadedFile) -> str:
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ReportingError(
            _("%(name)s: files of this type are not accepted. Accepted: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(EVIDENCE_TYPES))}
        )
    limit = settings.A4P_EVIDENCE_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ReportingError(
            _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": limit // 1_000_000}
        )
    content_type, magic = EVIDENCE_TYPES[suffix]
    head = upload.read(8)
    upload.seek(0)
    if magic and not head.startswith(magic):
        raise ReportingError(
            _("%(name)s is not really a %(suffix)s file.") % {"name": name, "suffix": suffix}
        )
    if not magic and b"\x00" in upload.read(4096):
        raise ReportingError(_("%(name)s is not a text file.") % {"name": name})
    upload.seek(0)
    return content_type


@transaction.atomic
def evidence_add(
    *,
    update: ProgressUpdate,
    actor: User,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> Evidence:
    if not access.can_edit(actor, update):
        raise ReportingError(edit_refusal(actor, update))
    if bool(upload) == bool(url):
        raise ReportingError(_("Attach either a file or a link."))
    fallback = (upload.name or "") if upload else url
    evidence = Evidence(update=update, title=title.strip() or fallback, added_by=actor)
    if upload is not None:
        evidence.content_type = _check_file(upload)
        evidence.size = upload.size or 0
        evidence.file.save(Path(upload.name or "file").name, upload, save=False)
    else:
        evidence.url = url
    evidence.save()
    audit.log(
        action="evidence.added",
        obj=update,
        actor=actor,
        data={"title": evidence.title, "file": evidence.file.name, "url": url},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User) -> None:
    if not access.can_edit(actor, evidence.update):
        raise ReportingError(edit_refusal(actor, evidence.update))
    audit.log(
        action="evidence.removed", obj=evidence.update, actor=actor, data={"title": evidence.title}
    )
    evidence.file.delete(save=False)
    evidence.delete()


# Notifications and reminders -----------------------------------------------------------------


def _notify(users: Any, kind: str, update: ProgressUpdate, key: str) -> int:
    made = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user, kind=kind, update=update, key=f"{key}:{user.pk}"
                )
                made += 1
        except IntegrityError:
            continue  # already told: reminders never repeat
    return made


def notify_authors(update: ProgressUpdate, kind: str) -> int:
    users = update.assignment.focal_points.filter(is_active=True)
    step = update.transitions.count()
    return _notify(users, kind, update, f"{kind}:{update.pk}:{step}")


def notify_reviewers(update: ProgressUpdate, kind: str) -> int:
    step = update.transitions.count()
    return _notify(reviewers_of(update), kind, update, f"{kind}:{update.pk}:{step}")


@dataclass(frozen=True)
class ReminderSummary:
    created: int
    emailed: int


def reminders_send(*, today: dt.date | None = None) -> ReminderSummary:
    """Due-soon and overdue notices for updates still with their authors in open cycles, then
    e-mail for every notification not yet e-mailed. Running it twice sends nothing twice."""
    today = today or timezone.localdate()
    lead = dt.timedelta(days=settings.A4P_REMIND_DAYS_BEFORE)
    created = 0
    pending = (
        ProgressUpdate.objects.filter(
            cycle__state=Cycle.State.OPEN, state__in=[S.DRAFT, S.RETURNED]
        )
        .select_related("cycle")
        .prefetch_related("assignment__focal_points")
    )
    for update in pending:
        if today > update.cycle.due_on:
            kind = Notification.Kind.OVERDUE
        elif today >= update.cycle.due_on - lead:
            kind = Notification.Kind.DUE_SOON
        else:
            continue
        authors = [u for u in update.assignment.focal_points.all() if u.is_active]
        created += _notify(authors, kind, update, f"{kind}:{update.pk}")
    return ReminderSummary(created=created, emailed=notifications_email())


def notifications_email() -> int:
    sent = 0
    queue = Notification.objects.filter(emailed_at__isnull=True).select_related(
        "user", "update__cycle", "update__assignment__deliverable", "update__assignment__entity"
    )
    for notification in queue:
        if notification.user.email:
            subject, body = render_email(notification)
            send_mail(subject, body, None, [notification.user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
