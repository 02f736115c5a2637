"""The administrative office's admin for applications and their mail.

Every change goes through registrations.services, the same functions the public
side uses, and so leaves an audit entry and its mail rows: cancel on request,
move to another session and send a mail again are actions with a page that asks
for the reason; details are corrected in the change form (application_update).
The session and status are never written from a form.
"""
import re
import unicodedata

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from office import admin_views as office_admin_views
from office.admin import NoteInline, PostalContactInline
from outbox.admin import html_preview_link
from outbox.models import Message, MessageStatus
from zoom.models import RegistrationState, ZoomRegistration

from . import admin_attendance
from .admin_forms import ApplicationChangeForm, CancelForm, MoveForm, ResendForm
from .enums import ApplicationStatus, MailKind
from .exports import CP932_REPLACEMENT, applications_csv, applications_xlsx
from .models import Application, AuditEntry
from .notifications import application_mail
from .office_changes import OFFICE_EDITABLE_FIELDS, application_mail_resend, application_move, application_update
from .references import reference_display, reference_normalise
from .services import ApplicationRefused, application_cancel

# The admin names the portal, in the office's language, not "Django administration".
admin.site.site_header = _("Seminar portal: the office's administration")
admin.site.site_title = _("Seminar portal office")
admin.site.index_title = _("The office's work")

# --- mail state of an application, for the list and its filter ---

MAIL_FAILED, MAIL_PENDING, MAIL_SENT, MAIL_NONE = "failed", "pending", "sent", "none"
MAIL_STATES = [
    (MAIL_FAILED, _("Failed (not sent again successfully)")),
    (MAIL_PENDING, _("Waiting to be sent")),
    (MAIL_SENT, _("All sent")),
    (MAIL_NONE, _("No mail")),
]


def applications_with_mail_state(queryset):
    """Annotate each application with whether its mail has failed, is pending, or exists at all (3 subqueries)."""
    content_type = ContentType.objects.get_for_model(Application)
    rows = Message.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
    # A failed mail that was later sent again successfully no longer counts as failed.
    sent_again = Message.objects.filter(resend_of=OuterRef("pk"), status=MessageStatus.SENT)
    return queryset.annotate(
        mail_failed=Exists(rows.filter(status=MessageStatus.FAILED).exclude(Exists(sent_again))),
        mail_pending=Exists(rows.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])),
        mail_any=Exists(rows),
    )


class MailStateFilter(admin.SimpleListFilter):
    title = _("mail state")
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return MAIL_STATES

    def queryset(self, request, queryset):
        match self.value():
            case "failed":
                return queryset.filter(mail_failed=True)
            case "pending":
                return queryset.filter(mail_failed=False, mail_pending=True)
            case "sent":
                return queryset.filter(mail_failed=False, mail_pending=False, mail_any=True)
            case "none":
                return queryset.filter(mail_any=False)
        return queryset


# --- inlines: what was sent, and who changed what ---


class ReadOnly:
    """A record kept as it happened: shown in the application, never added, edited or deleted there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MailInline(ReadOnly, GenericTabularInline):
    """Every mail of the application: what, its state, when, how many tries, why it failed."""

    model = Message
    fields = ("kind_label", "status", "created_at", "sent_at", "attempts", "last_error", "what_was_sent", "html")
    readonly_fields = fields
    show_change_link = False
    ordering = ("created_at", "pk")

    @admin.display(description=_("kind"))
    def kind_label(self, obj):
        return MailKind(obj.kind).label if obj.kind in MailKind.values else obj.kind

    @admin.display(description=_("what was sent"))
    def what_was_sent(self, obj):
        url = reverse("admin:outbox_message_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.subject or "–")

    @admin.display(description=_("HTML body"))
    def html(self, obj):
        return html_preview_link(obj)


ACTION_LABELS = {
    "apply": _("Applied"),
    "cancel": _("Cancelled"),
    "promote": _("Moved up from the waiting list"),
    "move": _("Moved to another session"),
    "update": _("Details corrected"),
    "resend": _("Mail sent again"),
    "manage_link_resend": _("Private link sent again (on applying twice)"),
    "personal_data_erased": _("Personal data erased"),
    "attendance": _("Attendance recorded"),
}
ACTOR_LABELS = {"applicant": _("The applicant"), "system": _("The portal (automatic)")}
# Kept in the trail for the record, shown through their labels instead.
_CHANGES_NOT_SHOWN = {"session", "resend_of", "new_mail"}


def _value_label(name: str, value) -> str:
    """Return a stored value as people read it: a choice's label, Yes/No, or – when empty."""
    attendance = admin_attendance.change_value_label(name, value)
    if attendance is not None:
        return attendance
    if name == "mail" and value in MailKind.values:
        return str(MailKind(value).label)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    try:
        field = Application._meta.get_field(name)
    except FieldDoesNotExist:  # a field no longer on the model: shown as stored
        return str(value)
    return str(dict(field.flatchoices).get(value, value)) if field.flatchoices else str(value)


