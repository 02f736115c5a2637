"""The page for a form that could not be accepted because its CSRF check failed (settings.CSRF_FAILURE_VIEW).

A form left open for long (or opened before the browser lost its cookie) fails the check. On a
session's application form, the same form comes back filled in with what was typed and a fresh
token, saying what happened, so that sending it again is one press; any other form gets a page
under the series' own header that says what to do. Nothing posted is acted upon here.
"""
from django.http import HttpResponseForbidden
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import ApplicationForm
from .selectors import session_for_apply


def csrf_failure(request, reason=""):
    """Answer 403: the application form again with the posted values, else the expired-form page."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method == "POST" and match is not None and match.view_name == "registrations:apply":
        session = session_for_apply(match.kwargs["slug"])
        if session is not None:
            form = ApplicationForm(request.POST, session=session)
            form.add_error(None, _(
                "The form had expired, so your application was not sent. What you typed is kept below: "
                "check it and send the form again."
            ))
            context = {"session": session, "form": form, "state": session.state(now=timezone.now()),
                       "show_form": True}
            return HttpResponseForbidden(render_to_string("registrations/apply.html", context, request=request))
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))
