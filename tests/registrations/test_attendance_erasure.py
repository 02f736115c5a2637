"""Erasure reaches attendance: the rows of an attendee report that matched nobody name people, and go with the rest."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from registrations.attendance import attendance_import
from registrations.models import AttendanceImport, AttendanceRecord
from registrations.retention import applications_erase_personal_data
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory

from .test_erasure_everywhere import copies_in_database

pytestmark = pytest.mark.django_db

REPORT = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
          "消去 来訪者,erase.visitor.5521@example.com,2026/12/17 14:00:00,2026/12/17 16:00:00,120,Yes\n"
          "消去 申込者,erase.applicant.5522@example.jp,2026/12/17 14:00:00,2026/12/17 15:30:00,90,No\n").encode()


@pytest.mark.parametrize("with_applications", [True, False])
def test_erasure_empties_the_unmatched_rows_and_keeps_the_attendance(settings, with_applications):
    session = SessionFactory(starts_at=tokyo(2026, 12, 17, 14, 0), ends_at=tokyo(2026, 12, 17, 16, 0))
    if with_applications:
        ApplicationFactory(session=session, email="erase.applicant.5522@example.jp", name="消去 申込者")
    office = get_user_model().objects.create_user("office", is_staff=True)
    attendance_import(session=session, file=REPORT, filename="participants.csv", by=office)
    values = {"erase.visitor.5521@example.com", "消去 来訪者", "erase.applicant.5522@example.jp", "消去 申込者"}
    assert copies_in_database(values)

    applications_erase_personal_data(
        now=session.ends_at + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS, seconds=1)
    )

    assert copies_in_database(values) == set()
    assert AttendanceImport.objects.get().unmatched == []
    assert list(AttendanceRecord.objects.values_list("status", "minutes")) == (
        [("attended", 90)] if with_applications else []
    )
