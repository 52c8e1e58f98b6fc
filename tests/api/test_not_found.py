"""An address under /api/ that no route matches is a problem document, as every other API error
is (clients parse one kind of error); any other unknown address still gets the 404 page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role, User


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-resource/", "/api/v1/entities/a%2Fb/", "/api/v2/entities/"]
)
def test_an_unknown_api_address_is_a_problem_document(
    path: str, user_with_role: Callable[[str], User], api_client_for: Callable[..., APIClient]
) -> None:
    response = api_client_for(user_with_role(Role.PLANNING_UNIT)).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "no-store, private"
    body = response.json()
    assert body["status"] == 404 and body["detail"] == "No such address in the API."


def test_an_unknown_api_address_anonymous_is_a_problem_in_french_too(db: None) -> None:
    with translation.override("fr"):
        response = APIClient().get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Cette adresse n\u2019existe pas dans l\u2019API."


def test_an_unknown_page_is_still_the_404_page(client: Client, db: None) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
