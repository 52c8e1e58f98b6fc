"""The conventions of `/api/v1/`: tokens (hashed, expiring, revocable, read-only), problem
documents, pagination with a ceiling, no-store, the OpenAPI document and its docs page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role, User
from accounts.selectors import token_digest
from accounts.services import token_create, token_revoke
from api import parsers


def test_a_token_is_stored_as_its_hash_only_and_opens_the_api(
    user_with_role: Callable[[str], User],
) -> None:
    user = user_with_role(Role.PLANNING_UNIT)
    token, raw = token_create(user=user, name="Power BI")
    assert raw.startswith(f"a4p_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == token_digest(raw) and raw not in stored.digest
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get("/api/v1/entities/")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store, private"
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_wrong_revoked_and_expired_tokens_are_refused_with_a_problem_document(
    user_with_role: Callable[[str], User],
) -> None:
    user = user_with_role(Role.PLANNING_UNIT)
    revoked, raw_revoked = token_create(user=user, name="old")
    token_revoke(token=revoked, actor=user)
    expired, raw_expired = token_create(user=user, name="expired")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    _valid, raw = token_create(user=user, name="valid")
    for header in [
        f"Bearer {raw_revoked}",
        f"Bearer {raw_expired}",
        f"Bearer {raw[:-2]}xx",
        "Bearer a4p_nope_nope",
        "Bearer two words",
    ]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/entities/")
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 401 and body["title"], header


def test_anonymous_requests_are_401(db: None) -> None:
    response = APIClient().get("/api/v1/entities/")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_read_only_token_cannot_write(
    user_with_role: Callable[[str], User], api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT), read_only=True)
    response = client.post("/api/v1/entities/", {"code": "x"}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_unknown_objects_are_404_problems_and_pages_have_a_ceiling(
    user_with_role: Callable[[str], User], api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(user_with_role(Role.FOCAL_POINT))
    missing = client.get("/api/v1/entities/no-such-entity/")
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not found."
    listed = client.get("/api/v1/entities/", {"page_size": 100000}).json()
    assert len(listed["results"]) <= 500 and listed["count"] >= len(listed["results"])
    bad_page = client.get("/api/v1/entities/", {"page": "²"})
    assert bad_page.status_code == 404
    bad_filter = client.get("/api/v1/entities/", {"kind": "nonsense"})
    assert bad_filter.status_code == 400
    errors = bad_filter.json()["errors"]
    assert errors and errors[0]["field"] == "kind"


def test_the_openapi_document_and_its_docs_page(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Any]
) -> None:
    client = client_for(user_with_role(Role.PLANNING_UNIT))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/entities/" in document["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "<script>" not in page and "cdn" not in page.lower()


def test_a_nul_character_in_an_address_or_a_body_is_a_400_problem(
    user_with_role: Callable[[str], User], api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT), read_only=False)
    in_address = client.get("/api/v1/entities/", {"kind": "a\x00b"})
    assert in_address.status_code == 400
    assert in_address["Content-Type"] == "application/problem+json"
    assert "NUL" in in_address.json()["detail"]
    # Bodies: each parser refuses a NUL anywhere, nested or in a key, and passes a clean body.
    json_parser = parsers.JSONParser()
    for raw in [b'{"comment": "a\\u0000b"}', b'{"a": [{"b": "\\u0000"}]}', b'{"\\u0000": 1}']:
        with pytest.raises(ParseError, match="NUL"):
            json_parser.parse(io.BytesIO(raw), "application/json", {})
    assert json_parser.parse(io.BytesIO(b'{"a": ["b"]}'), "application/json", {}) == {"a": ["b"]}
    form = parsers.FormParser()
    with pytest.raises(ParseError, match="NUL"):
        form.parse(io.BytesIO(b"comment=ok&comment=a%00b"), "application/x-www-form-urlencoded", {})
