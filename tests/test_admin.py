"""The Django admin: reference data editable by administrators, the plan and audit read-only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from core.models import Entity


@pytest.mark.parametrize("model", list(admin.site._registry))
def test_every_admin_list_and_page_renders(
    db: None, client: Client, user_with_role: Callable[[str], User], model: type
) -> None:
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    opts = model._meta  # type: ignore[attr-defined]
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    first = model._default_manager.first()  # type: ignore[attr-defined]
    if first is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
        assert client.get(url).status_code == 200


def test_the_plan_cannot_be_edited_in_the_admin(
    plan: object, client: Client, user_with_role: Callable[[str], User]
) -> None:
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    response = client.get(reverse("admin:plans_deliverable_changelist"))
    assert b"Add deliverable" not in response.content


def test_non_staff_users_are_kept_out(
    db: None, client: Client, user_with_role: Callable[[str], User]
) -> None:
    client.force_login(user_with_role(Role.PLANNING_UNIT))
    response = client.get(reverse("admin:core_entity_changelist"))
    assert response.status_code == 302
    assert Entity.objects.exists()
