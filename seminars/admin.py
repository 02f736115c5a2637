from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from office import admin_views as office_admin_views
from registrations import admin_attendance, admin_follow_up
from registrations.admin_exports import EXPORT_FORMATS, export_response
from registrations.enums import ApplicationStatus
from registrations.models import Application
from registrations.notifications import confirmation_preview_render
from registrations.office_changes import session_publish_archive_with_mail
from speakers.models import Appearance

from .models import Material, Series, Session, Topic
from .services import ArchiveRefused, SeriesCopyRefused, series_copy_to_next_year, session_unpublish_archive
from .video import video_validate


@admin.register(Series)
class SeriesAdmin(TranslationAdmin):
    list_display = ["title", "year_label", "session_count", "contact_email"]
    prepopulated_fields = {"slug": ["title_en"]}
    fields = ["title", "slug", "fiscal_year", "overview", "audience", "fee_note", "application_rule",
              "contact_email", "completion_min_sessions"]
    actions = ["copy_to_next_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def year_label(self, series):
        return series.year_label

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, series):
        return series.session_count

    @admin.action(description=_("Copy the selected series to the next fiscal year…"), permissions=["change"])
    def copy_to_next_year(self, request, queryset):
        """Ask first (a page listing what is copied and what is not); on "Yes", copy each series."""
        if not request.user.has_perm("seminars.add_session"):
            raise PermissionDenied
        if request.POST.get("confirmed") != "yes":
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/seminars/series/copy_confirm.html", {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Copy to the next fiscal year?"),
                "series_list": queryset,  # with session_count (get_queryset)
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        for series in queryset:
            try:
                copy = series_copy_to_next_year(series=series, by=request.user)
            except SeriesCopyRefused as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                self.message_user(request, gettext(
                    "%(series)s was copied to %(year)s with %(count)d sessions, a year later each: check their "
                    "dates and application periods, then the speakers."
                ) % {"series": series.title, "year": copy.year_label, "count": copy.sessions.count()},
                    messages.SUCCESS)
        return None


