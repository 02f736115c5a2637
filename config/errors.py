"""The 500 view: Django's, with a last-resort page if even the error template cannot render."""
import logging

from django.http import HttpResponseServerError
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)


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
