"""Answer 400 with the designed page, on every URL, to a request whose body Django cannot read.

Django refuses a form body it cannot read: a charset other than UTF-8 in a urlencoded
form, more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (or files than
DATA_UPLOAD_MAX_NUMBER_FILES), more bytes than DATA_UPLOAD_MAX_MEMORY_SIZE, a multipart
body without a usable boundary. Where a view reads the body, Django's 400 handler
answers. But other code reads it first: for a URL that matches nothing, the 404 page
runs the CSRF check, which reads request.POST, fails, and the 500 page failed the same
way. So the body is read once here, before any view or page, and a refusal answers 400.
"""
import logging

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError

from .errors import bad_request

logger = logging.getLogger(__name__)

# What reading request.POST raises for a body Django cannot read (documented in Django's request and
# settings references); TooManyFilesSent and RequestDataTooBig are SuspiciousOperations too.
UNREADABLE = (BadRequest, SuspiciousOperation, RequestDataTooBig, TooManyFieldsSent, MultiPartParserError,
              UnicodeDecodeError)


class UnreadableBodyMiddleware:
    """Read a POST's form body first; answer the 400 page if Django cannot read it.

    Only POST (Django parses a form body only then) and only form bodies (urlencoded and
    multipart): any other body is read, if at all, by the view that expects it. Reading here
    costs nothing more: request.POST is parsed once and kept for the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsed here, so that no page meets the error later
            except UNREADABLE as error:
                # The kind of error only: the body itself may be what breaks a log.
                logger.warning("Request body unreadable (%s): answered 400", type(error).__name__)
                return bad_request(request, error)
        return self.get_response(request)
