"""Jobs that cannot wedge: a job whose worker died is failed and can be retried; the files no
row refers to are swept; nothing long runs inside a request."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core import audit, background
from reports import services
from reports.models import Publication, PublishedFile, ReportJob
from tests.reports.conftest import Reported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layouts are tested in test_content; here PDF and Word are drawn from the HTML."""
    from reports import render

    monkeypatch.setitem(
        render.RENDERERS, "pdf", lambda report: b"%PDF " + render.render_html(report)
    )
    monkeypatch.setitem(render.RENDERERS, "docx", render.render_xlsx)


def build_job(reported: Reported, planner: User, **fields: Any) -> ReportJob:
    job = services.job_create(
        kind=ReportJob.Kind.BUILD,
        cycle=reported.cycle,
        actor=planner,
        edition="internal",
        fmt="xlsx",
        confidential=True,
    )
    if fields:
        ReportJob.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def minutes_ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


# --- A worker that died ------------------------------------------------------------------------


def test_a_running_job_whose_heartbeat_stopped_is_failed_on_its_page(
    reported: Reported, planner: User, client_for: Callable[[User | None], Client]
) -> None:
    dead = build_job(
        reported,
        planner,
        state=ReportJob.State.RUNNING,
        progress=40,
        heartbeat_at=minutes_ago(11),
        created_at=minutes_ago(12),
    )
    alive = build_job(reported, planner, state=ReportJob.State.RUNNING, heartbeat_at=minutes_ago(2))
    page = client_for(planner).get(reverse("report-job", args=[dead.pk])).content.decode()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == ReportJob.State.FAILED and dead.finished_at is not None
    assert "The worker stopped before finishing this job" in dead.error
    assert "The worker stopped before finishing this job" in page
    assert reverse("report-job-retry", args=[dead.pk]) in page
    assert alive.state == ReportJob.State.RUNNING


def test_the_sweep_command_fails_stale_jobs_and_the_stale_limit_is_a_setting(
    reported: Reported, planner: User, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    job = build_job(reported, planner, state=ReportJob.State.RUNNING, heartbeat_at=minutes_ago(4))
    settings.A4P_JOB_STALE_MINUTES = 5
    call_command("jobs", "sweep")
    job.refresh_from_db()
    assert job.state == ReportJob.State.RUNNING
    settings.A4P_JOB_STALE_MINUTES = 3
    call_command("jobs", "sweep")
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert "1 job had lost its worker" in capsys.readouterr().out


def test_a_queued_job_never_started_is_failed_without_a_broker_but_waits_on_celery(
    reported: Reported, planner: User, settings: Any
) -> None:
    job = build_job(reported, planner, created_at=minutes_ago(30))
    settings.A4P_TASKS_MODE = "celery"
    assert services.jobs_fail_stale() == 0
    settings.A4P_TASKS_MODE = "thread"
    assert services.jobs_fail_stale() == 1
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and "No worker started this job" in job.error


def test_a_job_is_run_once_even_when_delivered_twice(reported: Reported, planner: User) -> None:
    job = build_job(reported, planner)
    services.job_run(job_id=str(job.pk))
    first = ReportJob.objects.get(pk=job.pk)
    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.FAILED)
    again = services.job_run(job_id=str(job.pk))
    assert first.state == ReportJob.State.DONE and first.heartbeat_at is not None
    assert again.state == ReportJob.State.FAILED  # not claimed, not run again


# --- Retry ---------------------------------------------------------------------------------------


def test_a_failed_job_is_retried_with_the_same_choices(
    reported: Reported, planner: User, client_for: Callable[[User | None], Client]
) -> None:
    failed = build_job(reported, planner, state=ReportJob.State.FAILED, error="lost")
    response = client_for(planner).post(reverse("report-job-retry", args=[failed.pk]))
    retried = ReportJob.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == reverse("report-job", args=[retried.pk])
    assert retried.retry_of == failed
    assert (retried.kind, retried.edition, retried.format, retried.language) == (
        "build",
        "internal",
        "xlsx",
        "en",
    )
    assert retried.confidential and retried.requested_by == planner
    assert retried.state == ReportJob.State.DONE  # the test settings run jobs in the call


