from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeStatsConfig(AppConfig):
    name = "office_stats"
    verbose_name = _("Statistics")
