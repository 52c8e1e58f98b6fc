"""The API and the pages must agree on who sees what: for each (user, page, API address) the
page's answer (200 or 404) and the API's (200 or 404) must be the same. Each area's tests give
their rows to `assert_pages_and_api_agree`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import token_create


@dataclass(frozen=True)
class Row:
    who: str  # a label for the failure message, e.g. "delegate of BGD"
    user: User
    page: str  # a page's address showing the object
    api: str  # the API's address of the same object


def _seen(status: int, where: str) -> bool:
    assert status in (200, 404), f"{where} answered {status}"
    return status == 200


def assert_pages_and_api_agree(rows: Iterable[Row]) -> int:
    """Checks every row; returns how many objects were seen, so a caller can assert that the
    table is not all refusals."""
    disagreements: list[str] = []
    seen = 0
    for row in rows:
        page = Client()
        page.force_login(row.user)
        api = APIClient()
        _token, raw = token_create(user=row.user, name="agreement")
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        on_page = _seen(page.get(row.page).status_code, f"{row.page} for {row.who}")
        through_api = _seen(api.get(row.api).status_code, f"{row.api} for {row.who}")
        seen += on_page
        if on_page != through_api:
            disagreements.append(
                f"{row.who}: page {row.page} {'shows' if on_page else 'hides'} it, "
                f"API {row.api} {'shows' if through_api else 'hides'} it"
            )
    assert not disagreements, "\n".join(disagreements)
    return seen
