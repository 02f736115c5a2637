"""The office's exports of applications: CSV that Japanese Excel opens as UTF-8, and XLSX (django-import-export)."""
import datetime as dt

import tablib
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Application
from .references import reference_display
from .validators import MULTI_LINE_REFUSED_RE

# A cell starting with one of these is a formula to Excel: applicants' text must never run as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Return the value as a cell shows it safely: never a formula, never a character the sheet cannot hold."""
    if not isinstance(value, str):
        return value
    # Forms and the model refuse these; a value stored before they did is shown with U+FFFD in their place,
    # not left to make the whole export fail (openpyxl raises on control characters).
    value = MULTI_LINE_REFUSED_RE.sub("\ufffd", value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


class ApplicationResource(resources.ModelResource):
    """The columns of the office's exports, with choices as their labels and times in Japan time."""

    reference = fields.Field(column_name=_("reference"))
    session = fields.Field(column_name=_("session"))
    status = fields.Field(column_name=_("status"))
    name = fields.Field(attribute="name", column_name=_("name"))
    name_reading = fields.Field(attribute="name_reading", column_name=_("name reading (kana)"))
    email = fields.Field(attribute="email", column_name=_("email"))
    organisation = fields.Field(attribute="organisation", column_name=_("organisation"))
    department = fields.Field(attribute="department", column_name=_("department"))
    position = fields.Field(attribute="position", column_name=_("position"))
    industry = fields.Field(column_name=_("industry"))
    organisation_size = fields.Field(column_name=_("organisation size"))
    prefecture = fields.Field(column_name=_("prefecture of the workplace"))
    phone = fields.Field(attribute="phone", column_name=_("phone"))
    attendance = fields.Field(column_name=_("how you will attend"))
    question = fields.Field(attribute="question", column_name=_("question for the speakers"))
    created_at = fields.Field(column_name=_("applied at"))
    cancelled_at = fields.Field(column_name=_("cancelled at"))
    cancel_reason = fields.Field(attribute="cancel_reason", column_name=_("reason for cancellation"))

    class Meta:
        model = Application
        fields = (
            "reference", "session", "status", "name", "name_reading", "email", "organisation", "department",
            "position", "industry", "organisation_size", "prefecture", "phone", "attendance", "question",
            "created_at", "cancelled_at", "cancel_reason",
        )
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        return [capfirst(header) for header in super().get_export_headers(selected_fields)]

    def dehydrate_reference(self, application):
        return reference_display(application.reference)

    def dehydrate_session(self, application):
        return str(application.session)

    def dehydrate_status(self, application):
        return str(application.get_status_display())

    def dehydrate_industry(self, application):
        return str(application.get_industry_display())

    def dehydrate_organisation_size(self, application):
        return str(application.get_organisation_size_display())

    def dehydrate_prefecture(self, application):
        return str(application.get_prefecture_display())

    def dehydrate_attendance(self, application):
        return str(application.get_attendance_display())

    def dehydrate_created_at(self, application):
        return _tokyo(application.created_at)

    def dehydrate_cancelled_at(self, application):
        return _tokyo(application.cancelled_at)


def _tokyo(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def applications_export(queryset, file_format: str) -> bytes:
    """Return the applications as a file for Excel: "csv" (UTF-8 with BOM, CRLF lines) or "xlsx"."""
    dataset = ApplicationResource().export(queryset=queryset.select_related("session"))
    safe = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        safe.append([_cell(value) for value in row])
    if file_format == "csv":
        # Japanese Excel reads a CSV without a byte-order mark as Shift_JIS; the csv module ends rows with CRLF.
        return ("\ufeff" + safe.export("csv")).encode("utf-8")
    return safe.export("xlsx")
