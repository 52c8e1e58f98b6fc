"""The check run after a restore: every evidence file is there and opens, with its recorded size
(an encrypted file that does not open means the file keys are not the ones it was stored with)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.backup import CheckResult
from reporting.models import Evidence


def evidence_files_check() -> CheckResult:
    result = CheckResult(what=_("Evidence files"))
    for evidence in Evidence.objects.exclude(file="").order_by("pk").iterator():
        result.checked += 1
        name = evidence.file.name
        try:
            with evidence.file.open("rb") as handle:
                size = len(handle.read())
        except OSError as exc:
            result.problems.append(f"{name}: {exc}")
            continue
        if size != evidence.size:
            result.problems.append(
                _("%(name)s has %(size)d bytes, %(expected)d recorded")
                % {"name": name, "size": size, "expected": evidence.size}
            )
    return result
