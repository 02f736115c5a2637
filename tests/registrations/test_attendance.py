"""Attendance from attendee reports: real-shaped Zoom files, the rules of matching, importing again, the command.

The fixtures (tests/fixtures/attendance/, see its README) belong to a session on
2026-12-17 14:00–16:00 Japan time: 120 minutes, 60 of them to count as attended.
"""
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from registrations.attendance import (
    AttendanceRefused,
    attendance_check_in,
    attendance_import,
    attendance_mark,
)
from registrations.attendance_reports import (
    PLAIN,
    ZOOM_PARTICIPANTS,
    ZOOM_WEBINAR,
    ReportRefused,
    minutes_attended,
    report_parse,
    report_time,
)
from registrations.enums import ApplicationStatus, AttendanceSource, AttendanceStatus
from registrations.models import AttendanceImport, AttendanceRecord, AuditEntry
from registrations.references import reference_display
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "attendance"
WINDOW = (tokyo(2026, 12, 17, 14, 0), tokyo(2026, 12, 17, 16, 0))
# Minutes each applicant of the fixtures attended, within the session (see the README there).
EXPECTED = {
    "hanako.yamada@example.jp": 90,
    "taro.suzuki@example.jp": 60,  # 13:55–14:20 (20 within the session) and 14:25–15:05 after a rejoin
    "ichiro.sato@example.jp": 80,  # two devices, 14:00–15:00 and 14:30–15:20: once, not 110
    "jiro.tanaka@example.jp": 30,
    "mika.ito@example.jp": 120,  # written Mika.Ito@Example.JP (or in full-width letters) in the report
}
ZOOM_FILES = ["zoom_webinar_attendee_en.csv", "zoom_webinar_attendee_ja.csv", "zoom_participants_en.csv",
              "zoom_participants_ja_cp932.csv"]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- reading files (no database) ---


@pytest.mark.parametrize("name, report_format", [
    ("zoom_webinar_attendee_en.csv", ZOOM_WEBINAR),
    ("zoom_webinar_attendee_ja.csv", ZOOM_WEBINAR),
    ("zoom_participants_en.csv", ZOOM_PARTICIPANTS),
    ("zoom_participants_ja_cp932.csv", ZOOM_PARTICIPANTS),
])
def test_zoom_reports_give_the_minutes_of_each_attendee_and_ignore_hosts_and_panelists(name, report_format):
    report = report_parse(fixture(name))

    minutes = {email: minutes_attended(rows, window=WINDOW) for email, rows in report.by_person().items()}

    assert report.report_format == report_format
    assert {email: minutes[email] for email in EXPECTED} == EXPECTED
    assert minutes["guest.visitor@example.com"] == 120
    assert "host@example.org" not in minutes and "speaker@example.org" not in minutes


def test_a_registrant_who_never_came_is_in_the_webinar_report_for_0_minutes():
    report = report_parse(fixture("zoom_webinar_attendee_en.csv"))

    assert minutes_attended(report.by_person()["ken.kato@example.jp"], window=WINDOW) == 0


def test_a_row_without_an_email_is_listed_as_a_problem_not_guessed_from_the_name():
    report = report_parse(fixture("zoom_participants_en.csv"))

    assert [(problem.line, problem.name, problem.why) for problem in report.problems] == [
        (13, "Phone caller", "no_email")
    ]


def test_a_plain_csv_with_minutes_only_sums_the_rows_of_a_person():
    report = report_parse(fixture("plain_minutes.csv"))

    assert report.report_format == PLAIN
    assert minutes_attended(report.by_person()["taro.suzuki@example.jp"], window=WINDOW) == 65


def test_a_plain_csv_with_join_and_leave_times_in_iso_form():
    report = report_parse(b"Email,Join,Leave\nA@example.jp,2026-12-17 14:00,2026-12-17 15:10\n")

    assert minutes_attended(report.by_person()["a@example.jp"], window=WINDOW) == 70


