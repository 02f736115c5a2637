"""The administrative office's admin for applications and their mail.

Every change goes through registrations.services, the same functions the public
side uses, and so leaves an audit entry and its mail rows: cancel on request,
move to another session and send a mail again are actions with a page that asks
for the reason; details are corrected in the change form (application_update).
The session and status are never written from a form.

The list's filters and search helpers are in admin_list, the mail and audit inlines in
admin_inlines, the actions in admin_actions (exports in admin_exports), the attendance
column and actions in admin_attendance.
"""
import re
import unicodedata

from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from office import admin_views as office_admin_views
from office.admin import NoteInline, PostalContactInline
from zoom.models import RegistrationState, ZoomRegistration

from . import admin_attendance
from .admin_actions import ApplicationActions
from .admin_forms import ApplicationChangeForm
from .admin_inlines import AuditEntryInline, MailInline
from .admin_list import (
    MailStateFilter,
    applications_with_mail_state,
    kana_to_hiragana,
    kana_to_katakana,
    names_matching,
)
from .enums import ApplicationStatus
from .models import Application
from .office_changes import OFFICE_EDITABLE_FIELDS, application_update
from .references import reference_display, reference_normalise
from .services import ApplicationRefused

# The admin names the portal, in the office's language, not "Django administration".
admin.site.site_header = _("Seminar portal: the office's administration")
admin.site.site_title = _("Seminar portal office")
admin.site.index_title = _("The office's work")

# A reference as the applicant reads it out: ABCD-EFGH, or with a space for the hyphen.
_REFERENCE_TYPED = re.compile(r"^\s*[A-Za-z0-9]{4}[-\s][A-Za-z0-9]{4}\s*$")


