from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZoomConfig(AppConfig):
    name = "zoom"
    verbose_name = _("Zoom webinars")

    def ready(self):
        from registrations.signals import application_place_lost

        from .receivers import place_lost

        application_place_lost.connect(place_lost, dispatch_uid="zoom.place_lost")
