"""A deliverable as the report shows it: its line (entities and ratings) and the texts of its
updates that the edition may show (highlights, gender notes, obstacles)."""

from __future__ import annotations

from typing import Any

from reporting.models import Obstacle, ProgressUpdate
from reports.content.document import (
    HIGHLIGHTS_PER_DELIVERABLE,
    SEVERE,
    DeliverableLine,
    ObstacleItem,
    Text,
)
from reports.content.sources import Sources

CATEGORY_LABELS = dict(Obstacle.Category.choices)
SEVERITY_LABELS = dict(Obstacle.Severity.choices)


def deliverable_line(deliverable: dict[str, Any], sources: Sources) -> DeliverableLine:
    """`deliverable` as the plan version words it, with its consolidated rating and the rating
    of each reporting entity."""
    labels = sources.entity_labels
    return DeliverableLine(
        code=deliverable["code"],
        text=deliverable["text"],
        lead=[labels.get(x["entity"], x["entity"]) for x in deliverable.get("lead_entities", [])],
        support=[
            labels.get(x["entity"], x["entity"]) for x in deliverable.get("supporting_entities", [])
        ],
        rating=sources.current.get(deliverable["code"], ""),
        entity_ratings=[
            (
                u.assignment.entity.label,
                str(sources.role_labels.get(u.assignment.role, u.assignment.role)),
                u.rating,
            )
            for u in sources.updates.get(deliverable["code"], [])
            if u.rating
        ],
        wps="wps" in deliverable.get("markers", []),
    )


def _shown(code: str, sources: Sources) -> list[ProgressUpdate]:
    """The updates of a deliverable whose texts the edition shows; the others' ratings count,
    their texts stay out."""
    return [u for u in sources.updates.get(code, []) if u.sensitivity in sources.allowed]


def highlights_of(code: str, sources: Sources) -> list[Text]:
    return [
        Text(code, u.assignment.entity.label, u.achievements.strip())
        for u in _shown(code, sources)
        if u.achievements.strip()
    ]


def gender_notes_of(code: str, sources: Sources) -> list[Text]:
    return [
        Text(code, u.assignment.entity.label, u.wps_note.strip())
        for u in _shown(code, sources)
        if u.wps_note.strip()
    ]


def obstacles_of(code: str, sources: Sources) -> list[ObstacleItem]:
    return [
        ObstacleItem(
            deliverable=code,
            entity=u.assignment.entity.label,
            category=str(CATEGORY_LABELS.get(o.category, o.category)),
            severity=str(SEVERITY_LABELS.get(o.severity, o.severity)),
            description=o.description,
            mitigation=o.mitigation,
            escalated=o.escalate,
            severe=o.severity in SEVERE,
            critical=o.severity == Obstacle.Severity.CRITICAL,
        )
        for u in _shown(code, sources)
        for o in u.obstacles.all()
    ]


def first_texts(texts: list[Text]) -> list[Text]:
    """The texts the document keeps, the last one saying how many more the data annex has."""
    kept = texts[:HIGHLIGHTS_PER_DELIVERABLE]
    if kept and len(texts) > len(kept):
        last = kept[-1]
        kept[-1] = Text(last.deliverable, last.entity, last.body, more=len(texts) - len(kept))
    return kept
