from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import TokenForm
from accounts.http import AuthenticatedRequest
from accounts.mfa import mfa_required
from accounts.reauth import require_recent_auth
from accounts.selectors import (
    SIGN_IN_HISTORY_DAYS,
    memberships_of,
    sign_in_events_of,
    token_of,
    tokens_of,
)
from accounts.services import AccountError, token_create, token_revoke

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


# Personal API tokens ---------------------------------------------------------------------------


@login_required
@require_recent_auth
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's own tokens (never the tokens themselves: only their prefixes)."""
    return render(request, "accounts/token_list.html", {"tokens": tokens_of(request.user)})


@login_required
@require_recent_auth
def token_new(request: AuthenticatedRequest) -> HttpResponse:
    """Make a token; the page answering the POST shows it, once (it is stored nowhere)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = token_create(
                user=request.user,
                name=data["name"],
                read_only=data["access"] == TokenForm.READ_ONLY,
                expires_days=data["expires_days"],
                actor=request.user,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/token_form.html", {"form": form})


@login_required
@require_POST
@require_recent_auth
def token_revoke_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = token_of(request.user, pk)
    if token is None:
        raise Http404
    token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token %(prefix)s revoked.") % {"prefix": token.prefix})
    return redirect("token-list")
