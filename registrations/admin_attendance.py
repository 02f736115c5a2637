"""The office's attendance pages in the admin: import a report, the result, the venue's check-in page and list.

The session's admin (seminars/admin.py) routes its URLs here and shows
`attendance_block`; the applications' admin (registrations/admin.py) takes the
list column, filter and "mark" actions from here. Every write goes through
registrations.attendance. Reading takes the application's view permission,
writing its change permission (the office holds both).
"""
import unicodedata

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from seminars.models import Session

from .attendance import (
    UNMATCHED_WHY,
    AttendanceRefused,
    attendance_check_in,
    attendance_import,
    attendance_mark,
    import_summary,
)
from .attendance_reports import REPORT_FORMATS
from .enums import ApplicationStatus, Attendance, AttendanceSource, AttendanceStatus
from .models import Application, AttendanceImport
from .references import reference_display

NOT_RECORDED = "none"
# The words of an attendance change in the audit trail (registrations/admin_inlines.py shows them).
CHANGE_LABELS = {
    "attendance_status": _("Attendance"),
    "minutes_attended": _("Minutes attended"),
    "attendance_source": _("Recorded from"),
    "attendee_report": _("Attendee report"),
}


def change_value_label(name: str, value) -> str | None:
    """Return a value of an attendance change as people read it, or None when `name` is not one of ours."""
    if name not in CHANGE_LABELS:
        return None
    if value is None or value == "":
        return gettext("not recorded") if name == "attendance_status" else "–"
    choices = {"attendance_status": AttendanceStatus, "attendance_source": AttendanceSource}.get(name)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)


# --- counts ---


def session_counts_annotations() -> dict:
    """Return annotations for a Session queryset: applied, confirmed, attended, absent (one query for a list)."""
    record = "applications__attendance_record__status"
    active = ~Q(applications__status=ApplicationStatus.CANCELLED)
    return {
        "applied_count": Count("applications", filter=active),
        "attended_count": Count("applications", filter=active & Q(**{record: AttendanceStatus.ATTENDED})),
        "absent_count": Count("applications", filter=active & Q(**{record: AttendanceStatus.ABSENT})),
    }


def session_attendance_counts(session: Session) -> dict:
    """Return the session's applied / confirmed / attended / absent / not recorded counts and the rate (one query)."""
    counts = Application.objects.filter(session=session).exclude(status=ApplicationStatus.CANCELLED).aggregate(
        applied=Count("pk"),
        confirmed=Count("pk", filter=Q(status=ApplicationStatus.CONFIRMED)),
        attended=Count("pk", filter=Q(attendance_record__status=AttendanceStatus.ATTENDED)),
        absent=Count("pk", filter=Q(attendance_record__status=AttendanceStatus.ABSENT)),
        not_recorded=Count("pk", filter=Q(status=ApplicationStatus.CONFIRMED, attendance_record__isnull=True)),
    )
    counts["rate"] = attendance_rate(counts["attended"], counts["confirmed"])
    return counts


def attendance_rate(attended: int, confirmed: int) -> str:
    """Return attended / confirmed as a percentage for people ("75%"), or "–" when nobody was confirmed."""
    return f"{round(100 * attended / confirmed)}%" if confirmed else "–"


def attendance_block(session: Session) -> str:
    """Return the HTML of the "Attendance" block on the session's change page."""
    if session.pk is None:
        return gettext("Shown once the session is saved.")
    return render_to_string("admin/seminars/session/_attendance_block.html", {
        "session": session,
        "counts": session_attendance_counts(session),
        "latest": session.attendance_imports.select_related("imported_by").first(),
        "has_venue": session.format != "online",
    })


# --- forms ---


class ReportForm(forms.Form):
    report = forms.FileField(
        label=_("Attendee report (CSV)"),
        help_text=_("Zoom's webinar attendee report or participants export (English or Japanese), or a CSV with an "
                    "email column and minutes or join and leave times; UTF-8 or Shift_JIS."),
    )

    def clean_report(self):
        report = self.cleaned_data["report"]
        if report.size > settings.ATTENDANCE_REPORT_MAX_BYTES:
            raise forms.ValidationError(_(
                "The file is larger than %(limit)s; an attendee report is much smaller (a 5,000-person Zoom report "
                "is about 1 MB). Is it the right file?"
            ) % {"limit": filesizeformat(settings.ATTENDANCE_REPORT_MAX_BYTES)})
        return report


class CheckInForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "class": "vTextField",
                                      "inputmode": "latin", "autocapitalize": "characters"}),
        help_text=_("As on the applicant's confirmation, e.g. ABCD-EFGH; with or without the hyphen."),
    )


# --- pages of a session ---


def _session_for(request, object_id, permission: str) -> Session:
    if not request.user.has_perm(f"registrations.{permission}_application"):
        raise PermissionDenied
    return get_object_or_404(Session.objects.select_related("series"), pk=object_id)


def _context(model_admin, request, session: Session, title: str, **extra) -> dict:
    request.current_app = model_admin.admin_site.name
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": session,
        "session": session,
        "title": title,
        "media": model_admin.media,
        **extra,
    }


def import_view(model_admin, request, object_id):
    """Upload an attendee report for the session (POST/redirect/GET to its result)."""
    session = _session_for(request, object_id, "change")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            result = attendance_import(session=session, file=upload.file, filename=upload.name, by=request.user)
        except AttendanceRefused as refusal:
            form.add_error("report", refusal.message)
        else:
            if result.unchanged:
                messages.info(request, gettext(
                    "This file was already imported for this session; nothing was changed."))
            else:
                messages.success(request, import_summary(result))
            return HttpResponseRedirect(reverse(
                "admin:seminars_session_attendance_result", args=[session.pk, result.attendance_import.pk]
            ))
    imports = session.attendance_imports.select_related("imported_by")[:10]
    return TemplateResponse(request, "admin/seminars/session/attendance_import.html", _context(
        model_admin, request, session, gettext("Import an attendee report"), form=form, imports=imports,
        threshold=session.attended_min_minutes, length=session.length_minutes,
    ))


def import_result_view(model_admin, request, object_id, import_id):
    """Show one import of the session: what was read and matched, and the rows the office must look at."""
    session = _session_for(request, object_id, "view")
    attendance_import_row = get_object_or_404(AttendanceImport, pk=import_id, session=session)
    unmatched = [
        {**row, "why_label": UNMATCHED_WHY.get(row.get("why"), row.get("why"))}
        for row in attendance_import_row.unmatched
    ]
    latest = session.attendance_imports.first()
    return TemplateResponse(request, "admin/seminars/session/attendance_import_result.html", _context(
        model_admin, request, session, gettext("Attendee report imported"), attendance_import=attendance_import_row,
        format_label=REPORT_FORMATS.get(attendance_import_row.report_format, attendance_import_row.report_format),
        unmatched=unmatched, is_latest=latest == attendance_import_row,
        session_counts=session_attendance_counts(session),
    ))


def check_in_view(model_admin, request, object_id):
    """The venue's check-in: the office types or scans a reference; the page says who was checked in or why not."""
    session = _session_for(request, object_id, "change")
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance_check_in(session=session, reference=form.cleaned_data["reference"], by=request.user)
        except AttendanceRefused as refusal:
            messages.error(request, refusal.message)
        else:
            application = result.application
            values = {
                "reference": reference_display(application.reference), "name": application.name,
                "organisation": application.organisation,
                "at": f"{timezone.localtime(result.at):%H:%M}",
            }
            if result.already:
                messages.warning(request, gettext(
                    "%(reference)s %(name)s (%(organisation)s) was already checked in at %(at)s."
                ) % values)
            else:
                messages.success(request, gettext("Checked in: %(reference)s %(name)s (%(organisation)s).")
                                 % values)
        return HttpResponseRedirect(request.path)
    counts = Application.objects.filter(session=session, status=ApplicationStatus.CONFIRMED).aggregate(
        expected=Count("pk", filter=Q(attendance=Attendance.VENUE)),
        checked_in=Count("pk", filter=Q(attendance_record__source=AttendanceSource.CHECK_IN)),
    )
    return TemplateResponse(request, "admin/seminars/session/check_in.html", _context(
        model_admin, request, session, gettext("Check-in at the venue"), form=form, counts=counts,
    ))


