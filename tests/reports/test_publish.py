"""Publishing, the pages, the jobs, the command line and who may see what."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from core.models import AuditEntry
from reporting.models import Cycle, Sensitivity
from reports import services
from reports.content import ReportError
from reports.models import Publication, PublishedFile, ReportJob
from tests.reports.conftest import MARK, Reported
from tests.reports.documents import text_of

pytestmark = pytest.mark.django_db
PLAN = "a4p-plus-2021-2023"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def quick_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing is about storing, hashing and freezing files; the PDF and Word layouts
    themselves are tested in test_content. Here they are drawn from the HTML to keep the
    suite fast."""
    from reports import render

    monkeypatch.setitem(
        render.RENDERERS, "pdf", lambda report: b"%PDF " + render.render_html(report)
    )
    monkeypatch.setitem(render.RENDERERS, "docx", render.render_xlsx)


def publish(reported: Reported, planner: User) -> list[Publication]:
    return services.report_publish(cycle=reported.cycle, actor=planner, languages=["en"])


def test_publish_freezes_both_editions_with_their_hashes(reported: Reported, planner: User) -> None:
    publications = publish(reported, planner)
    assert {p.edition for p in publications} == {"public", "internal"}
    files = PublishedFile.objects.filter(publication__in=publications)
    assert files.count() == 8
    for stored in files:
        data = stored.file.read()
        assert hashlib.sha256(data).hexdigest() == stored.sha256
        assert len(data) == stored.size
    reported.cycle.refresh_from_db()
    assert reported.cycle.state == Cycle.State.PUBLISHED
    assert AuditEntry.objects.filter(action="report.published").count() == 2


def test_a_published_file_cannot_change(reported: Reported, planner: User) -> None:
    publish(reported, planner)
    stored = PublishedFile.objects.first()
    assert stored is not None
    stored.sha256 = "0" * 64
    with pytest.raises(ValueError, match="never changes"):
        stored.save()


def test_publishing_again_makes_a_new_revision_and_keeps_the_first(
    reported: Reported, planner: User
) -> None:
    first = {
        f.pk: f.sha256
        for f in PublishedFile.objects.filter(publication__in=publish(reported, planner))
    }
    services.summary_save(cycle=reported.cycle, text="A corrected summary.", actor=planner)
    second = publish(reported, planner)
    assert {p.revision for p in second} == {2}
    for pk, digest in first.items():
        stored = PublishedFile.objects.get(pk=pk)
        assert stored.sha256 == digest
        assert hashlib.sha256(stored.file.read()).hexdigest() == digest
    public = next(p for p in second if p.edition == "public")
    html = public.files.get(format="html").file.read()
    assert b"A corrected summary." in html


def test_only_the_planning_unit_publishes_and_only_closed_cycles(
    reported: Reported, user_with_role: Callable[[str], User], planner: User
) -> None:
    leader = user_with_role(Role.SENIOR_LEADERSHIP)
    with pytest.raises(ReportError):
        services.report_publish(cycle=reported.cycle, actor=leader)
    Cycle.objects.filter(pk=reported.cycle.pk).update(state=Cycle.State.OPEN)
    reported.cycle.refresh_from_db()
    with pytest.raises(ReportError, match="close it"):
        services.report_publish(cycle=reported.cycle, actor=planner)
    assert not Publication.objects.exists()


