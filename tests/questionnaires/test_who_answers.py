"""Who may answer, and how their answers count: attendees once recorded; the absent only where the office allows,
shown apart and never in the response rate, so the rate never passes 100 %."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from questionnaires.figures import response_figures_by_session
from questionnaires.models import Response
from questionnaires.selectors import questionnaire_results, series_comparison
from questionnaires.services import questionnaire_new_version
from registrations.enums import AttendanceStatus
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_token
from tests.questionnaires.conftest import answer_url, apply, attend, build_questionnaire, form_data

pytestmark = pytest.mark.django_db


def manage_url(application) -> str:
    with translation.override("en"):
        return reverse("registrations:manage", kwargs={"token": manage_token(application)})


def results_url(questionnaire, shown=""):
    url = reverse("admin:questionnaires_questionnaire_results", args=[questionnaire.pk])
    return f"{url}?shown={shown}" if shown else url


def answered(client, application, questionnaire, scale=4):
    return client.post(answer_url(application), form_data(questionnaire, scale=scale, single="A"))


def test_the_questionnaire_is_offered_once_attendance_is_recorded_as_attended(client, session, questionnaire):
    application = apply(session)

    before = client.get(manage_url(application)).content.decode()
    refused = answered(client, application, questionnaire)
    attend(application)
    after = client.get(manage_url(application)).content.decode()

    assert "Answer the questionnaire" not in before
    assert refused.status_code == 403
    assert "出席が記録されると回答できる" in refused.content.decode()
    assert "Answer the questionnaire" in after
    assert answered(client, application, questionnaire).status_code == 302


def test_someone_recorded_absent_may_answer_only_where_the_office_allows(client, session):
    closed_to_absent = build_questionnaire(session)
    absent = attend(apply(session, email="absent@example.jp"), AttendanceStatus.ABSENT)

    assert answered(client, absent, closed_to_absent).status_code == 403
    assert "Answer the questionnaire" not in client.get(manage_url(absent)).content.decode()
    closed_to_absent.absent_may_answer = True
    closed_to_absent.save()
    assert "Answer the questionnaire" in client.get(manage_url(absent)).content.decode()
    assert answered(client, absent, closed_to_absent).status_code == 302


def test_absent_then_answered_is_shown_apart_and_the_rate_stays_at_most_100(client, office_client, session):
    # The case of the report: three attendees and one person recorded absent answered.
    questionnaire = build_questionnaire(session, absent_may_answer=True)
    for number in range(3):
        assert answered(client, attend(apply(session, email=f"came{number}@example.jp")), questionnaire,
                        scale=5).status_code == 302
    absent = attend(apply(session, email="absent@example.jp"), AttendanceStatus.ABSENT)
    assert answered(client, absent, questionnaire, scale=1).status_code == 302

    results = questionnaire_results(questionnaire)
    apart = questionnaire_results(questionnaire, shown="others")
    comparison = series_comparison(session.series)

    assert (results.responses, results.attendees, results.rate, results.from_others) == (3, 3, Decimal("100.0"), 1)
    satisfaction = {result.question.key: result for result in results.questions}["satisfaction"]
    assert (satisfaction.answered, satisfaction.mean) == (3, Decimal("5.00"))
    assert {result.question.key: result for result in apart.questions}["satisfaction"].mean == Decimal("1.00")
    [figures] = comparison.sessions
    assert (figures.responses, figures.attendees, figures.rate, figures.from_others) == (3, 3, Decimal("100.0"), 1)
    page = office_client.get(results_url(questionnaire)).content.decode()
    assert 'data-figure="rate">100.0%<' in page and 'data-figure="from_others">1<' in page
    assert "?shown=others" in page
    others_page = office_client.get(results_url(questionnaire, "others")).content.decode()
    assert 'data-shown="others"' in others_page


def test_an_answer_whose_attendance_changes_to_absent_leaves_the_rate(client, session, questionnaire):
    application = attend(apply(session))
    answered(client, application, questionnaire)

    attend(application, AttendanceStatus.ABSENT)

    [figures] = response_figures_by_session([session.pk]).values()
    assert (figures.from_attendees, figures.attendees, figures.rate, figures.from_others) == (0, 0, None, 1)


def test_erasure_keeps_who_answered_and_counts_each_person_once(client, session, questionnaire):
    came = attend(apply(session, email="came@example.jp"))
    absent = attend(apply(session, email="absent@example.jp"), AttendanceStatus.ABSENT)
    questionnaire.absent_may_answer = True
    questionnaire.save()
    answered(client, came, questionnaire)
    answered(client, absent, questionnaire)
    newer = questionnaire_new_version(questionnaire)
    answered(client, came, newer)  # the same attendee answers the new version too
    before = response_figures_by_session([session.pk])[session.pk]

    applications_erase_personal_data(now=session.ends_at + dt.timedelta(days=400))

    after = response_figures_by_session([session.pk])[session.pk]
    assert not Response.objects.filter(application__isnull=False).exists()
    assert (before.from_attendees, before.from_others, before.responses) == (1, 1, 3)
    assert (after.from_attendees, after.from_others, after.responses, after.attendees) == (1, 1, 3, 1)
