"""Hostile or unlucky text in an application: control characters, lengths after normalising, full-width addresses.

Each goes through the apply view (the public form), the model's own validation,
or the admin's change form, and the export must still open what was stored.
"""
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from registrations.exports import applications_export
from registrations.models import Application
from tests.factories import ApplicationFactory
from tests.languages import EnglishClient
from tests.seminars.admin_forms import change_form_data

from .conftest import applicant_data, open_session

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "invisible control character"


@pytest.fixture
def client():
    """A visitor reading the English pages."""
    return EnglishClient()


@pytest.fixture
def session(settings):
    settings.APPLY_RATE_LIMIT = settings.APPLY_POST_RATE_LIMIT = "1000/h"
    return open_session(format="online")


def apply(client, session, **overrides):
    return client.post(reverse("registrations:apply", kwargs={"slug": session.slug}), applicant_data(**overrides))


def errors(response, field) -> list[str]:
    return response.context["form"].errors.get(field, [])


# --- control characters ---


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("name", "山田\x01花子", "U+0001"),
        ("name_reading", "ヤマダ\x1bハナコ", "U+001B"),
        ("organisation", "株式会社\x7fサンプル", "U+007F"),
        ("department", "人事\x85部", "U+0085"),
        ("position", "\u202e長課", "U+202E"),
        ("organisation", "株式会社\u2066サンプル\u2069", "U+2066, U+2069"),
        ("question", "質問です。\x00", "U+0000"),
        ("question", "質問\x08です。\n二行目", "U+0008"),
        ("name", "山田 花子\ufffe", "U+FFFE"),
    ],
)
def test_apply_refuses_a_control_character_with_a_message_and_stores_nothing(client, session, field, value, shown):
    response = apply(client, session, **{field: value})

    assert response.status_code == 400
    [message] = [error for error in errors(response, field) if CONTROL_MESSAGE in error]
    assert shown in message
    assert not Application.objects.exists()


def test_apply_refuses_a_bidi_override_in_the_email_address(client, session):
    response = apply(client, session, email="hanako\u202e@example.jp", email_again="hanako\u202e@example.jp")

    assert response.status_code == 400
    assert any(CONTROL_MESSAGE in error for error in errors(response, "email"))
    assert not Application.objects.exists()


def test_apply_stores_pasted_whitespace_controls_as_what_a_person_meant(client, session):
    response = apply(
        client, session,
        name="山田\t花子\r\n", organisation="株式会社\nサンプル商事", question="一行目\r\n二行目\r三行目",
    )

    assert response.status_code == 302
    application = Application.objects.get()
    # A tab or a line break in a one-line field is a space; line breaks in the question are stored as LF.
    assert (application.name, application.organisation) == ("山田 花子", "株式会社 サンプル商事")
    assert application.question == "一行目\n二行目\n三行目"


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "山田\x01花子"), ("email", "a\u202e@example.jp"), ("phone", "0312345678\x1f"),
     ("question", "\x0c"), ("cancel_reason", "\u2067")],
)
def test_the_model_refuses_a_control_character_in_its_own_validation(field, value):
    application = ApplicationFactory.build(session=open_session(), **{field: value})

    with pytest.raises(ValidationError) as refused:
        application.full_clean(validate_constraints=False)

    assert list(refused.value.message_dict) == [field]


def test_the_model_accepts_tab_and_line_breaks_in_the_question_only():
    application = ApplicationFactory.build(session=open_session(), question="一行目\r\n\t二行目\n")

    application.full_clean(validate_constraints=False)


@pytest.fixture
def office_client():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client = EnglishClient()
    client.force_login(Application._meta.apps.get_model("auth", "User").objects.get(username="office"))
    return client


def test_the_admin_change_form_cannot_store_a_control_character(office_client):
    application = ApplicationFactory(session=open_session())
    url = reverse("admin:registrations_application_change", args=[application.pk])
    data = change_form_data(office_client, url) | {"name": "山田\x01花子", "office_reason": "Typo"}

    response = office_client.post(url, data)

    application.refresh_from_db()
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()
    assert application.name == "山田 花子"
    assert not application.audit_entries.exists()


def test_the_xlsx_export_opens_with_a_control_character_stored_before_the_check():
    ApplicationFactory(session=open_session(), name="山田\x01花子", question="質問\u202e")

    sheet = openpyxl.load_workbook(io.BytesIO(applications_export(Application.objects.all(), "xlsx"))).active
    csv_text = applications_export(Application.objects.all(), "csv").decode("utf-8")

    row = [cell.value for cell in next(sheet.iter_rows(min_row=2))]
    assert "山田\ufffd花子" in row and "質問\ufffd" in row
    assert "\x01" not in csv_text and "\u202e" not in csv_text and "山田\ufffd花子" in csv_text


# --- lengths after normalising ---


def test_the_name_reading_length_is_checked_after_nfkc(client, session):
    # "㌀" is one character typed, "アパート" (four) after NFKC: 30 of them are 120 for a 100-character column.
    response = apply(client, session, name_reading="㌀" * 30)

    assert response.status_code == 400
    assert errors(response, "name_reading") == ["Ensure this value has at most 100 characters (it has 120)."]
    assert not Application.objects.exists()


def test_the_name_reading_fills_its_column_exactly_after_nfkc(client, session):
    response = apply(client, session, name_reading="㌀" * 25)

    assert response.status_code == 302
    assert Application.objects.get().name_reading == "アパート" * 25


# --- full-width email addresses ---


def test_a_full_width_email_address_is_accepted_and_stored_in_ascii(client, session):
    response = apply(
        client, session, email="　ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ　", email_again="yamada@example.jp",
    )

    assert response.status_code == 302
    assert Application.objects.get().email == "yamada@example.jp"


def test_an_ideographic_full_stop_in_the_domain_is_read_as_a_dot(client, session):
    response = apply(client, session, email="ｈａｎａｋｏ＠ｅｘａｍｐｌｅ。ｊｐ", email_again="hanako@example.jp")

    assert response.status_code == 302
    assert Application.objects.get().email == "hanako@example.jp"


def test_an_address_at_a_japanese_domain_keeps_working(client, session):
    response = apply(client, session, email="user@例え.jp", email_again="user@例え.jp")

    assert response.status_code == 302
    assert Application.objects.get().email == "user@例え.jp"
