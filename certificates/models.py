"""Certificates issued to applicants, and the course record that outlives each session's personal data."""
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registrations.models import Application
from seminars.models import Series, Session

from .enums import CertificateKind

# Printed before every issue number: CH-2026-00012 (CH for customer harassment).
NUMBER_PREFIX = "CH"


class Certificate(models.Model):
    """One certificate issued: its number and public code stay the same however often it is downloaded.

    Holds no personal data of its own: the name and organisation printed on the PDF are read
    from the application when it is rendered, so erasing the application erases them here too,
    while the number and the verification page stay.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    # The issue number is NUMBER_PREFIX-year-serial; the serial counts from 1 in each year of issue.
    year = models.PositiveSmallIntegerField(_("year of issue"), editable=False)
    serial = models.PositiveIntegerField(_("serial number in the year"), editable=False)
    # Unguessable: the verification page is reached only from the certificate itself.
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("series")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates",
        verbose_name=_("session"), help_text=_("Empty for a course completion certificate."),
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("issued for application"),
    )
    # Course certificates only: the keyed digest of the holder's email (see selectors.holder_digest), so that
    # every manage page of the same person gets the same certificate. Blanked with the course record.
    holder_digest = models.CharField(_("holder digest"), max_length=64, blank=True, editable=False)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="certificate_unique_number"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(kind=CertificateKind.SESSION),
                name="certificate_one_per_attended_application",
            ),
            models.UniqueConstraint(
                fields=["series", "holder_digest"], condition=Q(kind=CertificateKind.COURSE) & ~Q(holder_digest=""),
                name="certificate_one_course_per_holder",
            ),
            models.CheckConstraint(
                condition=(Q(kind=CertificateKind.SESSION) & Q(session__isnull=False))
                | (Q(kind=CertificateKind.COURSE) & Q(session__isnull=True)),
                name="certificate_session_only_for_attendance",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("certificates:verify", kwargs={"code": self.code})

    @property
    def number(self) -> str:
        return f"{NUMBER_PREFIX}-{self.year}-{self.serial:05d}"


class CourseAttendance(models.Model):
    """That a person attended a session of a series, kept after the application's personal data is erased.

    The person is a keyed digest of their normalised email (HMAC with SECRET_KEY): it lets a later
    manage page of the same address count this session, and says nothing to anyone without the key.
    Written while the application still has its email (services.course_attendance_sync); deleted
    PERSONAL_DATA_RETENTION_DAYS after the series' last session (services.course_records_expire).
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+", verbose_name=_("series"))
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+", verbose_name=_("session"))
    holder_digest = models.CharField(_("holder digest"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("course attendance")
        verbose_name_plural = _("course attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "holder_digest"], name="course_attendance_once_per_session"),
        ]
        indexes = [models.Index(fields=["series", "holder_digest"], name="course_attendance_holder")]

    def __str__(self):
        return f"{self.session}: {self.holder_digest[:8]}…"


class CourseRecordSummary(models.Model):
    """How many people attended how many sessions of a series: a count kept when its course record is deleted.

    Written by services.course_records_expire just before the series' CourseAttendance rows go,
    so that the office's statistics (repeat participants) stay: figures, not people.
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+", verbose_name=_("series"))
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"))
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("course record summary")
        verbose_name_plural = _("course record summaries")
        constraints = [
            models.UniqueConstraint(fields=["series", "sessions_attended"], name="course_summary_once_per_count"),
        ]

    def __str__(self):
        return f"{self.series}: {self.sessions_attended} → {self.people}"
