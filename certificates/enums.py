"""The kinds of certificate."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    SESSION = "session", _("Certificate of attendance")
    COURSE = "course", _("Course completion certificate")
