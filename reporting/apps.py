from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Progress reporting")

    def ready(self) -> None:
        from core import backup
        from reporting import integrity

        backup.register_restore_check(integrity.evidence_files_check)