def test_retry_is_refused_to_outsiders_and_for_jobs_that_did_not_fail(
    reported: Reported,
    planner: User,
    user_with_role: Callable[[str], User],
    outsider: User,
    client_for: Callable[[User | None], Client],
) -> None:
    failed = build_job(reported, planner, state=ReportJob.State.FAILED)
    url = reverse("report-job-retry", args=[failed.pk])
    for other in (user_with_role(Role.SENIOR_LEADERSHIP), outsider):
        assert client_for(other).post(url).status_code == 404
    assert client_for(planner).get(url).status_code == 405
    done = build_job(reported, planner, state=ReportJob.State.DONE)
    refused = client_for(planner).post(reverse("report-job-retry", args=[done.pk]), follow=True)
    assert "Only a failed job can be retried." in refused.content.decode()
    assert ReportJob.objects.count() == 2


def test_a_publish_job_is_retried_by_the_planning_unit_only(
    reported: Reported, planner: User, client_for: Callable[[User | None], Client]
) -> None:
    failed = services.job_create(
        kind=ReportJob.Kind.PUBLISH, cycle=reported.cycle, actor=planner, language="en"
    )
    ReportJob.objects.filter(pk=failed.pk).update(state=ReportJob.State.FAILED)
    planner.memberships.filter(role=Role.PLANNING_UNIT).update(role=Role.SENIOR_LEADERSHIP)
    leader = User.objects.get(pk=planner.pk)
    assert client_for(leader).post(reverse("report-job-retry", args=[failed.pk])).status_code == 404
    assert ReportJob.objects.count() == 1


# --- In the background, after the commit ------------------------------------------------------


def test_without_a_broker_the_job_goes_to_the_background_thread_after_the_commit(
    reported: Reported,
    planner: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    handed: list[Callable[[], object]] = []
    monkeypatch.setattr(background, "submit", handed.append)
    settings.A4P_TASKS_MODE = "thread"
    job = build_job(reported, planner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.job_enqueue(job)
    assert not handed and ReportJob.objects.get(pk=job.pk).state == ReportJob.State.QUEUED
    callbacks[0]()
    assert len(handed) == 1
    handed[0]()  # what the thread does with it
    assert ReportJob.objects.get(pk=job.pk).state == ReportJob.State.DONE


def test_the_background_thread_runs_work_outside_the_caller_and_survives_a_failure() -> None:
    ran: list[str] = []

    def boom() -> None:
        raise RuntimeError("boom")

    background.submit(boom)
    background.submit(lambda: ran.append(threading.current_thread().name))
    assert background.wait(10)
    assert ran == ["a4p-background"]


# --- Files outside the transaction, and the orphans ---------------------------------------------


@pytest.fixture
def disk(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_files_written_for_a_publication_whose_rows_fail_are_removed(
    reported: Reported, planner: User, disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_kwargs: Any) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(audit, "log", refuse)
    with pytest.raises(RuntimeError):
        services.report_publish(cycle=reported.cycle, actor=planner, languages=["en"])
    assert not Publication.objects.exists()
    assert _files(disk) == []


def test_the_sweep_removes_only_unreferenced_files_older_than_an_hour(
    reported: Reported, planner: User, disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services.report_publish(cycle=reported.cycle, actor=planner, languages=["en"])
    job = services.job_run(job_id=str(build_job(reported, planner).pk))
    kept = {job.file.name, *PublishedFile.objects.values_list("file", flat=True)}
    storage = storages["default"]
    old_orphans = [
        storage.save("reports/ab/abcd-orphan.pdf", _bytes()),
        storage.save("report-jobs/lost.xlsx", _bytes()),
    ]
    young_orphan = storage.save("report-jobs/being-written.xlsx", _bytes())
    outside = storage.save("evidence/1/2/note.txt", _bytes())
    two_hours_ago = (timezone.now() - dt.timedelta(hours=2)).timestamp()
    for name in [*kept, *old_orphans, outside]:
        os.utime(disk / name, (two_hours_ago, two_hours_ago))
    call_command("jobs", "sweep")
    out = capsys.readouterr().out
    assert sorted(_files(disk)) == sorted([*kept, young_orphan, outside])
    for name in old_orphans:
        assert f"removed {name}" in out
    assert "2 orphaned files removed." in out


def _bytes() -> ContentFile[bytes]:
    return ContentFile(b"left over")