def reading_key(application: Application) -> tuple:
    """Sort key of the check-in list: the reading (kana, as katakana after NFKC), then the name."""
    reading = unicodedata.normalize("NFKC", application.name_reading or "").replace(" ", "").replace("\u3000", "")
    reading = reading.translate({code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)})
    name = unicodedata.normalize("NFKC", application.name)
    return (reading or name, name, application.reference)


def check_in_list_pdf(session: Session) -> bytes:
    """Return the printable check-in list of the session's confirmed venue applicants as a PDF (A4, WeasyPrint)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only these pages need

    people = sorted(
        Application.objects.filter(session=session, status=ApplicationStatus.CONFIRMED, attendance=Attendance.VENUE)
        .only("reference", "name", "name_reading", "organisation", "department"),
        key=reading_key,
    )
    html = render_to_string("admin/seminars/session/check_in_list.html", {
        "session": session, "people": [(person, reference_display(person.reference)) for person in people],
        "printed_at": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()


def check_in_list_view(model_admin, request, object_id):
    session = _session_for(request, object_id, "view")
    response = HttpResponse(check_in_list_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="check-in-session-{session.number}.pdf"'
    return response


# --- the applications' list ---


class AttendanceFilter(admin.SimpleListFilter):
    title = _("attendance record")
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [*AttendanceStatus.choices, (NOT_RECORDED, _("Not recorded"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NOT_RECORDED:
            return queryset.filter(attendance_record__isnull=True)
        if value in AttendanceStatus.values:
            return queryset.filter(attendance_record__status=value)
        return queryset


def attendance_shown(application: Application) -> str:
    """Return the application's attendance for the list: "Attended (report, 90 min)", or "–" when not recorded."""
    try:
        record = application.attendance_record
    except ObjectDoesNotExist:
        return "–"
    source = AttendanceSource(record.source).label if record.source in AttendanceSource.values else record.source
    detail = gettext("%(source)s, %(minutes)d min") % {"source": source, "minutes": record.minutes} \
        if record.minutes is not None else str(source)
    by = record.recorded_by.get_username() if record.recorded_by_id and record.recorded_by else ""
    return format_html('<span title="{}">{} ({})</span>', by, record.get_status_display(), detail)


class AttendanceActions:
    """The applications' list column "attendance" and the actions "Mark attended" / "Mark absent"."""

    @admin.display(description=_("attendance"))
    def attendance_state(self, application):
        return attendance_shown(application)

    @admin.action(description=_("Mark attended (by the office)"), permissions=["change"])
    def mark_attended(self, request, queryset):
        mark_action(self, request, queryset, AttendanceStatus.ATTENDED)

    @admin.action(description=_("Mark absent (by the office)"), permissions=["change"])
    def mark_absent(self, request, queryset):
        mark_action(self, request, queryset, AttendanceStatus.ABSENT)


def mark_action(model_admin, request, queryset, status: str) -> None:
    """Record the selected applications as attended or absent, by the office user, and say what happened."""
    result = attendance_mark(applications=list(queryset), status=status, by=request.user)
    for application, why in result.refused:
        model_admin.message_user(request, gettext("%(reference)s: %(reason)s") % {
            "reference": reference_display(application.reference), "reason": why}, messages.ERROR)
    label = AttendanceStatus(status).label
    if result.changed:
        model_admin.message_user(request, ngettext(
            "Recorded %(count)d application as “%(status)s”.",
            "Recorded %(count)d applications as “%(status)s”.", result.changed,
        ) % {"count": result.changed, "status": label}, messages.SUCCESS)
    if result.unchanged:
        model_admin.message_user(request, ngettext(
            "%(count)d application was already recorded so by the office.",
            "%(count)d applications were already recorded so by the office.", result.unchanged,
        ) % {"count": result.unchanged}, messages.INFO)

