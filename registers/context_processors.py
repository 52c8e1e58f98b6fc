from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from registers.access import register_access_for


def registers(request: HttpRequest) -> dict[str, Any]:
    """Whether the header shows the registers link (for users with any register access) and the
    Member State portal's (for delegates)."""
    return {
        "a4p_registers": lambda: register_access_for(request.user).any,
        "a4p_portal": lambda: register_access_for(request.user).is_delegate,
    }
