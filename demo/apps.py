from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demonstration data and the `a4p demo` command. It sits on top of every other app and
    nothing imports it, so that the product never depends on its own sample data."""

    name = "demo"
    verbose_name = _("Demonstration data")
