from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Imported once the models are loaded: the tasks run the services, and the services send
        # jobs through the tasks.
        from core import background, backup
        from reports import integrity, services, tasks

        services.register_job_sender(tasks.send_job)
        # A thread starting in a fresh process first fails the jobs its predecessor left running.
        background.register_on_start(services.jobs_fail_stale)
        backup.register_restore_check(integrity.published_files_check)
