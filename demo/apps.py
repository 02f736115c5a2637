from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo content (`manage.py load_demo`): above every other app, which it drives through their services."""

    name = "demo"
    verbose_name = _("Demo content")