@admin.register(Application)
class ApplicationAdmin(ApplicationActions, admin_attendance.AttendanceActions, admin.ModelAdmin):
    form = ApplicationChangeForm
    list_display = (
        "reference_code", "session_label", "status", "name", "organisation", "email", "created_at", "origin",
        "mail_state", "attendance_state",
    )
    list_display_links = ("reference_code",)
    list_filter = ("session", "status", "origin", admin_attendance.AttendanceFilter, "industry", "prefecture",
                   "organisation_size", MailStateFilter)
    search_fields = ("reference", "name", "name_reading", "email", "organisation")
    search_help_text = _("Reference (with or without the hyphen), name, reading, email or organisation.")
    list_select_related = ("session", "attendance_record__recorded_by")
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["cancel_on_request", "move_to_session", "resend_mail", "mark_attended", "mark_absent", "export_xlsx",
               "export_csv", "export_csv_cp932"]
    # The office's private notes, and the links to write one and to print the receipt (office app).
    inlines = [MailInline, AuditEntryInline, PostalContactInline, NoteInline]
    fieldsets = (
        (None, {"fields": ("reference_code", "session", "status", "created_at", "language")}),
        (_("Applicant"), {"fields": OFFICE_EDITABLE_FIELDS}),
        (_("Your change"), {
            "fields": ("office_reason", "notify_applicant"),
            "description": _("To move or cancel the application, use the actions in the list of applications."),
        }),
        (_("Consent and history"), {"fields": (
            "origin", "consented_at", "consent_recorded_by", "privacy_notice_version", "promoted_at", "cancelled_at",
            "cancelled_by", "cancel_reason", "personal_data_erased_at", "updated_at",
        )}),
        (_("Zoom webinar"), {"fields": ("zoom_state",)}),
    )
    readonly_fields = (
        "reference_code", "session", "status", "created_at", "language", "origin", "consented_at",
        "consent_recorded_by", "privacy_notice_version", "promoted_at", "cancelled_at", "cancelled_by", "cancel_reason",
        "personal_data_erased_at", "updated_at",
        "zoom_state",
    )

    def get_queryset(self, request):
        return applications_with_mail_state(super().get_queryset(request))

    def get_urls(self):
        return [
            path("<path:object_id>/receipt.pdf", self.admin_site.admin_view(
                lambda request, object_id: office_admin_views.receipt_pdf_view(self, request, object_id)),
                name="registrations_application_receipt_pdf"),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only (cancelled, erased, or no permission): no change to explain.
            return [fieldset for fieldset in self.fieldsets if "office_reason" not in fieldset[1]["fields"]]
        return self.fieldsets

    def get_search_results(self, request, queryset, search_term):
        # The stored reading is NFKC-normalised: half-width ｶﾀｶﾅ and full-width letters typed here match it.
        search_term = unicodedata.normalize("NFKC", search_term)
        # "ABCD-EFGH" as the applicant reads it out finds the stored "ABCDEFGH".
        if _REFERENCE_TYPED.match(search_term):
            search_term = reference_normalise(search_term)
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # A reading typed in hiragana finds one stored in katakana, and the other way round.
        for variant in {kana_to_katakana(search_term), kana_to_hiragana(search_term)} - {search_term}:
            more, more_duplicates = super().get_search_results(request, queryset, variant)
            results = queryset.filter(Q(pk__in=results.values("pk")) | Q(pk__in=more.values("pk")))
            may_have_duplicates |= more_duplicates
        # A name typed with or without the space between family and given name finds it either way.
        if search_term.strip():
            results = queryset.filter(
                Q(pk__in=results.values("pk")) | Q(pk__in=names_matching(queryset, search_term).values("pk"))
            )
        return results, may_have_duplicates

    # Nobody adds or deletes applications here: applicants apply, cancellations are a status.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Cancelled applications are final, and erased ones have lost the fields the form requires.
        if obj is not None and (obj.status == ApplicationStatus.CANCELLED or obj.personal_data_erased_at):
            return False
        return super().has_change_permission(request, obj)

    def has_resend_permission(self, request):
        return request.user.has_perm("registrations.resend_mail")

    class Media:
        css = {"all": ["css/office-admin.css"]}

    @admin.display(description=_("reference"), ordering="reference")
    def reference_code(self, application):
        # Never broken at the hyphen: the office reads it out on the phone.
        return format_html('<span class="office-nowrap">{}</span>', reference_display(application.reference))

    @admin.display(description=_("session"), ordering="session__starts_at")
    def session_label(self, application):
        # Short, so the list fits beside the filters; the full title is in the tooltip.
        session = application.session
        return format_html(
            '<span title="{}">{}</span>', str(session),
            gettext("No. %(number)s: %(title)s") % {"number": session.number,
                                                    "title": Truncator(session.title).chars(28)},
        )

    @admin.display(description=_("personal joining link"))
    def zoom_state(self, application):
        # Never the link itself: it is the applicant's credential (they have it by mail and on their page).
        registration = (ZoomRegistration.objects.filter(application=application,
                                                        webinar_id=application.session.zoom_webinar_id)
                        .exclude(webinar_id="").first())
        if registration is None:
            return "–"
        if registration.state == RegistrationState.REGISTERED and registration.join_url:
            return gettext("Registered in Zoom: the applicant has a personal joining link.")
        when = timezone.localtime(registration.waiting_since).strftime("%Y-%m-%d %H:%M")
        if registration.state == RegistrationState.WAITING:
            text = gettext("Waiting for Zoom since %(when)s (%(attempts)d tries)") % {
                "when": when, "attempts": registration.attempts}
        elif registration.state == RegistrationState.REFUSED:
            text = gettext("Refused by Zoom")
        else:
            text = registration.get_state_display()
        if registration.last_error:
            text += " — " + gettext("Zoom's last answer: %(error)s") % {"error": registration.last_error}
        if registration.fallback_at:
            text += " — " + gettext("confirmation sent with the shared link (%(when)s)") % {
                "when": timezone.localtime(registration.fallback_at).strftime("%Y-%m-%d %H:%M")}
        return text

    @admin.display(description=_("mail"))
    def mail_state(self, application):
        if application.mail_failed:
            return format_html('<strong class="errornote-inline">{}</strong>', gettext("failed"))
        if application.mail_pending:
            return gettext("waiting")
        return gettext("sent") if application.mail_any else "–"

    # --- the change form: details only, through application_update ---

    def save_model(self, request, obj, form, change):
        """Save through application_update; its ApplicationRefused goes up to changeform_view."""
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in OFFICE_EDITABLE_FIELDS}
        changed = application_update(
            application=obj, data=data, by=request.user, reason=form.cleaned_data["office_reason"].strip(),
            notify=form.cleaned_data["notify_applicant"],
        )
        if changed and form.cleaned_data["notify_applicant"]:
            self.message_user(request, gettext("A change notice was queued for the applicant."), messages.INFO)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The change form. A change the service refuses leaves the admin's transaction (rolled back, so
        nothing is saved or logged) and comes back as a message above the form."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationRefused as refusal:
            self.message_user(request, gettext("Nothing was changed: %(reason)s") % {"reason": refusal.message},
                              messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
