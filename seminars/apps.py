from zoneinfo import ZoneInfo

from django.apps import AppConfig
from django.db.migrations.serializer import BaseSerializer
from django.db.migrations.writer import MigrationWriter
from django.utils.translation import gettext_lazy as _


class ZoneInfoSerializer(BaseSerializer):
    """Let migrations hold the Asia/Tokyo zone used by a check constraint."""

    def serialize(self):
        return f"zoneinfo.ZoneInfo({self.value.key!r})", {"import zoneinfo"}


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        MigrationWriter.register_serializer(ZoneInfo, ZoneInfoSerializer)
