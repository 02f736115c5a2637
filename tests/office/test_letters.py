"""Applicants without email, by phone, FAX or paper: letters by post or FAX instead of mail, each on the list once."""
import datetime as dt
import subprocess

import pytest
from django.utils import timezone

from office.letters import letter_html, letter_pdf, letters_to_send
from office.models import PostalContact
from outbox.models import Message
from registrations.enums import MailKind
from registrations.models import Application
from registrations.services import application_cancel, application_create
from tests.registrations.conftest import applicant_data, open_session, service_data

pytestmark = pytest.mark.django_db

LIST = "/admin/office/lettersent/"


def _enter(office_client, session, **overrides):
    data = applicant_data(email="", email_again="", origin="phone", language="ja", postal_code="163-8001",
                          postal_address="東京都新宿区西新宿二丁目8番1号", fax="", **overrides)
    response = office_client.post(f"/admin/seminars/session/{session.pk}/office/apply/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.latest("pk")


def _letters(office_client) -> list[str]:
    page = office_client.get(LIST).content.decode()
    return [row.split("</tr>")[0] for row in page.split('<tr class="letter ')[1:]]


def test_a_phone_applicant_without_email_gets_letters_not_mail(office_client, django_capture_on_commit_callbacks):
    session = open_session()
    with django_capture_on_commit_callbacks(execute=True):
        application = _enter(office_client, session)

    assert not Message.objects.filter(object_id=application.pk).exists()
    assert PostalContact.objects.get(application=application).postal_address == "東京都新宿区西新宿二丁目8番1号"
    rows = _letters(office_client)
    assert len(rows) == 1 and "受付" in rows[0] and "東京都新宿区西新宿二丁目8番1号" in rows[0]
    # The application's page says where its letters go.
    page = office_client.get(f"/admin/registrations/application/{application.pk}/change/").content.decode()
    assert "東京都新宿区西新宿二丁目8番1号" in page


def test_each_wave_puts_a_letter_on_the_list_once_until_it_is_marked_sent(office_client, office):
    session = open_session()
    application = _enter(office_client, session)
    mark = {"application": application.pk, "kind": "receipt", "key": "", "how": "post"}
    office_client.post(f"{LIST}mark-sent/", mark)
    office_client.post(f"{LIST}mark-sent/", mark)
    assert _letters(office_client) == []

    # The application period closes: the joining details are due, once.
    after_close = session.applications_close_at + dt.timedelta(hours=1)
    due = letters_to_send(now=after_close)
    assert [(letter.application, letter.kind) for letter in due] == [(application, MailKind.CONFIRMATION)]
    assert [letter.kind for letter in letters_to_send(now=after_close + dt.timedelta(hours=1))] == [
        MailKind.CONFIRMATION]

    # The office cancels on the applicant's request: a cancellation letter.
    application_cancel(application=application, by=office, actor_label=office.get_username(), reason="Phoned")
    assert [letter.kind for letter in letters_to_send(now=timezone.now())] == [MailKind.CANCELLATION]


def test_without_email_the_office_must_give_an_address_or_fax(office_client):
    session = open_session()
    data = applicant_data(email="", email_again="", origin="fax", language="ja", postal_code="", postal_address="",
                          fax="")
    page = office_client.post(f"/admin/seminars/session/{session.pk}/office/apply/", data).content.decode()

    assert "メールアドレスがない場合は、郵送先の住所またはFAX番号を入力してください" in page
    assert not Application.objects.exists()


def test_the_letter_is_an_a4_pdf_in_the_applicants_language_with_the_offices_contact(
    office_client, settings, screenshot_dir
):
    settings.OFFICE_NAME = "東京都 産業労働局 雇用就業部 労働環境課"
    settings.OFFICE_PHONE = "03-5320-4649"
    settings.OFFICE_POSTAL_ADDRESS = "〒163-8001 東京都新宿区西新宿二丁目8番1号"
    application = _enter(office_client, open_session())
    [letter] = letters_to_send()

    pdf = letter_pdf(letter)

    (screenshot_dir / "letter-receipt.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = text.decode()
    for expected in ("東京都新宿区西新宿二丁目8番1号", application.name, "03-5320-4649", "労働環境課",
                     "郵送またはFAXでお送りします", "この書面は大切に保管してください"):
        assert expected in text.replace("\n", ""), expected
    # Nothing promised by email to someone without one.
    for promise in ("メール", "カレンダーファイル", "個人用リンク"):
        assert promise not in text.split("労働環境課")[0], promise
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(screenshot_dir / "letter-receipt.pdf"),
                    str(screenshot_dir / "letter-receipt")], check=True)


def test_a_place_from_the_waiting_list_is_a_letter_too(office_client, office):
    session = open_session(capacity=1, waitlist_enabled=True)
    holder = application_create(session=session, data=service_data(email="holder@example.jp"), language="ja")
    waiting = _enter(office_client, session)
    office_client.post(f"{LIST}mark-sent/", {"application": waiting.pk, "kind": "receipt", "key": "", "how": "fax"})

    application_cancel(application=holder, by=None, actor_label="applicant", reason="Not coming")

    [letter] = letters_to_send()
    assert (letter.application, letter.kind) == (waiting, MailKind.PROMOTION)
    assert "キャンセル待ちから繰り上がり、参加が確定しました" in letter_html(letter)
    assert "個人用リンク" not in letter_html(letter)


def test_the_postal_address_goes_with_the_personal_data(office_client, settings):
    from registrations.retention import applications_erase_personal_data

    application = _enter(office_client, open_session())

    applications_erase_personal_data(
        now=application.session.ends_at + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1))

    assert not PostalContact.objects.exists()
    assert letters_to_send() == []