def test_public_page_lists_public_editions_to_anyone(
    reported: Reported, planner: User, client: Client
) -> None:
    publish(reported, planner)
    page = client.get(reverse("report-list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Public edition" in body
    assert "Internal edition" not in body
    public = PublishedFile.objects.get(publication__edition="public", format="pdf")
    assert public.sha256 in body
    download = client.get(reverse("report-file", args=[public.pk, public.filename]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-SHA256"] == public.sha256
    internal = PublishedFile.objects.get(publication__edition="internal", format="html")
    assert (
        client.get(reverse("report-file", args=[internal.pk, internal.filename])).status_code == 404
    )


@pytest.mark.parametrize(
    ("role", "sees_internal"),
    [
        (Role.PLANNING_UNIT, True),
        (Role.FOCAL_POINT, True),
        (Role.REVIEWER, True),
        (Role.SENIOR_LEADERSHIP, True),
        (Role.REGISTER_OFFICER, True),
        (Role.MEMBER_STATE_DELEGATE, False),
    ],
)
def test_internal_editions_are_for_un_staff(
    reported: Reported,
    planner: User,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    role: str,
    sees_internal: bool,
) -> None:
    publish(reported, planner)
    client = client_for(user_with_role(role))
    internal = PublishedFile.objects.get(publication__edition="internal", format="html")
    page = client.get(reverse("report-list")).content.decode()
    assert ("Internal edition" in page) is sees_internal
    response = client.get(reverse("report-file", args=[internal.pk, internal.filename]))
    assert response.status_code == (200 if sees_internal else 404)
    if sees_internal:
        text = response.getvalue().decode()
        assert MARK[Sensitivity.INTERNAL] in text
        assert MARK[Sensitivity.CONFIDENTIAL] not in text  # never in a published file


def test_unknown_file_and_wrong_name_are_404(
    reported: Reported, planner: User, client: Client
) -> None:
    publish(reported, planner)
    stored = PublishedFile.objects.get(publication__edition="public", format="pdf")
    assert client.get(reverse("report-file", args=[99999, "x.pdf"])).status_code == 404
    assert client.get(reverse("report-file", args=[stored.pk, "other.pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PLANNING_UNIT, 200),
        (Role.SENIOR_LEADERSHIP, 200),
        (Role.FOCAL_POINT, 404),
        (Role.REVIEWER, 404),
        (Role.REGISTER_OFFICER, 404),
        (Role.MEMBER_STATE_DELEGATE, 404),
    ],
)
def test_preparation_pages_are_for_planning_unit_and_leadership(
    reported: Reported,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    role: str,
    status: int,
) -> None:
    client = client_for(user_with_role(role))
    args = [PLAN, reported.cycle.code]
    assert client.get(reverse("report-prepare", args=args)).status_code == status
    assert (
        client.get(reverse("report-preview", args=args) + "?edition=public").status_code == status
    )
    response = client.post(
        reverse("report-build", args=args),
        {"edition": "public", "format": "xlsx", "language": "en"},
    )
    assert response.status_code == (302 if status == 200 else 404)


def test_anonymous_is_sent_to_log_in_for_preparation(reported: Reported, client: Client) -> None:
    response = client.get(reverse("report-prepare", args=[PLAN, reported.cycle.code]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_planner_writes_the_summary_and_previews(
    reported: Reported, planner: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(planner)
    url = reverse("report-prepare", args=[PLAN, reported.cycle.code])
    response = client.post(url, {"executive_summary": "The year of **delivery**."})
    assert response.status_code == 302
    preview = client.get(reverse("report-preview", args=[PLAN, reported.cycle.code]))
    body = preview.content.decode()
    assert "The year of <strong>delivery</strong>." in body
    assert MARK[Sensitivity.PUBLIC] in body
    assert MARK[Sensitivity.INTERNAL] not in body
    internal = client.get(
        reverse("report-preview", args=[PLAN, reported.cycle.code]) + "?edition=internal"
    ).content.decode()
    assert MARK[Sensitivity.INTERNAL] in internal


def test_leadership_cannot_write_the_summary(
    reported: Reported,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(user_with_role(Role.SENIOR_LEADERSHIP))
    url = reverse("report-prepare", args=[PLAN, reported.cycle.code])
    assert client.post(url, {"executive_summary": "x"}).status_code == 404


def test_build_job_runs_inline_and_serves_the_file_to_its_owner_only(
    reported: Reported,
    planner: User,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(planner)
    response = client.post(
        reverse("report-build", args=[PLAN, reported.cycle.code]),
        {"edition": "internal", "format": "docx", "language": "en", "confidential": "on"},
    )
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report-job", args=[job.pk])
    assert job.state == ReportJob.State.DONE and job.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert "The file is ready." in page
    data = client.get(reverse("report-job-file", args=[job.pk])).getvalue()
    assert MARK[Sensitivity.CONFIDENTIAL] in text_of(data, "docx")
    other = client_for(user_with_role(Role.SENIOR_LEADERSHIP))
    assert other.get(reverse("report-job", args=[job.pk])).status_code == 404
    assert other.get(reverse("report-job-file", args=[job.pk])).status_code == 404
    assert other.get(reverse("report-job", args=["not-a-uuid"])).status_code == 404


def test_publish_through_the_page(
    reported: Reported, planner: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(planner)
    url = reverse("report-publish", args=[PLAN, reported.cycle.code])
    refused = client.post(url, {"languages": ["en"]})  # no confirmation
    assert refused.status_code == 302
    assert not Publication.objects.exists()
    response = client.post(url, {"languages": ["en"], "confirm": "on"})
    job = ReportJob.objects.get(kind="publish")
    assert response["Location"] == reverse("report-job", args=[job.pk])
    assert job.state == ReportJob.State.DONE, job.error
    assert Publication.objects.count() == 2


def test_failed_job_says_why(reported: Reported, planner: User) -> None:
    reported.cycle.updates.update(state="draft")
    job = services.job_create(
        kind=ReportJob.Kind.BUILD, cycle=reported.cycle, actor=planner, fmt="pdf"
    )
    services.job_enqueue(job)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert "nothing to report" in job.error


def test_job_goes_to_the_worker_when_a_broker_is_set(
    reported: Reported, planner: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from a4p.celery import app

    settings.A4P_TASKS_MODE = "celery"
    job = services.job_create(
        kind=ReportJob.Kind.BUILD, cycle=reported.cycle, actor=planner, fmt="xlsx"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.job_enqueue(job)
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED  # sent after the commit, not run here
    assert len(callbacks) == 1
    # The worker runs the task; eager mode runs it here through Celery itself.
    app.conf.task_always_eager = True
    try:
        callbacks[0]()
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE


def test_command_line_builds_each_format(reported: Reported, tmp_path: Path) -> None:
    for fmt in ("xlsx", "html"):
        out = tmp_path / f"report.{fmt}"
        call_command("report", cycle="2023-H1", edition="public", fmt=fmt, output=str(out))
        assert MARK[Sensitivity.PUBLIC] in text_of(out.read_bytes(), fmt)
        assert MARK[Sensitivity.INTERNAL] not in text_of(out.read_bytes(), fmt)


def test_command_line_errors(reported: Reported, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No cycle '1999-H1'"):
        call_command("report", cycle="1999-H1", output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("report", cycle="2023-H1", output=str(tmp_path / "no" / "x.pdf"))
    with pytest.raises(CommandError, match="internal edition only"):
        call_command("report", cycle="2023-H1", confidential=True, output=str(tmp_path / "x.pdf"))
    reported.cycle.updates.update(state="draft")
    with pytest.raises(CommandError, match="nothing to report"):
        call_command("report", cycle="2023-H1", fmt="html", output=str(tmp_path / "x.html"))
    assert not (tmp_path / "x.html").exists()


def test_public_list_query_count_does_not_grow(
    reported: Reported, planner: User, client: Client, django_assert_max_num_queries: Any
) -> None:
    publish(reported, planner)
    with django_assert_max_num_queries(6):
        client.get(reverse("report-list"))
    publish(reported, planner)
    with django_assert_max_num_queries(6):
        client.get(reverse("report-list"))


def test_the_plan_page_points_to_the_latest_public_report(
    reported: Reported, planner: User, client: Client
) -> None:
    url = reverse("plan-overview", args=[PLAN])
    assert "Latest progress report" not in client.get(url).content.decode()
    publish(reported, planner)
    page = client.get(url).content.decode()
    pdf = PublishedFile.objects.get(publication__edition="public", format="pdf", language="en")
    assert "Latest progress report: 2023-H1" in page
    assert reverse("report-file", args=[pdf.pk, pdf.filename]) in page
