"""What the apps above reporting add to it: hooks run when a cycle closes, and parts of a
progress update they keep.

Reporting sits below indicators in the order of the apps, so it cannot call them; an app that
must act on a cycle's close (the indicators app recomputes computed values), or that keeps part
of an update (the indicators app: indicator values), registers here from its
`AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from accounts.models import User
from reporting.models import Cycle, ProgressUpdate

CycleHook = Callable[[Cycle], None]

_on_close: list[CycleHook] = []


def on_cycle_close(hook: CycleHook) -> CycleHook:
    if hook not in _on_close:
        _on_close.append(hook)
    return hook


def cycle_closed(cycle: Cycle) -> None:
    """Run every registered hook, inside the closing transaction."""
    for hook in _on_close:
        hook(cycle)


@dataclass(frozen=True)
class UpdatePart:
    """A part of a progress update kept by an app above reporting (the indicators app: the
    values of the indicators the update's entity reports). The update's pages show it and the
    edit page saves it in the update's own transaction."""

    # The detail page's context name for what `detail` returns.
    detail_name: str
    detail: Callable[[ProgressUpdate], Any]
    # The edit page's context name for the (item, form) pairs `forms` returns, bound to the
    # posted data or unbound (None).
    forms_name: str
    forms: Callable[[ProgressUpdate, QueryDict | None], list[tuple[Any, Any]]]
    # Saves the valid forms; False when a form was refused (its errors are on the form), which
    # rolls the whole save back.
    save: Callable[[ProgressUpdate, list[tuple[Any, Any]], User], bool]


_update_parts: list[UpdatePart] = []


def register_update_part(part: UpdatePart) -> UpdatePart:
    if all(p.forms_name != part.forms_name for p in _update_parts):
        _update_parts.append(part)
    return part


def update_parts() -> list[UpdatePart]:
    return list(_update_parts)
