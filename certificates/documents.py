"""Certificates as PDF: a Django template rendered by WeasyPrint, in the applicant's language."""
import datetime as dt

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from registrations.models import Application
from seminars.formatting import format_span

from .enums import CertificateKind
from .models import Certificate
from .selectors import CourseRecord


def certificate_pdf(certificate: Certificate, *, application: Application, record: CourseRecord | None = None) -> bytes:
    """Return the certificate as an A4 PDF in the application's language.

    The holder's name and organisation come from `application` (the one whose manage page asks);
    a course certificate lists the attended sessions of `record`, which it requires.
    """
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("certificates/certificate.html", certificate_context(
            certificate, application=application, record=record, language=language
        ))
    # Imported here: WeasyPrint takes about a second to import, which every web process, worker and
    # management command would otherwise pay at start for a page few requests need.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def certificate_context(certificate, *, application, record, language: str) -> dict:
    """Return what the certificate template shows; call with `language` active."""
    verify_url = settings.SITE_URL.rstrip("/") + reverse("certificates:verify", kwargs={"code": certificate.code})
    session = certificate.session
    context = {
        "certificate": certificate,
        "is_course": certificate.kind == CertificateKind.COURSE,
        "japanese": language.startswith("ja"),
        "language": language,
        "holder_name": application.name,
        "holder_organisation": " ".join(filter(None, [application.organisation, application.department])),
        "series": certificate.series,
        "issued_on": date_long(certificate.issued_on, language),
        "verify_url": verify_url,
        "qr_svg": segno.make_qr(verify_url, error="m").svg_inline(scale=1, border=0, omitsize=True, dark="#1b2b4b"),
    }
    if session is not None:
        context |= {"session": session, "when": format_span(session.starts_at, session.ends_at, language)}
    if record is not None:
        attended = [row.session for row in record.attended_rows]
        context |= {
            "attended_sessions": [
                {"session": each, "day": date_long(timezone.localdate(each.starts_at), language)} for each in attended
            ],
            "attended_count": len(attended),
            "attended_minutes": sum(each.length_minutes for each in attended),
            "session_total": certificate.series.sessions.count(),
        }
    return context


def date_long(day: dt.date, language: str) -> str:
    """Return a date as a certificate writes it: "2026年12月20日" or "December 20, 2026"."""
    if language.startswith("ja"):
        return f"{day.year}年{day.month}月{day.day}日"
    with translation.override("en"):
        return date_format(day, "F j, Y")


def _no_fetching(url, *args, **kwargs):
    # Everything the certificate shows is inline (CSS, the QR code as SVG): a URL in the
    # template or in typed data must never make the server fetch anything.
    raise ValueError(f"certificates fetch nothing: {url}")
