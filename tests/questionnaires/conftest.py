"""A session held a few days ago, its questionnaire with one question of each kind, applicants who attended."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from questionnaires.enums import QuestionKind
from questionnaires.models import Choice, Question, Questionnaire
from registrations.selectors import manage_token
from tests.certificates.conftest import apply, attend, held_session
from tests.languages import EnglishClient

__all__ = ["apply", "attend", "held_session"]


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Every test here talks plain HTTP (see tests/conftest.py)."""


def build_questionnaire(session=None, *, series=None, anonymous=False, **fields) -> Questionnaire:
    """Create a questionnaire (a session's, or the series' template) with one question of each kind.

    Q1 scale (required), Q2 single choice A/B/C (required), Q3 multiple choice X/Y/Z (optional),
    Q4 free text (optional); comparison keys satisfaction, understanding, useful, comments.
    """
    questionnaire = Questionnaire.objects.create(
        series=series or session.series, session=session, anonymous=anonymous,
        title_ja="受講者アンケート", title_en="Participant questionnaire", **fields,
    )
    specs = [
        ("satisfaction", QuestionKind.SCALE, True, "満足度", "How satisfied were you?", []),
        ("understanding", QuestionKind.SINGLE, True, "理解度", "Did you understand it?",
         [("A よく理解できた", "A well"), ("B おおむね", "B mostly"), ("C できなかった", "C not")]),
        ("useful", QuestionKind.MULTIPLE, False, "参考になった内容", "Useful parts",
         [("X 定義", "X definition"), ("Y 事例", "Y cases"), ("Z 対応", "Z response")]),
        ("comments", QuestionKind.TEXT, False, "ご意見・ご感想", "Comments", []),
    ]
    for order, (key, kind, required, text_ja, text_en, choices) in enumerate(specs):
        question = Question.objects.create(
            questionnaire=questionnaire, order=order, key=key, kind=kind, required=required,
            text_ja=text_ja, text_en=text_en, scale_min_label_ja="不満" if kind == QuestionKind.SCALE else "",
            scale_min_label_en="Not satisfied" if kind == QuestionKind.SCALE else "",
            scale_max_label_ja="満足" if kind == QuestionKind.SCALE else "",
            scale_max_label_en="Very satisfied" if kind == QuestionKind.SCALE else "",
        )
        for index, (ja, en) in enumerate(choices):
            Choice.objects.create(question=question, order=index, text_ja=ja, text_en=en)
    return questionnaire


def questions(questionnaire) -> dict:
    """Return the questionnaire's questions by comparison key."""
    return {question.key: question for question in questionnaire.questions.all()}


def choice(question, letter: str) -> Choice:
    """Return the question's choice whose Japanese text starts with `letter`."""
    return next(c for c in question.choices.all() if c.text_ja.startswith(letter))


def form_data(questionnaire, *, scale=None, single=None, multiple=(), text="") -> dict:
    """Return what the form posts: scale 1-5, single "A"/"B"/"C", multiple letters, free text."""
    by_key = questions(questionnaire)
    data = {}
    if scale is not None:
        data[f"q{by_key['satisfaction'].pk}"] = str(scale)
    if single is not None:
        data[f"q{by_key['understanding'].pk}"] = str(choice(by_key["understanding"], single).pk)
    if multiple:
        data[f"q{by_key['useful'].pk}"] = [str(choice(by_key["useful"], letter).pk) for letter in multiple]
    if text:
        data[f"q{by_key['comments'].pk}"] = text
    return data


def values(questionnaire, *, scale=None, single=None, multiple=(), text="") -> dict:
    """Return the same answers as services.response_submit takes them."""
    by_key = questions(questionnaire)
    return {
        by_key["satisfaction"].pk: scale,
        by_key["understanding"].pk: choice(by_key["understanding"], single).pk if single else None,
        by_key["useful"].pk: [choice(by_key["useful"], letter).pk for letter in multiple],
        by_key["comments"].pk: text,
    }


def answer_url(application, name="answer", language="ja") -> str:
    with translation.override(language):
        return reverse(f"questionnaires:{name}", kwargs={"token": manage_token(application)})


@pytest.fixture
def session():
    return held_session(1, days_ago=3)


@pytest.fixture
def questionnaire(session):
    return build_questionnaire(session)


@pytest.fixture
def attendee(session):
    return attend(apply(session))


@pytest.fixture
def office():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


@pytest.fixture
def office_client(office):
    client = EnglishClient()
    client.force_login(office)
    return client
