"""Headers every response needs: no-store for signed-in users, a Permissions-Policy, forwarding
headers believed from trusted proxies only; reporting pages closed to roles outside reporting."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from accounts.models import Role, User
from core.middleware import RefuseNulMiddleware, TrustedProxyMiddleware
from core.models import AuditEntry
from plans.models import Plan

OBSTACLES = "/plans/a4p-plus-2021-2023/obstacles/"


def test_a_signed_in_users_pages_are_never_stored(
    plan: object, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(user_with_role(Role.REGISTER_OFFICER))
    for path in ("/registers/crimes/", "/registers/crimes/export.csv", "/accounts/me/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_for_anonymous_readers_may_be_cached(plan: object, client: Client) -> None:
    response = client.get("/plans/a4p-plus-2021-2023/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(("trusted", "kept"), [((), False), (("127.0.0.1",), True)])
def test_forwarding_headers_are_believed_from_trusted_proxies_only(
    rf: object, trusted: tuple[str, ...], kept: bool
) -> None:
    seen = {}

    def view(request: object) -> object:
        seen.update(request.META)  # type: ignore[attr-defined]
        return object()

    with override_settings(A4P_TRUSTED_PROXIES=list(trusted)):
        middleware = TrustedProxyMiddleware(view)  # type: ignore[arg-type]
    request = rf.get(  # type: ignore[attr-defined]
        "/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    middleware(request)
    assert ("HTTP_X_FORWARDED_PROTO" in seen) is kept
    assert ("HTTP_X_FORWARDED_FOR" in seen) is kept


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MEMBER_STATE_DELEGATE, 404),
        (Role.REGISTER_OFFICER, 404),
        (Role.PLANNING_UNIT, 200),
        (Role.FOCAL_POINT, 200),
        (Role.REVIEWER, 200),
        (Role.SENIOR_LEADERSHIP, 200),
    ],
)
def test_the_obstacles_page_is_for_people_in_reporting(
    plan: object,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    role: str,
    status: int,
) -> None:
    response = client_for(user_with_role(role)).get(OBSTACLES)
    assert response.status_code == status
    if status == 200:
        assert OBSTACLES.encode() in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/plans/a4p-plus-2021-2023/results/%00/",
        "/plans/a4p-plus-2021-2023/deliverables/?entity=%00",
        "/plans/a4p-plus-2021-2023/dashboard/?entity=x%00y",
        "/registers/crimes/?%00=1",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(
    plan: object,
    path: str,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    response = client_for(user_with_role(Role.PLANNING_UNIT)).get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize(
    "data",
    [
        {"action": "reasons", "reason:1.1.2": "a\x00b"},  # a raw read of the form, into JSON
        {"action": "reasons", "reason:1.1.2\x00": "why"},
    ],
)
def test_a_nul_character_in_a_posted_form_is_a_bad_request_and_saves_nothing(
    plan: Plan,
    data: dict[str, str],
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    """PostgreSQL stores no NUL in text or JSON: a form field read without a form (the
    revision's reasons) was a server error there."""
    client = client_for(user_with_role(Role.PLANNING_UNIT))
    url = f"/plans/{plan.code}/revision/"
    assert client.post(url, {"action": "open"}).status_code == 302
    before = AuditEntry.objects.count()
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"NUL" in response.content
    assert AuditEntry.objects.count() == before


def test_a_file_holding_nul_bytes_is_still_uploaded() -> None:
    """Only the form's fields are read for NUL, not the files sent with it."""
    upload = SimpleUploadedFile("book.xlsx", b"PK\x03\x04\x00\x00 a workbook")
    request = RequestFactory().post("/updates/1/evidence/", {"file": upload, "title": "Minutes"})
    response = RefuseNulMiddleware(lambda request: HttpResponse("passed on"))(request)
    assert response.content == b"passed on"
    request = RequestFactory().post("/updates/1/evidence/", {"file": upload, "title": "a\x00"})
    assert RefuseNulMiddleware(lambda request: HttpResponse())(request).status_code == 400
