"""Editing the draft revision in the app: one service per kind of edit.

Each builds the revision's new tree from its current one and hands it to
`versions.revision_change`, which checks the whole plan as a plan file would be checked
(raises PlanFileError) and records the reason for the change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from plans import versions
from plans.exporters import plain_number
from plans.models import PlanVersion
from plans.versions import VersionError


class RevisionFieldError(VersionError):
    """A refused edit that is about one field of what was asked (shown beside that field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _entities(codes: list[str]) -> list[dict[str, str]]:
    return [{"entity": code} for code in codes]


@transaction.atomic
def deliverable_save(
    *,
    revision: PlanVersion,
    code: str,
    result: str,
    text: str,
    lead_text: str,
    lead_entities: list[str],
    supporting_entities: list[str],
    markers: list[str],
    reason: str,
    actor: User,
) -> PlanVersion:
    """Add a deliverable, or replace the one of that code. A new one goes to `result`, or to the
    result its code names; a replaced one stays in its result unless `result` is given, and keeps
    its oversight entities and footnotes, which the app does not edit."""
    existing = versions.deliverables_of(revision.tree).get(code) or {}
    item = {
        "code": code,
        "text": text.strip(),
        "lead_text": lead_text,
        "lead_entities": _entities(lead_entities),
        "supporting_entities": _entities(supporting_entities),
        "oversight_entities": existing.get("oversight_entities", []),
        "markers": markers,
        "footnotes": existing.get("footnotes", []),
    }
    result_code = result or existing.get("result") or code.rsplit(".", 1)[0]
    return versions.revision_change(
        revision=revision,
        tree=versions.with_deliverable(revision.tree, item, result_code),
        key=f"deliverable:{code}",
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def deliverable_retire(
    *, revision: PlanVersion, code: str, reason: str, actor: User
) -> PlanVersion:
    return versions.revision_change(
        revision=revision,
        tree=versions.without_deliverable(revision.tree, code),
        key=f"deliverable:{code}",
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def indicator_retire(*, revision: PlanVersion, code: str, reason: str, actor: User) -> PlanVersion:
    return versions.revision_change(
        revision=revision,
        tree=versions.without_indicator(revision.tree, code),
        key=f"indicator:{code}",
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def indicator_change(
    *,
    revision: PlanVersion,
    code: str,
    name: str,
    end_target: Decimal | None,
    targets: dict[str, Any] | None,
    reason: str,
    actor: User,
) -> PlanVersion:
    """Change an indicator of the revision; what is left empty (None, or no name) is kept."""
    found = next((dict(i) for i in revision.tree.get("indicators", []) if i["code"] == code), None)
    if found is None:
        raise RevisionFieldError(
            "code",
            _("There is no indicator %(code)s; add it with the form below.") % {"code": code},
        )
    if name:
        found["name"] = name
    if end_target is not None:
        found["end_target"] = plain_number(end_target)
    if targets is not None:
        found["targets"] = targets
    return versions.revision_change(
        revision=revision,
        tree=versions.with_indicator(revision.tree, found),
        key=f"indicator:{code}",
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def indicator_add(
    *,
    revision: PlanVersion,
    code: str,
    name: str,
    definition: str,
    attached_to: str,
    unit: str,
    direction: str,
    period_aggregation: str,
    targets: dict[str, Any] | None,
    end_target: Decimal | None,
    data_source: str,
    reason: str,
    actor: User,
) -> PlanVersion:
    """A new indicator in the revision, summed across entities; optional parts left out when
    empty, as in a plan file."""
    if any(i["code"] == code for i in revision.tree.get("indicators", [])):
        raise RevisionFieldError(
            "code", _("There is already an indicator %(code)s.") % {"code": code}
        )
    item: dict[str, Any] = {"code": code, "name": name}
    if definition:
        item["definition"] = definition
    item.update(
        {
            "attached_to": attached_to,
            "unit": unit,
            "direction": direction,
            "period_aggregation": period_aggregation,
            "entity_aggregation": "sum",
        }
    )
    if targets:
        item["targets"] = targets
    if end_target is not None:
        item["end_target"] = plain_number(end_target)
    if data_source:
        item["data_source"] = data_source
    return versions.revision_change(
        revision=revision,
        tree=versions.with_indicator(revision.tree, item),
        key=f"indicator:{code}",
        reason=reason,
        actor=actor,
    )
