"""Every export, file and API response carrying register records, progress updates or account
data is `Cache-Control: no-store` when a signed-in user gets it, file downloads included; a
published public report downloaded by an anonymous reader may be cached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from reporting.models import Cycle, ProgressUpdate
from reporting.services import evidence_add
from reports import services as report_services
from reports.models import PublishedFile, ReportJob
from tests.registers.factories import case_with
from tests.reporting.conftest import cycle, focal, planner, workplans  # noqa: F401
from tests.reports.conftest import Reported, reported, reporter  # noqa: F401

PLAN = "a4p-plus-2021-2023"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _stored(response: Any) -> bool:
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return "no-store" not in response.get("Cache-Control", "")


def test_exports_files_and_api_of_signed_in_users_are_never_stored(
    cycle: Cycle,  # noqa: F811
    focal: User,  # noqa: F811
    user_with_role: Callable[[str], User],
) -> None:
    update = ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="minusca", assignment__deliverable__code="1.1.2"
    )
    evidence = evidence_add(
        update=update,
        actor=focal,
        title="Minutes",
        upload=SimpleUploadedFile("minutes.txt", b"minutes", content_type="text/plain"),
    )
    case = case_with(["BGD"], mission="minusca")
    by_role = {
        Role.FOCAL_POINT: [
            reverse("evidence-download", args=[update.pk, evidence.pk]),
            reverse("cycle-xlsx-download", args=[PLAN, cycle.code, "minusca"]),
            "/accounts/me/",
        ],
        Role.PLANNING_UNIT: [f"/plans/{PLAN}/indicators/?format=xlsx"],
        Role.SENIOR_LEADERSHIP: [f"/plans/{PLAN}/dashboard/?csv=ratings"],
        Role.REGISTER_OFFICER: [
            "/registers/crimes/export.csv",
            f"/registers/crimes/{case.pk}/export.csv",
            "/registers/crimes/statistics/by-year.csv",
            "/api/v1/registers/crimes/cases/",
            f"/api/v1/registers/crimes/cases/{case.pk}/",
        ],
        Role.MEMBER_STATE_DELEGATE: ["/registers/portal/by-year.csv", "/portal/"],
    }
    for role, paths in by_role.items():
        client = Client()
        client.force_login(focal if role == Role.FOCAL_POINT else user_with_role(role))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert not _stored(response), path


def test_report_files_are_never_stored_for_staff_and_public_ones_may_be_for_anyone(
    reported: Reported,  # noqa: F811
    planner: User,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reports import render

    # Storing is what matters here, not the layouts: PDF and Word drawn from the HTML.
    monkeypatch.setitem(render.RENDERERS, "pdf", lambda r: b"%PDF " + render.render_html(r))
    monkeypatch.setitem(render.RENDERERS, "docx", render.render_xlsx)
    report_services.report_publish(cycle=reported.cycle, actor=planner, languages=["en"])
    staff = Client()
    staff.force_login(planner)
    staff.post(
        reverse("report-build", args=[PLAN, reported.cycle.code]),
        {"edition": "internal", "format": "xlsx", "language": "en"},
    )
    job = ReportJob.objects.get()
    internal = PublishedFile.objects.get(publication__edition="internal", format="xlsx")
    public = PublishedFile.objects.get(publication__edition="public", format="pdf")
    for path in (
        reverse("report-job-file", args=[job.pk]),
        reverse("report-file", args=[internal.pk, internal.filename]),
        reverse("report-file", args=[public.pk, public.filename]),
    ):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert not _stored(response), path
    anonymous = Client().get(reverse("report-file", args=[public.pk, public.filename]))
    assert anonymous.status_code == 200
    assert _stored(anonymous)
