from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZoomConfig(AppConfig):
    name = "zoom"
    verbose_name = _("Zoom webinars")

    def ready(self):
        from registrations.signals import application_place_lost, personal_data_erased

        from . import receivers

        application_place_lost.connect(receivers.place_lost, dispatch_uid="zoom.place_lost")
        personal_data_erased.connect(receivers.personal_data_erased, dispatch_uid="zoom.personal_data_erased")