@pytest.mark.parametrize("text, expected", [
    ("12/17/2026 02:00:00 PM", tokyo(2026, 12, 17, 14, 0)),
    ("2026/12/17 14:00:00", tokyo(2026, 12, 17, 14, 0)),
    ("2026-12-17 14:00", tokyo(2026, 12, 17, 14, 0)),
    ("Dec 17, 2026 02:00:00 PM", tokyo(2026, 12, 17, 14, 0)),
    ("2026/12/17 午後 2:00:00", tokyo(2026, 12, 17, 14, 0)),
    ("2026-12-17T05:00:00+00:00", tokyo(2026, 12, 17, 14, 0)),
    ("--", None),
])
def test_times_are_read_in_the_forms_the_exports_use_as_japan_time(text, expected):
    assert report_time(text) == expected


@pytest.mark.parametrize("content, code", [
    (b"", "empty"),
    (b"PK\x03\x04rest-of-a-workbook", "xlsx"),
    ((FIXTURES / "not_a_report.csv").read_bytes(), "unknown"),
    (b"email,name\na@example.jp,A\n", "columns"),
    (b"Attendee Report,\nHost Details,\nAttended,User Name,Email\n", "no_attendees"),
    (b"email,minutes\n", "no_rows"),
    (b"email,minutes\na@example.jp,many\n", "no_usable_rows"),
    (bytes(range(128, 256)) * 4, "encoding"),
])
def test_a_file_that_is_not_a_report_we_know_is_refused_with_a_reason(content, code):
    with pytest.raises(ReportRefused) as refused:
        report_parse(content)

    assert refused.value.code == code
    assert str(refused.value.message)


# --- importing into a session ---


@pytest.fixture
def session():
    return SessionFactory(starts_at=WINDOW[0], ends_at=WINDOW[1])


@pytest.fixture
def office():
    return get_user_model().objects.create_user("office", password="a-long-office-password-2025", is_staff=True)


@pytest.fixture
def applications(session):
    """The fixtures' applicants, one confirmed applicant not in any report, one waitlisted, one cancelled."""
    emails = [*EXPECTED, "ken.kato@example.jp", "yuki.kobayashi@example.jp"]
    made = {email: ApplicationFactory(session=session, email=email) for email in emails}
    made["wait"] = ApplicationFactory(session=session, email="wait@example.jp", status=ApplicationStatus.WAITLISTED)
    made["cancelled"] = ApplicationFactory(
        session=session, email="guest.visitor@example.com", status=ApplicationStatus.CANCELLED
    )
    return made


def recorded(applications) -> dict:
    rows = AttendanceRecord.objects.filter(application__in=applications.values()).values_list(
        "application__email", "status", "minutes", "source"
    )
    return {email: (status, minutes, source) for email, status, minutes, source in rows}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ZOOM_FILES)
def test_import_records_minutes_and_verdicts_and_lists_the_guest(name, session, applications, office):
    result = attendance_import(session=session, file=fixture(name), filename=name, by=office)

    attended, absent, report = AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT, AttendanceSource.REPORT
    expected = {
        "hanako.yamada@example.jp": (attended, 90, report),
        "taro.suzuki@example.jp": (attended, 60, report),
        "ichiro.sato@example.jp": (attended, 80, report),
        "jiro.tanaka@example.jp": (absent, 30, report),
        "mika.ito@example.jp": (attended, 120, report),
        "ken.kato@example.jp": (absent, 0, report),  # "No" in the webinar report, or not in the participants export
        "yuki.kobayashi@example.jp": (absent, 0, report),  # confirmed, not in the report
    }
    assert recorded(applications) == expected  # waitlisted and cancelled: not recorded
    assert (result.attended, result.absent) == (4, 3)
    # The guest's address belongs only to a cancelled application: listed, never matched to it.
    assert [(row["email"], row["why"]) for row in result.unmatched if row["email"]] == [
        ("guest.visitor@example.com", "cancelled")
    ]
    stored = AttendanceImport.objects.get()
    assert (stored.session, stored.filename, stored.imported_by, stored.matched) == (session, name, office,
                                                                                      result.matched)
    entry = AuditEntry.objects.get(application=applications["ichiro.sato@example.jp"])
    assert (entry.action, entry.actor, entry.actor_label) == ("attendance", office, "office")
    assert entry.changes["attendance_status"] == [None, "attended"]
    assert entry.changes["minutes_attended"] == [None, 80]


