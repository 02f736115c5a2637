"""What the portal keeps about its dealings with Zoom: one registration per application and webinar, and fetches.

Everything Zoom issued for a person lives here, never on the application: the
registrant ID and the personal joining link. Registrations asks for the link
through `registrations.joining_links.personal_joining_urls`, which the zoom app
answers (zoom/receivers.py); the erasure blanks both (receivers.personal_data_erased).
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Application
from seminars.models import Session


class RegistrationState(models.TextChoices):
    WAITING = "waiting", _("Waiting for Zoom")
    REGISTERED = "registered", _("Registered")
    # Zoom refused the registration (e.g. an address it does not accept): the office must look.
    REFUSED = "refused", _("Refused by Zoom")
    CANCEL_WAITING = "cancel_waiting", _("Cancellation waiting for Zoom")
    CANCELLED = "cancelled", _("Cancelled in Zoom")
    # The application no longer needed it before Zoom registered anyone.
    DROPPED = "dropped", _("Not needed any more")


class ZoomRegistration(models.Model):
    """One application's registration as a registrant of one webinar: its state, tries and errors."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="zoom_registrations", verbose_name=_("application")
    )
    webinar_id = models.CharField(_("Zoom webinar ID"), max_length=30)
    state = models.CharField(_("state"), max_length=20, choices=RegistrationState.choices,
                             default=RegistrationState.WAITING)
    # Zoom's handle on the person in this webinar: cancelling needs it.
    registrant_id = models.CharField(_("Zoom registrant ID"), max_length=100, blank=True)
    # The personal joining link: a credential, theirs alone; given to the mail and the manage page only while
    # the registration is REGISTERED and the application confirmed for this webinar's session.
    join_url = models.URLField(_("personal Zoom joining link"), max_length=1000, blank=True)
    waiting_since = models.DateTimeField(_("waiting for Zoom since"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    # When the last add request went to Zoom: an add whose answer never came may still be served until a while after.
    add_sent_at = models.DateTimeField(_("add last sent at"), null=True, blank=True)
    # When the queued task is due; the sweep queues again a task that has not run long after this (lost).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Zoom's status and message, never a URL or an address.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # The confirmation went with the session's shared link: Zoom had not registered the person in time.
    fallback_at = models.DateTimeField(_("shared link sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled in Zoom at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zoom registration")
        verbose_name_plural = _("Zoom registrations")
        ordering = ["-waiting_since", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "webinar_id"], name="zoom_one_registration_per_webinar"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="zoom_registration_due")]

    def __str__(self):
        return f"{self.application} – {self.webinar_id}"


class FetchState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AttendanceFetch(models.Model):
    """One fetch of a session's attendance from Zoom's participants report, and what it recorded."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="zoom_fetches",
                                verbose_name=_("session"))
    webinar_id = models.CharField(_("Zoom webinar ID"), max_length=30)
    state = models.CharField(_("state"), max_length=20, choices=FetchState.choices, default=FetchState.QUEUED)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("office user"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    left_out = models.PositiveIntegerField(_("hosts and panelists left out"), default=0)
    matched = models.PositiveIntegerField(_("people matched"), default=0)
    attended = models.PositiveIntegerField(_("attended"), default=0)
    absent = models.PositiveIntegerField(_("absent"), default=0)
    kept = models.PositiveIntegerField(_("kept (recorded by the office or at the door)"), default=0)
    # [{"email": ..., "name": ..., "why": ...}]: personal data, emptied with the session's (zoom.tasks).
    unmatched = models.JSONField(_("rows not matched"), default=list, blank=True)

    class Meta:
        verbose_name = _("attendance fetch from Zoom")
        verbose_name_plural = _("attendance fetches from Zoom")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.session} – {timezone.localtime(self.requested_at):%Y-%m-%d %H:%M}"
