"""Choices of the office's tools."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Whom an announcement reaches among a session's applications (never erased or cancelled ones)."""

    CONFIRMED = "confirmed", _("Confirmed applicants")
    WAITLISTED = "waitlisted", _("The waiting list")
    ATTENDED = "attended", _("Those recorded as attended")
    ABSENT = "absent", _("Those recorded as absent")
    ACTIVE = "active", _("All active applications (confirmed, waiting list, awaiting the draw)")
