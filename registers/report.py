"""The register's section of the consolidated report. Aggregates only: never a case id, a free
text or a person. The internal edition adds the follow-up by mission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from registers import stats
from registers.models import Case


def crimes_report_section(
    *, period_start: dt.date, period_end: dt.date, public: bool
) -> dict[str, Any] | None:
    """None when no case falls in the period; else a title, a summary, facts and tables."""
    cases = Case.objects.filter(incident_date__gte=period_start, incident_date__lte=period_end)
    by_mission = stats.cases_by_mission(cases)
    if not by_mission:
        return None
    total = sum(row["cases"] for row in by_mission)
    killed = sum(row["killed"] for row in by_mission)
    injured = sum(row["injured"] for row in by_mission)
    followup = stats.followup_share(cases, by=period_end)
    share = "—" if followup["share"] is None else f"{followup['share']:.1f} %"
    summary = _(
        "From %(start)s to %(end)s, %(cases)d attacks on UN peacekeepers were recorded in "
        "%(missions)d missions: %(killed)d personnel were killed and %(injured)d injured. By the "
        "end of the period the host State had taken at least one judicial step in %(done)d of "
        "these cases (%(share)s)."
    ) % {
        "start": period_start.isoformat(),
        "end": period_end.isoformat(),
        "cases": total,
        "missions": len(by_mission),
        "killed": killed,
        "injured": injured,
        "done": followup["with_followup"],
        "share": share,
    }
    tables = [
        {
            "caption": _("Cases and victims by mission"),
            "columns": [_("Mission"), _("Cases"), _("Killed"), _("Injured")],
            "rows": [[r["mission"], r["cases"], r["killed"], r["injured"]] for r in by_mission],
        },
        {
            "caption": _("Cases by type of incident"),
            "columns": [_("Type of incident"), _("Cases")],
            "rows": [[r["label"], r["cases"]] for r in stats.cases_by_incident_type(cases)],
        },
        {
            "caption": _("Victims by nationality"),
            "columns": [_("Nationality"), _("Killed"), _("Injured")],
            "rows": [
                [r["name"] or _("Not a Member State or not recorded"), r["killed"], r["injured"]]
                for r in stats.victims_by_nationality(cases)
            ],
        },
    ]
    if not public:
        tables.append(
            {
                "caption": _("Follow-up by the host State, by mission (cases that reached each "
                             "stage)"),
                "columns": [
                    _("Mission"), _("Cases"), _("Investigation"), _("Arrest"), _("Charges"),
                    _("Trial"), _("Verdict"), _("Sentence"),
                ],
                "rows": [
                    [r["mission"], r["cases"], r["investigation"], r["arrest"], r["charges"],
                     r["trial"], r["verdict"], r["sentence"]]
                    for r in stats.followup_by_mission(cases)
                ],
            }
        )  # fmt: skip
    return {
        "title": _("Crimes against peacekeepers (resolution 2589 (2021))"),
        "summary": summary,
        "facts": [
            (_("Cases recorded"), total),
            (_("Personnel killed"), killed),
            (_("Personnel injured"), injured),
            (_("Missions concerned"), len(by_mission)),
            (_("Cases with judicial follow-up"), followup["with_followup"]),
            (_("Share of cases with judicial follow-up"), share),
        ],
        "tables": tables,
    }
