"""Tables that the Word document and the data annex draw alike."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.content import PrioritySection, Report, Table


def attention_table(section: PrioritySection) -> Table:
    return Table(
        caption=_(
            "Obstacles under priority %(n)s escalated to leadership or of high or critical severity"
        )
        % {"n": section.number},
        columns=[
            _("Deliverable"),
            _("Entity"),
            _("Category"),
            _("Severity"),
            _("Obstacle"),
            _("Mitigation"),
        ],
        rows=[
            [
                o.deliverable,
                o.entity,
                o.category,
                o.severity + (f" · {_('escalated')}" if o.escalated else ""),
                o.description,
                o.mitigation or "—",
            ]
            for o in section.attention
        ],
    )


def more_text(n: int) -> str:
    return ngettext(
        "%(n)s more text on this deliverable is in the data annex (XLSX).",
        "%(n)s more texts on this deliverable are in the data annex (XLSX).",
        n,
    ) % {"n": n}


def annex_table(report: Report) -> Table:
    labels = report.rating_labels
    return Table(
        caption=_(
            "Every deliverable with its lead and supporting entities and each reporting "
            "entity's rating, %(cycle)s"
        )
        % {"cycle": report.cycle.code},
        columns=[_("Deliverable"), _("Lead"), _("Supporting"), _("Rating"), _("Ratings by entity")],
        rows=[
            [
                d.code,
                ", ".join(d.lead) or "—",
                ", ".join(d.support) or "—",
                labels.get(d.rating, "") if d.rating else _("not reported"),
                d.ratings_by_rating(labels) or "—",
            ]
            for d in report.annex
        ],
    )
