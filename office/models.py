"""The office's records: private notes on applications, announcements to applicants, lottery draws."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Application
from registrations.validators import validate_multi_line, validate_single_line
from seminars.models import Session

from .enums import Audience


class Note(models.Model):
    """A private note of the office on an application: never shown, mailed or exported to the applicant.

    Deleted with the applicant's personal data (registrations/retention.py, through its signal).
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="office_notes", verbose_name=_("application")
    )
    text = models.TextField(_("note"), max_length=2000, validators=[validate_multi_line])
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["written_at", "pk"]

    def __str__(self):
        # The reference and the time: no note text in Django's admin log.
        return f"{self.application} {timezone.localtime(self.written_at):%Y-%m-%d %H:%M}"


class Announcement(models.Model):
    """A message of the office to an audience of one session's applicants, each in their language, once each.

    Written (and previewed) first, then sent once: each recipient's mail is an outbox
    row keyed by (announcement, application), so a second press adds nothing.
    """

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="announcements", verbose_name=_("session")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.CONFIRMED)
    subject_ja = models.CharField(_("subject (Japanese)"), max_length=200, validators=[validate_single_line])
    body_ja = models.TextField(_("message (Japanese)"), max_length=5000, validators=[validate_multi_line])
    subject_en = models.CharField(_("subject (English)"), max_length=200, validators=[validate_single_line])
    body_en = models.TextField(_("message (English)"), max_length=5000, validators=[validate_multi_line])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject_ja or self.subject_en

    def subject_and_body(self, language: str) -> tuple[str, str]:
        """Return the subject and message in `language` ("ja" or "en")."""
        if language == "en":
            return self.subject_en, self.body_en
        return self.subject_ja, self.body_ja


class Draw(models.Model):
    """The lottery of one session: run once, reproducible from its seed and the list of applications.

    `order` is the ids of the applications that awaited the draw, in drawn order:
    registrations.lottery.draw_order(sorted ids, seed) gives it again.
    """

    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="draw", verbose_name=_("session")
    )
    seed = models.CharField(_("seed"), max_length=64)
    order = models.JSONField(_("drawn order (application ids)"), default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("run by")
    )
    run_at = models.DateTimeField(_("run at"), default=timezone.now)
    confirmed = models.PositiveIntegerField(_("confirmed"), default=0)
    waitlisted = models.PositiveIntegerField(_("on the waiting list"), default=0)
    not_drawn = models.PositiveIntegerField(_("not drawn"), default=0)
    results_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("results mail sent by"),
    )
    results_sent_at = models.DateTimeField(_("results mail sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["-run_at"]

    def __str__(self):
        return str(self.session)


class PostalContact(models.Model):
    """How the office reaches someone who applied by phone, fax or paper without an email address.

    What the portal would mail them goes as a printed letter (office/letters.py) to this address or
    FAX number instead. Deleted with the applicant's personal data (registrations.signals.personal_data_erased).
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="postal_contact", verbose_name=_("application")
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True, validators=[validate_single_line])
    postal_address = models.TextField(
        _("postal address"), max_length=300, blank=True, validators=[validate_multi_line],
        help_text=_("As it goes on the envelope: prefecture, city, street, building, organisation's floor."),
    )
    fax = models.CharField(_("FAX number"), max_length=20, blank=True, validators=[validate_single_line])

    class Meta:
        verbose_name = _("postal or FAX contact")
        verbose_name_plural = _("postal or FAX contacts")

    def __str__(self):
        return str(self.application)


class LetterSent(models.Model):
    """A letter the office printed and sent by post or FAX instead of a mail: each (application, kind, key) once.

    `kind` and `key` are those of the mail it stands for (registrations.enums.MailKind,
    registrations.notifications.mail_key): the confirmation of a session, a change or cancellation
    by its audit entry. What is still to send is derived (office/letters.py); this records what went.
    """

    class How(models.TextChoices):
        POST = "post", _("By post")
        FAX = "fax", _("By FAX")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="letters_sent", verbose_name=_("application")
    )
    kind = models.CharField(_("letter"), max_length=20)
    key = models.CharField(_("key"), max_length=100, blank=True)
    how = models.CharField(_("sent"), max_length=10, choices=How.choices, default=How.POST)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("letter sent")
        verbose_name_plural = _("letters to send by post or FAX")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "key"], name="letter_once_per_application_kind_key"),
        ]

    def __str__(self):
        return f"{self.application} {self.kind}"
