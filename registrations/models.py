"""Applications to sessions and their audit trail (their mail lives in the outbox app)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seminars.models import Session

from .enums import (
    ApplicationOrigin,
    ApplicationStatus,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Industry,
    OrganisationSize,
    Prefecture,
)
from .references import reference_display
from .validators import validate_multi_line, validate_single_line


class Application(models.Model):
    """One applicant's application to one session. Never deleted: a cancellation is a status."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    # Random secret behind the applicant's signed manage link; not derivable from the reference.
    manage_secret = models.CharField(max_length=64, unique=True, editable=False)
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="applications", verbose_name=_("session")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.CONFIRMED
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    name_reading = models.CharField(
        _("name reading (kana)"), max_length=100, blank=True, validators=[validate_single_line]
    )
    # Empty only for an application the office entered for someone without an address (phone, fax, paper):
    # such a person gets no mail; the office prints the receipt (office app).
    email = models.EmailField(_("email"), max_length=254, blank=True, validators=[validate_single_line])
    organisation = models.CharField(_("organisation"), max_length=200, validators=[validate_single_line])
    department = models.CharField(_("department"), max_length=200, blank=True, validators=[validate_single_line])
    position = models.CharField(_("position"), max_length=100, blank=True, validators=[validate_single_line])
    industry = models.CharField(_("industry"), max_length=40, choices=Industry.choices)
    organisation_size = models.CharField(_("organisation size"), max_length=20, choices=OrganisationSize.choices)
    prefecture = models.CharField(_("prefecture of the workplace"), max_length=2, choices=Prefecture.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_single_line])
    attendance = models.CharField(
        _("how you will attend"), max_length=20, choices=Attendance.choices, default=Attendance.ONLINE
    )
    question = models.TextField(
        _("question for the speakers"), max_length=1000, blank=True, validators=[validate_multi_line]
    )
    origin = models.CharField(
        _("received by"), max_length=10, choices=ApplicationOrigin.choices, default=ApplicationOrigin.WEB
    )
    consented_at = models.DateTimeField(_("privacy notice accepted at"))
    # For an application the office entered (phone, fax, paper): the office user who recorded the consent.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("consent recorded by"),
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="ja")
    created_at = models.DateTimeField(_("applied at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=150, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True, validators=[validate_multi_line])
    promoted_at = models.DateTimeField(_("promoted from the waiting list at"), null=True, blank=True)
    # A lottery session's draw (registrations.lottery): the application's place in the drawn order,
    # which its waiting list follows; empty for applications that were never drawn.
    draw_position = models.PositiveIntegerField(_("position in the draw"), null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    # Set when applying; the worker writes the receipt and clears it (registrations.notifications.receipts_write),
    # so the applicant's request never renders mail.
    receipt_due = models.BooleanField(_("receipt still to be written"), default=False, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "session",
                condition=~Q(status=ApplicationStatus.CANCELLED) & ~Q(email=""),
                name="application_one_active_per_email_and_session",
                violation_error_message=_("An application with this email address already exists for this session."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"], name="application_session_queue"),
            models.Index(fields=["id"], condition=Q(receipt_due=True), name="application_receipt_due"),
        ]
        # Sending a mail again renders it afresh; the office may do that without any other write access.
        permissions = [("resend_mail", _("Can send a mail again"))]

    def __str__(self):
        # The reference alone: this text is copied into Django's admin log, which must hold no personal data.
        return reference_display(self.reference)

    @property
    def is_active(self) -> bool:
        """Whether the application still stands: not cancelled, and its personal data not erased."""
        return self.status != ApplicationStatus.CANCELLED and self.personal_data_erased_at is None


class AuditEntry(models.Model):
    """Who changed an application, when, what and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("application")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office user"),
    )
    actor_label = models.CharField(
        _("by"), max_length=150, help_text=_("The office user's name, 'applicant' or 'system'.")
    )
    action = models.CharField(_("action"), max_length=40)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_label}: {self.action}"


class AttendanceImport(models.Model):
    """One attendee report the office imported for a session; a corrected file replaces the earlier one."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendance_imports", verbose_name=_("session")
    )
    sha256 = models.CharField(_("file digest (SHA-256)"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    report_format = models.CharField(_("report format"), max_length=40)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("office user"),
    )
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    # What recording it did, as at the import (later marks by hand do not change these); they add up:
    # matched + not_in_report = attended + absent + kept (registrations.attendance.Recorded).
    matched = models.PositiveIntegerField(_("people matched"), default=0)
    not_in_report = models.PositiveIntegerField(_("confirmed applicants not in the report"), default=0)
    attended = models.PositiveIntegerField(_("recorded attended"), default=0)
    absent = models.PositiveIntegerField(_("recorded absent"), default=0)
    absent_not_in_report = models.PositiveIntegerField(_("recorded absent, not in the report"), default=0)
    kept = models.PositiveIntegerField(_("kept (recorded by the office or at the door)"), default=0)
    # Rows the office must look at: [{"line": n, "email": ..., "name": ..., "why": ...}]. Personal data:
    # emptied with the session's other personal data (registrations/retention.py).
    unmatched = models.JSONField(_("rows not matched"), default=list, blank=True)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({timezone.localtime(self.imported_at):%Y-%m-%d %H:%M})"


class AttendanceRecord(models.Model):
    """Whether one application's person attended its session, for how long, and where that came from."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="attendance_record",
        verbose_name=_("application"),
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    minutes = models.PositiveIntegerField(_("minutes attended"), null=True, blank=True)
    source = models.CharField(_("recorded from"), max_length=20, choices=AttendanceSource.choices)
    source_import = models.ForeignKey(
        AttendanceImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="records",
        verbose_name=_("attendee report"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("office user"),
    )

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self):
        return f"{self.application}: {self.get_status_display()}"
