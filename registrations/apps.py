from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Applications")

    def ready(self):
        from outbox.kinds import kinds_register

        from .enums import MailKind

        # The outbox's pages name these kinds of mail in the office's words.
        kinds_register(MailKind.choices)
