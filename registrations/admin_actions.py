"""The applications' admin actions: cancel, move and send again (each with a page asking for the reason), export.

`ApplicationActions` is mixed into the applications' admin (registrations/admin.py), as
`admin_attendance.AttendanceActions` is. Every change goes through the services
(application_cancel, application_move, application_mail_resend), which check the rules,
write the audit entry and queue the mail; a refusal is reported by reference.
"""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .admin_exports import export_response
from .admin_forms import CancelForm, MoveForm, ResendForm
from .enums import MailKind
from .notifications import application_mail
from .office_changes import application_mail_resend, application_move
from .references import reference_display
from .services import ApplicationRefused, application_cancel


class ApplicationActions:
    """The actions of the applications' list; mixed into a ModelAdmin of Application."""

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