@pytest.mark.django_db
def test_an_address_nobody_applied_with_is_listed_as_unknown(session, applications, office):
    applications["cancelled"].delete()

    result = attendance_import(session=session, file=fixture("zoom_webinar_attendee_en.csv"),
                               filename="report.csv", by=office)

    assert [(row["line"], row["email"], row["why"]) for row in result.unmatched] == [
        (19, "guest.visitor@example.com", "unknown")
    ]


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(session, applications, office):
    content = fixture("zoom_webinar_attendee_ja.csv")
    first = attendance_import(session=session, file=content, filename="ja.csv", by=office)
    before = (recorded(applications), AuditEntry.objects.count(), list(AttendanceRecord.objects.values()))

    again = attendance_import(session=session, file=content, filename="ja-copy.csv", by=office)

    assert again.unchanged and again.attendance_import == first.attendance_import
    assert (again.attended, again.absent, again.unmatched) == (first.attended, first.absent, first.unmatched)
    assert AttendanceImport.objects.count() == 1
    assert (recorded(applications), AuditEntry.objects.count(), list(AttendanceRecord.objects.values())) == before


@pytest.mark.django_db
def test_a_corrected_file_replaces_the_earlier_import_but_keeps_the_offices_records(session, applications, office):
    attendance_import(session=session, file=fixture("zoom_webinar_attendee_en.csv"), filename="a.csv",
                      by=office)
    attendance_mark(applications=[applications["hanako.yamada@example.jp"]], status=AttendanceStatus.ABSENT,
                    by=office)
    corrected = b"email,minutes\njiro.tanaka@example.jp,75\nhanako.yamada@example.jp,100\n"

    result = attendance_import(session=session, file=corrected, filename="b.csv", by=office)

    records = recorded(applications)
    assert records["jiro.tanaka@example.jp"] == (AttendanceStatus.ATTENDED, 75, AttendanceSource.REPORT)
    assert records["hanako.yamada@example.jp"] == (AttendanceStatus.ABSENT, 90, AttendanceSource.OFFICE)
    assert records["mika.ito@example.jp"] == (AttendanceStatus.ABSENT, 0, AttendanceSource.REPORT)
    assert result.kept == 1 and result.absent_not_in_report == 5
    assert set(AttendanceRecord.objects.filter(source=AttendanceSource.REPORT).values_list(
        "source_import__filename", flat=True)) == {"b.csv"}


@pytest.mark.django_db
def test_a_report_of_another_day_is_refused_and_changes_nothing(session, applications, office):
    other_day = b"Email,Join Time,Leave Time\nhanako.yamada@example.jp,2026/12/10 14:00:00,2026/12/10 15:00:00\n"

    with pytest.raises(AttendanceRefused) as refused:
        attendance_import(session=session, file=other_day, filename="old.csv", by=office)

    assert refused.value.code == "other_session"
    assert not AttendanceRecord.objects.exists() and not AttendanceImport.objects.exists()


@pytest.mark.django_db
def test_two_applications_matching_one_address_are_ambiguous_and_left_alone(session, office):
    # Stored before addresses were normalised: one in full-width letters; both are active.
    ApplicationFactory(session=session, email="ｓａｍｅ@example.jp")
    ApplicationFactory(session=session, email="SAME@example.jp")

    result = attendance_import(session=session, file=b"email,minutes\nsame@example.jp,100\n",
                               filename="x.csv", by=office)

    assert [row["why"] for row in result.unmatched] == ["ambiguous"]
    assert not AttendanceRecord.objects.exists()


@pytest.mark.django_db
def test_the_session_share_overrides_the_default(session, applications, office):
    session.attendance_min_share = Decimal("0.75")  # 90 of 120 minutes
    session.save()

    attendance_import(session=session, file=fixture("zoom_participants_en.csv"), filename="p.csv", by=office)

    records = recorded(applications)
    assert records["hanako.yamada@example.jp"][0] == AttendanceStatus.ATTENDED  # 90
    assert records["ichiro.sato@example.jp"][0] == AttendanceStatus.ABSENT  # 80


# --- by hand and at the door ---


