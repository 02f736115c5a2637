"""Downloads from the admin: the applications' exports and the formats every export offers.

Used by the applications' actions (registrations/admin_actions.py), the session's admin
(seminars/admin.py) and the questionnaires' admin (questionnaires/admin.py).
"""
from django.contrib import messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from .exports import CP932_REPLACEMENT, applications_csv, applications_xlsx

EXPORT_FORMATS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "csv-cp932": ("csv", "text/csv; charset=shift_jis"),
}


def export_response(request, queryset, file_format: str, *, name: str, title: str = "") -> HttpResponse:
    """Return the applications as a download (see download_response)."""
    return download_response(
        request, file_format, name=name,
        xlsx=lambda: applications_xlsx(queryset, title=title),
        csv=lambda encoding: applications_csv(queryset, encoding=encoding),
    )


def download_response(request, file_format: str, *, name: str, xlsx, csv) -> HttpResponse:
    """Return an export as a download named `name`-<time>.<extension>, in one of EXPORT_FORMATS.

    `xlsx()` returns the workbook's bytes; `csv(encoding)` returns a CSV export (content, replaced).
    In Shift_JIS, the office is told how many characters it could not hold.
    """
    extension, content_type = EXPORT_FORMATS[file_format]
    if file_format == "xlsx":
        content = xlsx()
    else:
        export = csv("cp932" if file_format == "csv-cp932" else "utf-8")
        content = export.content
        if export.replaced:
            messages.warning(request, ngettext(
                "%(count)d character cannot be written in Shift_JIS and was replaced with %(mark)s in the CSV; "
                "export as UTF-8 or XLSX to keep it.",
                "%(count)d characters cannot be written in Shift_JIS and were replaced with %(mark)s in the CSV; "
                "export as UTF-8 or XLSX to keep them.", export.replaced,
            ) % {"count": export.replaced, "mark": CP932_REPLACEMENT})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{extension}"'
    return response
