"""Results for a known set of answers are exact; the pages take a fixed number of queries; erasure detaches."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questionnaires.enums import QuestionKind
from questionnaires.models import Answer, Response
from questionnaires.selectors import questionnaire_results, series_comparison
from questionnaires.services import ResponseRefused, questionnaire_copy, response_submit
from registrations.retention import applications_erase_personal_data
from tests.questionnaires.conftest import apply, attend, build_questionnaire, held_session, values

pytestmark = pytest.mark.django_db

KNOWN = [
    {"scale": 5, "single": "A", "multiple": ["X", "Y"], "text": "とても参考になった"},
    {"scale": 4, "single": "A", "multiple": ["X"]},
    {"scale": 4, "single": "B", "text": "時間が短い"},
    {"scale": 2, "single": "C", "multiple": ["Y", "Z"]},
    {"scale": 5, "single": "A", "multiple": ["X"]},
]


def respond(questionnaire, answers, *, organisation="株式会社サンプル商事", attended=True):
    """Store one response per entry of `answers`, each from a new attendee of the questionnaire's session."""
    for number, given in enumerate(answers):
        application = apply(questionnaire.session, email=f"person{number}-{questionnaire.pk}@example.jp",
                            organisation=f"{organisation} {number}")
        if attended:
            attend(application)
        response_submit(questionnaire=questionnaire, application=application, values=values(questionnaire, **given))


def by_key(results):
    return {result.question.key: result for result in results.questions}


def figures(result):
    return [(row.label, row.count, row.percent) for row in result.rows]


def test_results_for_a_known_set_of_answers_are_exact(session):
    questionnaire = build_questionnaire(session)
    respond(questionnaire, KNOWN)
    for number in range(3):  # attended, did not answer
        attend(apply(session, email=f"silent{number}@example.jp"))

    results = questionnaire_results(questionnaire)

    assert (results.responses, results.attendees, results.rate) == (5, 8, Decimal("62.5"))
    result = by_key(results)
    assert result["satisfaction"].answered == 5
    assert figures(result["satisfaction"]) == [
        ("1 (不満)", 0, Decimal("0.0")), ("2", 1, Decimal("20.0")), ("3", 0, Decimal("0.0")),
        ("4", 2, Decimal("40.0")), ("5 (満足)", 2, Decimal("40.0")),
    ]
    assert result["satisfaction"].mean == Decimal("4.00")
    assert figures(result["understanding"]) == [
        ("A よく理解できた", 3, Decimal("60.0")), ("B おおむね", 1, Decimal("20.0")),
        ("C できなかった", 1, Decimal("20.0")),
    ]
    # Multiple choice: shares of the 4 who ticked anything, adding up to more than 100 %.
    assert result["useful"].answered == 4 and result["useful"].not_answered == 1
    assert figures(result["useful"]) == [
        ("X 定義", 3, Decimal("75.0")), ("Y 事例", 2, Decimal("50.0")), ("Z 対応", 1, Decimal("25.0")),
    ]
    assert result["comments"].answered == 2
    assert [(text.text, text.organisation) for text in result["comments"].texts] == [
        ("とても参考になった", "株式会社サンプル商事 0"), ("時間が短い", "株式会社サンプル商事 2"),
    ]


def test_shares_and_means_round_half_up(session):
    questionnaire = build_questionnaire(session)
    respond(questionnaire, [{"scale": 5, "single": "A"}, {"scale": 4, "single": "B"}, {"scale": 4, "single": "B"}])

    result = by_key(questionnaire_results(questionnaire))

    assert result["satisfaction"].mean == Decimal("4.33")
    assert [row.percent for row in result["understanding"].rows] == [Decimal("33.3"), Decimal("66.7"), Decimal("0.0")]


def test_nobody_answers_before_attendance_is_recorded_so_the_rate_is_empty(session):
    questionnaire = build_questionnaire(session)

    with pytest.raises(ResponseRefused):
        respond(questionnaire, KNOWN[:1], attended=False)

    results = questionnaire_results(questionnaire)
    assert (results.responses, results.attendees, results.rate) == (0, 0, None)


