from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from motcua.core import calendars

        calendars.connect_signals()
