"""The office's tools in the admin: notes, announcements and draws.

The office group holds no permission of this app (registrations/office_group.py lists the
group's permissions exactly); these pages follow the application permissions
instead: whoever may change applications may write notes and announcements and run
a draw, whoever may see them may read these records. The pages that hang under a
session (enter an application, the draw) are in office/admin_views.py.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.admin_read_only import ReadOnlyAdminMixin
from outbox.models import MessageStatus
from registrations.models import Application
from registrations.references import reference_display

from .forms import AnnouncementForm, NoteForm, SendForm
from .letters import letter_for, letter_pdf, letters_to_send
from .models import Announcement, Draw, LetterSent, Note, PostalContact
from .selectors import LARGE_AUDIENCE, announcement_delivery, audience_applications
from .services import AnnouncementRefused, announcement_preview, announcement_send, letter_mark_sent, note_add


def office_may_change(request) -> bool:
    return request.user.has_perm("registrations.change_application")


def office_may_view(request) -> bool:
    return request.user.has_perm("registrations.view_application")


class OfficeRecordAdmin(admin.ModelAdmin):
    """Permissions of the office's records: those of applications; written once, never deleted here."""

    def has_module_permission(self, request):
        return office_may_view(request)

    def has_view_permission(self, request, obj=None):
        return office_may_view(request)

    def has_add_permission(self, request):
        return office_may_change(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- how to reach someone without email ---


class PostalContactInline(ReadOnlyAdminMixin, admin.StackedInline):
    """On the application's page: the postal address or FAX number its letters go to (entered with it)."""

    model = PostalContact
    fields = ("postal_code", "postal_address", "fax")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return office_may_view(request)


# --- notes ---


class NoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The office's notes in the application's page: read there; "Write a note" opens the note form."""

    model = Note
    fields = ("written_at", "written_by", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    template = "admin/office/note/inline.html"
    verbose_name_plural = _("the office's notes (private: never shown or sent to the applicant)")

    def has_view_permission(self, request, obj=None):
        return office_may_view(request)


@admin.register(Note)
class NoteAdmin(OfficeRecordAdmin):
    form = NoteForm
    list_display = ("written_at", "application_reference", "written_by", "text")
    list_select_related = ("application", "written_by")
    raw_id_fields = ("application",)
    search_fields = ("application__reference", "text")

    @admin.display(description=_("application"), ordering="application__reference")
    def application_reference(self, note):
        url = reverse("admin:registrations_application_change", args=[note.application_id])
        return format_html('<a href="{}">{}</a>', url, reference_display(note.application.reference))

    def save_model(self, request, obj, form, change):
        note = note_add(application=form.cleaned_data["application"], text=form.cleaned_data["text"], by=request.user)
        obj.pk, obj.written_by, obj.written_at = note.pk, note.written_by, note.written_at

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, gettext("The note was saved."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:registrations_application_change", args=[obj.application_id]))


# --- announcements ---


@admin.register(Announcement)
class AnnouncementAdmin(OfficeRecordAdmin):
    form = AnnouncementForm
    list_display = ("created_at", "session", "subject_ja", "audience", "sent_at", "recipients", "delivered")
    list_filter = ("session", "audience")
    list_select_related = ("session",)
    readonly_fields = ("created_by", "created_at", "sent_by", "sent_at", "recipients", "delivered")
    fieldsets = (
        (None, {"fields": ("session", "audience")}),
        (_("In Japanese"), {"fields": ("subject_ja", "body_ja")}),
        (_("In English"), {"fields": ("subject_en", "body_en")}),
        (_("Record"), {"fields": ("created_by", "created_at", "sent_by", "sent_at", "recipients", "delivered")}),
    )

    class Media:
        css = {"all": ["css/office-admin.css"]}

    def has_change_permission(self, request, obj=None):
        # A draft may be corrected until it is sent; then it is a record.
        return office_may_change(request) and (obj is None or obj.sent_at is None)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:3]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, gettext("Saved, not sent: read the preview below, then send."), messages.INFO)
        return HttpResponseRedirect(reverse("admin:office_announcement_change", args=[obj.pk]))

    def response_change(self, request, obj):
        return HttpResponseRedirect(reverse("admin:office_announcement_change", args=[obj.pk]))

    @admin.display(description=_("delivery"))
    def delivered(self, announcement):
        if announcement.sent_at is None:
            return "–"
        counts = announcement_delivery(announcement)
        waiting = counts[MessageStatus.PENDING] + counts[MessageStatus.SENDING]
        return gettext("%(sent)d sent, %(waiting)d waiting, %(failed)d failed") % {
            "sent": counts[MessageStatus.SENT], "waiting": waiting, "failed": counts[MessageStatus.FAILED],
        }

    def get_urls(self):
        return [
            path("<int:object_id>/send/", self.admin_site.admin_view(self.send_view), name="office_announcement_send"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        announcement = get_object_or_404(Announcement.objects.select_related("session__series"), pk=object_id)
        extra_context = extra_context or {}
        if announcement.sent_at is None:
            extra_context |= {
                "recipient_count": audience_applications(announcement.session, announcement.audience).count(),
                "previews": announcement_preview(announcement),
                "large_audience": LARGE_AUDIENCE,
                "send_form": SendForm(),
                "may_send": office_may_change(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def send_view(self, request, object_id):
        if request.method != "POST" or not office_may_change(request):
            raise PermissionDenied
        announcement = get_object_or_404(Announcement, pk=object_id)
        form = SendForm(request.POST)
        form.is_valid()
        try:
            added = announcement_send(
                announcement=announcement, by=request.user, large_confirmed=form.cleaned_data.get("large_confirmed"),
            )
        except AnnouncementRefused as refusal:
            self.message_user(request, refusal.message, messages.WARNING if refusal.code == "sent" else messages.ERROR)
        else:
            self.message_user(request, ngettext(
                "The announcement goes out to %(count)d person.",
                "The announcement goes out to %(count)d people.", added,
            ) % {"count": added}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:office_announcement_change", args=[announcement.pk]))


# --- draws ---


@admin.register(Draw)
class DrawAdmin(OfficeRecordAdmin):
    list_display = ("session", "run_at", "run_by", "seed", "confirmed", "waitlisted", "not_drawn", "results_sent_at",
                    "draw_page")
    list_select_related = ("session", "run_by")

    def has_add_permission(self, request):
        return False  # a draw is run from its session's page

    @admin.display(description=_("result"))
    def draw_page(self, draw):
        url = reverse("admin:seminars_session_office_draw", args=[draw.session_id])
        return format_html('<a href="{}">{}</a>', url, gettext("See the result"))


# --- letters by post or FAX ---


@admin.register(LetterSent)
class LetterSentAdmin(OfficeRecordAdmin):
    """The list "To send by post or FAX": each letter due for an applicant without email, to print and mark sent."""

    def has_add_permission(self, request):
        return False  # a letter is marked sent from the list, never written here

    def get_urls(self):
        return [
            path("print/", self.admin_site.admin_view(self.print_view), name="office_lettersent_print"),
            path("mark-sent/", self.admin_site.admin_view(self.mark_sent_view), name="office_lettersent_mark"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not office_may_view(request):
            raise PermissionDenied
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/office/letters_to_send.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("To send by post or FAX"),
            "letters": letters_to_send(),
            "may_change": office_may_change(request),
            "how_choices": LetterSent.How.choices,
        })

    def _letter(self, request, params):
        application = get_object_or_404(Application, pk=params.get("application"))
        letter = letter_for(application, params.get("kind", ""), params.get("key", ""))
        if letter is None:
            raise Http404
        return letter

    def print_view(self, request):
        letter = self._letter(request, request.GET)
        response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
        filename = f"letter-{letter.kind}-{letter.application.reference}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def mark_sent_view(self, request):
        if request.method != "POST" or not office_may_change(request):
            raise PermissionDenied
        letter = self._letter(request, request.POST)
        how = request.POST.get("how") if request.POST.get("how") in LetterSent.How.values else LetterSent.How.POST
        letter_mark_sent(application=letter.application, kind=letter.kind, key=letter.key, how=how, by=request.user)
        self.message_user(request, gettext("%(letter)s to %(reference)s marked as sent.") % {
            "letter": letter.label, "reference": reference_display(letter.application.reference)}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:office_lettersent_changelist"))
