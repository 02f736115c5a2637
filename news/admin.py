"""The office writes the news in admin; mailing it to a session's applicants is a separate, explicit step."""
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from office.services import announcement_draft

from .models import News


@admin.register(News)
class NewsAdmin(TranslationAdmin):
    list_display = ("title", "session", "published_at", "published_until", "on_the_site")
    list_filter = ("series", "session")
    list_select_related = ("session",)
    search_fields = ("title_ja", "title_en")
    date_hierarchy = "published_at"
    fields = ("series", "session", "title", "body", "published_at", "published_until")
    actions = ["mail_to_applicants"]

    @admin.display(description=_("on the site now"), boolean=True)
    def on_the_site(self, item):
        return item.is_shown(now=timezone.now())

    @admin.action(description=_("Also send by mail to this session's applicants (a draft to read, then send)"),
                  permissions=["change"])
    def mail_to_applicants(self, request, queryset):
        items = list(queryset.select_related("session"))
        if len(items) != 1 or items[0].session is None:
            self.message_user(request, gettext(
                "Choose one news item of a session: series news has no applicants to mail."), messages.ERROR)
            return None
        item = items[0]
        if not request.user.has_perm("registrations.change_application"):
            self.message_user(request, gettext("Only the office may write to applicants."), messages.ERROR)
            return None
        announcement = announcement_draft(
            session=item.session, subject_ja=item.title_ja, body_ja=item.body_ja,
            subject_en=item.title_en or "", body_en=item.body_en or "", by=request.user,
        )
        self.message_user(request, gettext(
            "An announcement to the session's confirmed applicants is written from the news, not sent: "
            "choose its audience, read the preview, then send."), messages.INFO)
        return HttpResponseRedirect(reverse("admin:office_announcement_change", args=[announcement.pk]))
