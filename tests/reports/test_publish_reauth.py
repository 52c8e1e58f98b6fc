"""Publishing needs a recent sign-in: a stale one confirms the password and the publication
then goes ahead (the POST is replayed, nothing to type again)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reports.models import Publication, ReportJob
from tests.reports.conftest import Reported
from tests.signin import PASSWORD, age_sign_in, give_totp, sign_in

pytestmark = [pytest.mark.mfa, pytest.mark.django_db]
PLAN = "a4p-plus-2021-2023"


@pytest.fixture(autouse=True)
def quick_files(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reports import render

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(
        render.RENDERERS, "pdf", lambda report: b"%PDF " + render.render_html(report)
    )
    monkeypatch.setitem(render.RENDERERS, "docx", render.render_xlsx)


def test_a_stale_sign_in_confirms_the_password_then_the_report_is_published(
    reported: Reported, planner: User, client: Client
) -> None:
    sign_in(client, planner, give_totp(planner))
    age_sign_in(client, minutes=20)
    url = reverse("report-publish", args=[PLAN, reported.cycle.code])
    response = client.post(url, {"languages": ["en"], "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ReportJob.objects.exists()
    done = client.post(response["Location"], {"password": PASSWORD})
    job = ReportJob.objects.get(kind="publish")
    assert done["Location"] == reverse("report-job", args=[job.pk])
    assert Publication.objects.count() == 2
