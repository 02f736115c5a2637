"""The printed receipt of an application (PDF), for an applicant the office answers by post or fax."""
from django.template.loader import render_to_string
from django.utils import timezone, translation

from registrations.models import Application
from registrations.references import reference_display
from seminars.formatting import format_day, format_span


def receipt_pdf(application: Application) -> bytes:
    """Return the application's receipt as an A4 PDF in the application's language.

    What the mailed receipt says (reference, session, date and time, status, what
    happens next, the office's address), and never the office's notes.
    """
    session = application.session
    language = application.language
    with translation.override(language):
        html = render_to_string("office/receipt.html", {
            "application": application,
            "language": language,
            "reference": reference_display(application.reference),
            "session": session,
            "series": session.series,
            "when": format_span(session.starts_at, session.ends_at, language),
            "closes_on": format_day(session.applications_close_on, language),
            "applied_on": format_day(timezone.localdate(application.created_at), language),
            "printed_on": format_day(timezone.localdate(), language),
        })
    # Imported here: WeasyPrint takes about a second to import, which every process would pay at start.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def _no_fetching(url, *args, **kwargs):
    # The receipt is self-contained: typed data must never make the server fetch a URL.
    raise ValueError(f"the receipt fetches nothing: {url}")
