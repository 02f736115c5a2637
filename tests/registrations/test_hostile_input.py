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

from registrations.exports import applications_csv, applications_xlsx
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

    sheet = openpyxl.load_workbook(io.BytesIO(applications_xlsx(Application.objects.all()))).active
    csv_text = applications_csv(Application.objects.all()).content.decode("utf-8")

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


# --- invisible characters and addresses mail cannot be sent to ---

INVISIBLE_MESSAGE = "invisible"


@pytest.mark.parametrize("mark", ["\u200b", "\u00ad", "\u034f", "\u180b", "\ufe00", "\ufeff"])
def test_an_invisible_mark_in_the_domain_cannot_make_a_second_application_for_one_mailbox(client, session, mark):
    """Mail delivery drops these marks from a domain, so both addresses reach the same mailbox."""
    first = apply(client, session, email="d@example.org", email_again="d@example.org")
    hidden = f"d@exa{mark}mple.org"

    again = apply(client, session, email=hidden, email_again=hidden)

    assert first.status_code == 302
    assert again.status_code == 409
    assert list(Application.objects.values_list("email", flat=True)) == ["d@example.org"]


def test_an_address_is_stored_as_it_will_be_sent_whatever_marks_it_came_with(client, session):
    response = apply(client, session, email="D@EXA\u00adMPLE.org", email_again="d@example.org")

    assert response.status_code == 302
    assert Application.objects.get().email == "D@example.org"


@pytest.mark.parametrize(
    ("local", "shown"),
    [("d\u200b", "U+200B"), ("d\u00ad", "U+00AD"), ("d\u034f", "U+034F"), ("d\u180b", "U+180B"),
     ("d\ufe00", "U+FE00"), ("\ufeffd", "U+FEFF"), ("d\u2060", "U+2060")],
)
def test_an_invisible_mark_before_the_at_sign_is_refused_with_a_message_naming_it(client, session, local, shown):
    address = f"{local}@example.org"

    response = apply(client, session, email=address, email_again=address)

    assert response.status_code == 400
    [message] = errors(response, "email")
    assert INVISIBLE_MESSAGE in message and shown in message
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("b@\u00ad.jp", "empty"),
        ("b@exa\u200emple.jp", "U+200E"),
        ("b@-example.jp", "hyphen"),
        ("b@" + "a" * 64 + ".jp", "63"),
    ],
)
def test_an_address_mail_cannot_be_sent_to_is_refused_with_a_message_that_says_why(client, session, address, said):
    response = apply(client, session, email=address, email_again=address)

    assert response.status_code == 400
    [message] = errors(response, "email")
    assert "after @" in message and said in message
    assert not Application.objects.exists()


def test_a_domain_the_mail_library_would_spell_otherwise_is_refused(client, session):
    """faß.de is xn--fa-hia.de in IDNA 2008 but fass.de to the older rules the mail library follows."""
    response = apply(client, session, email="b@faß.de", email_again="b@faß.de")

    assert response.status_code == 400
    [message] = errors(response, "email")
    assert "after @" in message
    assert not Application.objects.exists()


def test_the_office_entry_form_refuses_the_same_addresses(office_client, session):
    url = f"/admin/seminars/session/{session.pk}/office/apply/"
    post = {"origin": "phone", "language": "ja", "window_override_reason": ""}

    hidden = office_client.post(
        url, post | applicant_data(email="d\u200b@example.org", email_again="d\u200b@example.org")
    )
    empty = office_client.post(url, post | applicant_data(email="b@\u00ad.jp", email_again="b@\u00ad.jp"))

    assert INVISIBLE_MESSAGE in hidden.context["form"].errors["email"][0]
    assert "after @" in empty.context["form"].errors["email"][0]
    assert not Application.objects.exists()


def test_the_admin_change_form_stores_the_address_as_it_will_be_sent(office_client, session):
    application = ApplicationFactory(session=session)
    url = reverse("admin:registrations_application_change", args=[application.pk])
    data = change_form_data(office_client, url) | {"email": "ｄ@exa\u00admple.org", "office_reason": "New address"}

    response = office_client.post(url, data)

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.email == "d@example.org"


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("name", "山田\u200e花子", "U+200E"),
        ("name", "山田花子\u200f", "U+200F"),
        ("name", "\u061c山田花子", "U+061C"),
        ("name", "\ufeff山田花子", "U+FEFF"),
        ("name", "山田\u2028花子", "U+2028"),
        ("organisation", "株式会社\u2029サンプル", "U+2029"),
        ("name", "山田\u200b花子", "U+200B"),
        ("name", "山田\u3164", "U+3164"),
        ("department", "人事\u00ad部", "U+00AD"),
        ("position", "課長\u2060", "U+2060"),
        ("name_reading", "ヤマダ\u034fハナコ", "U+034F"),
        ("phone", "03\u200d1234\u200d5678", "U+200D"),
    ],
)
def test_apply_refuses_an_invisible_mark_in_a_one_line_field(client, session, field, value, shown):
    response = apply(client, session, **{field: value})

    assert response.status_code == 400
    [message] = [error for error in errors(response, field) if INVISIBLE_MESSAGE in error]
    assert shown in message
    assert not Application.objects.exists()


def test_the_model_refuses_an_invisible_mark_in_a_name_so_the_admin_does_too():
    application = ApplicationFactory.build(session=open_session(), name="山田\u200e花子")

    with pytest.raises(ValidationError) as refused:
        application.full_clean(validate_constraints=False)

    assert list(refused.value.message_dict) == ["name"]


def test_a_kanji_variant_and_an_emoji_stay_allowed_in_a_name(client, session):
    # 葛 with its variation selector (an ideographic variation sequence, as registries write some family names).
    response = apply(client, session, name="葛\U000e0100城 花子", organisation="❤\ufe0fショップ")

    assert response.status_code == 302
    assert Application.objects.get().name == "葛\U000e0100城 花子"
