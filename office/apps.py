from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "office"
    verbose_name = _("The office's tools")

    def ready(self):
        from registrations.signals import personal_data_erased

        from .services import notes_erase, postal_contacts_erase

        # The office's notes on an applicant, and how to reach them by post or FAX, go with their personal data.
        personal_data_erased.connect(notes_erase, dispatch_uid="office.notes_erase")
        personal_data_erased.connect(postal_contacts_erase, dispatch_uid="office.postal_contacts_erase")
