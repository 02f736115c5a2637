"""The office's "Send the follow-up" page of a session: who gets what, the mail as it will read, one button.

The session's admin (seminars/admin.py) routes `follow_up_view` under the session's page.
Sending is registrations.notifications.follow_up_wave: the thanks with the certificate of
attendance for each attendee, once; pressing again reaches only attendees who have not had it.
While the session's questionnaire is open or about to open, the mail carries its personal link.
"""
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from outbox.models import Message
from seminars.models import Session

from .enums import ApplicationStatus, AttendanceStatus, MailKind
from .models import Application
from .notifications import follow_up_wave, mail_preview_render
from .signals import follow_up_data_requested


def follow_up_counts(session: Session) -> dict:
    """Return how many attendees had the follow-up, how many will get it, and how many were absent."""
    confirmed = Application.objects.filter(
        session=session, status=ApplicationStatus.CONFIRMED, personal_data_erased_at__isnull=True
    )
    had_it = Message.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk"),
        kind=MailKind.FOLLOW_UP,
    )
    attended = confirmed.filter(attendance_record__status=AttendanceStatus.ATTENDED)
    return {
        "sent": attended.filter(Exists(had_it)).count(),
        "to_send": attended.filter(~Exists(had_it)).count(),
        "absent": confirmed.filter(attendance_record__status=AttendanceStatus.ABSENT).count(),
    }


def follow_up_data(session: Session) -> dict:
    """Return what every follow-up mail of the session carries beyond the thanks, from the apps above this one.

    E.g. {"questionnaire": True} from the questionnaires app while the session's questionnaire is open or
    about to open (signals.follow_up_data_requested): the mail then has each attendee's personal link to it.
    """
    data = {}
    for _receiver, extra in follow_up_data_requested.send(sender=Session, session=session):
        data.update(extra or {})
    return data


def follow_up_view(model_admin, request, object_id):
    """Show who gets the follow-up and its preview; on POST, add the mail to the outbox (then back to the session)."""
    if not request.user.has_perm("registrations.change_application"):
        raise PermissionDenied
    session = get_object_or_404(Session.objects.select_related("series"), pk=object_id)
    data = follow_up_data(session)
    if request.method == "POST":
        added = follow_up_wave(session, data=data)
        if added:
            messages.success(request, ngettext(
                "The follow-up mail goes out to %(count)d attendee.",
                "The follow-up mail goes out to %(count)d attendees.", added,
            ) % {"count": added})
        else:
            messages.info(request, gettext("Every attendee already has the follow-up mail: nothing was sent."))
        return HttpResponseRedirect(reverse("admin:seminars_session_change", args=[session.pk]))
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/seminars/session/follow_up.html", {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": session,
        "session": session,
        "title": gettext("Send the follow-up mail"),
        "counts": follow_up_counts(session),
        # Those absent had (or get within the minute) the archive mail once the archive is out.
        "archive_published": session.archive_is_published(now=timezone.now()),
        "preview": mail_preview_render(session, MailKind.FOLLOW_UP, data=data),
        "data": data,
    })
