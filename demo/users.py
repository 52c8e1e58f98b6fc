"""The demo cast: one user per role, each attached where that role works."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.mfa import MFA_ROLES
from accounts.models import Role, User
from accounts.services import membership_grant
from core.models import Entity, MemberState

DEFAULT_DEMO_PASSWORD = "demo-peacekeeping"  # noqa: S105  (printed on purpose; demo only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    entity: str | None = None
    member_state: str | None = None

    @property
    def needs_mfa(self) -> bool:
        return self.role in MFA_ROLES

    @property
    def totp_secret(self) -> str:
        return demo_totp_secret(self.username)


DEMO_USERS = [
    DemoUser("planner", "Amina", "Diallo", Role.PLANNING_UNIT, entity="dpo-ousg-iapu"),
    DemoUser("focal.minusca", "Jean", "Mbeki", Role.FOCAL_POINT, entity="minusca"),
    DemoUser("focal.oma", "Priya", "Raman", Role.FOCAL_POINT, entity="dpo-oma"),
    DemoUser("reviewer.africa", "Kwame", "Asante", Role.REVIEWER, entity="asg-africa"),
    DemoUser("leader", "Elena", "Varga", Role.SENIOR_LEADERSHIP, entity="dpo"),
    DemoUser("delegate.bgd", "Farhan", "Rahman", Role.MEMBER_STATE_DELEGATE, member_state="BGD"),
    DemoUser("registrar", "Sofia", "Morales", Role.REGISTER_OFFICER, entity="dpo-opsp"),
    DemoUser("admin", "Alex", "Kim", Role.ADMINISTRATOR),
]


def demo_password() -> str:
    return os.environ.get("A4P_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


def demo_totp_secret(username: str) -> str:
    """The demo user's authenticator secret (base32): fixed per user, printed by `a4p demo`
    (demo only, like the password)."""
    digest = hashlib.sha256(f"a4p-demo-totp:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


class DemoCodeError(Exception):
    pass


def demo_totp_code(username: str) -> str:
    """The current code of the demo user's authenticator, as an authenticator app shows it;
    refused for a user who set up an authenticator of their own."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DemoCodeError(_("No user is called %(name)s.") % {"name": username})
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None or decrypt(totp.data["secret"]) != demo_totp_secret(username):
        raise DemoCodeError(
            _("%(name)s has no demo authenticator (none, or one of their own).")
            % {"name": username}
        )
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(demo_totp_secret(username), counter))


def _give_demo_authenticator(user: User, spec: DemoUser, created: bool, password: str) -> None:
    """A user the demo made, still on the demo password and without an authenticator, gets the
    demo one; a user who changed either keeps theirs."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    if not created and not user.check_password(password):
        return
    Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": encrypt(spec.totp_secret)},
    )


@transaction.atomic
def demo_users_ensure() -> list[DemoUser]:
    """Create the demo users that are missing, with the demo password; idempotent. A user that
    exists already keeps its password and its rights: a password changed since is not reset,
    and an account of the same name made by someone else gets no known password. The users whose
    role needs a second factor get an authenticator app with the demo secret."""
    password = demo_password()
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.invalid",
            },
        )
        is_admin = spec.role == Role.ADMINISTRATOR
        if created:
            user.set_password(password)
            user.is_staff = user.is_superuser = is_admin
            user.save(update_fields=["password", "is_staff", "is_superuser"])
        if spec.needs_mfa:
            _give_demo_authenticator(user, spec, created, password)
        membership_grant(
            user=user,
            role=spec.role,
            entity=Entity.objects.get(code=spec.entity) if spec.entity else None,
            member_state=MemberState.objects.get(iso3=spec.member_state)
            if spec.member_state
            else None,
        )
    return DEMO_USERS
