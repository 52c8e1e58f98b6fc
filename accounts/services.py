"""Writes to users and memberships."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.forms import ResetPasswordForm
from allauth.core import context
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    ENTITY_ROLES,
    STATE_ROLES,
    ApiToken,
    Membership,
    Role,
    SignInEvent,
    User,
)
from accounts.selectors import token_digest
from core import audit
from core.models import Entity, MemberState


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: Role,
    entity: Entity | None = None,
    member_state: MemberState | None = None,
    actor: User | None = None,
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, entity=entity, member_state=member_state
    )
    if created:
        audit.log(
            action="membership.granted",
            obj=membership,
            actor=actor,
            data={
                "user": user.username,
                "role": role.value,
                "entity": entity.code if entity else None,
                "member_state": member_state.iso3 if member_state else None,
            },
        )
    return membership


def sign_in_event_record(
    *,
    username: str,
    outcome: SignInEvent.Outcome,
    method: SignInEvent.Method,
    ip: str | None,
    user: User | None = None,
) -> SignInEvent:
    """Record a sign-in attempt; a username that names an account is attached to it, so its
    owner sees attempts made by others too."""
    username = username[:150]
    if user is None and username:
        user = User.objects.filter(username__iexact=username).first()
    return SignInEvent.objects.create(
        user=user,
        username=username,
        at=timezone.now(),
        ip=ip,
        outcome=outcome,
        method=method,
    )


def password_chosen(*, user: User) -> None:
    """The user set a password of their own: the one-time password's obligation ends."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


class AccountError(Exception):
    """A refused account change, with a message naming what is wrong."""


@transaction.atomic
def user_provision(
    *,
    username: str,
    role: str,
    entity_code: str | None = None,
    state_iso3: str | None = None,
    email: str = "",
    send_reset: bool = False,
    actor: User | None = None,
) -> tuple[User, str | None]:
    """Create an account holding one membership. Returns the user and a one-time password
    (which they must change at first sign-in), or None with `send_reset`: the account then has
    no usable password and allauth's reset link goes to `email`. All or nothing."""
    if role not in Role.values:
        raise AccountError(
            _("Unknown role %(role)s; the roles are: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    entity = member_state = None
    if role in STATE_ROLES:
        if not state_iso3 or entity_code:
            raise AccountError(
                _("A Member State delegate acts for one Member State: give --state ISO3 only.")
            )
    elif state_iso3:
        raise AccountError(_("Only a Member State delegate acts for a Member State (--state)."))
    elif role in ENTITY_ROLES and not entity_code:
        raise AccountError(
            _("The role %(role)s acts for an entity: give --entity CODE.") % {"role": role}
        )
    if entity_code:
        entity = Entity.objects.filter(code=entity_code).first()
        if entity is None:
            raise AccountError(_("Unknown entity code %(code)s.") % {"code": entity_code})
    if state_iso3:
        member_state = MemberState.objects.filter(iso3=state_iso3.upper()).first()
        if member_state is None:
            raise AccountError(_("Unknown Member State %(iso3)s.") % {"iso3": state_iso3})
    if not username.strip():
        raise AccountError(_("The username is empty."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("A user called %(name)s exists already.") % {"name": username})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountError(
                _("%(email)s is not an e-mail address.") % {"email": email}
            ) from None
    if send_reset and not email:
        raise AccountError(_("--send-reset sends the link by e-mail: give --email too."))
    user = User(username=username, email=email)
    password: str | None = None
    if send_reset:
        user.set_unusable_password()
    else:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.must_change_password = True
    user.save()
    audit.log(action="user.created", obj=user, actor=actor, data={"username": username})
    membership_grant(
        user=user, role=Role(role), entity=entity, member_state=member_state, actor=actor
    )
    if send_reset:
        password_reset_send(email=email)
    return user, password


def password_reset_send(*, email: str) -> None:
    """Send allauth's password-reset link, outside any request (a command): the link points at
    A4P_SITE_URL."""
    site = urlsplit(settings.A4P_SITE_URL)
    request = RequestFactory().get("/", HTTP_HOST=site.netloc, secure=site.scheme == "https")
    request.user = AnonymousUser()
    form = ResetPasswordForm(data={"email": email})
    with context.request_context(request):
        if not form.is_valid():
            raise AccountError(" ".join(str(e) for e in form.errors.get("email", [])))
        form.save(request)


# API tokens -------------------------------------------------------------------------------------

TOKEN_PREFIX_BYTES = 6  # 8 URL-safe characters
TOKEN_SECRET_BYTES = 32


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    read_only: bool = True,
    expires_days: int | None = 90,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`, and the token itself (`a4p_<prefix>_<secret>`), which is never
    stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise AccountError(_("Give the token a name."))
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise AccountError(_("A token expires after 1 to 3,650 days."))
    prefix = secrets.token_urlsafe(TOKEN_PREFIX_BYTES).replace("_", "x").replace("-", "y")
    raw = f"a4p_{prefix}_{secrets.token_urlsafe(TOKEN_SECRET_BYTES)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=token_digest(raw),
        read_only=read_only,
        expires_at=(
            timezone.now() + timedelta(days=expires_days) if expires_days is not None else None
        ),
    )
    audit.log(
        action="api_token.create",
        obj=token,
        actor=actor or user,
        data={"user": user.username, "name": token.name, "read_only": read_only},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None) -> None:
    """Revoke the token (again: nothing). `actor` None: the command line."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log(action="api_token.revoke", obj=token, actor=actor, data={"name": token.name})


def token_used(token: ApiToken) -> None:
    """Record the last use, at most once a minute (a read must not write on every request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
