"""The office builds questionnaires: copies of the series' template, questions fixed once answered, versions."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from questionnaires.enums import QuestionKind, QuestionnaireState
from questionnaires.models import DEFAULT_OPEN_DAYS, Question, Questionnaire
from questionnaires.services import (
    QuestionnaireLocked,
    QuestionnaireRefused,
    question_choices_set,
    questionnaire_copy,
    questionnaire_new_version,
    response_submit,
)
from tests.questionnaires.conftest import answer_url, apply, attend, build_questionnaire, form_data, values
from tests.seminars.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def answer_once(questionnaire, application):
    response_submit(questionnaire=questionnaire, application=application,
                    values=values(questionnaire, scale=4, single="A"))


def admin_url(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:questionnaires_questionnaire_{name}", args=args)


def test_a_copy_of_the_template_has_its_questions_and_opens_when_the_session_ends(session):
    template = build_questionnaire(series=session.series, anonymous=True)

    copy = questionnaire_copy(source=template, session=session)

    assert (copy.session, copy.version, copy.anonymous, copy.copied_from) == (session, 1, True, template)
    assert [(q.key, q.kind, q.required, q.text_ja) for q in copy.questions.all()] == [
        (q.key, q.kind, q.required, q.text_ja) for q in template.questions.all()
    ]
    useful = copy.questions.get(key="useful")
    assert [c.text_en for c in useful.choices.all()] == ["X definition", "Y cases", "Z response"]
    assert copy.open_from == session.ends_at
    assert copy.open_until == session.ends_at + dt.timedelta(days=DEFAULT_OPEN_DAYS)
    assert copy.state(now=session.ends_at - dt.timedelta(minutes=1)) == QuestionnaireState.NOT_YET_OPEN
    assert copy.state(now=session.ends_at) == QuestionnaireState.OPEN
    assert copy.state(now=copy.open_until) == QuestionnaireState.CLOSED
    assert template.state() == QuestionnaireState.TEMPLATE


def test_a_session_gets_one_copy(session):
    template = build_questionnaire(series=session.series)
    questionnaire_copy(source=template, session=session)

    with pytest.raises(QuestionnaireRefused) as refused:
        questionnaire_copy(source=template, session=session)

    assert refused.value.code == "exists"
    assert Questionnaire.objects.filter(session=session).count() == 1


def test_a_question_cannot_be_changed_once_answered(questionnaire, attendee):
    question = questionnaire.questions.get(key="understanding")
    question_choices_set(question, [("A よく理解できた", "A well"), ("B 普通", "B so-so"), ("C できなかった", "C not")])
    answer_once(questionnaire, attendee)

    with pytest.raises(QuestionnaireLocked):
        question_choices_set(question, [("A", "A"), ("B", "B")])

    assert [c.text_ja for c in question.choices.all()] == ["A よく理解できた", "B 普通", "C できなかった"]


def test_the_office_cannot_change_an_answered_question_in_admin(office_client, questionnaire, attendee):
    url = admin_url("change", questionnaire.pk)
    data = change_form_data(office_client, url)
    answer_once(questionnaire, attendee)
    first = next(key for key in data if key.endswith("-text_ja"))
    data[first] = "変更した質問"

    response = office_client.post(url, data, follow=True)

    assert "The questions were not changed" in response.content.decode()
    assert not Question.objects.filter(text_ja="変更した質問").exists()


def test_an_answered_questionnaire_shows_its_questions_read_only_and_its_moments_can_change(
    office_client, questionnaire, attendee
):
    answer_once(questionnaire, attendee)
    url = admin_url("change", questionnaire.pk)
    data = change_form_data(office_client, url)
    later = timezone.localtime(questionnaire.open_until + dt.timedelta(days=7))
    data.update({"closes_at_0": later.strftime("%Y-%m-%d"), "closes_at_1": later.strftime("%H:%M:%S")})

    page = office_client.get(url).content.decode()
    response = office_client.post(url, data)

    assert "can no longer change" in page and 'name="title_ja"' not in page
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.closes_at == later


def test_the_office_edits_questions_and_choices_before_any_answer(office_client, questionnaire):
    url = admin_url("change", questionnaire.pk)
    data = change_form_data(office_client, url)
    prefix = next(key for key, value in data.items() if key.endswith("-key") and value == "understanding")[:-4]
    data[f"{prefix}-choices_ja"] = "とても\r\nまあまあ\r\nいいえ\r\n"
    data[f"{prefix}-choices_en"] = "Very\r\nSomewhat\r\nNo"

    response = office_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    question = questionnaire.questions.get(key="understanding")
    assert [(c.text_ja, c.text_en) for c in question.choices.all()] == [
        ("とても", "Very"), ("まあまあ", "Somewhat"), ("いいえ", "No"),
    ]


def test_a_choice_question_needs_two_choices(office_client, questionnaire):
    url = admin_url("change", questionnaire.pk)
    data = change_form_data(office_client, url)
    prefix = next(key for key, value in data.items() if key.endswith("-key") and value == "understanding")[:-4]
    data[f"{prefix}-choices_ja"] = "ひとつだけ"
    data[f"{prefix}-choices_en"] = ""

    response = office_client.post(url, data)

    assert response.status_code == 200
    assert "Give at least 2 choices" in response.content.decode()


def test_a_comparison_key_is_used_once_per_questionnaire(office_client, questionnaire):
    url = admin_url("change", questionnaire.pk)
    data = change_form_data(office_client, url)
    prefix = next(key for key, value in data.items() if key.endswith("-key") and value == "comments")[:-4]
    data[f"{prefix}-key"] = "satisfaction"

    response = office_client.post(url, data)

    assert response.status_code == 200
    assert "Each comparison key once per questionnaire, please: satisfaction." in response.content.decode()


def test_a_new_version_takes_the_answers_from_then_on(client, questionnaire, session, attendee):
    client.post(answer_url(attendee), form_data(questionnaire, scale=3, single="B"))
    newer = questionnaire_new_version(questionnaire)
    other = attend(apply(session, email="second@example.jp"))
    question_choices_set(newer.questions.get(key="understanding"), [("A はい", "A yes"), ("B いいえ", "B no")])

    response = client.post(answer_url(other), form_data(newer, scale=5, single="A"))

    questionnaire.refresh_from_db()
    assert response.status_code == 302
    assert questionnaire.state() == QuestionnaireState.SUPERSEDED and newer.version == 2
    assert questionnaire.responses.get().application == attendee
    assert newer.responses.get().application == other


def test_a_new_version_is_refused_without_answers(questionnaire):
    with pytest.raises(QuestionnaireRefused) as refused:
        questionnaire_new_version(questionnaire)

    assert refused.value.code == "not_answered"


def test_the_office_copies_the_template_to_chosen_sessions(office_client, session):
    template = build_questionnaire(series=session.series)
    other = session.__class__.objects.create(
        series=session.series, number=2, slug="held-2b", title_en="Second", level_en="Basic", overview_en="-",
        starts_at=session.starts_at + dt.timedelta(days=1), ends_at=session.ends_at + dt.timedelta(days=1),
        applications_open_on=session.applications_open_on, applications_close_on=session.applications_close_on,
    )

    page = office_client.get(admin_url("copy", template.pk)).content.decode()
    response = office_client.post(admin_url("copy", template.pk), {"sessions": [session.pk, other.pk]})

    assert session.title_en in page  # the office's client reads English
    assert response.status_code == 302
    assert Questionnaire.objects.filter(copied_from=template).count() == 2
    assert Question.objects.filter(questionnaire__session=other, kind=QuestionKind.SCALE).exists()