@pytest.mark.django_db
def test_marking_by_hand_records_who_and_refuses_cancelled_applications(session, applications, office):
    chosen = [applications["jiro.tanaka@example.jp"], applications["cancelled"]]

    result = attendance_mark(applications=chosen, status=AttendanceStatus.ATTENDED, by=office)

    assert (result.changed, [application for application, _why in result.refused]) == (1, [applications["cancelled"]])
    record = AttendanceRecord.objects.get()
    assert (record.status, record.source, record.recorded_by) == ("attended", "office", office)
    again = attendance_mark(applications=chosen[:1], status=AttendanceStatus.ATTENDED, by=office)
    assert (again.changed, again.unchanged) == (0, 1)
    assert AuditEntry.objects.filter(action="attendance").count() == 1


@pytest.mark.django_db
def test_check_in_by_reference_with_or_without_hyphen_once(session, applications, office):
    application = applications["hanako.yamada@example.jp"]
    typed = reference_display(application.reference).lower()

    first = attendance_check_in(session=session, reference=f"  {typed} ", by=office, now=tokyo(2026, 12, 17, 13, 50))
    second = attendance_check_in(session=session, reference=application.reference, by=office)

    assert (first.application, first.already, second.already) == (application, False, True)
    assert second.at == tokyo(2026, 12, 17, 13, 50)
    record = AttendanceRecord.objects.get()
    assert (record.status, record.source, record.recorded_by) == ("attended", "check_in", office)


@pytest.mark.django_db
@pytest.mark.parametrize("who, code", [("cancelled", "reference"), ("wait", "waitlisted"), ("other", "reference"),
                                       ("nobody", "reference")])
def test_check_in_refuses_with_a_reason(session, applications, office, who, code):
    if who == "cancelled":
        applications["cancelled"].session = SessionFactory()
        applications["cancelled"].save()
        reference = applications["cancelled"].reference
    elif who == "other":
        reference = ApplicationFactory().reference
    elif who == "nobody":
        reference = "ZZZZ-ZZZZ"
    else:
        reference = applications[who].reference

    with pytest.raises(AttendanceRefused) as refused:
        attendance_check_in(session=session, reference=reference, by=office)

    assert refused.value.code == code
    assert not AttendanceRecord.objects.exists()


@pytest.mark.django_db
def test_check_in_refuses_a_cancelled_application_of_the_session(session, applications, office):
    with pytest.raises(AttendanceRefused) as refused:
        attendance_check_in(session=session, reference=applications["cancelled"].reference, by=office)

    assert refused.value.code == "cancelled"


# --- the command ---


@pytest.mark.django_db
def test_command_imports_and_prints_the_counts_and_the_unmatched_rows(session, applications, office):
    out = io.StringIO()

    with translation.override("en"):  # the command speaks the active language
        call_command("import_attendance", session.slug, str(FIXTURES / "zoom_participants_en.csv"), "--by",
                     "office", stdout=out)

    printed = out.getvalue()
    assert "Zoom participants export: 9 rows read, 2 rows not matched." in printed
    # The numbers add up: 5 matched + 2 not in the report = 4 attended + 3 absent.
    assert ("5 people in the report matched an application. 2 confirmed applicants were not in the report. "
            "Recorded: 4 attended, 3 absent (2 of them not in the report).") in printed
    assert "line 11: guest.visitor@example.com" in printed
    assert "line 13: – Phone caller: the row has no email address" in printed
    assert AttendanceImport.objects.get().imported_by == office


@pytest.mark.django_db
def test_command_refuses_an_unknown_file_with_the_reason(session):
    with translation.override("en"), pytest.raises(CommandError, match="not an attendee report we know"):
        call_command("import_attendance", session.slug, str(FIXTURES / "not_a_report.csv"))
    with translation.override("en"), pytest.raises(CommandError, match="No session"):
        call_command("import_attendance", "no-such-session", str(FIXTURES / "not_a_report.csv"))


def test_minutes_never_exceed_the_session():
    rows = report_parse(b"email,minutes\na@example.jp,100\na@example.jp,100\n").by_person()["a@example.jp"]

    assert minutes_attended(rows, window=WINDOW) == 120
    assert minutes_attended(rows) == 200
    assert WINDOW[1] - WINDOW[0] == dt.timedelta(minutes=120)
