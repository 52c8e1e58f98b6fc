from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def registers(request: HttpRequest) -> dict[str, Any]:
    """Whether the header shows the registers link (placeholder until the register lands)."""
    return {"a4p_registers": lambda: False}
