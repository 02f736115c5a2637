"""The office's view of the outbox: what went out, to whom and when, and why something failed."""
from csp.decorators import csp_exempt
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .kinds import kind_choices, kind_label
from .models import Message


def html_preview_link(message: Message):
    """Return a link to the mail's HTML version, shown in a page of its own, or "–"."""
    if not message.body_html:
        return "–"
    url = reverse("admin:outbox_message_html", args=[message.pk])
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the HTML version"))


class KindFilter(admin.SimpleListFilter):
    """The kinds of mail by their names (outbox.kinds), not their codes."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only. Sending a mail again is done from what caused it (e.g. the application), which renders it afresh."""

    list_display = ("subject", "kind_name", "status", "to_email", "created_at", "sent_at", "attempts")
    list_filter = ("status", KindFilter)
    search_fields = ("to_email", "subject", "key")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("key", "kind_name", "status", "to_email", "reply_to", "resend_of")}),
        (_("Delivery"), {"fields": ("created_at", "next_attempt_at", "sent_at", "attempts", "last_error",
                                    "message_id")}),
        (_("What was sent"), {"fields": ("subject", "body_text", "html_preview", "attachment_names")}),
    )

    class Media:
        css = {"all": ["css/office-admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, obj):
        return kind_label(obj.kind)

    @admin.display(description=_("HTML body"))
    def html_preview(self, obj):
        return html_preview_link(obj)

    @admin.display(description=_("attachments"))
    def attachment_names(self, obj):
        return ", ".join(attachment["filename"] for attachment in obj.attachments) or "–"

    def get_urls(self):
        html = path("<int:pk>/html/", self.admin_site.admin_view(self.html_view), name="outbox_message_html")
        return [html, *super().get_urls()]

    def html_view(self, request, pk):
        """Show the HTML mail as the recipient saw it, in a page of its own that can run nothing.

        Mail HTML carries inline styles (mail clients need them), which the portal's own CSP
        forbids; this one response gets a policy of its own: a sandbox, styles and images only.
        """
        message = get_object_or_404(Message, pk=pk)
        if not self.has_view_permission(request, message):
            raise PermissionDenied
        response = csp_exempt()(lambda: HttpResponse(message.body_html))()
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
        return response