def _field_label(name: str) -> str:
    if name == "session_label":
        name = "session"
    if name == "mail":
        return capfirst(gettext("mail"))
    if name in admin_attendance.CHANGE_LABELS:
        return str(admin_attendance.CHANGE_LABELS[name])
    try:
        return capfirst(Application._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def audit_changes_lines(changes: dict) -> list[str]:
    """Return the changes of an audit entry as lines such as "Status: Waiting list → Confirmed"."""
    lines = []
    for name, value in changes.items():
        if name in _CHANGES_NOT_SHOWN:
            continue
        if name == "session_label":
            shown = [str(part) for part in value]
        elif isinstance(value, list):
            shown = [_value_label(name, part) for part in value]
        else:
            shown = [_value_label(name, value)]
        lines.append(gettext("%(field)s: %(change)s") % {"field": _field_label(name), "change": " → ".join(shown)})
    return lines


class AuditEntryInline(ReadOnly, admin.TabularInline):
    """The audit trail: who changed the application, when, what and why, in people's words."""

    model = AuditEntry
    fields = ("at", "actor_shown", "action_shown", "reason", "changes_shown")
    readonly_fields = fields
    ordering = ("at", "pk")

    @admin.display(description=_("by"))
    def actor_shown(self, entry):
        return ACTOR_LABELS.get(entry.actor_label, entry.actor_label)

    @admin.display(description=_("action"))
    def action_shown(self, entry):
        return ACTION_LABELS.get(entry.action, entry.action)

    @admin.display(description=_("changes"))
    def changes_shown(self, entry):
        lines = audit_changes_lines(entry.changes or {})
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "–"


# --- applications ---

_REFERENCE_TYPED = re.compile(r"^\s*[A-Za-z0-9]{4}[-\s][A-Za-z0-9]{4}\s*$")
# Hiragana ぁ–ゖ and katakana ァ–ヶ lie 0x60 apart in Unicode.
_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_TO_HIRAGANA = {code + 0x60: code for code in range(ord("ぁ"), ord("ゖ") + 1)}


def kana_to_katakana(text: str) -> str:
    return text.translate(_TO_KATAKANA)


def kana_to_hiragana(text: str) -> str:
    return text.translate(_TO_HIRAGANA)


# Printable ASCII and its full-width forms (！ to ～) lie 0xFEE0 apart: NFKC maps the latter onto the former.
_TO_FULL_WIDTH = {code: code + 0xFEE0 for code in range(ord("!"), ord("~") + 1)}


def _without_spaces(field: str):
    """The column with its spaces (ASCII and ideographic) taken out, as the database computes it."""
    return Replace(Replace(field, Value(" "), Value("")), Value("\u3000"), Value(""))


def names_matching(queryset, search_term: str):
    """Return the applications whose name or reading holds `search_term` once spaces are set aside.

    "鈴木一郎" finds "鈴木 一郎" and "鈴木　一郎"; the term is NFKC-normalised, and letters typed in
    half width also find names stored with full-width letters; a reading typed in hiragana finds katakana.
    """
    compact = "".join(unicodedata.normalize("NFKC", search_term).split())
    if not compact:
        return queryset.none()
    names = {compact, compact.translate(_TO_FULL_WIDTH)}
    readings = {compact, kana_to_katakana(compact), kana_to_hiragana(compact)}
    wanted = Q()
    for name in names:
        wanted |= Q(name_compact__icontains=name)
    for reading in readings:
        wanted |= Q(reading_compact__icontains=reading)
    return queryset.alias(name_compact=_without_spaces("name"), reading_compact=_without_spaces("name_reading")).filter(
        wanted
    )


@admin.register(Application)
class ApplicationAdmin(admin_attendance.AttendanceActions, admin.ModelAdmin):
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

    # --- actions with a page asking for the reason ---

    def _action_page(self, request, queryset, *, action, form, title, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "opts": self.model._meta,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "queryset": queryset,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/registrations/application/action_form.html", context)

    def _each(self, request, queryset, perform, done_message):
        """Run `perform` on each application in its own transaction; report refusals by reference."""
        done = 0
        for application in queryset.select_related("session").order_by("pk"):
            try:
                perform(application)
            except ApplicationRefused as refusal:
                self.message_user(
                    request,
                    gettext("%(reference)s: %(reason)s") % {
                        "reference": reference_display(application.reference), "reason": refusal.message,
                    },
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Cancel on the applicant's request…"), permissions=["change"])
    def cancel_on_request(self, request, queryset):
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason, message = form.cleaned_data["reason"].strip(), form.cleaned_data["message"].strip()
            self._each(
                request, queryset,
                lambda application: application_cancel(
                    application=application, by=request.user, actor_label=request.user.get_username(),
                    reason=reason, message_to_applicant=message,
                ),
                lambda n: ngettext(
                    "Cancelled %(count)d application; a cancellation notice was queued.",
                    "Cancelled %(count)d applications; a cancellation notice was queued for each.", n,
                ),
            )
            return None
        return self._action_page(
            request, queryset, action="cancel_on_request", form=form,
            title=gettext("Cancel applications on the applicant's request"),
            intro=gettext("These applications will be cancelled. Each applicant gets a cancellation notice, "
                          "which quotes your message to the applicant but never the reason kept on file; "
                          "a confirmed place goes to the first on the session's waiting list."),
            submit=gettext("Cancel these applications"),
        )

    @admin.action(description=_("Move to another session…"), permissions=["change"])
    def move_to_session(self, request, queryset):
        form = MoveForm(request.POST if "apply" in request.POST else None, current_sessions=queryset.values("session"))
        if form.is_valid():
            target, reason = form.cleaned_data["to_session"], form.cleaned_data["reason"].strip()
            self._each(
                request, queryset,
                lambda application: application_move(
                    application=application, to_session=target, by=request.user, reason=reason,
                ),
                lambda n: ngettext(
                    "Moved %(count)d application; a change notice was queued.",
                    "Moved %(count)d applications; a change notice was queued for each.", n,
                ),
            )
            return None
        return self._action_page(
            request, queryset, action="move_to_session", form=form,
            title=gettext("Move applications to another session"),
            intro=gettext("These applications will get a confirmed place in the session you choose (a full "
                          "session refuses the move). Each applicant gets a change notice; a freed place goes "
                          "to the first on the old session's waiting list."),
            submit=gettext("Move these applications"),
        )

    @admin.action(description=_("Send a mail again…"), permissions=["resend"])
    def resend_mail(self, request, queryset):
        form = ResendForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            kind, reason = form.cleaned_data["kind"], form.cleaned_data["reason"].strip()
            label = MailKind(kind).label

            def resend(application):
                latest = application_mail(application).filter(kind=kind).order_by("-created_at", "-pk").first()
                if latest is None:
                    raise ApplicationRefused(
                        "no_mail", gettext("no “%(kind)s” mail was ever sent to this application.") % {"kind": label}
                    )
                application_mail_resend(message=latest, by=request.user, reason=reason)

            self._each(
                request, queryset, resend,
                lambda n: ngettext("Queued %(count)d mail again.", "Queued %(count)d mails again.", n),
            )
            return None
        return self._action_page(
            request, queryset, action="resend_mail", form=form,
            title=gettext("Send a mail again"),
            intro=gettext("The latest mail of the kind you choose is sent again to each application's "
                          "current address, rendered afresh, as a new row in its mail."),
            submit=gettext("Send again"),
        )

    @admin.action(description=_("Export selected as CSV (UTF-8, Excel)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return export_response(request, queryset, "csv", name="applications")

    @admin.action(description=_("Export selected as CSV (Shift_JIS)"), permissions=["view"])
    def export_csv_cp932(self, request, queryset):
        return export_response(request, queryset, "csv-cp932", name="applications")

    @admin.action(description=_("Export selected as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, "xlsx", name="applications")


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
