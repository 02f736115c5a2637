"""Applying again with an address that has applied: the private link goes to that address again, nothing else shows."""
import datetime as dt
import email
import io
from email import policy
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from outbox.delivery import outbox_send_due
from registrations.enums import MailKind
from registrations.models import Application
from registrations.notifications import application_mail
from registrations.references import reference_display
from registrations.selectors import manage_token, manage_url
from registrations.services import (
    MANAGE_LINK_RESENDS_PER_HOUR,
    application_cancel,
    application_manage_link_resend,
)
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory
from tests.languages import EnglishClient

from .conftest import applicant_data, open_session

pytestmark = pytest.mark.django_db

MESSAGE = (
    "This email address has already applied to this session. We have sent its private link to that "
    "address again: use it to see or cancel the application."
)
# SessionFactory: applications 2025-06-30 to 2025-07-28 (Tokyo).
DURING_PERIOD = tokyo(2025, 7, 10, 9, 0)


def english() -> Client:
    return EnglishClient()


def japanese() -> Client:
    return Client()


def apply(client, session, address, **overrides):
    url = reverse("registrations:apply", kwargs={"slug": session.slug})
    return client.post(url, applicant_data(email=address, email_again=address, **overrides))


def first_applicant():
    """Details found nowhere else on the form page, so the page can only show them by leaking them."""
    return {"name": "鈴木 美咲", "name_reading": "スズキ ミサキ", "organisation": "株式会社ミライ物産",
            "phone": "06-9876-5432"}


def manage_link_mail(application):
    return application_mail(application).filter(kind=MailKind.MANAGE_LINK)


def delivered(subject_part: str):
    outbox_send_due()
    parsed = [email.message_from_bytes(sent.message().as_bytes(), policy=policy.default) for sent in mail.outbox]
    return [message for message in parsed if subject_part in message["Subject"]]


def text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


# --- the page ---


def test_applying_twice_in_other_case_says_the_link_was_sent_again_and_nothing_of_the_first():
    session = open_session()
    assert apply(english(), session, "Misaki.Suzuki@example.jp", **first_applicant()).status_code == 302
    first = Application.objects.get()

    response = apply(english(), session, "MISAKI.SUZUKI@EXAMPLE.JP")  # someone else's details, same address

    assert response.status_code == 409
    body = response.content.decode()
    assert body.count(MESSAGE) == 1
    assert "already exists" not in body  # the old message is not shown besides the new one
    for leaked in (first.name, first.name_reading, first.organisation, first.phone, "06-9876-5432", first.reference,
                   reference_display(first.reference), manage_token(first), "Your place is confirmed"):
        assert leaked not in body, leaked
    assert Application.objects.count() == 1


def test_the_hourly_limit_changes_nothing_on_the_page_but_adds_no_mail():
    session = open_session()
    apply(english(), session, "hanako@example.jp")
    application = Application.objects.get()

    pages = [apply(english(), session, "hanako@example.jp") for _ in range(MANAGE_LINK_RESENDS_PER_HOUR + 1)]

    assert [page.status_code for page in pages] == [409] * (MANAGE_LINK_RESENDS_PER_HOUR + 1)
    assert pages[-1].content.decode().count(MESSAGE) == 1
    assert pages[-1].content.decode() == pages[-2].content.decode().replace(
        _csrf(pages[-2]), _csrf(pages[-1])
    )
    assert manage_link_mail(application).count() == MANAGE_LINK_RESENDS_PER_HOUR
    assert application.audit_entries.filter(action="manage_link_resend").count() == MANAGE_LINK_RESENDS_PER_HOUR


def _csrf(response) -> str:
    """Return the page's CSRF token, the only part that differs between two identical refusals."""
    body = response.content.decode()
    start = body.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
    return body[start:body.index('"', start)]


# --- the mail ---


