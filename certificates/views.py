"""Certificates downloaded from the applicant's manage link, and the public verification page.

Downloads answer 404 when the application has no right to the certificate (not attended,
course not completed) and, like the manage page, 404/410 for a link that is not genuine or
has expired. The verification page shows no personal data, so erasure changes nothing on it.
"""
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from registrations.private_pages import application_or_refusal, noindex, private_page

from .documents import certificate_pdf
from .enums import CertificateKind
from .selectors import certificate_for_code, course_record_for
from .services import CertificateRefused, certificate_issue_for_course, certificate_issue_for_session

DOWNLOAD_NAMES = {
    CertificateKind.SESSION: "certificate-of-attendance-{number}.pdf",
    CertificateKind.COURSE: "course-completion-certificate-{number}.pdf",
}


def _not_available(request, application, token):
    return render(
        request, "certificates/not_available.html", {"application": application, "token": token}, status=404
    )


def _pdf_response(certificate, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = DOWNLOAD_NAMES[certificate.kind].format(number=certificate.number)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@private_page
@require_GET
def session_certificate(request, token):
    """The certificate of attendance of the manage link's session, issued on the first download."""
    now = timezone.now()
    application, refused = application_or_refusal(request, token, now)
    if refused:
        return refused
    try:
        certificate = certificate_issue_for_session(application=application, now=now)
    except CertificateRefused:
        return _not_available(request, application, token)
    return _pdf_response(certificate, certificate_pdf(certificate, application=application))


@private_page
@require_GET
def course_certificate(request, token):
    """The course completion certificate of the manage link's person, issued on the first download."""
    now = timezone.now()
    application, refused = application_or_refusal(request, token, now)
    if refused:
        return refused
    try:
        certificate = certificate_issue_for_course(application=application, now=now)
    except CertificateRefused:
        return _not_available(request, application, token)
    record = course_record_for(application, now=now)
    return _pdf_response(certificate, certificate_pdf(certificate, application=application, record=record))


@noindex
@require_GET
def verify(request, code):
    """Confirm that a certificate with this code was issued: its number, kind, session or series, date."""
    certificate = certificate_for_code(code)
    if certificate is None:
        return render(request, "certificates/verify.html", {"certificate": None}, status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate})
