from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZoomConfig(AppConfig):
    name = "zoom"
    verbose_name = _("Zoom webinars")

    def ready(self):
        from outbox.kinds import kinds_register
        from registrations.signals import (
            application_place_lost,
            personal_data_erased,
            personal_joining_urls_requested,
            personal_links_awaited,
        )

        from . import receivers
        from .services import FALLBACK_MAIL_KIND

        # The outbox's pages name the one kind of mail zoom sends (to the office) in the office's words.
        kinds_register([(FALLBACK_MAIL_KIND, _("Zoom: applicants without a personal joining link"))])

        application_place_lost.connect(receivers.place_lost, dispatch_uid="zoom.place_lost")
        personal_data_erased.connect(receivers.personal_data_erased, dispatch_uid="zoom.personal_data_erased")
        # The personal links registrations' mail and manage page show (registrations.joining_links).
        personal_joining_urls_requested.connect(receivers.personal_joining_urls,
                                                dispatch_uid="zoom.personal_joining_urls")
        personal_links_awaited.connect(receivers.personal_links_awaited, dispatch_uid="zoom.personal_links_awaited")
