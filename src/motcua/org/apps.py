from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self) -> None:
        from motcua.org import services

        # Roles are groups; keep their permissions in step with roles.GRANTS after every migrate.
        post_migrate.connect(services.sync_role_groups_after_migrate, sender=self)
