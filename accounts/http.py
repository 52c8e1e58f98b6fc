"""The request of a signed-in user, for the type checker: views behind `login_required` take an
`AuthenticatedRequest`, whose `user` is a `User` (never anonymous)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    # Narrowed from `User | AnonymousUser`: `login_required` admits no anonymous user.
    user: User