def test_the_link_goes_to_the_stored_address_in_the_applicants_language():
    session = open_session()
    apply(english(), session, "Hanako.Yamada@example.jp")  # applied in English
    application = Application.objects.get()
    mail.outbox.clear()

    response = apply(japanese(), session, "hanako.yamada@EXAMPLE.jp")  # again, in Japanese, in other case

    assert response.status_code == 409
    [row] = manage_link_mail(application)
    assert row.to_email == "Hanako.Yamada@example.jp"
    [received] = delivered("private link")
    assert received["To"] == "Hanako.Yamada@example.jp"
    with translation.override("en"):
        assert received["Subject"].strip() == f"Your private link again: {session}"
    body = text(received)
    assert "Dear 山田 花子," in body
    assert "we are sending you the private link to your application again" in body
    assert reference_display(application.reference) in body
    assert f"{manage_url(application)}\n" in body
    html = received.get_body(preferencelist=("html",)).get_content()
    assert f'{manage_url(application)}"' in html


def test_the_manage_link_in_the_mail_opens_the_application():
    session = open_session()
    apply(english(), session, "hanako@example.jp")
    application = Application.objects.get()
    apply(english(), session, "hanako@example.jp")

    [received] = delivered("private link")
    link = next(line.split(": ", 1)[1] for line in text(received).splitlines() if manage_url(application) in line)
    page = english().get(urlsplit(link).path)

    assert page.status_code == 200
    assert reference_display(application.reference) in page.content.decode()


def test_another_sessions_application_of_the_same_address_is_not_affected():
    session, other = open_session(), open_session()
    apply(english(), session, "hanako@example.jp")
    apply(english(), other, "hanako@example.jp")
    mine, theirs = Application.objects.get(session=session), Application.objects.get(session=other)

    for _ in range(MANAGE_LINK_RESENDS_PER_HOUR + 1):
        apply(english(), session, "hanako@example.jp")
    apply(english(), other, "hanako@example.jp")

    assert manage_link_mail(mine).count() == MANAGE_LINK_RESENDS_PER_HOUR
    assert manage_link_mail(theirs).count() == 1  # its own hour, not used up by the other session's
    assert [entry.action for entry in theirs.audit_entries.all()] == ["apply", "manage_link_resend"]


# --- the service ---


def test_resend_counts_one_hour_then_sends_again():
    application = ApplicationFactory(email="Hanako@Example.jp", language="ja")
    session = application.session
    hour_later = DURING_PERIOD + dt.timedelta(hours=1, seconds=1)

    sent = [application_manage_link_resend(session=session, email="hanako@example.jp", now=DURING_PERIOD +
                                           dt.timedelta(minutes=minute)) for minute in range(4)]
    after_an_hour = application_manage_link_resend(session=session, email="HANAKO@example.jp", now=hour_later)

    assert sent == [True] * MANAGE_LINK_RESENDS_PER_HOUR + [False]
    assert after_an_hour is True
    assert manage_link_mail(application).count() == MANAGE_LINK_RESENDS_PER_HOUR + 1
    entry = application.audit_entries.filter(action="manage_link_resend").last()
    assert (entry.actor, entry.actor_label, entry.changes["mail"]) == (None, "applicant", MailKind.MANAGE_LINK)


def test_resend_adds_nothing_for_an_address_without_an_active_application():
    application = ApplicationFactory(email="hanako@example.jp")
    other_session = SessionFactory()

    elsewhere = application_manage_link_resend(session=other_session, email="hanako@example.jp", now=DURING_PERIOD)
    unknown = application_manage_link_resend(session=application.session, email="taro@example.jp",
                                             now=DURING_PERIOD)
    application_cancel(application=application, actor_label="applicant", now=DURING_PERIOD)
    cancelled = application_manage_link_resend(session=application.session, email="hanako@example.jp",
                                               now=DURING_PERIOD)

    assert (elsewhere, unknown, cancelled) == (False, False, False)
    assert not manage_link_mail(application).exists()


# --- the office ---


def test_audit_trail_shows_the_resend_in_words():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    office = EnglishClient()
    office.force_login(get_user_model().objects.get(username="office"))
    session = open_session()
    apply(english(), session, "hanako@example.jp")
    apply(english(), session, "hanako@example.jp")
    application = Application.objects.get()

    page = office.get(f"/admin/registrations/application/{application.pk}/change/").content.decode()

    assert "Private link sent again (on applying twice)" in page
    assert "Your private link again" in page
