"""Clients of `/api/v1/`: a token per role (`api_client_for(user, read_only=...)`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import token_create


@pytest.fixture
def api_client_for(db: None) -> Callable[..., APIClient]:
    def make(user: User | None, *, read_only: bool = True) -> APIClient:
        client = APIClient()
        if user is not None:
            _token, raw = token_create(user=user, name="tests", read_only=read_only)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make
