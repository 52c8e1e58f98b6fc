"""`/api/v1/updates/`: progress updates scoped as the pages scope them, their detail (obstacles,
evidence metadata, history), the author's edit with its version, and the workflow steps through
the reporting services (the audit trail written, refusals as problem documents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from core.models import AuditEntry
from plans.models import Assignment, Marker, Plan
from plans.services import assignments_generate
from reporting.models import Cycle, Evidence, Obstacle, ProgressUpdate, Transition
from tests.api.agreement import Row, assert_pages_and_api_agree
from tests.reporting.conftest import make_cycle

S = ProgressUpdate.State
ApiClientFor = Callable[..., APIClient]


@dataclass
class Scene:
    planner: User
    focal: User  # MINUSCA's focal point
    reviewer: User  # reviews ASG Africa's entities, MINUSCA among them
    cycle: Cycle
    update: ProgressUpdate  # MINUSCA's draft on 1.1.2
    hidden: ProgressUpdate  # MONUSCO's draft: not the focal point's, not yet the reviewer's


@pytest.fixture
def scene(plan: Plan, user_with_role: Callable[[str], User]) -> Scene:
    planner = user_with_role(Role.PLANNING_UNIT)
    focal = user_with_role(Role.FOCAL_POINT)
    reviewer = user_with_role(Role.REVIEWER)
    assignments_generate(plan=plan, actor=planner)
    for assignment in Assignment.objects.filter(entity__code="minusca"):
        assignment.focal_points.add(focal)
    cycle = make_cycle(plan, planner, "2023-H1", dt.date(2023, 1, 1))
    update = ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="minusca", assignment__deliverable__code="1.1.2"
    )
    hidden = ProgressUpdate.objects.filter(cycle=cycle, assignment__entity__code="monusco").first()
    assert hidden is not None
    return Scene(planner, focal, reviewer, cycle, update, hidden)


def detail(update: ProgressUpdate) -> str:
    return reverse("api:update-detail", args=[update.pk])


def step(update: ProgressUpdate, name: str) -> str:
    return reverse(f"api:update-{name}", args=[update.pk])


def fill(update: ProgressUpdate, **more: object) -> None:
    ProgressUpdate.objects.filter(pk=update.pk).update(
        rating="on_track", narrative="Two trainings held.", **more
    )


def submitted(update: ProgressUpdate) -> None:
    fill(update, state=S.SUBMITTED, submitted_at=timezone.now())


# Reading ----------------------------------------------------------------------------------------


def test_each_role_lists_only_the_updates_the_pages_show_it(
    scene: Scene, api_client_for: ApiClientFor, outsider: User
) -> None:
    mine = api_client_for(scene.focal).get("/api/v1/updates/", {"page_size": 500}).json()
    assert mine["count"] > 0
    entities = {row["entity"] for row in mine["results"]}
    assert "minusca" in entities and "monusco" not in entities  # MONUSCO's are all drafts
    everything = api_client_for(scene.planner).get("/api/v1/updates/").json()
    assert everything["count"] == ProgressUpdate.objects.filter(cycle=scene.cycle).count()
    assert api_client_for(outsider).get("/api/v1/updates/").json()["count"] == 0
    # The reviewer sees no draft: nothing is submitted yet.
    assert api_client_for(scene.reviewer).get("/api/v1/updates/").json()["count"] == 0
    assert api_client_for(scene.focal).get(detail(scene.hidden)).status_code == 404
    assert api_client_for(outsider).get(detail(scene.update)).status_code == 404


def test_the_detail_shows_text_obstacles_evidence_metadata_and_history(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    fill(scene.update)
    Obstacle.objects.create(
        update=scene.update, category="security", severity="high", description="Road closed."
    )
    evidence = Evidence.objects.create(
        update=scene.update,
        title="Minutes",
        file=ContentFile(b"the minutes, secret bytes", name="minutes.txt"),
        content_type="text/plain",
        size=25,
        added_by=scene.focal,
    )
    Evidence.objects.create(update=scene.update, title="Site", url="https://example.org/")
    client = api_client_for(scene.focal, read_only=False)
    assert client.post(step(scene.update, "submit")).status_code == 200
    response = client.get(detail(scene.update))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == S.SUBMITTED and body["narrative"] == "Two trainings held."
    assert body["cycle"] == "2023-H1" and body["deliverable"] == "1.1.2"
    assert body["entity"] == "minusca" and body["version"] == 2
    assert [(o["category"], o["description"]) for o in body["obstacles"]] == [
        ("security", "Road closed.")
    ]
    file, link = body["evidence"]
    # The storage may have renamed the file beside an older one of the same name.
    assert file["name"] == (evidence.file.name or "").rsplit("/", 1)[-1]
    assert file["name"].startswith("minutes") and file["size"] == 25
    assert file["content_type"] == "text/plain" and file["added_by"] == str(scene.focal)
    assert file["download_url"].endswith(
        reverse("evidence-download", args=[scene.update.pk, evidence.pk])
    )
    assert link["kind"] == "link" and link["url"] == "https://example.org/"
    assert link["download_url"] is None
    assert b"secret bytes" not in response.content
    assert [(h["action"], h["from_state"], h["to_state"], h["actor"]) for h in body["history"]] == [
        ("submit", "draft", "submitted", str(scene.focal))
    ]
    assert isinstance(body["indicators"], list)
    assert body["can_edit"] is False and body["can_review"] is False
    assert response["Cache-Control"] == "no-store, private"


def test_filters_narrow_the_list_and_bad_values_are_named(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(scene.planner)
    one = client.get(
        "/api/v1/updates/", {"entity": "minusca", "deliverable": "1.1.2", "cycle": "2023-H1"}
    ).json()
    assert [row["id"] for row in one["results"]] == [scene.update.pk]
    submitted(scene.update)
    states = client.get("/api/v1/updates/", {"state": "submitted"}).json()
    assert [row["id"] for row in states["results"]] == [scene.update.pk]
    marker = Marker.objects.filter(plan=scene.cycle.plan, deliverables__isnull=False).first()
    assert marker is not None
    rows = client.get("/api/v1/updates/", {"marker": marker.code, "page_size": 500}).json()
    expected = ProgressUpdate.objects.filter(assignment__deliverable__markers=marker)
    assert rows["count"] == expected.count() > 0
    assert {row["id"] for row in rows["results"]} == set(expected.values_list("pk", flat=True))
    bad = client.get("/api/v1/updates/", {"state": "exploded"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["state"]
    ordered = client.get("/api/v1/updates/", {"ordering": "-id", "page_size": 5}).json()
    ids = [row["id"] for row in ordered["results"]]
    assert ids == sorted(ids, reverse=True)


def test_the_list_costs_the_same_queries_for_n_and_3n_rows(
    scene: Scene, api_client_for: ApiClientFor, django_assert_num_queries: Callable[..., object]
) -> None:
    client = api_client_for(scene.planner)
    assert ProgressUpdate.objects.filter(cycle=scene.cycle).count() >= 15
    client.get("/api/v1/updates/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        response = client.get("/api/v1/updates/", {"page_size": 5})
    assert len(response.json()["results"]) == 5
    with django_assert_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined]
        response = client.get("/api/v1/updates/", {"page_size": 15})
    assert len(response.json()["results"]) == 15


def test_the_detail_costs_the_same_queries_with_more_obstacles_evidence_and_steps(
    scene: Scene, api_client_for: ApiClientFor, django_assert_num_queries: Callable[..., object]
) -> None:
    client = api_client_for(scene.planner)

    def add(n: int) -> None:
        for i in range(n):
            Obstacle.objects.create(
                update=scene.update, category="security", severity="low", description=f"o{i}"
            )
            Evidence.objects.create(
                update=scene.update, title=f"e{i}", url="https://example.org/", added_by=scene.focal
            )
            Transition.objects.create(
                update=scene.update,
                action="submit",
                from_state="draft",
                to_state="submitted",
                actor=scene.focal,
            )

    add(1)
    client.get(detail(scene.update))  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail(scene.update)).status_code == 200
    add(2)
    with django_assert_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined]
        body = client.get(detail(scene.update)).json()
    assert len(body["obstacles"]) == len(body["evidence"]) == len(body["history"]) == 3


def test_pages_and_api_agree_on_who_sees_which_update(
    scene: Scene, user_with_role: Callable[[str], User], outsider: User
) -> None:
    submitted(scene.update)
    users: dict[str, User] = {
        str(role): user_with_role(role)
        for role in (
            Role.PLANNING_UNIT,
            Role.FOCAL_POINT,
            Role.REVIEWER,
            Role.SENIOR_LEADERSHIP,
            Role.MEMBER_STATE_DELEGATE,
            Role.REGISTER_OFFICER,
            Role.ADMINISTRATOR,
        )
    }
    users["outsider"] = outsider
    rows = [
        Row(
            f"{who} on {label}",
            user,
            reverse("update-detail", args=[update.pk]),
            detail(update),
        )
        for who, user in users.items()
        for label, update in (
            ("MINUSCA's submitted", scene.update),
            ("MONUSCO's draft", scene.hidden),
        )
    ]
    seen = assert_pages_and_api_agree(rows)
    # The planning unit, leadership and the administrator see both; focal point and reviewer one.
    assert seen == 8


# Writing ----------------------------------------------------------------------------------------


def test_the_author_edits_with_the_version_read_and_the_service_audits_it(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(scene.focal, read_only=False)
    response = client.patch(
        detail(scene.update),
        {
            "version": 1,
            "rating": "delayed",
            "narrative": "Partly done.",
            "obstacles": [
                {"category": "resources", "severity": "medium", "description": "No budget."}
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["rating"] == "delayed"
    assert [o["description"] for o in body["obstacles"]] == ["No budget."]
    scene.update.refresh_from_db()
    assert scene.update.narrative == "Partly done." and scene.update.updated_by == scene.focal
    entry = AuditEntry.objects.filter(
        action="update.saved", object_id=str(scene.update.pk), actor=scene.focal
    ).get()
    assert entry.data == {"version": 2, "fields": ["narrative", "rating"]}


def test_a_stale_version_is_a_409_with_both_versions_and_the_saved_values(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(scene.focal, read_only=False)
    first = client.patch(detail(scene.update), {"version": 1, "narrative": "Mine."}, format="json")
    assert first.status_code == 200
    stale = client.patch(
        detail(scene.update), {"version": 1, "narrative": "Theirs.", "rating": ""}, format="json"
    )
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    body = stale.json()
    assert body["current_version"] == 2 and body["your_version"] == 1
    assert body["current"] == {"narrative": "Mine.", "rating": ""}
    assert body["updated_by"] == str(scene.focal) and body["detail"]
    scene.update.refresh_from_db()
    assert scene.update.narrative == "Mine." and scene.update.version == 2


def test_bad_edits_are_400_naming_the_field_and_change_nothing(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(scene.focal, read_only=False)
    cases = [
        ({"narrative": "No version."}, "version"),
        ({"version": 1, "rating": "splendid"}, "rating"),
        (
            {
                "version": 1,
                "obstacles": [
                    {
                        "category": "security",
                        "severity": "low",
                        "description": "x",
                        "support_requested": "Trucks.",
                    }
                ],
            },
            "obstacles.0.support_from",
        ),
    ]
    for data, field in cases:
        response = client.patch(detail(scene.update), data, format="json")
        assert response.status_code == 400, data
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    scene.update.refresh_from_db()
    assert scene.update.version == 1 and not scene.update.obstacles.exists()


def test_who_may_not_edit_gets_403_if_it_sees_the_update_404_if_not(
    scene: Scene, api_client_for: ApiClientFor, user_with_role: Callable[[str], User]
) -> None:
    submitted(scene.update)
    leadership = user_with_role(Role.SENIOR_LEADERSHIP)
    for user in (scene.reviewer, leadership):
        response = api_client_for(user, read_only=False).patch(
            detail(scene.update), {"version": 1, "narrative": "x"}, format="json"
        )
        assert response.status_code == 403, user
        assert response.json()["detail"]
    hidden = api_client_for(scene.focal, read_only=False).patch(
        detail(scene.hidden), {"version": 1, "narrative": "x"}, format="json"
    )
    assert hidden.status_code == 404
    # The author, once submitted, is refused by the workflow.
    refused = api_client_for(scene.focal, read_only=False).patch(
        detail(scene.update), {"version": 1, "narrative": "x"}, format="json"
    )
    assert refused.status_code == 409 and "reviewer" in refused.json()["detail"]
    assert ProgressUpdate.objects.get(pk=scene.update.pk).narrative == "Two trainings held."


def test_read_only_tokens_cannot_write(scene: Scene, api_client_for: ApiClientFor) -> None:
    fill(scene.update)
    client = api_client_for(scene.focal, read_only=True)
    patched = client.patch(detail(scene.update), {"version": 1, "narrative": "x"}, format="json")
    submit = client.post(step(scene.update, "submit"))
    assert patched.status_code == submit.status_code == 403
    assert patched["Content-Type"] == "application/problem+json"
    scene.update.refresh_from_db()
    assert scene.update.state == S.DRAFT and scene.update.version == 1


def test_submit_return_validate_go_through_the_workflow(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    author = api_client_for(scene.focal, read_only=False)
    reviewer = api_client_for(scene.reviewer, read_only=False)
    empty = author.post(step(scene.update, "submit"))
    assert empty.status_code == 409 and "before submitting" in empty.json()["detail"]
    fill(scene.update)
    assert author.post(step(scene.update, "submit")).json()["state"] == S.SUBMITTED
    assert AuditEntry.objects.filter(action="update.submit", actor=scene.focal).exists()
    # The author may not review; the reviewer must say why it returns.
    assert author.post(step(scene.update, "validate")).status_code == 403
    assert reviewer.post(step(scene.update, "submit")).status_code == 403
    no_comment = reviewer.post(step(scene.update, "return"), {"comment": "  "}, format="json")
    assert no_comment.status_code == 400
    assert [e["field"] for e in no_comment.json()["errors"]] == ["comment"]
    returned = reviewer.post(
        step(scene.update, "return"), {"comment": "Add the figures."}, format="json"
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == S.RETURNED
    assert returned.json()["history"][-1]["comment"] == "Add the figures."
    assert AuditEntry.objects.filter(action="update.return", actor=scene.reviewer).exists()
    # Returned: with its author again, so the reviewer cannot validate it.
    early = reviewer.post(step(scene.update, "validate"), {}, format="json")
    assert early.status_code == 409 and early.json()["detail"]
    assert author.post(step(scene.update, "submit")).json()["state"] == S.RESUBMITTED
    validated = reviewer.post(step(scene.update, "validate"), {"comment": "Good."}, format="json")
    assert validated.status_code == 200 and validated.json()["state"] == S.VALIDATED
    assert AuditEntry.objects.filter(action="update.validate", actor=scene.reviewer).exists()
    assert (
        api_client_for(scene.focal, read_only=False).post(step(scene.hidden, "submit")).status_code
        == 404
    )


def test_a_submitted_update_reaches_the_reviewers_queue_in_the_api_and_on_the_page(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    reviewer = api_client_for(scene.reviewer)
    queue = {"awaiting_review": "true", "page_size": 500}
    assert reviewer.get("/api/v1/updates/", queue).json()["count"] == 0
    fill(scene.update)
    submit = api_client_for(scene.focal, read_only=False).post(step(scene.update, "submit"))
    assert submit.status_code == 200, submit.content
    waiting = reviewer.get("/api/v1/updates/", queue).json()
    assert [row["id"] for row in waiting["results"]] == [scene.update.pk]
    # The focal point reviews nothing: its queue is empty although it sees the update.
    assert api_client_for(scene.focal).get("/api/v1/updates/", queue).json()["count"] == 0
    page = Client()
    page.force_login(scene.reviewer)
    work = page.get(reverse("my-work"))
    assert work.status_code == 200
    assert reverse("update-detail", args=[scene.update.pk]) in work.content.decode()
    validated = api_client_for(scene.reviewer, read_only=False).post(
        step(scene.update, "validate"), {}, format="json"
    )
    assert validated.status_code == 200
    assert reviewer.get("/api/v1/updates/", queue).json()["count"] == 0


def test_refusals_speak_the_requested_language_and_odd_ids_are_404(
    scene: Scene, api_client_for: ApiClientFor
) -> None:
    submitted(scene.update)
    client = api_client_for(scene.reviewer, read_only=False)
    refused = client.post(step(scene.update, "submit"), HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Seul un point focal de MINUSCA ou le service de la planification peut modifier ce rapport."
    )
    draft = client.post(step(scene.hidden, "validate"), {}, format="json")
    assert draft.status_code == 404  # a draft: not the reviewer's to know
    planner = api_client_for(scene.planner, read_only=False)
    workflow = planner.post(step(scene.hidden, "validate"), {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert workflow.status_code == 409
    assert workflow.json()["title"] == "Le circuit de validation refuse cette action."
    for odd in ("abc", "-1", "1.5"):
        assert client.get(f"/api/v1/updates/{odd}/").status_code == 404
