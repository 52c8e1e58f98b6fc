"""Plan versions: proposing, reasoning, publishing, retiring, diffing and binding cycles."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from plans import versions
from plans.models import Plan, PlanVersion
from tests.factories import MembershipFactory, UserFactory


def shipped() -> dict[str, Any]:
    return yaml.safe_load(Path(settings.A4P_PLAN_FILE).read_text(encoding="utf-8"))


def changed_file(tmp_path: Path) -> Path:
    data = shipped()
    first = data["priorities"][0]["results"][0]["deliverables"]
    first[0]["text"] = "Review and jointly monitor the strategic documents of every mission."
    del first[2]  # retire 1.1.3
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def planner(db: None) -> User:
    user = UserFactory.create(username="planner")
    MembershipFactory(user=user, role=Role.PLANNING_UNIT, entity="dpo-ousg-iapu")
    return user


def test_the_loaded_plan_is_version_1(plan: Plan) -> None:
    version = versions.current_version(plan)
    assert version is not None
    assert (version.number, version.effective_from) == (1, plan.period_start)
    assert len(versions.deliverables_of(version.tree)) == 71


def test_a_changed_file_proposes_a_revision_and_changes_nothing_yet(
    plan: Plan, tmp_path: Path
) -> None:
    before = plan.deliverables.get(code="1.1.1").text
    out = StringIO()
    call_command("plan", "load", str(changed_file(tmp_path)), stdout=out)
    text = out.getvalue()
    assert "It is now the draft revision 2" in text
    assert "changed  deliverable 1.1.1 (text)" in text
    assert "retired  deliverable 1.1.3" in text
    assert plan.deliverables.get(code="1.1.1").text == before
    draft = versions.draft_revision(plan)
    assert draft is not None
    assert [c.key for c in versions.pending_changes(draft)] == [
        "deliverable:1.1.1",
        "deliverable:1.1.3",
    ]


def test_publishing_needs_a_reason_for_every_change(plan: Plan, tmp_path: Path) -> None:
    call_command("plan", "load", str(changed_file(tmp_path)), stdout=StringIO())
    with pytest.raises(CommandError, match="Give a reason for every change"):
        call_command("plan", "publish", "--effective", "2022-07-01", stdout=StringIO())
    assert versions.current_version(plan).number == 1  # type: ignore[union-attr]
    out = StringIO()
    call_command(
        "plan",
        "publish",
        "--effective",
        "2022-07-01",
        "--reason",
        "Adjusted after one year",
        stdout=out,
    )
    assert "Published version 2" in out.getvalue()


def test_publishing_applies_the_revision_and_retires_without_deleting(
    plan: Plan, tmp_path: Path, client: Client
) -> None:
    call_command(
        "plan",
        "load",
        str(changed_file(tmp_path)),
        "--reason",
        "Mid-term review",
        stdout=StringIO(),
    )
    call_command("plan", "publish", "--effective", "2022-07-01", stdout=StringIO())
    live = plan.deliverables.get(code="1.1.1")
    assert live.text.startswith("Review and jointly monitor the strategic documents")
    retired = plan.deliverables.get(code="1.1.3")
    v2 = versions.current_version(plan)
    assert v2 is not None and retired.retired_in == v2
    v1 = plan.versions.get(number=1)
    assert "1.1.3" in versions.deliverables_of(v1.tree)  # the first version is untouched
    assert versions.deliverables_of(v1.tree)["1.1.1"]["text"] != live.text
    listing = client.get(reverse("deliverable-list", args=[plan.code]))
    assert "1.1.3" not in [d.code for d in listing.context["deliverables"]]
    page = client.get(reverse("deliverable-detail", args=[plan.code, "1.1.3"]))
    assert page.status_code == 200
    assert "retired in version 2" in page.content.decode()


def test_the_diff_between_two_versions_shows_fields_and_reasons(
    plan: Plan, tmp_path: Path, client: Client
) -> None:
    call_command(
        "plan",
        "load",
        str(changed_file(tmp_path)),
        "--reason",
        "Mid-term review",
        stdout=StringIO(),
    )
    call_command("plan", "publish", "--effective", "2022-07-01", stdout=StringIO())
    response = client.get(reverse("plan-diff", args=[plan.code]), {"from": 1, "to": 2})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Mid-term review" in text
    assert "strategic documents of every mission" in text
    changes = [c.key for c, _reason in response.context["changes"]]
    assert changes == ["deliverable:1.1.1", "deliverable:1.1.3"]
    assert client.get(reverse("plan-versions", args=[plan.code])).status_code == 200


def test_cycles_are_bound_to_the_version_in_force(
    plan: Plan, tmp_path: Path, planner: User
) -> None:
    from reporting.services import cycle_create

    call_command(
        "plan",
        "load",
        str(changed_file(tmp_path)),
        "--reason",
        "Mid-term review",
        stdout=StringIO(),
    )
    call_command("plan", "publish", "--effective", "2022-07-01", stdout=StringIO())

    def make(code: str, start: dt.date) -> Any:
        return cycle_create(
            plan=plan,
            code=code,
            kind="semiannual",
            period_start=start,
            period_end=start + dt.timedelta(days=180),
            opens_on=start,
            due_on=start + dt.timedelta(days=200),
            closes_on=start + dt.timedelta(days=210),
            actor=planner,
        )

    assert make("2022-H1", dt.date(2022, 1, 1)).version.number == 1
    assert make("2022-H2", dt.date(2022, 7, 1)).version.number == 2


def test_a_revision_cannot_take_effect_before_the_version_in_force(
    plan: Plan, tmp_path: Path
) -> None:
    call_command("plan", "load", str(changed_file(tmp_path)), "--reason", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="cannot take effect before version 1"):
        call_command("plan", "publish", "--effective", "2020-01-01", stdout=StringIO())


def test_the_planning_unit_revises_in_the_app(plan: Plan, client: Client, planner: User) -> None:
    url = reverse("plan-revision", args=[plan.code])
    focal = UserFactory.create()
    MembershipFactory(user=focal, role=Role.FOCAL_POINT, entity="minusca")
    client.force_login(focal)
    assert client.get(url).status_code == 404
    client.force_login(planner)
    client.post(url, {"action": "open"})
    draft = versions.draft_revision(plan)
    assert draft is not None
    edit = {
        "action": "deliverable",
        "d-code": "4.1.3",
        "d-result": "4.1",
        "d-text": "Launch the database of crimes against peacekeepers.",
        "d-lead_text": "OPSP",
        "d-lead_entities": "dpo-opsp",
        "d-supporting_entities": "",
        "d-markers": "data",
        "d-reason": "Resolution 2589 asks for a database.",
    }
    response = client.post(url, {**edit, "d-lead_entities": "no-such-office"}, follow=True)
    assert "unknown entity no-such-office" in response.content.decode()
    client.post(url, edit)
    response = client.post(
        url,
        {"action": "retire-deliverable", "r-code": "3.5.3", "r-reason": "Merged into 3.5.1."},
        follow=True,
    )
    keys = [c.key for c, _r in response.context["changes"]]
    assert keys == ["deliverable:3.5.3", "deliverable:4.1.3"]
    response = client.post(
        url, {"action": "publish", "p-effective_from": "2022-06-30"}, follow=True
    )
    assert "Version 2 is published." in response.content.decode()
    assert plan.deliverables.get(code="4.1.3").text.startswith("Launch the database")
    assert plan.deliverables.get(code="3.5.3").retired_in is not None
    assert PlanVersion.objects.filter(plan=plan, state="draft").count() == 0


def test_a_change_without_a_reason_is_refused(plan: Plan, planner: User) -> None:
    draft = versions.revision_open(plan=plan, actor=planner)
    tree = versions.without_deliverable(draft.tree, "3.5.3")
    with pytest.raises(versions.VersionError, match="needs a reason"):
        versions.revision_change(
            revision=draft, tree=tree, key="deliverable:3.5.3", reason=" ", actor=planner
        )
    draft.refresh_from_db()
    assert "3.5.3" in versions.deliverables_of(draft.tree)


def test_retired_deliverables_keep_their_reports(plan: Plan, planner: User) -> None:
    from plans.services import assignments_generate
    from reporting.models import ProgressUpdate
    from tests.reporting.conftest import make_cycle

    assignments_generate(plan=plan, actor=planner)
    cycle = make_cycle(plan, planner, "2022-H1", dt.date(2022, 1, 1))
    reports = ProgressUpdate.objects.filter(cycle=cycle, assignment__deliverable__code="3.5.3")
    count = reports.count()
    assert count > 0
    draft = versions.revision_open(plan=plan, actor=planner)
    versions.revision_change(
        revision=draft,
        tree=versions.without_deliverable(draft.tree, "3.5.3"),
        key="deliverable:3.5.3",
        reason="Merged.",
        actor=planner,
    )
    versions.revision_publish(revision=draft, effective_from=dt.date(2022, 7, 1), actor=planner)
    assert reports.count() == count
    assert not plan.deliverables.get(code="3.5.3").assignments.filter(active=True).exists()


def test_changed_values_are_shown_plainly() -> None:
    from plans.templatetags.a4p_plan import plain

    assert plain({"2023-H1": 15, "2023-H2": 16}) == "2023-H1: 15; 2023-H2: 16"
    assert plain([{"entity": "dpo-oma"}, {"entity": "hq", "scope": "CPAS"}]) == "dpo-oma, hq (CPAS)"
    assert plain(None) == "—"
    assert plain([]) == "—"


def test_the_planning_unit_adds_an_indicator_in_the_app(
    plan: Plan, client: Client, planner: User
) -> None:
    url = reverse("plan-revision", args=[plan.code])
    client.force_login(planner)
    client.post(url, {"action": "open"})
    new = {
        "action": "add-indicator",
        "n-code": "4.1.1-z",
        "n-name": "Cases recorded within 30 days",
        "n-definition": "",
        "n-attached_to": "4.1.1",
        "n-unit": "percent",
        "n-direction": "increase",
        "n-period_aggregation": "latest",
        "n-targets": "2023-H1=80; 2023-H2=90",
        "n-end_target": "",
        "n-data_source": "",
        "n-reason": "Measures the database.",
    }
    response = client.post(url, {**new, "n-targets": "2023-H1=180"}, follow=True)
    assert "is not a percentage between 0 and 100" in response.content.decode()
    response = client.post(url, new, follow=True)
    assert "indicator:4.1.1-z" in [c.key for c, _r in response.context["changes"]]
    client.post(url, {"action": "publish", "p-effective_from": "2022-06-30"})
    indicator = plan.indicators.get(code="4.1.1-z")
    assert indicator.deliverable is not None and indicator.deliverable.code == "4.1.1"
    assert {t.period: t.value for t in indicator.targets.all()} == {"2023-H1": 80, "2023-H2": 90}
