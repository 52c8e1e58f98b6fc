from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Imported once the models are loaded: the tasks run the services, and the services send
        # jobs through the tasks.
        from core import background
        from reports import services, tasks

        services.register_job_sender(tasks.send_job)
        # A thread starting in a fresh process first fails the jobs its predecessor left running.
        background.register_on_start(services.jobs_fail_stale)
