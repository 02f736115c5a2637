"""The 400 and 500 views (the 500 with a last-resort page if even its template cannot render), and the 503."""
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)


def bad_request(request, exception):
    """Render templates/400.html, as Django's view does, but without running the CSRF check first.

    Django's bad_request is wrapped in requires_csrf_token, whose check reads request.POST.
    When the 400 comes from that very body (a form declaring a charset other than UTF-8,
    which Django 5.2 refuses to decode), the read raises the same error again, and the
    visitor gets a 500. The page needs no CSRF token: it holds no form.
    """
    return HttpResponseBadRequest(render_to_string("400.html", request=request))


def server_error(request):
    """Render templates/500.html; if that fails too (e.g. no static manifest), answer with plain HTML."""
    try:
        return defaults.server_error(request)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        title = escape(_("Something went wrong"))
        text = escape(_("Sorry, the page could not be shown because of a problem on our side."))
        return HttpResponseServerError(
            f'<!doctype html><html lang="{escape(get_language() or "ja")}"><meta charset="utf-8">'
            f"<title>{title}</title><h1>{title}</h1><p>{text}</p></html>"
        )


# Seconds a visitor (or a client that reads Retry-After) is asked to wait when the database is away.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when a view cannot reach the database.

    A restart or failover of PostgreSQL takes seconds, so the page asks the
    visitor to try again in a moment (and an applicant to look for a receipt
    first: a commit may have gone through just before the connection was lost). Django's connection errors
    (OperationalError, InterfaceError) only: any other failure stays a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # One line, no traceback: during an outage this happens on every request.
        logger.warning("Database unavailable (%s): answered 503", type(exception).__name__)
        # Without the request's context processors: nothing on this page may need the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
