"""The office's pages under a session (enter an application, the draw) and the printed receipt.

seminars/admin.py routes the session's pages, registrations/admin.py the receipt;
each page calls one service and turns its refusal into a message.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from registrations.enums import ApplicationStatus
from registrations.lottery import DrawRefused
from registrations.models import Application
from registrations.references import reference_display
from registrations.services import ApplicationRefused, application_create
from seminars.enums import Allocation
from seminars.models import Session

from .admin import office_may_change, office_may_view
from .documents import receipt_pdf
from .forms import OfficeApplicationForm
from .models import Draw
from .selectors import draw_applications
from .services import draw_results_send, draw_run, postal_contact_save


def _page(model_admin, request, template, session, title, **context):
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, template, {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": session,
        "session": session,
        "title": title,
        **context,
    })


def enter_application_view(model_admin, request, object_id):
    """The public form's fields for an application received by phone, fax or paper; saved by application_create."""
    if not office_may_change(request):
        raise PermissionDenied
    session = get_object_or_404(Session.objects.select_related("series"), pk=object_id)
    now = timezone.now()
    form = OfficeApplicationForm(request.POST or None, session=session, now=now)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = application_create(
                session=session, data=data, language=data["language"], now=now, origin=data["origin"],
                consent_recorded_by=request.user, window_override_reason=data["window_override_reason"],
            )
        except ApplicationRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            postal_contact_save(application=application, postal_code=data["postal_code"],
                                postal_address=data["postal_address"], fax=data["fax"])
            entered = {"reference": reference_display(application.reference),
                       "status": application.get_status_display(), "email": application.email}
            if now >= session.starts_at:
                messages.success(request, gettext(
                    "Application %(reference)s entered (%(status)s) for a session that has started: no receipt is "
                    "sent. Record their attendance on the session's page; the certificate and the follow-up follow."
                ) % entered)
            elif application.email:
                messages.success(request, gettext(
                    "Application %(reference)s entered (%(status)s); the receipt goes by mail to %(email)s. "
                    "Print the receipt from the application's page if the applicant wants it on paper."
                ) % entered)
            else:
                messages.warning(request, gettext(
                    "Application %(reference)s entered (%(status)s). It has no email address, so nothing will be "
                    "mailed: its receipt, and later its joining details, are on the list “To send by post or FAX” "
                    "to print and send."
                ) % entered)
            return HttpResponseRedirect(reverse("admin:registrations_application_change", args=[application.pk]))
    return _page(
        model_admin, request, "admin/office/enter_application.html", session,
        gettext("Enter an application received by phone, fax or paper"),
        form=form, state=session.state(now=now),
    )


def draw_view(model_admin, request, object_id):
    """The session's draw: run it once; then its result, and the button that sends the results mail."""
    if not office_may_view(request):
        raise PermissionDenied
    session = get_object_or_404(Session.objects.select_related("series"), pk=object_id)
    draw = Draw.objects.filter(session=session).select_related("run_by", "results_sent_by").first()
    if request.method == "POST":
        if not office_may_change(request):
            raise PermissionDenied
        try:
            if draw is None and "run" in request.POST:
                draw = draw_run(session=session, by=request.user)
                messages.success(request, gettext(
                    "The draw has run. Nobody has been told yet: check the result, then send the results mail."))
            elif draw is not None and "send" in request.POST:
                added = draw_results_send(draw=draw, by=request.user)
                if added:
                    messages.success(request, ngettext(
                        "The result mail goes out to %(count)d applicant.",
                        "The result mail goes out to %(count)d applicants.", added) % {"count": added})
                else:
                    messages.info(request, gettext("Every applicant already has the result mail: nothing was sent."))
            else:
                messages.warning(request, gettext("The draw of this session has already been run."))
        except DrawRefused as refusal:
            messages.error(request, refusal.message)
        return HttpResponseRedirect(reverse("admin:seminars_session_office_draw", args=[session.pk]))
    now = timezone.now()
    awaiting = Application.objects.filter(session=session, status=ApplicationStatus.AWAITING_DRAW).count()
    return _page(
        model_admin, request, "admin/office/draw.html", session, gettext("The draw"),
        draw=draw, awaiting=awaiting, is_lottery=session.allocation == Allocation.LOTTERY,
        window_closed=now >= session.applications_close_at,
        free=None if session.capacity is None else max(session.capacity - session.places_taken, 0),
        drawn=draw_applications(session, draw.order) if draw else [],
        may_change=office_may_change(request),
    )


def receipt_pdf_view(model_admin, request, object_id):
    """Download the application's receipt as a PDF to print (for an applicant answered by post or fax)."""
    if not office_may_view(request):
        raise PermissionDenied
    application = get_object_or_404(Application.objects.select_related("session__series"), pk=object_id)
    if application.personal_data_erased_at is not None:
        raise PermissionDenied
    response = HttpResponse(receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{application.reference}.pdf"'
    return response
