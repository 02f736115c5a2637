from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffAuthConfig(AppConfig):
    """The office's sign-in: a second factor for every staff account, its enrolment and reset, idle sign-out."""

    name = "staff_auth"
    verbose_name = _("Staff sign-in")

    def ready(self):
        from staff_auth import receivers  # noqa: F401  (connects the sign-in signals)
