"""The statistics pages in the admin: one for the series, one per session, and the report to download.

They take the permission "office_stats.view_statistics", which the office group holds
(registrations/office_group.py); other staff get 403. The admin's index lists them under
"Statistics"; each session's change page links to its own.
"""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext

from config.admin_read_only import ReadOnlyAdminMixin
from seminars.models import Series, Session

from .charts import charts_for
from .models import SeriesStatistics
from .report import (
    REPORT_FORMATS,
    as_of,
    daily_table,
    figure_definitions,
    report_filename,
    report_pdf,
    report_xlsx,
)
from .selectors import series_latest, statistics_for_series, statistics_for_session

PERMISSION = "office_stats.view_statistics"


@admin.register(SeriesStatistics)
class StatisticsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Pages only: nothing is added, changed or deleted here."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            # The index's link: the series the office works on.
            path("", view(self.latest_view), name="office_stats_seriesstatistics_changelist"),
            path("<int:series_id>/", view(self.series_view), name="office_stats_series"),
            path("<int:series_id>/report.<str:file_format>", view(self.report_view), name="office_stats_report"),
            path("session/<int:session_id>/", view(self.session_view), name="office_stats_session"),
        ]

    def _allowed(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _context(self, request, statistics, title, **extra):
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "statistics": statistics,
            "charts": charts_for(statistics),
            "daily_table": daily_table(statistics),
            "as_of": as_of(statistics),
            "definitions": figure_definitions(),
            **extra,
        }

    def latest_view(self, request):
        self._allowed(request)
        series = series_latest()
        if series is None:
            raise Http404(gettext("There is no series yet."))
        return HttpResponseRedirect(reverse("admin:office_stats_series", args=[series.pk]))

    def series_view(self, request, series_id):
        """The series at a glance: every session's figures, applications over time, breakdowns, repeat participants."""
        self._allowed(request)
        series = get_object_or_404(Series, pk=series_id)
        statistics = statistics_for_series(series)
        other_series = Series.objects.exclude(pk=series.pk).order_by("-fiscal_year")
        return TemplateResponse(request, "admin/office_stats/series.html", self._context(
            request, statistics, gettext("Statistics: %(series)s") % {"series": series},
            other_series=other_series,
        ))

    def session_view(self, request, session_id):
        """One session's figures, applications over time and breakdowns."""
        self._allowed(request)
        session = get_object_or_404(Session.objects.select_related("series"), pk=session_id)
        statistics = statistics_for_session(session)
        return TemplateResponse(request, "admin/office_stats/session.html", self._context(
            request, statistics, gettext("Statistics: %(session)s") % {"session": session},
        ))

    def report_view(self, request, series_id, file_format):
        """Download the report to the council: XLSX (a sheet per table) or PDF (A4, a cover and the tables)."""
        self._allowed(request)
        if file_format not in REPORT_FORMATS:
            raise Http404
        series = get_object_or_404(Series, pk=series_id)
        now = timezone.now()
        statistics = statistics_for_series(series, now=now)
        body = report_xlsx(statistics) if file_format == "xlsx" else report_pdf(statistics)
        response = HttpResponse(body, content_type=REPORT_FORMATS[file_format])
        response["Content-Disposition"] = f'attachment; filename="{report_filename(statistics, file_format)}"'
        return response
