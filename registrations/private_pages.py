"""What every page behind an applicant's personal link shares: kept out of caches and search engines,
and the link resolved to its application or to the page saying why it no longer works.

Used by the applicant's pages here (manage, cancel), the certificates and the questionnaire.
"""
import datetime as dt
import functools

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .models import Application
from .selectors import ManageLinkExpired, application_for_token


def noindex(view):
    """Keep the view's pages out of search engines (X-Robots-Tag)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def private_page(view):
    """Keep a page reached through a personal link out of caches and search engines."""
    return never_cache(noindex(view))


def application_or_refusal(request, token: str, now: dt.datetime) -> tuple[Application | None, object]:
    """Return (application, None) for a working personal link, or (None, the refusal page).

    The refusal says the link has expired (410) or is not known (404), as the
    applicant can do something different about each.
    """
    try:
        application = application_for_token(token, now=now)
    except ManageLinkExpired:
        return None, render(request, "registrations/link_refused.html", {"expired": True}, status=410)
    if application is None:
        return None, render(request, "registrations/link_refused.html", {"expired": False}, status=404)
    return application, None
