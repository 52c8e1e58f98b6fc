"""Reporting pages: who sees what, the workflow through the browser's forms, conflicts,
evidence, safe Markdown, and query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from plans.models import Assignment, Plan
from reporting import services
from reporting.models import Cycle, Obstacle, ProgressUpdate
from tests.factories import MembershipFactory, UserFactory
from tests.reporting.conftest import make_cycle
from tests.reporting.test_workflow import FILLED, fill, put_in_state

S = ProgressUpdate.State


def as_user(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", [None, *Role.values])
def test_my_work_renders_for_every_role(
    cycle: Cycle,
    focal: User,
    client: Client,
    user_with_role: Callable[[str], User],
    role: str | None,
) -> None:
    user = user_with_role(role) if role else None
    response = as_user(client, user).get(reverse("my-work"))
    if user is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert b"A4P+ Monitor" in response.content


def test_focal_point_sees_their_work_and_what_was_returned(
    client: Client, minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    put_in_state(minusca_update, S.RETURNED, focal, reviewer)
    text = as_user(client, focal).get(reverse("my-work")).content.decode()
    assert "1 update was returned to you with comments." in text
    assert reverse("update-detail", args=[minusca_update.pk]) in text
    count = ProgressUpdate.objects.filter(
        cycle=minusca_update.cycle, assignment__entity__code="minusca"
    ).count()
    assert f"{count} updates in this cycle" in text


def test_another_entitys_focal_point_gets_404_on_a_draft(
    client: Client, minusca_update: ProgressUpdate, other_focal: User
) -> None:
    as_user(client, other_focal)
    assert client.get(reverse("update-detail", args=[minusca_update.pk])).status_code == 404
    assert client.get(reverse("update-edit", args=[minusca_update.pk])).status_code == 404
    response = client.post(
        reverse("update-edit", args=[minusca_update.pk]),
        {"version": minusca_update.version, "narrative": "hijack"},
    )
    assert response.status_code == 404
    response = client.post(reverse("update-action", args=[minusca_update.pk, "submit"]))
    assert response.status_code == 404
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == ""


@pytest.mark.parametrize("role", [Role.MEMBER_STATE_DELEGATE, Role.REGISTER_OFFICER])
def test_roles_without_reporting_access_get_404(
    client: Client,
    minusca_update: ProgressUpdate,
    focal: User,
    reviewer: User,
    user_with_role: Callable[[str], User],
    role: str,
) -> None:
    put_in_state(minusca_update, S.VALIDATED, focal, reviewer)
    as_user(client, user_with_role(role))
    assert client.get(reverse("update-detail", args=[minusca_update.pk])).status_code == 404


def test_reviewer_sees_submitted_updates_not_drafts(
    client: Client, minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    url = reverse("update-detail", args=[minusca_update.pk])
    assert as_user(client, reviewer).get(url).status_code == 404
    put_in_state(minusca_update, S.SUBMITTED, focal, reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"Return to the author" in response.content


def test_the_lead_entity_sees_supporting_updates_beside_its_own(
    client: Client, cycle: Cycle, focal: User, reviewer: User
) -> None:
    dos_focal = UserFactory.create(username="focal.dos")
    MembershipFactory(user=dos_focal, role=Role.FOCAL_POINT, entity="dos")
    dos = ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="dos", assignment__deliverable__code="4.3.4"
    )
    minusca = ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="minusca", assignment__deliverable__code="4.3.4"
    )
    as_user(client, dos_focal)
    page = client.get(reverse("update-detail", args=[dos.pk]))
    assert "MINUSCA" not in [s.assignment.entity.label for s in page.context["siblings"]]
    assert client.get(reverse("update-detail", args=[minusca.pk])).status_code == 404
    services.update_save(
        update=minusca,
        actor=focal,
        expected_version=minusca.version,
        values={**FILLED, "narrative": "Telemedicine hub live in Bangui."},
    )
    services.update_submit(update=minusca, actor=focal)
    page = client.get(reverse("update-edit", args=[dos.pk]))
    assert "Telemedicine hub live in Bangui." in page.content.decode()
    assert client.get(reverse("update-detail", args=[minusca.pk])).status_code == 200


def test_write_and_submit_through_the_form(
    client: Client, minusca_update: ProgressUpdate, focal: User
) -> None:
    as_user(client, focal)
    url = reverse("update-edit", args=[minusca_update.pk])
    form = client.get(url).context["form"]
    data = {
        "version": form.initial["version"],
        "rating": "delayed",
        "narrative": "Local dialogue in Ndélé postponed.",
        "achievements": "",
        "next_steps": "",
        "wps_note": "",
        "sensitivity": "internal",
        "obstacles-TOTAL_FORMS": "1",
        "obstacles-INITIAL_FORMS": "0",
        "obstacles-MIN_NUM_FORMS": "0",
        "obstacles-MAX_NUM_FORMS": "1000",
        "obstacles-0-category": "security",
        "obstacles-0-severity": "high",
        "obstacles-0-description": "Clashes on the Ndélé axis.",
        "obstacles-0-support_requested": "",
        "obstacles-0-support_from": "",
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    minusca_update.refresh_from_db()
    assert (minusca_update.state, minusca_update.rating) == (S.SUBMITTED, "delayed")
    assert list(minusca_update.obstacles.values_list("category", flat=True)) == ["security"]


def test_an_edit_conflict_shows_both_versions_and_keeps_the_typed_text(
    client: Client, minusca_update: ProgressUpdate, focal: User, planner: User
) -> None:
    url = reverse("update-edit", args=[minusca_update.pk])
    version = minusca_update.version
    fill(minusca_update, planner)  # someone else saves first
    data = {
        "version": version,
        "rating": "on_track",
        "narrative": "My own careful text",
        "achievements": "",
        "next_steps": "",
        "wps_note": "",
        "sensitivity": "internal",
        "obstacles-TOTAL_FORMS": "0",
        "obstacles-INITIAL_FORMS": "0",
        "obstacles-MIN_NUM_FORMS": "0",
        "obstacles-MAX_NUM_FORMS": "1000",
    }
    response = as_user(client, focal).post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "saved this update while you were editing" in text
    assert "My own careful text" in text
    assert FILLED["narrative"] in text
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == FILLED["narrative"]
    data["version"] = minusca_update.version
    assert client.post(url, data).status_code == 302
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == "My own careful text"


def test_returning_without_a_comment_is_explained(
    client: Client, minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    put_in_state(minusca_update, S.SUBMITTED, focal, reviewer)
    response = as_user(client, reviewer).post(
        reverse("update-action", args=[minusca_update.pk, "return"]), {"return-comment": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    minusca_update.refresh_from_db()
    assert minusca_update.state == S.SUBMITTED
    response = client.post(
        reverse("update-action", args=[minusca_update.pk, "return"]),
        {"return-comment": "Add the dates of the forums."},
    )
    assert response.status_code == 302
    minusca_update.refresh_from_db()
    assert minusca_update.state == S.RETURNED


def test_a_refused_transition_is_a_message_not_an_error_page(
    client: Client, minusca_update: ProgressUpdate, focal: User
) -> None:
    response = as_user(client, focal).post(
        reverse("update-action", args=[minusca_update.pk, "submit"]), follow=True
    )
    assert response.status_code == 200
    assert "before submitting" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "ok", "message"),
    [
        ("report.pdf", b"%PDF-1.7 minimal", True, "Evidence added."),
        ("notes.txt", b"Meeting minutes", True, "Evidence added."),
        ("virus.exe", b"MZ\x90\x00", False, "files of this type are not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", False, "is not really a .pdf file"),
    ],
)
def test_evidence_upload_is_checked(
    client: Client,
    minusca_update: ProgressUpdate,
    focal: User,
    name: str,
    content: bytes,
    ok: bool,
    message: str,
) -> None:
    upload = SimpleUploadedFile(name, content)
    response = as_user(client, focal).post(
        reverse("evidence-add", args=[minusca_update.pk]),
        {"title": "", "file": upload},
        follow=True,
    )
    assert message in response.content.decode()
    assert minusca_update.evidence.exists() == ok


def test_evidence_files_are_served_only_to_those_who_see_the_update(
    client: Client, minusca_update: ProgressUpdate, focal: User, other_focal: User
) -> None:
    evidence = services.evidence_add(
        update=minusca_update,
        actor=focal,
        title="Minutes",
        upload=SimpleUploadedFile("m.txt", b"minutes"),
    )
    url = reverse("evidence-download", args=[minusca_update.pk, evidence.pk])
    response = as_user(client, focal).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"minutes"  # type: ignore[attr-defined]
    client.force_login(other_focal)
    assert client.get(url).status_code == 404


def test_evidence_needs_a_file_or_a_link(
    client: Client, minusca_update: ProgressUpdate, focal: User
) -> None:
    response = as_user(client, focal).post(
        reverse("evidence-add", args=[minusca_update.pk]), {"title": "Nothing"}
    )
    assert response.status_code == 400
    assert "Attach either a file or a link." in response.content.decode()


def test_markdown_is_rendered_without_scripts(
    client: Client, minusca_update: ProgressUpdate, focal: User
) -> None:
    services.update_save(
        update=minusca_update,
        actor=focal,
        expected_version=minusca_update.version,
        values={
            "narrative": "**Done**\n\n<script>alert(1)</script>\n\n"
            "[click](javascript:alert(2)) <img src=x onerror=y>"
        },
    )
    text = (
        as_user(client, focal)
        .get(reverse("update-detail", args=[minusca_update.pk]))
        .content.decode()
    )
    assert "<strong>Done</strong>" in text
    assert "<script>alert(1)" not in text
    assert 'href="javascript:' not in text
    assert "<img" not in text


def test_cycle_board_is_for_the_planning_unit_and_leadership(
    client: Client,
    cycle: Cycle,
    focal: User,
    planner: User,
    user_with_role: Callable[[str], User],
) -> None:
    url = reverse("cycle-board", args=[cycle.plan.code, cycle.code])
    assert as_user(client, focal).get(url).status_code == 404
    assert as_user(client, user_with_role(Role.SENIOR_LEADERSHIP)).get(url).status_code == 200
    response = as_user(client, planner).get(url)
    assert response.status_code == 200
    entities = {row["entity"].code for row in response.context["rows"]}
    assert {"minusca", "dpo-oma", "asg-africa"} <= entities


def test_cycle_board_shows_who_is_late(client: Client, workplans: Plan, planner: User) -> None:
    late = make_cycle(workplans, planner, "2023-H1", dt.date(2023, 1, 1), due_in_days=-3)
    response = as_user(client, planner).get(
        reverse("cycle-board", args=[workplans.code, late.code])
    )
    assert response.context["totals"]["late"] == late.updates.count()
    assert "updates are late" in response.content.decode()


def test_cycle_board_query_count_does_not_grow_with_entities(
    client: Client, cycle: Cycle, planner: User
) -> None:
    as_user(client, planner)
    url = reverse("cycle-board", args=[cycle.plan.code, cycle.code])
    client.get(url)
    with CaptureQueriesContext(connection) as full:
        client.get(url)
    services.cycle_step(cycle=cycle, step="close", actor=planner)
    Assignment.objects.exclude(entity__code__in=["minusca", "dpo-oma"]).update(active=False)
    small = make_cycle(cycle.plan, planner, "2023-H2", dt.date(2023, 7, 1))
    assert small.updates.count() < cycle.updates.count() / 5
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cycle-board", args=[cycle.plan.code, small.code]))
    assert len(few) == len(full)
    assert len(full) > 0


def test_planning_unit_creates_opens_and_closes_cycles(
    client: Client, workplans: Plan, planner: User, focal: User
) -> None:
    url = reverse("cycle-list", args=[workplans.code])
    bad = {
        "code": "2024-H1",
        "kind": "semiannual",
        "period_start": "2024-01-01",
        "period_end": "2023-06-30",
        "opens_on": "2024-06-15",
        "due_on": "2024-06-01",
        "closes_on": "2024-08-15",
    }
    response = as_user(client, planner).post(url, bad)
    assert response.status_code == 200
    text = response.content.decode()
    assert "The period ends before it starts." in text
    assert "cannot be due before the cycle opens" in text
    assert not Cycle.objects.filter(code="2024-H1").exists()
    good = {**bad, "period_end": "2024-06-30", "due_on": "2024-07-20"}
    assert client.post(url, good).status_code == 302
    step = reverse("cycle-step", args=[workplans.code, "2024-H1", "open"])
    client.force_login(focal)
    assert client.post(step).status_code == 404
    client.force_login(planner)
    client.post(step)
    assert Cycle.objects.get(code="2024-H1").state == Cycle.State.OPEN
    response = client.post(
        reverse("cycle-step", args=[workplans.code, "2024-H1", "publish"]), follow=True
    )
    assert "cannot be published now" in response.content.decode()


def test_obstacles_review_filters_and_compares_with_the_previous_cycle(
    client: Client,
    cycle: Cycle,
    focal: User,
    planner: User,
    user_with_role: Callable[[str], User],
) -> None:
    services.cycle_step(cycle=cycle, step="close", actor=planner)
    first = ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="minusca", assignment__deliverable__code="1.1.2"
    )
    Obstacle.objects.create(
        update=first,
        category="security",
        severity="high",
        description="Armed group presence",
        escalate=True,
    )
    Obstacle.objects.create(
        update=first, category="resources", severity="low", description="Vehicle shortage"
    )
    now = make_cycle(cycle.plan, planner, "2023-H2", dt.date(2023, 7, 1))
    second = ProgressUpdate.objects.get(cycle=now, assignment=first.assignment)
    Obstacle.objects.create(
        update=second,
        category="security",
        severity="critical",
        description="Attacks continue",
        escalate=True,
    )
    Obstacle.objects.create(
        update=second, category="political", severity="medium", description="Elections delayed"
    )
    as_user(client, user_with_role(Role.SENIOR_LEADERSHIP))
    url = reverse("obstacles", args=[cycle.plan.code])
    response = client.get(url, {"cycle": "2023-H2"})
    page = list(response.context["page"])
    assert {o.category: o.is_new for o in page} == {"security": False, "political": True}
    assert [o.category for o in response.context["resolved"]] == ["resources"]
    summary = {row["category"]: row["change"] for row in response.context["summary"]}
    assert summary == {"Political": 1, "Security": 0, "Funding and resources": -1}
    escalated = client.get(url, {"cycle": "2023-H2", "escalated": "1"}).context["page"]
    assert [o.description for o in escalated] == ["Attacks continue"]
    client.force_login(focal)
    own = client.get(url, {"cycle": "2023-H2"}).context["page"]
    assert len(list(own)) == 2  # a focal point sees its own entity's obstacles


def test_notifications_page_and_mark_read(
    client: Client, minusca_update: ProgressUpdate, focal: User, reviewer: User
) -> None:
    put_in_state(minusca_update, S.RETURNED, focal, reviewer)
    as_user(client, focal)
    response = client.get(reverse("notifications"))
    assert "was returned to you with comments" in response.content.decode()
    client.post(reverse("notifications"))
    assert not focal.notifications.filter(read_at__isnull=True).exists()


def test_work_plan_pages_and_planner_edits(
    client: Client, workplans: Plan, planner: User, focal: User
) -> None:
    coverage = as_user(client, focal).get(reverse("workplan-coverage", args=[workplans.code]))
    assert coverage.status_code == 200
    minusca = next(e for e in coverage.context["entities"] if e.code == "minusca")
    assert minusca.assigned == Assignment.objects.filter(entity__code="minusca").count()
    assert minusca.without_milestones == minusca.assigned
    page = reverse("entity-workplan", args=[workplans.code, "minusca"])
    assert client.get(page).status_code == 200
    assignment = Assignment.objects.filter(entity__code="minusca").first()
    assert assignment is not None
    milestone_url = reverse(
        "assignment-change", args=[workplans.code, "minusca", assignment.pk, "milestone"]
    )
    data = {
        "title": "Forum in Bria",
        "due_date": "2023-05-01",
        "status": "done",
        "completed_on": "",
    }
    assert client.post(milestone_url, data).status_code == 404  # focal points do not edit
    client.force_login(planner)
    response = client.post(milestone_url, data, follow=True)
    assert "needs its completion date" in response.content.decode()
    assert not assignment.milestones.exists()
    client.post(milestone_url, {**data, "completed_on": "2023-04-28"})
    assert assignment.milestones.get().title == "Forum in Bria"
    client.post(
        reverse(
            "assignment-change", args=[workplans.code, "minusca", assignment.pk, "focal-points"]
        ),
        {"users": [focal.pk]},
    )
    assert list(assignment.focal_points.all()) == [focal]
    response = client.post(
        reverse("assignment-add", args=[workplans.code, "minusca"]),
        {"deliverable": "9.9.9", "role": "support"},
        follow=True,
    )
    assert "There is no deliverable 9.9.9" in response.content.decode()


def test_my_work_query_count_does_not_grow_with_the_work(
    client: Client, cycle: Cycle, focal: User
) -> None:
    """MINUSCA's focal point has 33 updates; OMA's 15: the page costs the same."""
    oma = UserFactory.create(username="focal.oma")
    MembershipFactory(user=oma, role=Role.FOCAL_POINT, entity="dpo-oma")
    counts = []
    for user in (focal, oma):
        client.force_login(user)
        client.get(reverse("my-work"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("my-work"))
        assert len(response.context["work"]) > 10
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_obstacles_query_count_does_not_grow_with_obstacles(
    client: Client, cycle: Cycle, planner: User
) -> None:
    as_user(client, planner)
    url = reverse("obstacles", args=[cycle.plan.code])
    updates = list(cycle.updates.all()[:40])
    counts = []
    for batch in (updates[:2], updates[2:40]):
        Obstacle.objects.bulk_create(
            Obstacle(update=u, category="security", severity="high", description="Clashes")
            for u in batch
        )
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["workplan-coverage", "cycle-list", "indicator-tracking"])
def test_internal_pages_are_not_for_member_state_delegates(
    client: Client, workplans: Plan, user_with_role: Callable[[str], User], name: str
) -> None:
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    client.force_login(delegate)
    assert client.get(reverse(name, args=[workplans.code])).status_code == 404
    client.force_login(user_with_role(Role.REGISTER_OFFICER))
    assert client.get(reverse(name, args=[workplans.code])).status_code == 200
    client.force_login(delegate)
    assert (
        reverse(name, args=[workplans.code])
        not in client.get(reverse("plan-overview", args=[workplans.code])).content.decode()
    )
