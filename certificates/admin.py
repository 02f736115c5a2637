"""The certificates issued, for the office to look one up by its number (read-only: certificates are never edited)."""
import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_read_only import ReadOnlyAdminMixin

from .models import NUMBER_PREFIX, Certificate

NUMBER = re.compile(rf"^\s*(?:{NUMBER_PREFIX}-)?(\d{{4}})-0*(\d+)\s*$", re.IGNORECASE)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "session", "series", "issued_on", "application"]
    list_filter = ["kind", "series", "issued_on"]
    list_select_related = ["session", "series", "application"]
    search_fields = ["code", "application__reference"]
    search_help_text = _("A certificate number (e.g. CH-2026-00012), its verification code or an application's "
                         "reference.")
    fields = ["number", "kind", "series", "session", "application", "issued_on", "issued_at", "code"]
    readonly_fields = fields

    @admin.display(description=_("number"), ordering="serial")
    def number(self, certificate):
        return certificate.number

    def get_search_results(self, request, queryset, search_term):
        match = NUMBER.match(search_term)
        if match:
            return queryset.filter(year=int(match[1]), serial=int(match[2])), False
        return super().get_search_results(request, queryset, search_term.replace("-", ""))
