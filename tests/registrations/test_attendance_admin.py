"""The office records attendance in the admin: upload a report, see the counts, mark by hand, check in, print.

An office user (staff in the office group, not a superuser) through the test client;
every write goes through registrations.attendance.
"""
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from registrations.enums import ApplicationStatus, Attendance, AttendanceSource, AttendanceStatus
from registrations.models import AttendanceImport, AttendanceRecord, AuditEntry
from registrations.references import reference_display
from seminars.enums import SessionFormat
from tests.conftest import ARTIFACTS, tokyo
from tests.factories import ApplicationFactory, SessionFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "attendance"
EMAILS = ["hanako.yamada@example.jp", "taro.suzuki@example.jp", "ichiro.sato@example.jp", "jiro.tanaka@example.jp",
          "mika.ito@example.jp", "ken.kato@example.jp", "yuki.kobayashi@example.jp"]


def url(name, *args) -> str:
    """Return the admin page's address in English (under /en/ once the language is in the URL)."""
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def office():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


@pytest.fixture
def office_client(office):
    client = Client(headers={"accept-language": "en"})
    client.force_login(office)
    return client


@pytest.fixture
def session():
    return SessionFactory(starts_at=tokyo(2026, 12, 17, 14, 0), ends_at=tokyo(2026, 12, 17, 16, 0),
                          format=SessionFormat.HYBRID, venue="Tokyo Metropolitan Labour Hall")


@pytest.fixture
def applications(session):
    return {email: ApplicationFactory(session=session, email=email) for email in EMAILS}


def upload(client, session, name, content=None):
    content = content if content is not None else (FIXTURES / name).read_bytes()
    address = url("admin:seminars_session_attendance_import", session.pk)
    return client.post(address, {"report": SimpleUploadedFile(name, content, content_type="text/csv")}, follow=True)


def counts_in(html: str, name: str) -> str:
    marker = f'data-count="{name}">'
    start = html.index(marker) + len(marker)
    return html[start:html.index("<", start)]


def test_upload_shows_the_counts_and_the_unmatched_rows(office_client, session, applications, office):
    response = upload(office_client, session, "zoom_webinar_attendee_ja.csv")

    assert response.status_code == 200
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url(
        "admin:seminars_session_attendance_result", session.pk, AttendanceImport.objects.get().pk
    )
    names = ("rows", "matched", "not_in_report", "attended", "absent", "kept", "unmatched")
    counts = dict(zip(names, (int(counts_in(html, name)) for name in names), strict=True))
    assert counts == {"rows": 9, "matched": 6, "not_in_report": 1, "attended": 4, "absent": 3, "kept": 0,
                      "unmatched": 1}
    # The numbers add up: everyone matched or confirmed but missing was recorded attended or absent, or kept.
    assert counts["matched"] + counts["not_in_report"] == counts["attended"] + counts["absent"] + counts["kept"]
    assert "6 matched + 1 confirmed but not in the report = 4 attended + 3 absent + 0 kept." in html
    assert "guest.visitor@example.com" in html and "no application of this session has this email address" in html
    assert "host@example.org" not in html
    [message] = [str(message) for message in response.context["messages"]]
    assert message == ("6 people in the report matched an application. 1 confirmed applicant was not in the report. "
                       "Recorded: 4 attended, 3 absent (1 of them not in the report).")
    assert AttendanceRecord.objects.filter(recorded_by=office).count() == 7


def test_the_session_page_shows_the_attendance_block_and_the_list_its_columns(office_client, session, applications):
    ApplicationFactory(session=session, email="waiting@example.jp", status=ApplicationStatus.WAITLISTED)
    ApplicationFactory(session=session, email="gone@example.jp", status=ApplicationStatus.CANCELLED)
    upload(office_client, session, "zoom_participants_en.csv")
    AttendanceRecord.objects.filter(application__email="yuki.kobayashi@example.jp").delete()

    page = office_client.get(url("admin:seminars_session_change", session.pk)).content.decode()
    listed = office_client.get(url("admin:seminars_session_changelist")).content.decode()

    assert [counts_in(page, name) for name in ("applied", "confirmed", "attended", "absent", "not_recorded",
                                               "rate")] == ["8", "7", "4", "2", "1", "57%"]
    assert 'name="attendance_min_share"' in page
    assert url("admin:seminars_session_check_in", session.pk) in page
    assert 'class="field-attended_count">4<' in listed and 'class="field-attendance_rate">57%<' in listed


def test_a_file_that_is_no_report_is_refused_on_the_form_without_a_500(office_client, session, applications):
    response = upload(office_client, session, "not_a_report.csv")

    assert response.status_code == 200
    assert "not an attendee report we know" in response.content.decode()
    assert not AttendanceImport.objects.exists()


