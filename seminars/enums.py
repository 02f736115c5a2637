from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionState(models.TextChoices):
    """Where a session stands; derived from the clock by Session.state(), never stored."""

    UPCOMING = "upcoming", _("Applications not yet open")
    OPEN = "open", _("Open for applications")
    FULL = "full", _("Full")
    CLOSED = "closed", _("Applications closed")
    HELD = "held", _("Held")
    ARCHIVED = "archived", _("Archive available")


class SessionFormat(models.TextChoices):
    ONLINE = "online", _("Live online stream")
    VENUE = "venue", _("At the venue")
    HYBRID = "hybrid", _("At the venue or live online")


class ArchiveAccess(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    APPLICANTS = "applicants", _("Applicants only, through their personal link")


class Allocation(models.TextChoices):
    """How a session gives its places."""

    FIRST_COME = "first_come", _("First come, first served")
    LOTTERY = "lottery", _("Lottery after the application period")
