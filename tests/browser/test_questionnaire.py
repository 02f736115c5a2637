"""An attendee answers the questionnaire on a phone, in Japanese, from the follow-up mail's link; the office
reads the results. axe-core finds no serious or critical violation; the charts break no CSP rule.

The mail is rendered by the real service (follow_up_wave with the questionnaire's flag, as the office's
follow-up page sends it) and its link is followed as it reads, on the test's server.
"""
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from questionnaires.demo import demo_template_save
from questionnaires.models import Response
from questionnaires.services import questionnaire_copy
from registrations.enums import MailKind
from registrations.notifications import application_mail, follow_up_wave
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.certificates.conftest import apply, attend, held_session
from tests.questionnaires.test_results import KNOWN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def watched(page):
    """The page, recording CSP violations (events and console errors)."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return page.evaluate("window.__cspViolations") + [text for text in console if "Content Security Policy" in text]

    page.violations = violations
    return page


def mailed_link(application, server) -> str:
    """Return the questionnaire link of the application's follow-up mail, on the test server."""
    body = application_mail(application).get(kind=MailKind.FOLLOW_UP).body_text
    link = re.search(re.escape(settings.SITE_URL) + r"(\S+/questionnaire/)", body)[1]
    return server.url + link


def held_with_questionnaire():
    session = held_session(1, days_ago=2)
    template = demo_template_save(session.series)
    return session, questionnaire_copy(source=template, session=session)


def test_an_attendee_answers_in_japanese_on_a_phone_from_the_mail(watched, server, screenshot_dir, axe_check):
    page = watched
    session, questionnaire = held_with_questionnaire()
    application = attend(apply(session, language="ja"))
    follow_up_wave(session, data={"questionnaire": True})
    page.set_viewport_size(PHONE)

    page.goto(mailed_link(application, server))
    assert page.get_by_role("heading", level=1).inner_text() == "受講者アンケート"
    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "questionnaire-form-ja-phone.png"), full_page=True)

    # Sent without the required answers: the summary takes the focus and names each question.
    page.get_by_role("button", name="回答を送信する").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert summary.get_by_role("link").count() == 4
    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "questionnaire-errors-ja-phone.png"), full_page=True)

    satisfaction = page.get_by_role("group", name=re.compile("本セミナーの満足度"))
    satisfaction.get_by_label("4", exact=True).check()
    page.get_by_role("group", name=re.compile("ご理解いただけましたか")).get_by_label("おおむね理解できた").check()
    useful = page.get_by_role("group", name=re.compile("特に参考になった内容"))
    useful.get_by_label("事例紹介").check()
    useful.get_by_label("現場での初期対応").check()
    page.get_by_role("group", name=re.compile("取り組んでいますか")).get_by_label("取組を検討中").check()
    page.get_by_label(re.compile("ご意見・ご感想")).fill("事例が具体的で、社内研修に使えそうです。")
    page.get_by_role("button", name="回答を送信する").click()

    assert page.get_by_role("heading", level=1).inner_text() == "ご回答ありがとうございました"
    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "questionnaire-thanks-ja-phone.png"), full_page=True)
    response = Response.objects.get(application=application)
    assert {answer.question.key: answer.scale or answer.text or answer.choice.text_ja
            for answer in response.answers.select_related("question", "choice")
            if answer.question.key != "useful_parts"} == {
        "satisfaction": 4, "understanding": "おおむね理解できた", "company_measures": "取組を検討中",
        "comments": "事例が具体的で、社内研修に使えそうです。",
    }
    assert set(response.answers.filter(question__key="useful_parts").values_list("choice__text_ja", flat=True)) == {
        "事例紹介", "現場での初期対応"}
    assert page.violations() == []


def test_the_form_in_english_on_a_phone(watched, server, screenshot_dir, axe_check):
    page = watched
    session, _questionnaire = held_with_questionnaire()
    application = attend(apply(session, language="en"))
    follow_up_wave(session, data={"questionnaire": True})
    page.set_viewport_size(PHONE)

    page.goto(mailed_link(application, server))

    assert page.get_by_role("heading", level=1).inner_text() == "Participant questionnaire"
    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "questionnaire-form-en-phone.png"), full_page=True)
    assert page.violations() == []


def test_the_office_reads_the_results_with_charts_and_no_csp_violation(watched, server, screenshot_dir, axe_check):
    page = watched
    session, questionnaire = held_with_questionnaire()
    many = KNOWN * 7
    for index, given in enumerate(many):
        given = dict(given)
        given.pop("multiple", None)
        many[index] = given
    respond_demo(questionnaire, many)
    office = get_user_model().objects.create_superuser("office", password="a-long-office-password")
    client = Client()
    client.force_login(office)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{server.url}/admin/questionnaires/questionnaire/{questionnaire.pk}/results/")

    charts = page.locator("img.questionnaire-chart")
    assert charts.count() >= 3
    # Each chart has drawn: an image with its width, not a broken one.
    assert all(width > 300 for width in charts.evaluate_all("images => images.map(i => i.naturalWidth)"))
    axe_check(page)
    page.screenshot(path=str(screenshot_dir / "questionnaire-results-desktop.png"), full_page=True)
    page.goto(f"{server.url}/admin/questionnaires/questionnaire/series-{session.series_id}/comparison/")
    page.screenshot(path=str(screenshot_dir / "questionnaire-comparison-desktop.png"), full_page=True)
    # The questionnaire's own page: answered, so its questions are shown read-only with the reason.
    page.goto(f"{server.url}/admin/questionnaires/questionnaire/{questionnaire.pk}/change/")
    assert page.locator(".questionnaire-locked").is_visible()
    page.goto(f"{server.url}/admin/questionnaires/questionnaire/{questionnaire.copied_from_id}/change/")
    page.screenshot(path=str(screenshot_dir / "questionnaire-template-admin-desktop.png"), full_page=True)
    assert page.violations() == []


def respond_demo(questionnaire, answers):
    """Answers to the demo questions: the scale, understanding (A-D as the 1st-4th choice), measures, comments."""
    from questionnaires.services import response_submit

    by_key = {question.key: question for question in questionnaire.questions.all()}
    letters = "ABCD"
    for number, given in enumerate(answers):
        application = attend(apply(questionnaire.session, email=f"p{number}@example.jp",
                                   organisation=f"株式会社サンプル{number}"))
        understanding = list(by_key["understanding"].choices.all())[letters.index(given["single"])]
        measures = list(by_key["company_measures"].choices.all())[number % 4]
        useful = [choice.pk for choice in list(by_key["useful_parts"].choices.all())[number % 3: number % 3 + 2]]
        response_submit(questionnaire=questionnaire, application=application, values={
            by_key["satisfaction"].pk: given["scale"], by_key["understanding"].pk: understanding.pk,
            by_key["useful_parts"].pk: useful, by_key["company_measures"].pk: measures.pk,
            by_key["comments"].pk: given.get("text", ""),
        })
