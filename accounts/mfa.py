"""Who must sign in with a second factor, and whether this session did (docs/accounts.md).

A second factor (an authenticator app's code, a recovery code or a security key) is mandatory
for the roles in `MFA_ROLES` and for staff and superusers; focal points and reviewers may add one.
`accounts.middleware.AccountGateMiddleware` enforces it: a user who must and has not enrolled
reaches only the enrolment pages; one who has enrolled but whose session was not verified with
the second factor is sent to verify it.

`session_has_second_factor` is the one function that reads the session for it (the test suite
replaces it, except in tests marked `mfa`).
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest

from accounts.access import access_for
from accounts.models import Role, User

MFA_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.PLANNING_UNIT,
        Role.REGISTER_OFFICER,
        Role.SENIOR_LEADERSHIP,
        Role.MEMBER_STATE_DELEGATE,
    }
)
# A second factor that proves a sign-in (recovery codes alone are a fallback, not an enrolment).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def mfa_required(user: User) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    return bool(access_for(user).roles & MFA_ROLES)


def has_second_factor(user: User) -> bool:
    """The user has enrolled an authenticator app or a security key."""
    return is_mfa_enabled(user, SECOND_FACTORS)


def session_has_second_factor(request: HttpRequest) -> bool:
    """This session's sign-in (or a later verification) used a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
