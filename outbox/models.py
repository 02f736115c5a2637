"""The mail outbox: one row per mail, written in the transaction of the event that causes it.

The outbox knows nothing of applications or sessions. A row holds the mail as it
will be sent (recipient, subject, bodies, attachments), a key that makes adding
it idempotent, and a generic reference to what caused it, so the app that wrote
it can list, erase or skip its rows.
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    # Claimed by a worker until `claimed_until`; back to pending (or sent again) if the worker died.
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # No longer applies (e.g. a confirmation after a cancellation, or the personal data was erased).
    SKIPPED = "skipped", _("Not sent (no longer applies)")


class Message(models.Model):
    """One mail to one address."""

    key = models.CharField(
        _("key"), max_length=200, unique=True, help_text=_("Adding a mail with a key that exists adds nothing.")
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("about (type)")
    )
    object_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    resend_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends", verbose_name=_("resend of")
    )
    to_email = models.EmailField(_("to"), blank=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text body"), blank=True)
    body_html = models.TextField(_("HTML body"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content": text}]: small text files such as a calendar (.ics).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The sender's own notes on this mail (what it was rendered from, to render it again); never read here.
    data = models.JSONField(_("data"), default=dict, blank=True)
    message_id = models.CharField(_("message ID"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mail outbox")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_message_due"),
            models.Index(fields=["content_type", "object_id"], name="outbox_message_about"),
        ]

    def __str__(self):
        return self.subject or self.key
