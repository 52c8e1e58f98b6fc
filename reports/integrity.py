"""The check run after a restore: every published file is there with the SHA-256 recorded when it
was published."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from core.backup import CHUNK, CheckResult
from reports.models import PublishedFile


def published_files_check() -> CheckResult:
    result = CheckResult(what=_("Published report files"))
    for stored in PublishedFile.objects.order_by("pk").iterator():
        result.checked += 1
        digest = hashlib.sha256()
        try:
            with stored.file.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            result.problems.append(_("%(name)s is missing") % {"name": stored.file.name})
            continue
        if digest.hexdigest() != stored.sha256:
            result.problems.append(
                _("%(name)s does not match its published SHA-256") % {"name": stored.file.name}
            )
    return result
