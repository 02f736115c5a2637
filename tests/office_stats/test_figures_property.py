"""Whatever happens to a series, its figures hold together: random series built through the real services.

Applicants apply, cancel and are moved; attendance is recorded and changed; people answer the
questionnaire (the absent too where the office allows it, and a new version in between); then the
personal data is erased. Every rate is between 0 and 100 %, every breakdown adds up to what it breaks
down, sessions not yet held have no rate, and the figures after erasure are the figures before.
"""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from office_stats.selectors import statistics_for_series
from questionnaires.figures import response_figures_by_session
from questionnaires.selectors import questionnaire_current, questionnaire_results
from questionnaires.services import (
    QuestionnaireRefused,
    ResponseRefused,
    questionnaire_new_version,
    response_submit,
)
from registrations.attendance import attendance_mark
from registrations.enums import ApplicationStatus, AttendanceStatus
from registrations.models import Application
from registrations.office_changes import application_move
from registrations.retention import applications_erase_personal_data
from registrations.services import ApplicationRefused, application_cancel, application_create
from tests.conftest import tokyo
from tests.factories import SeriesFactory, SessionFactory
from tests.questionnaires.conftest import build_questionnaire, values
from tests.registrations.conftest import service_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

APPLYING = tokyo(2025, 7, 10, 9, 0)
# The figures are read on 1 October 2025: sessions 1 and 2 have been held, session 3 (25 December) not yet.
READ_AT = tokyo(2025, 10, 1, 9, 0)
# Every session's personal data is due for erasure by then.
ERASED_AT = tokyo(2026, 6, 1, 4, 0)
STARTS = [tokyo(2025, 7, 31, 14, 0), tokyo(2025, 9, 10, 14, 0), tokyo(2025, 12, 25, 14, 0)]
PEOPLE = 6
RECORDS = [AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT]


def build_series(absent_may_answer: bool):
    series = SeriesFactory(title_ja="カスハラ防止セミナー")
    sessions = [
        SessionFactory(
            series=series, number=number, format="hybrid", starts_at=starts, capacity=[2, 3, 2][number - 1],
            waitlist_enabled=number != 3, applications_open_on=dt.date(2025, 6, 30),
            applications_close_on=dt.date(2025, 7, 28),
        )
        for number, starts in enumerate(STARTS, start=1)
    ]
    for session in sessions:
        build_questionnaire(session, absent_may_answer=absent_may_answer)
    return series, sessions


def answer(application, scale: int) -> None:
    """Answer the application's session's current questionnaire a day after the session, if it may."""
    application.refresh_from_db()
    questionnaire = questionnaire_current(application.session)
    try:
        response_submit(questionnaire=questionnaire, application=application,
                        values=values(questionnaire, scale=scale, single="A"),
                        now=application.session.ends_at + dt.timedelta(days=1))
    except ResponseRefused:
        pass


def snapshot(statistics) -> dict:
    """The figures that must not change when personal data is erased."""
    return {
        "figures": [vars(each).copy() for each in statistics.figures],
        "total": vars(statistics.total).copy(),
        "breakdowns": [(each.key, [(row.value, row.counts) for row in each.rows], each.total)
                       for each in statistics.breakdowns],
        "modes": [(row.value, row.applied_by_session, row.attended_by_session) for row in statistics.modes],
        "daily": [line.days for line in statistics.daily],
    }


def check_figures(statistics, sessions) -> None:
    applications = list(Application.objects.filter(session__in=sessions).select_related("attendance_record"))
    for figures in [*statistics.figures, statistics.total]:
        mine = [each for each in applications if figures.session is None or each.session_id == figures.session.pk]
        statuses = figures.confirmed + figures.waitlisted + figures.awaiting_draw + figures.not_drawn
        assert statuses + figures.cancelled == figures.applications == len(mine)
        expected = [each for each in mine if each.status != ApplicationStatus.CANCELLED and (
            each.status == ApplicationStatus.CONFIRMED or hasattr(each, "attendance_record"))]
        assert figures.attended + figures.absent + figures.not_recorded == figures.expected == len(expected)
        for rate in (figures.attendance_rate, figures.response_rate, figures.fill_rate):
            assert rate is None or 0 <= rate <= 1
        assert figures.responses <= figures.attended or not figures.held
        if figures.session is not None and not figures.held:
            assert figures.attendance_rate is None and figures.response_rate is None
    held = [each for each in statistics.figures if each.held]
    assert statistics.total.held_attended == sum(each.attended for each in held)
    assert statistics.total.held_responses == sum(each.responses for each in held)
    standing = sum(1 for each in applications if each.status != ApplicationStatus.CANCELLED)
    for breakdown in statistics.breakdowns:
        assert sum(row.total for row in breakdown.rows) == breakdown.total == standing
        for index in range(len(sessions)):
            assert sum(row.counts[index] for row in breakdown.rows) == (
                statistics.figures[index].applications - statistics.figures[index].cancelled)
        if breakdown.subtotal:
            assert breakdown.rows[0].total + breakdown.subtotal.total == breakdown.total
    assert sum(row.applied for row in statistics.modes) == standing
    assert sum(row.attended for row in statistics.modes) == statistics.total.attended
    for each in response_figures_by_session([session.pk for session in sessions]).values():
        assert each.from_attendees <= each.attendees
        assert each.rate is None or 0 <= each.rate <= 100
    for session in sessions:
        for questionnaire in session.questionnaires.all():
            results = questionnaire_results(questionnaire)
            assert results.rate is None or 0 <= results.rate <= 100


