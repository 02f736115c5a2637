"""Attendee report files: one size limit for the upload and the command, read as a stream in bounded memory."""
import datetime as dt
import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from registrations.attendance_reports import minutes_attended, report_parse, report_time
from registrations.models import AttendanceImport, AttendanceRecord
from tests.factories import ApplicationFactory
from tests.registrations.test_attendance_admin import office, office_client, session, url  # noqa: F401

START = dt.datetime(2026, 12, 17, 14, 0)


def participants_export(rows: int, people: int) -> bytes:
    """A Zoom participants export: `rows` joins of `people` people (each rejoining many times), times to the second."""
    lines = ["Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    for n in range(rows):
        joined = START + dt.timedelta(seconds=(n * 37) % 6000)
        left = joined + dt.timedelta(seconds=300 + n % 900)
        lines.append(f"Person {n % people},person{n % people}@example.jp,{joined:%m/%d/%Y %I:%M:%S %p},"
                     f"{left:%m/%d/%Y %I:%M:%S %p},{(left - joined).seconds // 60},No")
    return ("\r\n".join(lines) + "\r\n").encode()


def _peak_while_parsing(content: bytes) -> tuple[int, object]:
    stream = io.BytesIO(content)
    report_time.cache_clear()
    tracemalloc.start()
    try:
        report = report_parse(stream)
        return tracemalloc.get_traced_memory()[1], report
    finally:
        tracemalloc.stop()
        assert not stream.closed  # the caller's file (an upload) stays theirs


def test_a_report_is_read_as_a_stream_in_memory_that_grows_with_the_people_not_the_file():
    small, large = participants_export(rows=6_000, people=50), participants_export(rows=18_000, people=50)

    small_peak, _report = _peak_while_parsing(small)
    large_peak, report = _peak_while_parsing(large)

    assert report.row_count == 18_000 and len(report.by_person()) == 50
    # Three times the file, not three times the memory: no copy of the file, its text or its rows is held.
    assert large_peak < 1.5 * small_peak, f"{small_peak:,} then {large_peak:,} bytes at the peak"
    assert large_peak < len(large) / 2


def test_the_joined_rows_give_the_minutes_the_rows_give():
    lines = b"email,join time,leave time,minutes\n"
    lines += b"a@example.jp,2026/12/17 14:00,2026/12/17 14:30,\n"  # 30 minutes
    lines += b"a@example.jp,2026/12/17 14:20,2026/12/17 14:50,\n"  # overlaps: 20 more
    lines += b"a@example.jp,2026/12/17 15:10,2026/12/17 15:20,\n"  # after a break: 10 more
    lines += b"a@example.jp,,,5\n"  # minutes only: 5 more
    report = report_parse(lines)
    assert report.row_count == 4
    assert minutes_attended(report.by_person()["a@example.jp"]) == 65


@pytest.mark.django_db
def test_the_command_refuses_a_file_above_the_limit_and_records_nothing(settings, session, tmp_path):  # noqa: F811
    ApplicationFactory(session=session, email="person0@example.jp")
    settings.ATTENDANCE_REPORT_MAX_BYTES = 4096
    path = tmp_path / "participants.csv"
    path.write_bytes(participants_export(rows=200, people=1))

    with translation.override("en"), pytest.raises(CommandError, match="The file is larger than 4.0"):
        call_command("import_attendance", session.slug, str(path))

    assert not AttendanceImport.objects.exists() and not AttendanceRecord.objects.exists()


@pytest.mark.django_db
def test_the_upload_refuses_a_file_above_the_same_limit_on_its_form(settings, office_client, session):  # noqa: F811
    ApplicationFactory(session=session, email="person0@example.jp")
    settings.ATTENDANCE_REPORT_MAX_BYTES = 4096
    upload = SimpleUploadedFile("participants.csv", participants_export(rows=200, people=1), content_type="text/csv")

    response = office_client.post(url("admin:seminars_session_attendance_import", session.pk), {"report": upload})

    assert response.status_code == 200
    assert "The file is larger than 4.0" in response.content.decode()
    assert not AttendanceImport.objects.exists()


@pytest.mark.django_db
def test_an_upload_within_the_limit_is_imported_from_the_uploaded_file(settings, office_client, session):  # noqa: F811
    application = ApplicationFactory(session=session, email="person0@example.jp")
    content = participants_export(rows=200, people=1)
    settings.ATTENDANCE_REPORT_MAX_BYTES = len(content)
    upload = SimpleUploadedFile("participants.csv", content, content_type="text/csv")

    response = office_client.post(url("admin:seminars_session_attendance_import", session.pk), {"report": upload},
                                  follow=True)

    assert response.status_code == 200
    assert AttendanceImport.objects.get().rows == 200
    record = AttendanceRecord.objects.get(application=application)
    assert (record.status, record.source) == ("attended", "report") and record.minutes > 60