def test_anonymous_results_name_no_organisation(session):
    questionnaire = build_questionnaire(session, anonymous=True)
    respond(questionnaire, KNOWN)

    texts = by_key(questionnaire_results(questionnaire))["comments"].texts

    assert sorted(text.text for text in texts) == ["とても参考になった", "時間が短い"]
    assert all(text.organisation == "" for text in texts)


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_results_take_the_same_queries_for_few_and_many_responses(session, anonymous):
    few = build_questionnaire(session, anonymous=anonymous)
    respond(few, KNOWN[:2])
    many = build_questionnaire(held_session(2, days_ago=3, series=session.series), anonymous=anonymous)
    respond(many, KNOWN * 6)

    with CaptureQueriesContext(connection) as for_few:
        questionnaire_results(few)
    with CaptureQueriesContext(connection) as for_many:
        questionnaire_results(many)

    assert len(for_few) == len(for_many) == 7


def test_the_series_compares_the_same_questions_across_sessions(session):
    template = build_questionnaire(series=session.series)
    second = held_session(2, days_ago=2, series=session.series)
    first_copy = questionnaire_copy(source=template, session=session)
    second_copy = questionnaire_copy(source=template, session=second)
    respond(first_copy, [{"scale": 5, "single": "A"}, {"scale": 4, "single": "B"}])
    respond(second_copy, [{"scale": 3, "single": "A"}])

    comparison = series_comparison(session.series)

    assert [(s.session.number, s.responses, s.attendees, s.rate) for s in comparison.sessions] == [
        (1, 2, 2, Decimal("100.0")), (2, 1, 1, Decimal("100.0")),
    ]
    compared = {question.key: question for question in comparison.questions}
    assert [(row.session.number, row.answered, row.mean) for row in compared["satisfaction"].rows] == [
        (1, 2, Decimal("4.50")), (2, 1, Decimal("3.00")),
    ]
    understanding = compared["understanding"]
    assert understanding.columns == ["A よく理解できた", "B おおむね", "C できなかった"]
    assert [[cell.percent for cell in row.cells] for row in understanding.rows] == [
        [Decimal("50.0"), Decimal("50.0"), Decimal("0.0")], [Decimal("100.0"), Decimal("0.0"), Decimal("0.0")],
    ]
    assert compared["comments"].kind == QuestionKind.TEXT


def test_the_comparison_takes_the_same_queries_for_few_and_many(session):
    template = build_questionnaire(series=session.series)
    questionnaire = questionnaire_copy(source=template, session=session)
    respond(questionnaire, KNOWN[:1])
    with CaptureQueriesContext(connection) as for_few:
        series_comparison(session.series)
    respond(questionnaire_copy(source=template, session=held_session(2, days_ago=2, series=session.series)),
            KNOWN * 4)

    with CaptureQueriesContext(connection) as for_many:
        series_comparison(session.series)

    assert len(for_few) == len(for_many) == 7


# --- erasure ---


@pytest.mark.parametrize("anonymous", [False, True])
def test_erasure_detaches_responses_and_keeps_the_figures(session, anonymous):
    questionnaire = build_questionnaire(session, anonymous=anonymous)
    respond(questionnaire, KNOWN)
    before = questionnaire_results(questionnaire)
    later = session.ends_at + dt.timedelta(days=400)

    applications_erase_personal_data(now=later)

    assert Response.objects.count() == 5
    assert not Response.objects.filter(application__isnull=False).exists()
    assert set(Response.objects.values_list("detached_at", flat=True)) == {later}
    after = by_key(questionnaire_results(questionnaire))
    for key in ("satisfaction", "understanding", "useful"):
        assert figures(after[key]) == figures(by_key(before)[key])
    texts = list(Answer.objects.exclude(text="").values_list("text", flat=True))
    # Free text stays only where it was anonymous from the start; nowhere does it name an organisation now.
    assert sorted(texts) == (["とても参考になった", "時間が短い"] if anonymous else [])
    assert all(text.organisation == "" for text in after["comments"].texts)


def test_erasure_of_another_session_leaves_these_responses_attached(session):
    questionnaire = build_questionnaire(session)
    respond(questionnaire, KNOWN[:2])
    old = held_session(2, days_ago=200, series=session.series)
    apply(old, email="old@example.jp")

    applications_erase_personal_data(now=timezone.now())

    assert Response.objects.filter(application__isnull=False).count() == 2
