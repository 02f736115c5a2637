"""A known data set: two sessions of a series, their applications, attendance and course record.

Session 1 (capacity 10): 5 applications on 30 June, 1 July (one at 00:30 Japan time, still 30 June
in UTC) and 2 July; 3 confirmed, 1 on the waiting list, 1 cancelled; 2 attended, 1 absent.
Session 2 (capacity 5): 3 confirmed, all attended; two of them applied to session 1 too (one of
those attended both, the other was absent from session 1).
Questionnaires: session 1, 2 responses (satisfaction 5 and 4; another scale question answered 1,
which is not satisfaction); session 2, 1 response to a version since replaced (3) and 2 to the
current one (4 and 5).
"""
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from certificates.services import course_attendance_sync
from questionnaires.enums import QuestionKind
from questionnaires.models import Answer, Question, Questionnaire, Response
from registrations.enums import ApplicationStatus, AttendanceSource, AttendanceStatus
from registrations.models import AttendanceRecord
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SeriesFactory, SessionFactory

PASSWORD = "a-long-office-password-2025"
CONFIRMED, WAITLISTED = ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED
CANCELLED = ApplicationStatus.CANCELLED
ATTENDED, ABSENT = AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT


@pytest.fixture
def office():
    call_command("create_office_user", "office", "office@example.org", password=PASSWORD, stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


@pytest.fixture
def office_client(office):
    client = Client()
    client.force_login(office)
    return client


@pytest.fixture
def series():
    return SeriesFactory(title_en="Harassment Prevention Seminars", title_ja="カスハラ防止セミナー")


@pytest.fixture
def sessions(series):
    first = SessionFactory(
        series=series, number=1, capacity=10, title_ja="基礎編",
        starts_at=tokyo(2025, 7, 31, 14, 0), applications_open_on=dt.date(2025, 6, 30),
        applications_close_on=dt.date(2025, 7, 28),
    )
    second = SessionFactory(
        series=series, number=2, capacity=5, title_ja="応用編",
        starts_at=tokyo(2025, 9, 30, 14, 0), applications_open_on=dt.date(2025, 9, 1),
        applications_close_on=dt.date(2025, 9, 26),
    )
    return first, second


def apply(session, email, status, industry, size, prefecture, attendance, created_at, record=None):
    application = ApplicationFactory(
        session=session, email=email, status=status, industry=industry, organisation_size=size,
        prefecture=prefecture, attendance=attendance, created_at=created_at,
    )
    if record:
        AttendanceRecord.objects.create(application=application, status=record, source=AttendanceSource.OFFICE)
    return application


@pytest.fixture
def dataset(sessions):
    first, second = sessions
    rows = [
        (first, "a1@example.jp", CONFIRMED, "retail", "1-9", "13", "online", tokyo(2025, 6, 30, 10, 0), ATTENDED),
        (first, "a2@example.jp", CONFIRMED, "retail", "10-49", "14", "venue", tokyo(2025, 7, 1, 0, 30), ATTENDED),
        (first, "a3@example.jp", CONFIRMED, "medical", "100-299", "13", "online", tokyo(2025, 7, 1, 12, 0), ABSENT),
        (first, "a4@example.jp", WAITLISTED, "retail", "1-9", "11", "online", tokyo(2025, 7, 2, 9, 0), None),
        (first, "a5@example.jp", CANCELLED, "finance", "1000+", "13", "venue", tokyo(2025, 7, 2, 18, 0), None),
        (second, "a1@example.jp", CONFIRMED, "retail", "1-9", "13", "online", tokyo(2025, 9, 1, 9, 0), ATTENDED),
        (second, "a3@example.jp", CONFIRMED, "medical", "100-299", "13", "online", tokyo(2025, 9, 2, 9, 0),
         ATTENDED),
        (second, "b3@example.jp", CONFIRMED, "construction", "50-99", "12", "venue", tokyo(2025, 9, 2, 23, 59),
         ATTENDED),
    ]
    applications = [apply(*row) for row in rows]
    # The hourly task that keeps the course record (who attended which session) past erasure.
    course_attendance_sync(now=tokyo(2025, 10, 1, 9, 0))
    a1, a2, _a3, _a4, _a5, b1, b2, b3 = applications
    respond(first, {a1: (5, 1), a2: (4, None)})
    respond(second, {b1: (3, None)}, superseded_at=tokyo(2025, 10, 2, 9, 0), version=1)
    respond(second, {b2: (4, None), b3: (5, None)}, version=2)
    return applications


def respond(session, answers: dict, superseded_at=None, version=1) -> None:
    """Add a questionnaire to the session and a response per application: {application: (satisfaction, other)}."""
    questionnaire = Questionnaire.objects.create(
        series=session.series, session=session, version=version, title="アンケート", superseded_at=superseded_at,
    )
    satisfaction = Question.objects.create(questionnaire=questionnaire, kind=QuestionKind.SCALE, key="satisfaction",
                                           text="満足度", order=1)
    other = Question.objects.create(questionnaire=questionnaire, kind=QuestionKind.SCALE, key="usefulness",
                                    text="役立ち度", order=2)
    for index, (application, (points, other_points)) in enumerate(answers.items()):
        moment = session.ends_at + dt.timedelta(hours=1)
        response = Response.objects.create(questionnaire=questionnaire, application=application, submitted_at=moment,
                                           updated_at=moment, sort_key=index + 1)
        Answer.objects.create(response=response, question=satisfaction, scale=points)
        if other_points is not None:
            Answer.objects.create(response=response, question=other, scale=other_points)
