"""Mail of applications end to end: PostgreSQL, Redis, a real Celery worker process and a real SMTP server on loopback.

What is asserted is what an applicant would see: the mail as received by the SMTP server.
The outbox's own delivery guarantees are tested in tests/outbox/.
"""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from config.celery import app
from outbox.delivery import outbox_send_due
from outbox.models import Message, MessageStatus
from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application
from registrations.notifications import application_mail, mail_waves_open
from registrations.tasks import open_mail_waves, write_receipts
from seminars.services import session_publish_archive
from tests.factories import ApplicationFactory, SessionFactory
from tests.languages import en
from tests.registrations.conftest import applicant_data, open_session
from tests.registrations.mailservers import free_port, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker"),
]


def _sent(rows) -> bool:
    """Return whether there are such rows and every one of them is sent."""
    return rows.exists() and not rows.exclude(status=MessageStatus.SENT).exists()


def test_receipt_arrives_once_after_applying(client, smtp):
    session = open_session()

    response = client.post(
        en(reverse("registrations:apply", kwargs={"slug": session.slug})), applicant_data(), follow=True
    )

    assert response.status_code == 200
    application = Application.objects.get()
    write_receipts.delay()  # what beat sends every 2 seconds
    wait_for(lambda: _sent(application_mail(application).filter(kind=MailKind.RECEIPT)),
             what="the receipt to be sent")
    assert not outbox_send_due()  # nothing is left for a second send
    [receipt] = smtp.handler.to("hanako.yamada@example.jp")
    body = receipt.get_body(preferencelist=("plain",)).get_content()
    assert application.reference[:4] in body
    assert "Your place is confirmed." in body
    assert receipt["Message-ID"] == application_mail(application).get().message_id


def test_closing_the_window_sends_one_confirmation_per_confirmed_application(smtp):
    session = open_session(joining_url="https://meet.example.org/j/987654")
    confirmed = ApplicationFactory.create_batch(5, session=session)
    waitlisted = ApplicationFactory(session=session, status=ApplicationStatus.WAITLISTED)
    cancelled = ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED)
    # The office closes the period early: yesterday was its last day.
    session.applications_close_on = timezone.localdate() - dt.timedelta(days=1)
    session.save()

    open_mail_waves.delay()
    wait_for(
        lambda: smtp.handler.count() >= 5 and _sent(Message.objects.filter(kind=MailKind.CONFIRMATION)),
        what="5 confirmations",
    )

    assert mail_waves_open()[MailKind.CONFIRMATION] == 0  # the next beat run adds nothing
    for application in confirmed:
        [mail] = smtp.handler.to(application.email)
        assert "https://meet.example.org/j/987654" in mail.get_body(preferencelist=("plain",)).get_content()
        [attachment] = list(mail.iter_attachments())
        event = Calendar.from_ical(attachment.get_content()).events[0]
        assert attachment.get_content_type() == "text/calendar"
        assert event["UID"] == f"session-{session.pk}@127.0.0.1"
        assert event.start == session.starts_at and str(event.start.tzinfo) == "Asia/Tokyo"
    assert smtp.handler.to(waitlisted.email) == [] and smtp.handler.to(cancelled.email) == []
    assert smtp.handler.count() == 5


def test_publishing_the_archive_sends_one_archive_mail_each(smtp):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - dt.timedelta(days=2),
        applications_open_on=(now - dt.timedelta(days=30)).date(),
        applications_close_on=(now - dt.timedelta(days=5)).date(),
        archive_video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    attended = ApplicationFactory.create_batch(3, session=session, language="en")
    ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED)

    session_publish_archive(session=session, by="office")
    open_mail_waves.delay()
    wait_for(
        lambda: smtp.handler.count() >= 3 and _sent(Message.objects.filter(kind=MailKind.ARCHIVE)),
        what="3 archive mails",
    )

    assert mail_waves_open()[MailKind.ARCHIVE] == 0
    for application in attended:
        [mail] = smtp.handler.to(application.email)
        assert mail["Subject"].startswith("Archive video now available")
        assert f"/sessions/{session.slug}/" in mail.get_body(preferencelist=("plain",)).get_content()
    assert smtp.handler.count() == 3


@pytest.fixture
def broker_unreachable():
    """Point this process's Celery app at a closed port, as if Redis were down; restore afterwards."""
    def repoint(url):
        app.conf.broker_url = url
        # The producer pool is bound to the broker it first connected to: let the next send build a new one.
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    repoint(f"redis://127.0.0.1:{free_port()}/0")
    yield lambda: repoint(original)
    repoint(original)


def test_broker_down_while_applying_saves_the_application_and_mails_once_it_is_back(client, smtp, broker_unreachable):
    session = open_session()

    response = client.post(reverse("registrations:apply", kwargs={"slug": session.slug}), applicant_data(), follow=True)

    assert response.status_code == 200
    application = Application.objects.get()
    assert application.receipt_due and not application_mail(application).exists()  # the receipt waits
    assert smtp.handler.count() == 0

    broker_unreachable()  # the broker is back
    write_receipts.delay()  # what beat sends every 2 seconds
    wait_for(lambda: _sent(application_mail(application).filter(kind=MailKind.RECEIPT)),
             what="the receipt after the outage")
    assert len(smtp.handler.to("hanako.yamada@example.jp")) == 1
