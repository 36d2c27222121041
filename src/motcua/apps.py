from django.apps import AppConfig


class MotcuaConfig(AppConfig):
    """The composition root: demo data and the production server command."""

    name = "motcua"
    label = "motcua"
    verbose_name = "motcua"
