"""Applying to a session, the completion page, the applicant's manage link, the privacy notice.

Statuses: 200 for a page shown; 400 for input that fails validation (including
a filled honeypot and missing consent); 403 when the session does not take
applications (not yet open, closed); 409 when the request conflicts with what
exists (full without a waiting list, duplicate email, already cancelled);
429 when the client address sent too many applications; 404 for a manage link
that is not genuine, 410 for one that has expired. The form keeps its input on
every refusal.
"""
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from certificates.selectors import course_record_for
from config.cache_outage import cache_answered, cache_failed
from questionnaires.selectors import invitation_for
from seminars.enums import SessionState
from zoom.client import zoom_configured

from .enums import ApplicationStatus
from .forms import ApplicationForm, CancelForm
from .joining_links import personal_joining_urls
from .private_pages import application_or_refusal, private_page
from .rate_limits import over_limit
from .references import reference_display
from .selectors import (
    manage_link_expires_at,
    manage_token,
    session_for_apply,
    waitlist_position,
)
from .services import ApplicationRefused, application_cancel, application_create, application_manage_link_resend

REFUSAL_STATUS = {
    "upcoming": 403,
    "closed": 403,
    "full": 409,
    "duplicate": 409,
    "cancelled": 409,
    "held": 409,
    "consent": 400,
    "attendance": 400,
}


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    session = session_for_apply(slug, cached=request.method == "POST")
    if session is None:
        raise Http404
    now = timezone.now()
    state = session.state(now=now)
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, session=session)
        if _rate_limited(request, rate=settings.APPLY_POST_RATE_LIMIT, group="registrations.apply.posts"):
            form.add_error(None, _("You have sent this form too many times in a short time. Please try again later."))
            status = 429
        elif not form.is_valid():
            status = 400
        elif form.is_honeypot_filled:
            form.add_error(None, _("Your application could not be sent. Please check the form and try again."))
            status = 400
        elif _rate_limited(request, rate=settings.APPLY_RATE_LIMIT, group="registrations.apply"):
            # Counted here, once the form is valid: only applications that reach the service use up the limit.
            form.add_error(None, _("You have sent too many applications in a short time. Please try again later."))
            status = 429
        else:
            try:
                application = application_create(
                    session=session, data=form.cleaned_data, language=get_language(), now=now
                )
            except ApplicationRefused as refusal:
                form.add_error(None, _refusal_message(refusal, session=session, form=form, now=now))
                status = REFUSAL_STATUS.get(refusal.code, 400)
            else:
                return redirect("registrations:applied", token=manage_token(application))
    else:
        form = ApplicationForm(session=session)
        if state == SessionState.UPCOMING or state not in (SessionState.OPEN, SessionState.FULL):
            status = 403
        elif state == SessionState.FULL and not session.waitlist_enabled:
            status = 409
    context = {"session": session, "form": form, "state": state, "show_form": request.method == "POST" or status == 200}
    return render(request, "registrations/apply.html", context, status=status)


def _refusal_message(refusal: ApplicationRefused, *, session, form, now) -> str:
    """Return what the form says about a refusal; for a duplicate, send the address its private link again.

    The page says the same whether or not the hourly limit let a mail go: it tells
    whoever typed the address nothing more than that it has applied, and the
    mails already sent that hour carry the link.
    """
    if refusal.code != "duplicate":
        return refusal.message
    application_manage_link_resend(session=session, email=form.cleaned_data["email"], now=now)
    return _(
        "This email address has already applied to this session. We have sent its private link to that "
        "address again: use it to see or cancel the application."
    )


def _rate_limited(request, *, rate: str, group: str) -> bool:
    """Count this POST against `rate` for the client's address; return whether it is over the limit.

    An unreachable cache must not cost anyone their application: the POST is let through
    uncounted, and config/cache_outage.py logs the outage once.
    """
    try:
        limited = over_limit(request, rate=rate, group=group)
    except Exception as error:  # noqa: BLE001 - whatever the cache client raises, applying goes on
        cache_failed(error, doing="counting applications")
        return False
    cache_answered()
    return limited


def _manage_context(request, application, token, now):
    return {
        "application": application,
        "session": application.session,
        "reference": reference_display(application.reference),
        "token": token,
        "manage_url": request.build_absolute_uri(reverse("registrations:manage", kwargs={"token": token})),
        "expires_at": manage_link_expires_at(application),
        "waitlist_position": waitlist_position(application),
        "can_cancel": application.status != ApplicationStatus.CANCELLED and now < application.session.starts_at,
        # The personal webinar link: on this page only, which only the link's holder reaches.
        "personal_joining_url": personal_joining_urls(application.session, [application]).get(application.pk, "")
        if now < application.session.ends_at else "",
    }


@private_page
@require_http_methods(["GET"])
def applied(request, token):
    """The completion page right after applying (reached by redirect, at a URL only the applicant holds)."""
    now = timezone.now()
    application, refused = application_or_refusal(request, token, now)
    if refused:
        return refused
    context = _manage_context(request, application, token, now) | {"just_applied": True}
    return render(request, "registrations/application.html", context)


@private_page
@require_http_methods(["GET"])
def manage(request, token):
    """The applicant's private page: their application, a way to cancel it, their course record and certificates,
    and the session's questionnaire while it is open."""
    now = timezone.now()
    application, refused = application_or_refusal(request, token, now)
    if refused:
        return refused
    context = _manage_context(request, application, token, now) | {
        "course_record": course_record_for(application, now=now),
        "questionnaire_invitation": invitation_for(application, now=now),
    }
    return render(request, "registrations/application.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def cancel(request, token):
    """Ask the applicant to confirm, then cancel their application."""
    now = timezone.now()
    application, refused = application_or_refusal(request, token, now)
    if refused:
        return refused
    action = reverse("registrations:cancel", kwargs={"token": token})
    status = 200
    if request.method == "POST":
        form = CancelForm(request.POST, action=action)
        if form.is_valid():
            try:
                application_cancel(application=application, actor_label="applicant", now=now)
            except ApplicationRefused as refusal:
                form.add_error(None, refusal.message)
                status = REFUSAL_STATUS.get(refusal.code, 400)
            else:
                messages.success(request, _("Your application has been cancelled."))
                return redirect("registrations:manage", token=token)
        else:
            status = 400
    else:
        form = CancelForm(action=action)
    context = _manage_context(request, application, token, now) | {"form": form}
    return render(request, "registrations/cancel.html", context, status=status)


def privacy(request):
    """The privacy notice applicants consent to."""
    return render(
        request,
        "registrations/privacy.html",
        {"version": settings.PRIVACY_NOTICE_VERSION, "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
         "zoom_registration": zoom_configured()},
    )
