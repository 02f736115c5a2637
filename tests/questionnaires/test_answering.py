"""Answering through the personal link: each kind of question, one response per application, refused links."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from questionnaires.models import Answer, Response
from registrations.enums import ApplicationStatus, AttendanceStatus
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_token
from tests.questionnaires.conftest import (
    answer_url,
    apply,
    attend,
    build_questionnaire,
    choice,
    form_data,
    held_session,
    questions,
)

pytestmark = pytest.mark.django_db


def manage_url(application) -> str:
    with translation.override("en"):
        return reverse("registrations:manage", kwargs={"token": manage_token(application)})


def stored(response: Response) -> dict:
    """Return the response's answers by comparison key: scale point, choice letters, text."""
    out = {}
    for answer in response.answers.select_related("question", "choice"):
        key = answer.question.key
        if answer.choice_id:
            out.setdefault(key, []).append(answer.choice.text_ja[0])
        else:
            out[key] = answer.scale or answer.text
    # Answers have no order of their own (a multiple choice is a set): its letters sorted.
    return {key: sorted(value) if isinstance(value, list) else value for key, value in out.items()}


def test_each_kind_of_question_validates_and_stores(client, questionnaire, attendee):
    text = "具体的な事例が参考になりました。\r\n次回も参加します。"
    response = client.post(answer_url(attendee), form_data(
        questionnaire, scale=4, single="B", multiple=["X", "Z"], text=text
    ))

    assert response.status_code == 302
    assert response["Location"] == answer_url(attendee, "thanks")
    saved = Response.objects.get()
    assert saved.application == attendee and saved.questionnaire == questionnaire
    assert stored(saved) == {"satisfaction": 4, "understanding": ["B"], "useful": ["X", "Z"],
                             "comments": "具体的な事例が参考になりました。\n次回も参加します。"}


def test_optional_questions_may_stay_empty(client, questionnaire, attendee):
    response = client.post(answer_url(attendee), form_data(questionnaire, scale=5, single="A"))

    assert response.status_code == 302
    assert stored(Response.objects.get()) == {"satisfaction": 5, "understanding": ["A"]}


def test_missing_required_answers_are_listed_in_the_error_summary(client, questionnaire, attendee):
    response = client.post(answer_url(attendee), form_data(questionnaire, multiple=["Y"]))

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    by_key = questions(questionnaire)
    # Each error links to the first radio of its group, inside the fieldset named after the field.
    assert f'href="#id_q{by_key["satisfaction"].pk}_0"' in page
    assert f'href="#id_q{by_key["understanding"].pk}_0"' in page
    assert f'id="div_id_q{by_key["understanding"].pk}"' in page
    assert 'aria-invalid="true"' in page
    # The tick the respondent gave is kept.
    assert f'value="{choice(by_key["useful"], "Y").pk}" id="id_q{by_key["useful"].pk}_1" checked' in page
    assert not Response.objects.exists()


@pytest.mark.parametrize("bad", ["scale", "single", "multiple", "control", "long"])
def test_values_a_question_cannot_hold_are_refused(client, questionnaire, attendee, bad):
    by_key = questions(questionnaire)
    data = form_data(questionnaire, scale=3, single="A")
    other = choice(by_key["useful"], "X").pk  # a choice of another question
    if bad == "scale":
        data[f"q{by_key['satisfaction'].pk}"] = "6"
    elif bad == "single":
        data[f"q{by_key['understanding'].pk}"] = str(other)
    elif bad == "multiple":
        data[f"q{by_key['useful'].pk}"] = [str(choice(by_key["understanding"], "A").pk)]
    elif bad == "control":
        data[f"q{by_key['comments'].pk}"] = "よかった\u202eです"
    else:
        data[f"q{by_key['comments'].pk}"] = "あ" * 2001

    response = client.post(answer_url(attendee), data)

    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_second_submission_edits_the_one_response(client, questionnaire, attendee):
    client.post(answer_url(attendee), form_data(questionnaire, scale=2, single="C", multiple=["X"], text="最初"))
    first = Response.objects.get()

    page = client.get(answer_url(attendee)).content.decode()
    response = client.post(answer_url(attendee), form_data(questionnaire, scale=5, single="A", multiple=["Y", "Z"]))

    assert response.status_code == 302
    again = Response.objects.get()
    assert again.pk == first.pk
    assert stored(again) == {"satisfaction": 5, "understanding": ["A"], "useful": ["Y", "Z"]}
    assert again.submitted_at == first.submitted_at and again.updated_at >= first.updated_at
    assert Answer.objects.count() == 4
    # The form showed the earlier answers, ready to change.
    by_key = questions(questionnaire)
    assert f'value="2" id="id_q{by_key["satisfaction"].pk}_1" checked' in page
    assert ">最初</textarea>" in page
    assert "既に回答" in page  # the answer page in Japanese, the default language