@st.composite
def histories(draw):
    """A series' history: who applies where, who cancels or moves, attendance, answers and corrections."""
    applies = draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, PEOPLE - 1)), min_size=1, max_size=10))
    count = len(applies)
    index = st.integers(0, count - 1)
    return {
        "absent_may_answer": draw(st.booleans()),
        "applies": applies,
        "venue": draw(st.lists(st.booleans(), min_size=count, max_size=count)),
        "cancels": draw(st.sets(index, max_size=3)),
        "moves": draw(st.lists(st.tuples(index, st.integers(0, 2)), max_size=3)),
        # Most people attend, some are recorded absent, some not at all; most who may answer do.
        "attendance": dict(enumerate(draw(st.lists(st.sampled_from([*RECORDS, RECORDS[0], None]), min_size=count,
                                                   max_size=count)))),
        "answers": dict(enumerate(draw(st.lists(st.one_of(st.none(), st.integers(1, 5), st.integers(1, 5)),
                                                min_size=count, max_size=count)))),
        "new_version": draw(st.sets(st.integers(0, 2), max_size=2)),
        "again": draw(st.dictionaries(index, st.integers(1, 5), max_size=3)),
        "corrections": draw(st.dictionaries(index, st.sampled_from(RECORDS), max_size=2)),
    }


def test_the_figures_of_any_series_hold_together_and_survive_erasure():
    office = get_user_model().objects.create_user("office-property", "office@example.org", "unused-password-2025")
    seen = []

    @hypothesis_settings(
        max_examples=12, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(history=histories())
    def check(history):
        with transaction.atomic():
            series, sessions = build_series(history["absent_may_answer"])
            applications = []
            for (where, person), venue in zip(history["applies"], history["venue"], strict=True):
                data = service_data(email=f"person{person}@example.jp", attendance="venue" if venue else "online")
                try:
                    applications.append(application_create(session=sessions[where], data=data, language="ja",
                                                           now=APPLYING))
                except ApplicationRefused:
                    applications.append(None)

            def each(indexes):
                return [(applications[i], value) for i, value in indexes if applications[i] is not None]

            for application, to in each((i, to) for i, to in history["moves"]):
                application.refresh_from_db()
                try:
                    application_move(application=application, to_session=sessions[to], by=office, reason="調整",
                                     now=APPLYING)
                except ApplicationRefused:
                    pass
            for application, _ in each((i, None) for i in sorted(history["cancels"])):
                application.refresh_from_db()
                try:
                    application_cancel(application=application, actor_label="applicant", now=APPLYING)
                except ApplicationRefused:
                    pass
            for application, status in each(history["attendance"].items()):
                if status is None:
                    continue
                application.refresh_from_db()
                attendance_mark(applications=[application], status=status, by=office,
                                now=application.session.ends_at + dt.timedelta(hours=1))
            for application, scale in each(history["answers"].items()):
                if scale is not None:
                    answer(application, scale)
            for number in sorted(history["new_version"]):
                try:
                    questionnaire_new_version(questionnaire_current(sessions[number]),
                                              now=sessions[number].ends_at + dt.timedelta(days=1, hours=1))
                except QuestionnaireRefused:
                    pass
            for application, scale in each(history["again"].items()):
                answer(application, scale)
            for application, status in each(history["corrections"].items()):
                application.refresh_from_db()
                attendance_mark(applications=[application], status=status, by=office,
                                now=application.session.ends_at + dt.timedelta(days=3))

            before = statistics_for_series(series, now=READ_AT)
            check_figures(before, sessions)
            assert [each.held for each in before.figures] == [True, True, False]

            erased = applications_erase_personal_data(now=ERASED_AT)
            total = before.total
            seen.append({"attended": total.attended, "absent": total.absent, "responses": total.responses,
                         "others": total.responses_others, "waitlisted": total.waitlisted,
                         "cancelled": total.cancelled, "erased": erased})

            after = statistics_for_series(series, now=READ_AT)
            assert snapshot(after) == snapshot(before)
            check_figures(after, sessions)
            transaction.set_rollback(True)

    check()

    # The examples did exercise what the figures count: not only empty series.
    for name in ("attended", "absent", "responses", "others", "waitlisted", "cancelled", "erased"):
        assert sum(1 for each in seen if each[name]) >= 2, (name, seen)
