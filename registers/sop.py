"""Time limits of the follow-up, after the standard operating procedure on the investigation and
prosecution of serious crimes against UN personnel.

The SOP itself is not public, so these values are **working assumptions that need confirming with
DPO (OPSP / OROLSI Justice and Corrections Service)**. They are data, not code: a deployment may
override them with the setting `A4P_REGISTER_SOP_DAYS` (a dict stage -> days) and
`A4P_REGISTER_SOP_FROM` (a date).

Each limit is counted from the previous stage's date (the incident for the investigation). Only
the next expected stage can be overdue, and only for cases that are still open (not adjudicated
or closed) and whose incident is on or after `SOP_APPLIES_FROM`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# stage -> (the stage it is counted from, days allowed)
DEFAULT_LIMITS: dict[str, tuple[str, int]] = {
    "investigation": ("incident", 30),  # host State opens an investigation within a month
    "charges": ("investigation", 365),  # charges (or a decision not to charge) within a year
    "trial": ("charges", 365),  # trial opens within a year of the charges
    "verdict": ("trial", 365),  # verdict within a year of the trial's opening
}

# Resolution 2589 (2021) was adopted on 18 August 2021; older cases have no time limit here.
DEFAULT_APPLIES_FROM = dt.date(2021, 8, 18)

OPEN_STATUSES = ("reported", "investigation", "prosecution")


def limits() -> dict[str, tuple[str, int]]:
    days = getattr(settings, "A4P_REGISTER_SOP_DAYS", None) or {}
    return {
        stage: (origin, int(days.get(stage, default)))
        for stage, (origin, default) in DEFAULT_LIMITS.items()
    }


def applies_from() -> dt.date:
    value = getattr(settings, "A4P_REGISTER_SOP_FROM", None)
    return value if isinstance(value, dt.date) else DEFAULT_APPLIES_FROM


@dataclass(frozen=True)
class Overdue:
    stage: str
    due: dt.date
    days_late: int


def overdue(
    *, incident_date: dt.date, status: str, reached: Mapping[str, dt.date | None], today: dt.date
) -> Overdue | None:
    """The next stage that is late, given the first date each stage was reached
    (`reached["investigation"]` …); None when nothing is late."""
    if status not in OPEN_STATUSES or incident_date < applies_from():
        return None
    dates: dict[str, dt.date | None] = {"incident": incident_date, **reached}
    # An arrest counts as the start of the case against a suspect: charges are due from it too.
    if dates.get("investigation") is None and dates.get("arrest") is not None:
        dates["investigation"] = dates["arrest"]
    for stage, (origin, days) in limits().items():
        if dates.get(stage) is not None:
            continue
        start = dates.get(origin)
        if start is None:
            return None
        due = start + dt.timedelta(days=days)
        if today > due:
            return Overdue(stage=stage, due=due, days_late=(today - due).days)
        return None
    return None


def overdue_for(case: Any, today: dt.date) -> Overdue | None:
    """For a case annotated by `selectors.with_followup` (first date of each stage)."""
    return overdue(
        incident_date=case.incident_date,
        status=case.status,
        reached={stage: getattr(case, f"first_{stage}", None) for stage in STAGES},
        today=today,
    )


STAGES = ["investigation", "arrest", "charges", "trial", "verdict", "sentence"]
