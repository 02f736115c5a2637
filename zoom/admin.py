"""The office's view of Zoom: each application's registration (waiting since, tries, Zoom's last answer, the next
try; "Try again now") and the "Fetch attendance from Zoom" page of a session (linked from its attendance block).

The office group holds the view permissions of both lists and zoom.change_zoomregistration, which here means
only "may try again": the rows themselves are never edited by hand."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.admin_read_only import ReadOnlyAdminMixin
from registrations.attendance import UNMATCHED_WHY
from seminars.models import Session

from .attendance import attendance_fetch_request
from .client import zoom_configured
from .models import AttendanceFetch, ZoomRegistration
from .services import registrations_retry


@admin.register(ZoomRegistration)
class ZoomRegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "session_label", "state", "waiting_since", "attempts", "last_error",
                    "next_attempt_at", "registered_at", "fallback_at", "cancelled_at")
    list_filter = ("state", "application__session", ("fallback_at", admin.EmptyFieldListFilter))
    list_select_related = ("application__session",)
    search_fields = ("application__reference", "webinar_id")
    fields = ("application", "webinar_id", "state", "waiting_since", "attempts", "last_attempt_at",
              "next_attempt_at", "last_error", "registered_at", "fallback_at", "cancelled_at")
    readonly_fields = fields
    actions = ["retry"]

    # Rows are the portal's record of what it asked Zoom: nobody adds, edits or deletes them by hand
    # (ReadOnlyAdminMixin); the office may only ask for another try.
    def has_retry_permission(self, request):
        return request.user.has_perm("zoom.change_zoomregistration")

    @admin.action(description=_("Try again now"), permissions=["retry"])
    def retry(self, request, queryset):
        """Queue the chosen registrations (waiting, refused, or a cancellation waiting) for another try at once."""
        count = registrations_retry(registration_ids=list(queryset.values_list("pk", flat=True)))
        if count:
            self.message_user(request, ngettext(
                "%(count)d registration will be tried again in a moment; reload the list to see Zoom's answer.",
                "%(count)d registrations will be tried again in a moment; reload the list to see Zoom's answer.",
                count) % {"count": count}, messages.SUCCESS)
        else:
            self.message_user(request, gettext(
                "None of the chosen registrations waits for Zoom: registered, cancelled and dropped ones have "
                "nothing to try again."), messages.WARNING)

    @admin.display(description=_("session"), ordering="application__session__starts_at")
    def session_label(self, registration):
        return registration.application.session

    def get_urls(self):
        return [
            path("session/<int:session_id>/attendance/", self.admin_site.admin_view(self.attendance_view),
                 name="zoom_attendance_fetch"),
            *super().get_urls(),
        ]

    def attendance_view(self, request, session_id):
        """The session's fetches from Zoom with their counts and unmatched rows; POST queues a new fetch."""
        if not request.user.has_perm("registrations.change_application"):
            raise PermissionDenied
        session = get_object_or_404(Session.objects.select_related("series"), pk=session_id)
        page = reverse("admin:zoom_attendance_fetch", args=[session.pk])
        if request.method == "POST":
            if not (session.zoom_webinar_id and zoom_configured()):
                messages.error(request, gettext("This session has no Zoom webinar ID, or the portal has no Zoom "
                                                "settings: there is nothing to fetch."))
            else:
                attendance_fetch_request(session=session, by=request.user)
                messages.success(request, gettext("Fetching the attendance from Zoom. Reload this page in a moment "
                                                  "to see the result."))
            return HttpResponseRedirect(page)
        fetches = list(session.zoom_fetches.select_related("requested_by")[:10])
        for fetch in fetches:
            fetch.unmatched_rows = [{**row, "why_label": UNMATCHED_WHY.get(row.get("why"), row.get("why"))}
                                    for row in fetch.unmatched]
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/zoom/attendance_fetch.html", {
            **self.admin_site.each_context(request),
            "opts": Session._meta,
            "title": gettext("Attendance from Zoom"),
            "session": session,
            "fetches": fetches,
            "can_fetch": bool(session.zoom_webinar_id and zoom_configured()),
        })


@admin.register(AttendanceFetch)
class AttendanceFetchAdmin(admin.ModelAdmin):
    list_display = ("session", "requested_at", "requested_by", "state", "rows", "matched", "attended", "absent",
                    "left_out", "kept", "error")
    list_filter = ("state", "session")
    list_select_related = ("session", "requested_by")
    exclude = ("unmatched",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
