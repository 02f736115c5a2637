from zoneinfo import ZoneInfo

from django.apps import AppConfig
from django.db.migrations.serializer import BaseSerializer
from django.db.migrations.writer import MigrationWriter
from django.db.models.signals import post_delete, post_save
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
        # Whatever the office saves or deletes on a public page shows on the next request (page_cache.py).
        from speakers.models import Appearance, Speaker

        from .models import Material, Series, Session, Topic
        from .page_cache import content_changed

        for model in (Series, Session, Topic, Material, Speaker, Appearance):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}-del")
