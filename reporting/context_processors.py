from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.access import access_for
from reporting.selectors import unread_notifications


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count in the header; counted only when a page shows it."""
    return {
        "unread_notifications": lambda: unread_notifications(request.user).count(),
        "a4p_internal": lambda: access_for(request.user).internal,
        "a4p_in_reporting": lambda: access_for(request.user).in_reporting,
    }
