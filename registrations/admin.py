"""The office's view of applications and of every mail sent to each (a later issue extends it)."""
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Application, OutboxMessage
from .outbox import outbox_resend


class OutboxMessageInline(admin.TabularInline):
    """Every mail row of the application: what, its state, when, how many tries, why it failed."""

    model = OutboxMessage
    fk_name = "application"
    fields = ("kind", "status", "created_at", "sent_at", "attempts", "last_error", "what_was_sent")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("created_at", "pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what was sent"))
    def what_was_sent(self, obj):
        url = reverse("admin:registrations_outboxmessage_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.subject or _("(not rendered yet)"))


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "name", "organisation", "session", "status", "created_at")
    list_filter = ("status", "session")
    search_fields = ("reference", "name", "email", "organisation")
    list_select_related = ("session",)
    inlines = [OutboxMessageInline]

    # View only for now: changes go through the services (a later issue adds the office's actions).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what went out, to whom and when; the office can send a mail again as a new row."""

    list_display = ("subject", "kind", "status", "to_email", "created_at", "sent_at", "attempts")
    list_filter = ("status", "kind")
    search_fields = ("to_email", "subject", "application__reference")
    list_select_related = ("application",)
    date_hierarchy = "created_at"
    actions = ["resend"]
    fieldsets = (
        (None, {"fields": ("application", "kind", "status", "to_email", "resend_of")}),
        (
            _("Delivery"),
            {"fields": ("created_at", "next_attempt_at", "sent_at", "attempts", "last_error", "message_id")},
        ),
        (_("What was sent"), {"fields": ("subject", "body_text", "html_preview")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("HTML body"))
    def html_preview(self, obj):
        # Sandboxed frame: the office sees the HTML as the applicant did, without running anything.
        return format_html(
            '<iframe sandbox srcdoc="{}" style="width: 100%; height: 30em; border: 1px solid #ccc;"></iframe>',
            obj.body_html,
        )

    @admin.action(description=_("Send the selected mail again (as new mail)"))
    def resend(self, request, queryset):
        for message in queryset.select_related("application"):
            outbox_resend(message=message)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )
