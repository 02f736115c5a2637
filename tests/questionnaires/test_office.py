"""The office's results, exports and comparison pages; the follow-up mail with the questionnaire's link."""
import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from outbox.models import Message
from questionnaires.services import questionnaire_copy
from registrations.enums import MailKind
from registrations.notifications import application_mail, follow_up_wave
from registrations.references import reference_display
from tests.questionnaires.conftest import answer_url, apply, attend, build_questionnaire, held_session
from tests.questionnaires.test_results import KNOWN, respond

pytestmark = pytest.mark.django_db


def admin_url(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:questionnaires_questionnaire_{name}", args=args)


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_office_group_may_build_and_read_questionnaires(office):
    assert office.has_perm("questionnaires.add_questionnaire")
    assert office.has_perm("questionnaires.change_question")
    assert not office.has_perm("questionnaires.change_response")


def test_the_results_page_shows_each_chart_with_its_table(office_client, session):
    questionnaire = build_questionnaire(session)
    respond(questionnaire, KNOWN)

    response = office_client.get(admin_url("results", questionnaire.pk))

    assert response.status_code == 200
    page = response.content.decode()
    # Three charts (scale, single, multiple), each an SVG image beside its table; no script, no inline style.
    charts = re.findall(r'<img class="questionnaire-chart" src="data:image/svg\+xml;base64,[^"]+" alt="[^"]+">', page)
    assert len(charts) == 3
    assert page.count('<table class="questionnaire-counts"') == 3
    assert 'data-figure="mean">mean 4.00<' in page
    assert 'data-figure="rate">100.0%<' in page
    assert "75.0%" in page and "株式会社サンプル商事 0" in page and "とても参考になった" in page


def test_anonymous_results_and_exports_hold_nothing_that_identifies_an_applicant(office_client, session):
    questionnaire = build_questionnaire(session, anonymous=True)
    respond(questionnaire, KNOWN)
    applications = list(session.applications.all())
    identifying = {reference_display(a.reference) for a in applications} | {a.reference for a in applications} | {
        a.organisation for a in applications} | {a.email for a in applications} | {a.name for a in applications}

    page = office_client.get(admin_url("results", questionnaire.pk)).content.decode()
    xlsx = office_client.get(admin_url("export", questionnaire.pk, "xlsx"))
    utf8 = office_client.get(admin_url("export", questionnaire.pk, "csv")).content.decode("utf-8-sig")
    texts = office_client.get(admin_url("texts", questionnaire.pk, questionnaire.questions.get(key="comments").pk))

    rows = xlsx_rows(xlsx.content)
    assert rows[0][:2] == ["No.", "Session"] and len(rows) == 6
    assert not any(isinstance(cell, type(questionnaire.created_at)) for row in rows for cell in row)
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    for text in (page, utf8, texts.content.decode()):
        assert not any(value in text for value in identifying)
    assert not cells & identifying
    assert "Organisation" not in page and "Sent at" not in utf8


def test_a_named_export_leads_each_row_with_the_application(office_client, session):
    questionnaire = build_questionnaire(session)
    respond(questionnaire, KNOWN[:2])

    rows = xlsx_rows(office_client.get(admin_url("export", questionnaire.pk, "xlsx")).content)

    assert rows[0][:5] == ["Reference", "Organisation", "Sent at", "Last changed at", "Session"]
    assert rows[0][5:] == ["Q1 How satisfied were you?", "Q2 Did you understand it?", "Q3 Useful parts",
                           "Q4 Comments"]
    first = rows[1]
    assert first[1] == "株式会社サンプル商事 0" and re.fullmatch(r"T\d{3}-\d{4}", first[0])
    # In the office's language: the English choices, ticked ones as a list.
    assert first[5:] == [5, "A well", "X definition, Y cases", "とても参考になった"]


def test_the_csv_exports_are_for_japanese_excel(office_client, session):
    questionnaire = build_questionnaire(session)
    respond(questionnaire, [{"scale": 4, "single": "A", "text": "𠮷野家の事例が=参考に"}])

    utf8 = office_client.get(admin_url("export", questionnaire.pk, "csv"))
    cp932 = office_client.get(admin_url("export", questionnaire.pk, "csv-cp932"), follow=False)

    assert utf8.content.startswith("\ufeff".encode())
    assert "𠮷野家" in utf8.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(cp932.content.decode("cp932"))))
    assert rows[1][-1] == "〓野家の事例が=参考に"
    assert 'filename="questionnaire-session-1-v1-' in cp932["Content-Disposition"]


def test_the_comparison_page_shows_the_series_side_by_side(office_client, session):
    template = build_questionnaire(series=session.series)
    respond(questionnaire_copy(source=template, session=session), KNOWN[:2])
    respond(questionnaire_copy(source=template, session=held_session(2, days_ago=2, series=session.series)),
            KNOWN[2:])

    response = office_client.get(admin_url("comparison", session.series.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<img class="questionnaire-chart"') == 3
    assert ">4.50<" in page and ">3.67<" in page


def test_the_list_links_results_and_the_comparison(office_client, questionnaire):
    page = office_client.get(admin_url("changelist")).content.decode()

    assert admin_url("results", questionnaire.pk) in page
    assert admin_url("comparison", questionnaire.series_id) in page


# --- the follow-up mail ---


def test_the_follow_up_page_sends_the_questionnaire_link_while_it_is_open(office_client, questionnaire, attendee):
    with translation.override("en"):
        follow_up = reverse("admin:seminars_session_follow_up", args=[questionnaire.session_id])

    page = office_client.get(follow_up).content.decode()
    office_client.post(follow_up)

    assert "personal link to the session's questionnaire" in page
    assert "/questionnaire/" in page  # in the preview
    message = application_mail(attendee).get(kind=MailKind.FOLLOW_UP)
    assert message.data == {"questionnaire": True}
    link = f"http://127.0.0.1:8000{answer_url(attendee)}"
    assert link in message.body_text and f'href="{link}"' in message.body_html


def test_the_follow_up_has_no_questionnaire_link_without_one_open(session, attendee):
    follow_up_wave(session)

    message = Message.objects.get(kind=MailKind.FOLLOW_UP)
    assert "/questionnaire/" not in message.body_text


def test_the_link_in_the_mail_leads_to_the_form_in_the_applicants_language(client, questionnaire, session):
    application = attend(apply(session, language="en"))
    follow_up_wave(session, data={"questionnaire": True})
    body = application_mail(application).get(kind=MailKind.FOLLOW_UP).body_text
    link = re.search(r"http://127\.0\.0\.1:8000(/en/applications/\S+/questionnaire/)", body)[1]

    response = client.get(link)

    assert response.status_code == 200
    assert "How satisfied were you?" in response.content.decode()