def test_the_thank_you_page_says_until_when_answers_can_change(client, questionnaire, attendee):
    client.post(answer_url(attendee), form_data(questionnaire, scale=4, single="A"))

    response = client.get(answer_url(attendee, "thanks", "en"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you for your answers" in page
    closes = timezone.localtime(questionnaire.open_until)
    assert f"{closes:%B} {closes.day}, {closes.year}" in page
    assert answer_url(attendee, language="en") in page


def test_the_thank_you_page_without_a_response_leads_to_the_form(client, questionnaire, attendee):
    response = client.get(answer_url(attendee, "thanks"))

    assert response.status_code == 302 and response["Location"] == answer_url(attendee)


# --- links and moments that take no answer: a clear page, never a 500 ---


def test_a_forged_link_gets_a_clear_404(client, questionnaire, attendee):
    token_url = answer_url(attendee)
    forged = token_url.replace(token_url.split("/")[-3], "secret-00000000:forgedsignature")

    assert client.get(forged).status_code == 404
    assert client.post(forged, form_data(questionnaire, scale=4, single="A")).status_code == 404
    assert client.get("/applications/not-a-token/questionnaire/").status_code == 404
    assert not Response.objects.exists()


def test_a_closed_questionnaire_gets_a_clear_page_and_takes_no_answer(client):
    session = held_session(1, days_ago=20)  # closed 14 days after the session
    questionnaire = build_questionnaire(session)
    application = attend(apply(session))

    shown = client.get(answer_url(application, language="en"))
    sent = client.post(answer_url(application), form_data(questionnaire, scale=4, single="A"))

    assert shown.status_code == sent.status_code == 410
    assert "This questionnaire has closed" in shown.content.decode()
    assert not Response.objects.exists()


def test_a_questionnaire_not_open_yet_says_when_it_opens(client, questionnaire, attendee):
    questionnaire.opens_at = timezone.now() + dt.timedelta(days=1)
    questionnaire.save()

    response = client.get(answer_url(attendee, language="en"))

    assert response.status_code == 403
    assert "This questionnaire is not open yet" in response.content.decode()


def test_a_session_without_a_questionnaire_says_so(client, attendee):
    response = client.get(answer_url(attendee, language="en"))

    assert response.status_code == 404
    assert "There is no questionnaire for this session." in response.content.decode()


@pytest.mark.parametrize("who", ["cancelled", "absent"])
def test_cancelled_or_absent_applications_may_not_answer(client, questionnaire, session, who):
    application = apply(session)
    if who == "cancelled":
        application.status = ApplicationStatus.CANCELLED
        application.save()
    else:
        attend(application, AttendanceStatus.ABSENT)

    response = client.post(answer_url(application), form_data(questionnaire, scale=4, single="A"))

    assert response.status_code == 403
    assert not Response.objects.exists()


def test_after_erasure_the_link_has_expired(client, questionnaire, attendee):
    applications_erase_personal_data(now=timezone.now() + dt.timedelta(days=400))

    response = client.get(answer_url(attendee))

    assert response.status_code == 410


# --- the manage page ---


def test_the_manage_page_links_the_open_questionnaire_then_says_it_was_answered(client, questionnaire, attendee):
    manage = manage_url(attendee)

    before = client.get(manage).content.decode()
    client.post(answer_url(attendee), form_data(questionnaire, scale=4, single="A"))
    after = client.get(manage).content.decode()

    assert "Answer the questionnaire" in before and answer_url(attendee, language="en") in before
    assert "you have answered the questionnaire" in after and "You can change your answers until" in after


def test_the_manage_page_says_nothing_of_a_questionnaire_not_open(client, session, attendee):
    build_questionnaire(session, opens_at=timezone.now() + dt.timedelta(days=2))

    page = client.get(manage_url(attendee)).content.decode()

    assert "questionnaire-title" not in page
