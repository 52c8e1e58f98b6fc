"""Women, peace and security: the deliverables carrying the gender marker with their ratings,
the gender notes of the updates and the WPS indicators."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.content.deliverables import first_texts, gender_notes_of
from reports.content.document import DeliverableLine, PrioritySection, Table, Text
from reports.content.indicator_tables import indicator_table
from reports.content.sources import Sources


@dataclass
class WomenPeaceSecurity:
    deliverables: list[DeliverableLine]
    notes: list[Text]
    all_notes: list[Text]
    indicators: Table


def wps_part(sections: list[PrioritySection], sources: Sources) -> WomenPeaceSecurity:
    lines = [line for section in sections for line in section.deliverables]
    notes: list[Text] = []
    all_notes: list[Text] = []
    for line in lines:
        texts = gender_notes_of(line.code, sources)
        all_notes.extend(texts)
        notes.extend(first_texts(texts))
    return WomenPeaceSecurity(
        deliverables=[line for line in lines if line.wps],
        notes=notes,
        all_notes=all_notes,
        indicators=indicator_table(
            [r for r in sources.tracking if r.indicator.wps],
            _("Women, peace and security indicators: target against actual, %(cycle)s")
            % {"cycle": sources.cycle.code},
            in_version=sources.in_version,
        ),
    )
