from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthenticatedRequest
from accounts.mfa import mfa_required
from accounts.selectors import SIGN_IN_HISTORY_DAYS, memberships_of, sign_in_events_of

SIGN_INS_PER_PAGE = 50


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {"memberships": memberships_of(request.user), "mfa_required": mfa_required(request.user)},
    )


@login_required
def sign_in_history(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's own sign-in attempts (never anyone else's)."""
    paginator = Paginator(sign_in_events_of(request.user), SIGN_INS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/sign_in_history.html",
        {"page_obj": page, "days": SIGN_IN_HISTORY_DAYS},
    )
