"""What was sent and who changed what: the read-only inlines of an application in the admin.

The mail inline lists the outbox's rows for the application; the audit inline shows its trail
in people's words (`audit_changes_lines`). registrations/admin.py puts both on the change page.
"""
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.admin_read_only import ReadOnlyAdminMixin
from outbox.admin import html_preview_link
from outbox.models import Message

from . import admin_attendance
from .enums import MailKind
from .models import Application, AuditEntry


class ReadOnly(ReadOnlyAdminMixin):
    """A record kept as it happened: shown in the application, never added, edited or deleted there."""

    extra = 0
    can_delete = False


class MailInline(ReadOnly, GenericTabularInline):
    """Every mail of the application: what, its state, when, how many tries, why it failed."""

    model = Message
    fields = ("kind_label", "status", "created_at", "sent_at", "attempts", "last_error", "what_was_sent", "html")
    readonly_fields = fields
    show_change_link = False
    ordering = ("created_at", "pk")

    @admin.display(description=_("kind"))
    def kind_label(self, obj):
        return MailKind(obj.kind).label if obj.kind in MailKind.values else obj.kind

    @admin.display(description=_("what was sent"))
    def what_was_sent(self, obj):
        url = reverse("admin:outbox_message_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.subject or "–")

    @admin.display(description=_("HTML body"))
    def html(self, obj):
        return html_preview_link(obj)


ACTION_LABELS = {
    "apply": _("Applied"),
    "cancel": _("Cancelled"),
    "promote": _("Moved up from the waiting list"),
    "move": _("Moved to another session"),
    "update": _("Details corrected"),
    "resend": _("Mail sent again"),
    "manage_link_resend": _("Private link sent again (on applying twice)"),
    "personal_data_erased": _("Personal data erased"),
    "attendance": _("Attendance recorded"),
}
ACTOR_LABELS = {"applicant": _("The applicant"), "system": _("The portal (automatic)")}
# Kept in the trail for the record, shown through their labels instead.
_CHANGES_NOT_SHOWN = {"session", "resend_of", "new_mail"}


def _value_label(name: str, value) -> str:
    """Return a stored value as people read it: a choice's label, Yes/No, or – when empty."""
    attendance = admin_attendance.change_value_label(name, value)
    if attendance is not None:
        return attendance
    if name == "mail" and value in MailKind.values:
        return str(MailKind(value).label)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    try:
        field = Application._meta.get_field(name)
    except FieldDoesNotExist:  # a field no longer on the model: shown as stored
        return str(value)
    return str(dict(field.flatchoices).get(value, value)) if field.flatchoices else str(value)


def _field_label(name: str) -> str:
    if name == "session_label":
        name = "session"
    if name == "mail":
        return capfirst(gettext("mail"))
    if name in admin_attendance.CHANGE_LABELS:
        return str(admin_attendance.CHANGE_LABELS[name])
    try:
        return capfirst(Application._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def audit_changes_lines(changes: dict) -> list[str]:
    """Return the changes of an audit entry as lines such as "Status: Waiting list → Confirmed"."""
    lines = []
    for name, value in changes.items():
        if name in _CHANGES_NOT_SHOWN:
            continue
        if name == "session_label":
            shown = [str(part) for part in value]
        elif isinstance(value, list):
            shown = [_value_label(name, part) for part in value]
        else:
            shown = [_value_label(name, value)]
        lines.append(gettext("%(field)s: %(change)s") % {"field": _field_label(name), "change": " → ".join(shown)})
    return lines


class AuditEntryInline(ReadOnly, admin.TabularInline):
    """The audit trail: who changed the application, when, what and why, in people's words."""

    model = AuditEntry
    fields = ("at", "actor_shown", "action_shown", "reason", "changes_shown")
    readonly_fields = fields
    ordering = ("at", "pk")

    @admin.display(description=_("by"))
    def actor_shown(self, entry):
        return ACTOR_LABELS.get(entry.actor_label, entry.actor_label)

    @admin.display(description=_("action"))
    def action_shown(self, entry):
        return ACTION_LABELS.get(entry.action, entry.action)

    @admin.display(description=_("changes"))
    def changes_shown(self, entry):
        lines = audit_changes_lines(entry.changes or {})
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "–"
