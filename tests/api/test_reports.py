"""`/api/v1/publications/` and `/api/v1/published-files/`: who sees which edition (the same as the
pages), the files' metadata and download address, filters and query counts."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role, User
from plans.models import Plan
from reporting.models import Cycle
from reports.models import Edition, Publication, PublishedFile
from tests.api.agreement import Row, assert_pages_and_api_agree
from tests.conftest import ROLE_TARGETS

ClientFor = Callable[..., APIClient]


def make_cycle(plan: Plan, code: str, start: dt.date) -> Cycle:
    return Cycle.objects.create(
        plan=plan,
        code=code,
        period_start=start,
        period_end=start + dt.timedelta(days=180),
        opens_on=start,
        due_on=start + dt.timedelta(days=200),
        closes_on=start + dt.timedelta(days=220),
        state=Cycle.State.CLOSED,
    )


def publish(cycle: Cycle, edition: str, languages: tuple[str, ...] = ("en",)) -> Publication:
    publication = Publication.objects.create(
        cycle=cycle, edition=edition, executive_summary=f"{edition} summary"
    )
    for language in languages:
        for fmt in ("html", "pdf"):
            content = f"{cycle.code} {edition} {language} {fmt}".encode()
            name = f"a4p-{cycle.code}-{edition}-{language}.{fmt}"
            PublishedFile.objects.create(
                publication=publication,
                format=fmt,
                language=language,
                file=ContentFile(content, name=name),
                filename=name,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
            )
    return publication


@pytest.fixture
def editions(plan: Plan) -> dict[str, Publication]:
    cycle = make_cycle(plan, "2022-H1", dt.date(2022, 1, 1))
    return {
        Edition.PUBLIC: publish(cycle, Edition.PUBLIC, ("en", "fr")),
        Edition.INTERNAL: publish(cycle, Edition.INTERNAL),
    }


def test_staff_see_both_editions_with_their_files_metadata_and_download_address(
    editions: dict[str, Publication],
    user_with_role: Callable[[str], User],
    api_client_for: ClientFor,
) -> None:
    client = api_client_for(user_with_role(Role.REVIEWER))
    response = client.get("/api/v1/publications/")
    assert response.status_code == 200, response.content
    by_edition = {p["edition"]: p for p in response.json()["results"]}
    assert set(by_edition) == {"public", "internal"}
    public = by_edition["public"]
    assert public["cycle"] == "2022-H1" and public["period_end"] == "2022-06-30"
    assert public["revision"] == 1 and public["edition_label"] == "Public edition"
    files = public["files"]
    assert [(f["format"], f["language"]) for f in files] == [
        ("pdf", "en"),
        ("pdf", "fr"),
        ("html", "en"),
        ("html", "fr"),
    ]
    stored = PublishedFile.objects.get(pk=files[0]["id"])
    assert files[0]["sha256"] == stored.sha256 and files[0]["size"] == stored.size
    path = reverse("report-file", kwargs={"pk": stored.pk, "filename": stored.filename})
    assert files[0]["download_url"] == f"http://testserver{path}"
    # The address is the existing file view: its bytes have the SHA-256 given.
    page = Client()
    page.force_login(user_with_role(Role.REVIEWER))
    downloaded = page.get(path)
    assert downloaded.status_code == 200
    content = b"".join(downloaded.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(content).hexdigest() == files[0]["sha256"]


@pytest.mark.parametrize("role", [Role.MEMBER_STATE_DELEGATE, None])
def test_delegates_and_outsiders_see_the_public_edition_only(
    editions: dict[str, Publication],
    user_with_role: Callable[[str], User],
    outsider: User,
    api_client_for: ClientFor,
    role: str | None,
) -> None:
    client = api_client_for(user_with_role(role) if role else outsider)
    listed = client.get("/api/v1/publications/").json()["results"]
    assert [p["edition"] for p in listed] == ["public"]
    files = client.get("/api/v1/published-files/").json()["results"]
    assert files and {f["edition"] for f in files} == {"public"}
    internal = editions[Edition.INTERNAL]
    assert client.get(f"/api/v1/publications/{internal.pk}/").status_code == 404
    hidden = internal.files.first()
    assert hidden is not None
    assert client.get(f"/api/v1/published-files/{hidden.pk}/").status_code == 404


def test_files_filter_by_edition_file_format_language_and_sha256(
    editions: dict[str, Publication],
    user_with_role: Callable[[str], User],
    api_client_for: ClientFor,
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    url = "/api/v1/published-files/"
    french = client.get(url, {"edition": "public", "language": "fr", "file_format": "pdf"}).json()
    assert [(f["edition"], f["language"], f["format"]) for f in french["results"]] == [
        ("public", "fr", "pdf")
    ]
    digest = french["results"][0]["sha256"]
    assert [f["id"] for f in client.get(url, {"sha256": digest}).json()["results"]] == [
        french["results"][0]["id"]
    ]
    bad = client.get(url, {"file_format": "odt"})
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["file_format"]
    assert client.get("/api/v1/publications/", {"edition": "draft"}).status_code == 400


def test_the_pages_and_the_api_agree_on_who_sees_which_file(
    editions: dict[str, Publication],
    user_with_role: Callable[[str], User],
    outsider: User,
) -> None:
    users = {role: user_with_role(role) for role in ROLE_TARGETS} | {"outsider": outsider}
    rows = []
    for who, user in users.items():
        for edition, publication in editions.items():
            stored = publication.files.first()
            assert stored is not None
            rows.append(
                Row(
                    who=f"{who} ({edition})",
                    user=user,
                    page=reverse(
                        "report-file", kwargs={"pk": stored.pk, "filename": stored.filename}
                    ),
                    api=f"/api/v1/published-files/{stored.pk}/",
                )
            )
            rows.append(
                Row(
                    who=f"{who} ({edition} publication)",
                    user=user,
                    page=reverse(
                        "report-file", kwargs={"pk": stored.pk, "filename": stored.filename}
                    ),
                    api=f"/api/v1/publications/{publication.pk}/",
                )
            )
    seen = assert_pages_and_api_agree(rows)
    assert seen > 0 and seen < len(rows)


def _count(client: APIClient, url: str) -> int:
    assert client.get(url).status_code == 200  # the first request of a user loads its access
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/publications/", "/api/v1/published-files/"])
def test_the_lists_take_as_many_queries_for_3n_publications_as_for_n(
    plan: Plan,
    user_with_role: Callable[[str], User],
    django_assert_num_queries: Any,
    url: str,
) -> None:
    client = APIClient()
    client.force_authenticate(user_with_role(Role.PLANNING_UNIT))
    cycles = [make_cycle(plan, f"20{10 + n}-H1", dt.date(2010 + n, 1, 1)) for n in range(6)]
    for cycle in cycles[:2]:
        publish(cycle, Edition.PUBLIC)
    queries = _count(client, url)
    for cycle in cycles[2:]:
        publish(cycle, Edition.PUBLIC, ("en", "fr"))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.json()["count"] >= 6