def test_the_same_file_again_says_so_and_changes_nothing(office_client, session, applications):
    upload(office_client, session, "zoom_webinar_attendee_en.csv")
    entries = AuditEntry.objects.count()

    again = upload(office_client, session, "zoom_webinar_attendee_en.csv")

    assert any("already imported" in str(message) for message in again.context["messages"])
    assert (AttendanceImport.objects.count(), AuditEntry.objects.count()) == (1, entries)


def test_marking_by_hand_from_the_list_records_who_and_shows_in_the_list(office_client, session, applications, office):
    chosen = [applications["jiro.tanaka@example.jp"].pk, applications["ken.kato@example.jp"].pk]

    changelist = url("admin:registrations_application_changelist")
    response = office_client.post(changelist, {"action": "mark_attended", "index": "0",
                                               helpers.ACTION_CHECKBOX_NAME: chosen}, follow=True)

    assert any("Recorded 2 applications as “Attended”" in str(message) for message in response.context["messages"])
    records = AttendanceRecord.objects.filter(application_id__in=chosen)
    assert {(record.status, record.source, record.recorded_by) for record in records} == {
        (AttendanceStatus.ATTENDED, AttendanceSource.OFFICE, office)
    }
    listed = office_client.get(changelist, {"attended": "attended"}).content.decode()
    assert "Attended (Recorded by the office)" in listed
    assert reference_display(applications["jiro.tanaka@example.jp"].reference) in listed
    assert reference_display(applications["hanako.yamada@example.jp"].reference) not in listed
    not_recorded = office_client.get(changelist, {"attended": "none"}).content.decode()
    assert reference_display(applications["hanako.yamada@example.jp"].reference) in not_recorded
    trail = office_client.get(url("admin:registrations_application_change", chosen[0])).content.decode()
    assert "Attendance recorded" in trail and "Attendance: not recorded → Attended" in trail


def test_check_in_page_says_who_was_checked_in_or_why_not(office_client, session, applications):
    application = applications["hanako.yamada@example.jp"]
    check_in = url("admin:seminars_session_check_in", session.pk)

    done = office_client.post(check_in, {"reference": reference_display(application.reference).lower()}, follow=True)
    twice = office_client.post(check_in, {"reference": application.reference}, follow=True)
    wrong = office_client.post(check_in, {"reference": "ZZZZ-ZZZZ"}, follow=True)

    assert [str(m) for m in done.context["messages"]] == [
        f"Checked in: {reference_display(application.reference)} 山田 花子 (株式会社サンプル)."
    ]
    assert "was already checked in at" in [str(m) for m in twice.context["messages"]][0]
    assert "No application has the reference “ZZZZ-ZZZZ”" in [str(m) for m in wrong.context["messages"]][0]
    assert AttendanceRecord.objects.get().source == AttendanceSource.CHECK_IN


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_check_in_list_pdf_lists_venue_applicants_in_reading_order_with_references(office_client, session):
    people = [("渡辺 健", "ワタナベ ケン"), ("青木 愛", "あおき あい"), ("伊藤 誠", "イトウ マコト"),
              ("Zoe Online", "")]
    made = [
        ApplicationFactory(session=session, name=name, name_reading=reading, organisation=f"{name[:2]}商事",
                           attendance=Attendance.ONLINE if name.startswith("Zoe") else Attendance.VENUE)
        for name, reading in people
    ]

    response = office_client.get(url("admin:seminars_session_check_in_list", session.pk))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "attendance-check-in-list.pdf"  # kept for a look (pdftoppm -png -r 60)
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    positions = [text.index(name) for name in ("青木 愛", "伊藤 誠", "渡辺 健")]
    assert positions == sorted(positions)  # あおき, イトウ, ワタナベ
    assert all(reference_display(application.reference) in text for application in made[:3])
    assert "Zoe Online" not in text  # online, not on the venue's list
    assert "青木商事" in text


def test_exports_carry_the_attendance_columns(office_client, session, applications):
    upload(office_client, session, "zoom_participants_en.csv")
    export = url("admin:seminars_session_applicants", session.pk, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(office_client.get(export).content)).active

    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    status, minutes = header.index("Attendance"), header.index("Minutes attended")
    by_email = {row[header.index("Email")]: (row[status], row[minutes]) for row in rows[1:]}
    assert by_email["ichiro.sato@example.jp"] == ("Attended", 80)
    assert by_email["jiro.tanaka@example.jp"] == ("Absent", 30)
    ApplicationFactory(session=session, email="late@example.jp")
    sheet = openpyxl.load_workbook(io.BytesIO(office_client.get(export).content)).active
    assert ("late@example.jp", "Not recorded", None) in {
        (row[header.index("Email")], row[status], row[minutes]) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
