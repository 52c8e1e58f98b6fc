"""Aggregates, the report section, computed indicators, the synthetic generator and the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from core.models import Entity
from demo.registers import demo_registers_ensure
from demo.synthetic import make_cases
from indicators.computed import COMPUTED
from registers import stats
from registers.models import Case, Victim
from registers.report import crimes_report_section
from reporting.models import Cycle
from tests.registers.factories import StepFactory, VictimFactory, case_with


@pytest.fixture
def sample(db: None) -> dict[str, Case]:
    a = case_with(["BGD", "BGD"], mission="monusco", incident_date=dt.date(2022, 2, 1))
    b = case_with(["NPL"], mission="monusco", incident_date=dt.date(2022, 8, 1))
    c = case_with(["PAK"], mission="minusca", incident_date=dt.date(2023, 3, 1))
    VictimFactory.create(case=c, nationality=None, outcome=Victim.Outcome.INJURED)
    StepFactory.create(case=a, stage="arrest", date=dt.date(2022, 3, 1))
    StepFactory.create(case=c, stage="investigation", date=dt.date(2023, 7, 1))
    return {"a": a, "b": b, "c": c}


def test_aggregates(sample: dict[str, Case], django_assert_max_num_queries: Any) -> None:
    cases = Case.objects.all()
    with django_assert_max_num_queries(8):
        by_year = stats.cases_by_year(cases)
        by_mission = stats.cases_by_mission(cases)
        by_type = stats.cases_by_incident_type(cases)
        by_nat = stats.victims_by_nationality(cases)
        share = stats.followup_share(cases)
    assert by_year == [
        {"year": 2022, "cases": 2, "killed": 3, "injured": 0},
        {"year": 2023, "cases": 1, "killed": 1, "injured": 1},
    ]
    assert [(r["mission"], r["cases"], r["killed"], r["injured"]) for r in by_mission] == [
        ("MONUSCO", 2, 3, 0),
        ("MINUSCA", 1, 1, 1),
    ]
    assert by_type == [{"incident_type": "ambush", "label": "Ambush", "cases": 3}]
    bangladesh = {"iso3": "BGD", "name": "Bangladesh", "victims": 2, "killed": 2, "injured": 0}
    assert by_nat[0] == bangladesh
    assert {r["iso3"] for r in by_nat} == {"BGD", "NPL", "PAK", None}
    assert share == {"cases": 3, "with_followup": 2, "share": 66.7}
    assert stats.followup_share(cases, by=dt.date(2023, 1, 1))["with_followup"] == 1
    assert stats.followup_share(Case.objects.none())["share"] is None


def test_report_section(sample: dict[str, Case]) -> None:
    assert crimes_report_section(
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 12, 31), public=True
    ) is None  # fmt: skip
    public = crimes_report_section(
        period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31), public=True
    )
    assert public is not None
    assert dict(public["facts"])["Cases recorded"] == 2
    assert dict(public["facts"])["Share of cases with judicial follow-up"] == "50.0 %"
    assert len(public["tables"]) == 3
    text = repr(public)
    assert "Convoy" not in text and "Armed group" not in text and f"'{sample['a'].pk}'" not in text
    internal = crimes_report_section(
        period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31), public=False
    )
    assert internal is not None and len(internal["tables"]) == 4
    assert internal["tables"][3]["rows"] == [["MONUSCO", 2, 0, 1, 0, 0, 0, 0]]
    with translation.override("fr"):
        french = crimes_report_section(
            period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31), public=True
        )
    assert french is not None and isinstance(french["title"], str)


def test_computed_indicators(sample: dict[str, Case]) -> None:
    cycle = Cycle(period_start=dt.date(2022, 7, 1), period_end=dt.date(2022, 12, 31))
    monusco = Entity.objects.get(code="monusco").pk
    minusca = Entity.objects.get(code="minusca").pk
    assert COMPUTED["crimes_cases"](cycle) == {monusco: (Decimal(1), None, None)}
    assert COMPUTED["crimes_personnel_killed"](cycle) == {monusco: (Decimal(1), None, None)}
    share = COMPUTED["crimes_judicial_followup"](cycle)
    assert share == {monusco: (Decimal(50), Decimal(1), Decimal(2))}
    later = Cycle(period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 12, 31))
    assert COMPUTED["crimes_judicial_followup"](later)[minusca] == (
        Decimal(100),
        Decimal(1),
        Decimal(1),
    )


@pytest.mark.django_db
def test_synthetic_cases_are_deterministic() -> None:
    assert make_cases(n=30, seed=7) == 30
    first = list(Case.objects.order_by("pk").values_list("mission_id", "incident_date", "status"))
    victims = Victim.objects.count()
    Case.objects.all().delete()
    make_cases(n=30, seed=7)
    again = list(Case.objects.order_by("pk").values_list("mission_id", "incident_date", "status"))
    assert again == first and Victim.objects.count() == victims
    assert Case.objects.filter(source=Case.Source.SYNTHETIC).count() == 30


@pytest.mark.django_db
def test_demo_is_idempotent_and_gives_bangladesh_some_cases() -> None:
    from accounts.models import User
    from demo.users import demo_users_ensure
    from registers.selectors import cases_visible_to
    from reporting.models import Notification

    demo_users_ensure()
    assert demo_registers_ensure() == {"cases": 48}
    assert demo_registers_ensure() == {"cases": 0}
    assert Case.objects.count() == 48
    delegate = User.objects.get(username="delegate.bgd")
    seen = cases_visible_to(delegate).count()
    assert 0 < seen < 48
    assert Notification.objects.filter(user=delegate, kind="case_changed").count() == 1


@pytest.mark.django_db
def test_case_notification_e_mail_links_to_the_case(settings: object) -> None:
    from accounts.models import User
    from demo.users import demo_users_ensure
    from reporting.models import Notification
    from reporting.notifications import render_email

    demo_users_ensure()
    demo_registers_ensure()
    delegate = User.objects.get(username="delegate.bgd")
    notification = Notification.objects.get(user=delegate, kind="case_changed")
    subject, body = render_email(notification)
    assert "A register case changed" in subject
    assert notification.link.startswith("/registers/crimes/")
    assert f"{settings.A4P_SITE_URL}{notification.link}" in body  # type: ignore[attr-defined]