class TopicInline(TranslationTabularInline):
    model = Topic
    fields = ["order", "text", "parent"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A sub-item hangs under a topic of the same session.
        if db_field.name == "parent":
            session_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Topic.objects.filter(session_id=session_id, parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AppearanceInline(TranslationTabularInline):
    model = Appearance
    fields = ["order", "speaker", "role", "organisation_note"]
    autocomplete_fields = ["speaker"]
    extra = 0


class MaterialInline(TranslationTabularInline):
    model = Material
    fields = ["order", "title", "description", "file", "original_filename", "url", "notice"]
    readonly_fields = ["original_filename"]
    extra = 0


@admin.register(Session)
class SessionAdmin(TranslationAdmin):
    list_display = ["number", "title", "starts_at", "applications_close_on", "state_label",
                    "confirmed_count", "waitlisted_count", "cancelled_count", "capacity_label",
                    "attended_count", "attendance_rate"]
    list_display_links = ["number", "title"]
    list_filter = ["series"]
    search_fields = ["title_ja", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = ["places_taken", "archive_published_at", "confirmation_preview", "attendance_summary"]
    inlines = [TopicInline, AppearanceInline, MaterialInline]
    actions = ["publish_archive", "unpublish_archive"]
    fieldsets = [
        (None, {"fields": ["series", "number", "level", "slug", "title", "overview"]}),
        (_("Date and applications"), {"fields": ["starts_at", "ends_at", "applications_open_on",
                                                  "applications_close_on", "capacity", "places_taken",
                                                  "waitlist_enabled", "allocation"]}),
        (_("Format and joining details (private)"), {"fields": ["format", "venue", "joining_url",
                                                                "zoom_webinar_id", "joining_instructions"]}),
        (_("Archive"), {
            "fields": ["archive_video_url", "archive_access", "archive_available_until", "archive_captions",
                       "archive_thumbnail", "archive_published_at"],
            "description": _("Save the video address, then publish the archive with the action "
                             "“Publish the archive” in the list of sessions."),
        }),
        (_("Attendance"), {"fields": ["attendance_min_share", "attendance_summary"]}),
        (_("Confirmation mail (preview)"), {
            "fields": ["confirmation_preview"],
            "classes": ["collapse"],
            "description": _("What confirmed applicants receive when the application period closes, shown "
                             "for a made-up applicant with the session as last saved."),
        }),
    ]

    class Media:
        css = {"all": ["css/office-admin.css"]}

    def save_model(self, request, obj, form, change):
        """Save the office's edit without writing `places_taken` back: applicants take places while the
        form is being saved, and the count read at the start of this request would undo theirs."""
        if not change:
            return super().save_model(request, obj, form, change)
        obj.save(update_fields=[field.name for field in obj._meta.concrete_fields
                                if not field.primary_key and field.name != "places_taken"])

    def get_urls(self):
        return [
            path("<path:object_id>/applicants/<str:file_format>/",
                 self.admin_site.admin_view(self.applicants_export_view), name="seminars_session_applicants"),
            *[path(f"<path:object_id>/attendance/{route}", self.admin_site.admin_view(
                lambda request, view=view, **kwargs: view(self, request, **kwargs)), name=f"seminars_session_{name}")
              for route, view, name in [
                  ("import/", admin_attendance.import_view, "attendance_import"),
                  ("import/<int:import_id>/", admin_attendance.import_result_view, "attendance_result"),
                  ("check-in/", admin_attendance.check_in_view, "check_in"),
                  ("check-in.pdf", admin_attendance.check_in_list_view, "check_in_list"),
                  ("follow-up/", admin_follow_up.follow_up_view, "follow_up"),
              ]],
            # The office's tools (office app): an application taken by phone, fax or paper; the lottery draw.
            *[path(f"<path:object_id>/office/{route}", self.admin_site.admin_view(
                lambda request, view=view, **kwargs: view(self, request, **kwargs)), name=f"seminars_session_{name}")
              for route, view, name in [
                  ("apply/", office_admin_views.enter_application_view, "office_apply"),
                  ("draw/", office_admin_views.draw_view, "office_draw"),
              ]],
            *super().get_urls(),
        ]

    def applicants_export_view(self, request, object_id, file_format):
        """Download every application of the session (all statuses), from the button on its page."""
        if file_format not in EXPORT_FORMATS:
            raise Http404
        if not request.user.has_perm("registrations.view_application"):
            raise PermissionDenied
        session = get_object_or_404(Session, pk=object_id)
        return export_response(
            request, Application.objects.filter(session=session), file_format,
            name=f"applicants-session-{session.number}", title=str(session),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_export_applicants"] = request.user.has_perm("registrations.view_application")
        extra_context["can_change_applications"] = request.user.has_perm("registrations.change_application")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        # The counts per status in the same query as the sessions: one query for the whole list.
        status = "applications__status"
        return super().get_queryset(request).annotate(
            confirmed_count=Count("applications", filter=Q(**{status: ApplicationStatus.CONFIRMED})),
            waitlisted_count=Count("applications", filter=Q(**{status: ApplicationStatus.WAITLISTED})),
            cancelled_count=Count("applications", filter=Q(**{status: ApplicationStatus.CANCELLED})),
            **admin_attendance.session_counts_annotations(),
        )

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, session):
        return session.confirmed_count

    @admin.display(description=_("waiting list"), ordering="waitlisted_count")
    def waitlisted_count(self, session):
        return session.waitlisted_count

    @admin.display(description=_("cancelled"), ordering="cancelled_count")
    def cancelled_count(self, session):
        return session.cancelled_count

    @admin.display(description=_("attended"), ordering="attended_count")
    def attended_count(self, session):
        return session.attended_count

    @admin.display(description=_("attendance rate"))
    def attendance_rate(self, session):
        return admin_attendance.attendance_rate(session.attended_count, session.confirmed_count)

    @admin.display(description=_("attendance"))
    def attendance_summary(self, session):
        return admin_attendance.attendance_block(session)

    @admin.display(description=_("capacity"), ordering="capacity")
    def capacity_label(self, session):
        return gettext("no limit") if session.capacity is None else session.capacity

    @admin.display(description=_("confirmation mail"))
    def confirmation_preview(self, session):
        if session.pk is None:
            return gettext("Shown once the session is saved.")
        message = confirmation_preview_render(session)
        return format_html(
            '<p class="office-preview-note"><strong>{}</strong></p>'
            '<p>{}: {}</p><pre class="office-mail-preview">{}</pre>',
            gettext("Preview: not sent to anyone. Name and links are placeholders."),
            gettext("Subject"), message["subject"], message["body_text"],
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A plain text field checked by video_validate alone, so a refused address gets our message
        # ("Enter a web address starting with https://") rather than the generic "Enter a valid URL".
        if db_field.name == "archive_video_url":
            return forms.CharField(
                label=db_field.verbose_name.capitalize(),
                help_text=db_field.help_text,
                max_length=db_field.max_length,
                required=False,
                validators=[video_validate],
                widget=forms.URLInput(attrs={"class": "vURLField"}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("state"))
    def state_label(self, session):
        return session.state(now=timezone.now()).label

    @admin.action(description=_("Publish the archive of the selected sessions"))
    def publish_archive(self, request, queryset):
        self._archive_action(request, queryset, session_publish_archive_with_mail,
                             lambda n: ngettext("Published the archive of %(count)d session.",
                                                "Published the archive of %(count)d sessions.", n))

    @admin.action(description=_("Unpublish the archive of the selected sessions"))
    def unpublish_archive(self, request, queryset):
        self._archive_action(request, queryset, session_unpublish_archive,
                             lambda n: ngettext("Unpublished the archive of %(count)d session.",
                                                "Unpublished the archive of %(count)d sessions.", n))

    def _archive_action(self, request, queryset, service, done_message):
        done = 0
        for session in queryset:
            try:
                service(session=session, by=request.user)
            except ArchiveRefused as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
