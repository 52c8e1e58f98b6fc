"""The Member State portal (`/portal/`): for the delegate's State, one section per register
listing what concerns it, each contributed by the register through the registry
(`Register.portal_section`), with the log of who looked at it. Anyone but a delegate gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from registers.access import register_access_for
from registers.kernel.registry import PortalSection, registers
from registers.kernel.selectors import member_states
from registers.pages import page_context
from registers.views import signed_in


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    reader = register_access_for(user)
    if not reader.is_delegate:
        raise Http404
    sections: list[PortalSection] = []
    for entry in registers():
        if entry.portal_section is not None:
            section = entry.portal_section(user, request.GET)
            if section is not None:
                sections.append(section)
    context = page_context(
        user, nav="portal", states=member_states(reader.states), sections=sections
    )
    return render(request, "registers/portal.html", context)
