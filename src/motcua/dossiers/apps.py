from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_tally(sender, using="default", **kwargs):  # type: ignore[no-untyped-def]
    """A deployment upgraded from before the statistics ledger gets it built from its hand-offs once: when the
    ledger is empty and received dossiers exist (nothing to do, two cheap queries, otherwise)."""
    from motcua.dossiers import tallies
    from motcua.dossiers.models import Dossier, Tally

    if not Tally.objects.using(using).exists() and Dossier.objects.using(using).filter(
            received_at__isnull=False).exists():
        tallies.rebuild()


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Một cửa: hồ sơ thủ tục hành chính")

    def ready(self) -> None:
        post_migrate.connect(fill_tally, sender=self)
