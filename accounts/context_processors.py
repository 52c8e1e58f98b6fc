from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.selectors import reads_audit_trail


def audit(request: HttpRequest) -> dict[str, Any]:
    """Whether the navigation links the audit trail; read only when a page shows it."""
    return {"a4p_audit": lambda: reads_audit_trail(request.user)}
