from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from registers.crimes import CRIMES
        from registers.kernel.registry import register

        register(CRIMES)
