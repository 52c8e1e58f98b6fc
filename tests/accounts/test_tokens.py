"""Personal API tokens: the pages of one's own tokens (list, create — shown once —, revoke), their
recent sign-in, the admin's revoke action and `a4p token create|list|revoke`."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role, User
from accounts.selectors import token_for
from accounts.services import token_create
from core.models import AuditEntry
from tests.factories import UserFactory
from tests.signin import age_sign_in, give_totp, sign_in

LIST = "/accounts/tokens/"
NEW = "/accounts/tokens/new/"


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_list_shows_only_ones_own_tokens_never_the_secret(client: Client, db: None) -> None:
    me, other = UserFactory.create(), UserFactory.create()
    mine, raw = token_create(user=me, name="my script")
    token_create(user=other, name="their script")
    page = _signed_in(client, me).get(LIST)
    text = page.content.decode()
    assert page.status_code == 200
    assert "my script" in text and mine.prefix in text
    assert "their script" not in text
    assert raw not in text
    assert "no-store" in page["Cache-Control"]


def test_a_new_token_is_shown_once_and_works(client: Client, db: None) -> None:
    me = UserFactory.create()
    _signed_in(client, me)
    form = client.get(NEW)
    assert form.status_code == 200 and 'value="read-only"' in form.content.decode()
    shown = client.post(NEW, {"name": "nightly", "access": "read-write", "expires_days": "30"})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    token = ApiToken.objects.get(user=me)
    assert (token.name, token.read_only) == ("nightly", False)
    assert token.expires_at is not None and (token.expires_at - token.created_at).days in (29, 30)
    raw = next(w for w in shown.content.decode().split('"') if w.startswith(f"a4p_{token.prefix}_"))
    assert token_for(raw) == token
    # Never again: neither the list nor the form shows it; only its digest is kept.
    assert raw not in client.get(LIST).content.decode()
    assert raw not in client.get(NEW).content.decode()
    assert raw not in token.digest
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "access": "read-only", "expires_days": "30"}, "name"),
        ({"name": "x", "access": "admin", "expires_days": "30"}, "access"),
        ({"name": "x", "access": "read-only", "expires_days": "0"}, "expires_days"),
        ({"name": "x", "access": "read-only", "expires_days": "9999"}, "expires_days"),
    ],
)
def test_a_refused_token_names_the_field_and_makes_nothing(
    data: dict[str, str], field: str, client: Client, db: None
) -> None:
    response = _signed_in(client, UserFactory.create()).post(NEW, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_ones_token_stops_it_and_another_users_is_404(client: Client, db: None) -> None:
    me, other = UserFactory.create(), UserFactory.create()
    mine, raw = token_create(user=me, name="mine")
    theirs, _raw = token_create(user=other, name="theirs")
    _signed_in(client, me)
    assert client.get(reverse("token-revoke", args=[mine.pk])).status_code == 405
    assert client.post(reverse("token-revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    done = client.post(reverse("token-revoke", args=[mine.pk]))
    assert done.status_code == 302 and done["Location"] == LIST
    mine.refresh_from_db()
    assert mine.revoked_at is not None and token_for(raw) is None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor_id=me.pk).count() == 1
    assert "Revoke mine" not in client.get(LIST).content.decode()


@pytest.mark.mfa
@pytest.mark.django_db
def test_the_token_pages_need_a_recent_sign_in(client: Client) -> None:
    user = UserFactory.create()
    token, _raw = token_create(user=user, name="old")
    sign_in(client, user, give_totp(user))
    assert client.get(LIST).status_code == 200
    age_sign_in(client, minutes=16)
    revoke = reverse("token-revoke", args=[token.pk])
    for response in (
        client.get(LIST),
        client.get(NEW),
        client.post(NEW, {"name": "x", "access": "read-only", "expires_days": "1"}),
        client.post(revoke),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_sign_in(client: Client, db: None) -> None:
    for path in (LIST, NEW):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# The admin ----------------------------------------------------------------------------------------


def test_an_administrator_revokes_anyones_token_in_the_admin(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    admin = user_with_role(Role.ADMINISTRATOR)
    token, raw = token_create(user=UserFactory.create(), name="leaked")
    client.force_login(admin)
    changelist = reverse("admin:accounts_apitoken_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and token.prefix in page.content.decode()
    assert raw not in page.content.decode()
    assert reverse("admin:accounts_apitoken_add") not in page.content.decode()
    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [str(token.pk)]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None and token_for(raw) is None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor_id=admin.pk).exists()
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert detail.status_code == 200 and 'name="name"' not in detail.content.decode()


# The command ------------------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_creates_lists_and_revokes(db: None) -> None:
    user = UserFactory.create(username="amina")
    raw = _run("create", "amina", "--name", "nightly", "--expires", "7").strip()
    token = token_for(raw)
    assert token is not None and token.user == user
    assert (token.name, token.read_only) == ("nightly", False)  # read-write unless --read-only
    assert token.expires_at is not None
    assert (token.expires_at - token.created_at).days in (6, 7)
    reader = token_for(_run("create", "amina", "--read-only").strip())
    assert reader is not None and reader.read_only
    listing = _run("list", "amina")
    assert token.prefix in listing and "nightly" in listing and raw not in listing
    assert _run("revoke", token.prefix).strip()
    assert token_for(raw) is None
    assert "revoked" in _run("list", "amina")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "nobody"], "no user named nobody"),
        (["create", "amina", "--expires", "0"], "1 to 3,650 days"),
        (["create", "amina", "--name", " "], "name"),
        (["create", "inactive"], "inactive"),
        (["list", "nobody"], "no user named nobody"),
        (["revoke", "nosuchprefix"], "no token nosuchprefix"),
    ],
)
def test_the_commands_refusals_name_the_problem_and_write_nothing(
    args: list[str], message: str, db: None
) -> None:
    UserFactory.create(username="amina")
    UserFactory.create(username="inactive", is_active=False)
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not ApiToken.objects.exists()


def test_revoking_twice_is_refused(db: None) -> None:
    token, _raw = token_create(user=UserFactory.create(), name="x")
    _run("revoke", token.prefix)
    with pytest.raises(CommandError, match="already revoked"):
        _run("revoke", token.prefix)
