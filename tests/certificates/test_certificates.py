"""Certificates: the PDFs in both languages, issuing once, the verification page, the course record."""
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from certificates.enums import CertificateKind
from certificates.models import Certificate, CourseAttendance
from certificates.selectors import course_record_for
from certificates.services import certificate_issue_for_session, course_attendance_sync, course_records_expire
from registrations.enums import ApplicationStatus, AttendanceStatus
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_token
from tests.certificates.conftest import apply, attend, held_session

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """Return the PDF's text without any white space (Japanese is extracted glyph by glyph)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[\s\u200b]+", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def url(name, application, language="ja"):
    with translation.override(language):
        return reverse(f"certificates:{name}", kwargs={"token": manage_token(application)})


@pytest.mark.parametrize(("language", "title"), [
    ("ja", "カスタマーハラスメント対策 第3講"),
    ("en", "Preventing customer harassment, part 3"),
])
def test_session_certificate_renders_in_the_applicants_language(client, three_sessions, language, title):
    application = attend(apply(three_sessions[2], language=language))

    response = client.get(url("session", application))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    certificate = Certificate.objects.get()
    text = pdf_text(response.content)
    assert squeeze("山田 花子") in text
    assert squeeze(title) in text
    assert certificate.number in text
    assert "株式会社サンプル商事" in text
    # The verification address in the applicant's language: English under /en/.
    assert (f"/en/certificates/{certificate.code}/" in text) == (language == "en")


def test_session_certificate_is_issued_once(client, three_sessions):
    application = attend(apply(three_sessions[0]))

    first = client.get(url("session", application))
    second = client.get(url("session", application))

    assert first.status_code == second.status_code == 200
    certificate = Certificate.objects.get()
    assert certificate.kind == CertificateKind.SESSION
    assert certificate.session == three_sessions[0] and certificate.application == application
    assert re.fullmatch(rf"CH-{certificate.issued_on.year}-\d{{5}}", certificate.number)
    assert certificate.number in pdf_text(second.content)


@pytest.mark.parametrize("status", [AttendanceStatus.ABSENT, None])
def test_session_certificate_404_when_not_attended(client, three_sessions, status):
    application = apply(three_sessions[0])
    if status:
        attend(application, status)

    response = client.get(url("session", application))

    assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_certificate_links_refuse_a_forged_token(client, three_sessions):
    response = client.get(reverse("certificates:session", kwargs={"token": "forged:token"}))

    assert response.status_code == 404


def test_verification_page_confirms_a_real_code_without_personal_data(client, three_sessions):
    application = attend(apply(three_sessions[1]))
    client.get(url("session", application))
    certificate = Certificate.objects.get()

    response = client.get(certificate.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert certificate.number in page
    assert "カスタマーハラスメント対策 第2講" in page
    assert "山田" not in page and application.email not in page and "サンプル商事" not in page
    assert "noindex" in response["X-Robots-Tag"]


def test_verification_page_in_english(client, three_sessions):
    application = attend(apply(three_sessions[1]))
    client.get(url("session", application))
    certificate = Certificate.objects.get()

    with translation.override("en"):
        address = certificate.get_absolute_url()
    response = client.get(address)

    assert address.startswith("/en/")
    assert response.status_code == 200
    assert "Preventing customer harassment, part 2" in response.content.decode()


def test_verification_page_404_for_a_forged_code(client, three_sessions):
    response = client.get(reverse("certificates:verify", kwargs={"code": "forged-code-12345"}))

    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_verification_page_still_answers_after_erasure(client, settings, three_sessions):
    application = attend(apply(three_sessions[0]))
    client.get(url("session", application))
    certificate = Certificate.objects.get()
    forged = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")

    erased = applications_erase_personal_data(now=three_sessions[0].ends_at + dt.timedelta(
        days=settings.PERSONAL_DATA_RETENTION_DAYS, minutes=1
    ))

    application.refresh_from_db()
    assert erased >= 1 and application.personal_data_erased_at is not None
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    assert certificate.number in response.content.decode()
    assert client.get(reverse("certificates:verify", kwargs={"code": forged})).status_code == 404


def test_course_certificate_appears_exactly_at_the_threshold(client, three_sessions):
    first, second = (attend(apply(session)) for session in three_sessions[:2])
    third = apply(three_sessions[2])

    # 2 of 3 attended: no course certificate, one more session needed.
    assert client.get(url("course", second)).status_code == 404
    page = client.get(reverse("registrations:manage", kwargs={"token": manage_token(second)})).content.decode()
    assert url("course", second) not in page
    assert course_record_for(second).remaining == 1

    attend(third)

    response = client.get(url("course", third))
    assert response.status_code == 200
    certificate = Certificate.objects.get(kind=CertificateKind.COURSE)
    text = pdf_text(response.content)
    assert certificate.number in text and squeeze("山田 花子") in text
    # The same certificate from every attended page of the person.
    assert client.get(url("course", first)).status_code == 200
    assert Certificate.objects.filter(kind=CertificateKind.COURSE).count() == 1
    page = client.get(reverse("registrations:manage", kwargs={"token": manage_token(second)})).content.decode()
    assert url("course", second) in page


def test_course_certificate_not_offered_to_an_application_not_attended(client, series, three_sessions):
    for session in three_sessions:
        attend(apply(session))
    later = held_session(4, days_ago=-20, series=series)
    typed_by_someone = apply(later, name="別人")

    record = course_record_for(typed_by_someone)

    assert record.complete and not record.course_certificate_available
    assert client.get(url("course", typed_by_someone)).status_code == 404


def test_manage_page_shows_the_course_record(client, three_sessions):
    attend(apply(three_sessions[0]))
    attend(apply(three_sessions[1]), AttendanceStatus.ABSENT)
    current = attend(apply(three_sessions[2]))
    apply(three_sessions[0], email="someone.else@example.jp")

    response = client.get(reverse("registrations:manage", kwargs={"token": manage_token(current)}))

    assert response.status_code == 200
    section = response.content.decode().split('id="course-record-title"')[1].split("</section>")[0]
    for session in three_sessions:
        assert session.title in section
    assert section.count("course-record__status--attended") == 2
    assert section.count("course-record__status--absent") == 1
    assert url("session", current) in section
    assert url("course", current) not in section


def test_cancelled_applications_of_others_sessions_are_left_out(three_sessions):
    apply(three_sessions[0], status=ApplicationStatus.CANCELLED)
    current = apply(three_sessions[1])

    record = course_record_for(current)

    assert [row.session for row in record.rows] == [three_sessions[1]]


def test_course_record_keeps_erased_sessions_that_were_attended(client, settings, series):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old = [held_session(number, days_ago=60 - 10 * number, series=series) for number in (1, 2)]
    latest = held_session(3, days_ago=5, series=series)
    for session in old:
        attend(apply(session))
    current = attend(apply(latest, email="Hanako.Yamada@example.jp "))

    course_attendance_sync()
    applications_erase_personal_data()

    assert CourseAttendance.objects.count() == 3
    record = course_record_for(current)
    assert record.attended == 3 and record.course_certificate_available
    assert client.get(url("course", current)).status_code == 200
    # The erased applications' own links no longer work, and their rows hold no email.
    assert not CourseAttendance.objects.filter(holder_digest__contains="@").exists()


def test_sync_removes_a_session_the_office_corrected_to_absent(three_sessions):
    application = attend(apply(three_sessions[0]))
    course_attendance_sync()
    attend(application, AttendanceStatus.ABSENT)

    course_attendance_sync()

    assert not CourseAttendance.objects.exists()


def test_course_record_is_deleted_after_the_series_retention(client, settings, three_sessions):
    applications = [attend(apply(session)) for session in three_sessions]
    client.get(url("course", applications[2]))
    course_attendance_sync()
    last_end = three_sessions[2].ends_at
    keep = dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)

    assert course_records_expire(now=last_end + keep - dt.timedelta(minutes=1)) == 0
    assert course_records_expire(now=last_end + keep) == 3

    assert not CourseAttendance.objects.exists()
    certificate = Certificate.objects.get(kind=CertificateKind.COURSE)
    assert certificate.holder_digest == ""
    assert client.get(certificate.get_absolute_url()).status_code == 200


def test_issued_on_is_the_japan_date_of_the_first_download(three_sessions):
    application = attend(apply(three_sessions[0]))
    # 2026-12-31 23:30 UTC is already 1 January 2027 in Tokyo.
    moment = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)

    certificate = certificate_issue_for_session(application=application, now=moment)
    again = certificate_issue_for_session(application=application, now=moment + dt.timedelta(days=40))

    assert certificate.issued_on == dt.date(2027, 1, 1) and certificate.year == 2027
    assert again.pk == certificate.pk and again.issued_on == certificate.issued_on


def test_how_many_came_to_how_many_sessions_outlives_the_course_record(settings, three_sessions):
    from certificates.selectors import people_by_sessions_attended

    for session in three_sessions:  # one person at all three
        attend(apply(session))
    for session in three_sessions[:2]:  # another at two
        attend(apply(session, email="taro@example.jp"))
    attend(apply(three_sessions[0], email="jiro@example.jp"))  # a third at one
    course_attendance_sync()
    series_id = three_sessions[0].series_id
    before = people_by_sessions_attended(series_id)

    course_records_expire(now=three_sessions[2].ends_at + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS))
    course_records_expire(now=three_sessions[2].ends_at + dt.timedelta(days=400))  # a later run adds nothing

    assert before == [(1, 1), (2, 1), (3, 1)]
    assert not CourseAttendance.objects.exists()
    assert people_by_sessions_attended(series_id) == before
