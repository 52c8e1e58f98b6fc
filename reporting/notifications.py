"""Text of notifications, in the app and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from reporting.models import Notification


def describe(notification: Notification) -> str:
    update = notification.update
    if update is None:
        return notification.get_kind_display()
    params = {
        "code": update.assignment.deliverable.code,
        "entity": update.assignment.entity.label,
        "cycle": update.cycle.code,
        "due": update.cycle.due_on.isoformat(),
    }
    texts = {
        Notification.Kind.DUE_SOON: _(
            "The %(cycle)s update of %(entity)s on %(code)s is due on %(due)s."
        ),
        Notification.Kind.OVERDUE: _(
            "The %(cycle)s update of %(entity)s on %(code)s was due on %(due)s and is late."
        ),
        Notification.Kind.RETURNED: _(
            "The %(cycle)s update of %(entity)s on %(code)s was returned to you with comments."
        ),
        Notification.Kind.VALIDATED: _(
            "The %(cycle)s update of %(entity)s on %(code)s was validated."
        ),
        Notification.Kind.SUBMITTED: _(
            "The %(cycle)s update of %(entity)s on %(code)s awaits your review."
        ),
    }
    return texts[Notification.Kind(notification.kind)] % params


def render_email(notification: Notification) -> tuple[str, str]:
    text = describe(notification)
    link = ""
    if notification.update is not None:
        link = settings.A4P_SITE_URL + reverse(
            "update-detail", kwargs={"pk": notification.update.pk}
        )
    elif notification.link:
        # A case or other page: the link is a path inside the site.
        link = settings.A4P_SITE_URL + notification.link
    subject = _("[A4P+ Monitor] %(what)s") % {"what": notification.get_kind_display()}
    body = "\n\n".join(
        part
        for part in (text, link and _("Open it: %(link)s") % {"link": link}, _("— A4P+ Monitor"))
        if part
    )
    return subject, body
