from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    label = "portal"
    verbose_name = _("Cổng dịch vụ công")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """The database cache that holds the look-up's rate-limit counters when no Redis is configured."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
