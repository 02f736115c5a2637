"""Which mail an application gets, without servers: rendering, the waves and their clock, Django's backends."""
import datetime as dt
import email
from email import policy

import pytest
from django.core import mail

from outbox.delivery import outbox_send_due
from outbox.models import Message, MessageStatus
from registrations.enums import ApplicationStatus, MailKind
from registrations.notifications import (
    application_mail,
    application_mail_send_again,
    application_notify,
    confirmation_if_window_closed,
    mail_waves_open,
)
from registrations.services import application_cancel
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, MaterialFactory, SessionFactory

pytestmark = pytest.mark.django_db

# SessionFactory: held 2025-07-31 14:00-16:00 Tokyo, applications 2025-06-30 to 2025-07-28.
DURING_PERIOD = tokyo(2025, 7, 10, 9, 0)
LAST_EVENING = tokyo(2025, 7, 28, 23, 59)
AFTER_CLOSE = tokyo(2025, 7, 29, 0, 1)
DAY_BEFORE_MORNING = tokyo(2025, 7, 30, 10, 5)


def _parsed(sent: mail.EmailMessage):
    return email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)


def _text(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_receipt_says_confirmed_or_waitlisted_in_the_applicants_language():
    confirmed = ApplicationFactory(language="en")
    waitlisted = ApplicationFactory(language="ja", status=ApplicationStatus.WAITLISTED)

    first = application_notify(confirmed, MailKind.RECEIPT, data={"status": "confirmed"}, now=DURING_PERIOD)
    second = application_notify(waitlisted, MailKind.RECEIPT, data={"status": "waitlisted"}, now=DURING_PERIOD)

    assert "your place is confirmed" in first.subject
    assert "Thursday, July 31, 2025, 2:00 PM – 4:00 PM" in first.body_text
    assert "office@example.org" in first.body_text
    assert "キャンセル待ち" in second.subject
    assert "2025年7月31日（木）14:00～16:00" in second.body_text
    assert second.body_html.startswith("<!DOCTYPE html>")


def test_outbox_add_twice_for_the_same_kind_adds_one_row():
    application = ApplicationFactory()
    assert application_notify(application, MailKind.RECEIPT) is not None
    assert application_notify(application, MailKind.RECEIPT) is None
    assert application_mail(application).count() == 1


def test_resend_is_a_new_row_linked_to_the_original():
    application = ApplicationFactory(language="en")
    original = application_notify(application, MailKind.RECEIPT, data={"status": "confirmed"})

    again = application_mail_send_again(original, application)
    third = application_mail_send_again(original, application)

    assert again.resend_of == original and third.resend_of == original
    assert Message.objects.filter(resend_of=original).count() == 2
    assert "copy of a mail we sent you earlier" in again.body_text


def test_delivery_sends_each_row_once_and_records_what_was_sent():
    application = ApplicationFactory(language="en")
    row = application_notify(application, MailKind.RECEIPT, data={"status": "confirmed"}, now=DURING_PERIOD)

    outbox_send_due(clock=lambda: DURING_PERIOD)
    outbox_send_due(clock=lambda: DURING_PERIOD)

    assert len(mail.outbox) == 1
    received = _parsed(mail.outbox[0])
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT and row.sent_at == DURING_PERIOD and row.attempts == 1
    assert received["Message-ID"] == row.message_id
    assert received["Subject"].strip() == row.subject  # a long subject is folded after "Subject:"
    assert received["To"] == application.email
    assert received["Reply-To"] == "office@example.org"
    assert "Your place is confirmed." in _text(received)


def test_file_backend_writes_a_receipt_a_person_can_read(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    application = ApplicationFactory(language="ja")
    application_notify(application, MailKind.RECEIPT, data={"status": "confirmed"}, now=DURING_PERIOD)

    outbox_send_due(clock=lambda: DURING_PERIOD)

    [written] = (tmp_path / "mail").iterdir()
    text = written.read_text(encoding="utf-8")
    assert "山田 花子" in text
    assert "2025年7月31日（木）14:00～16:00" in text


def test_confirmation_wave_waits_for_the_window_to_close_and_runs_once():
    session = SessionFactory()
    confirmed = ApplicationFactory.create_batch(3, session=session)
    ApplicationFactory(session=session, status=ApplicationStatus.WAITLISTED)
    ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED)

    assert mail_waves_open(now=LAST_EVENING)[MailKind.CONFIRMATION] == 0
    assert mail_waves_open(now=AFTER_CLOSE)[MailKind.CONFIRMATION] == 3
    assert mail_waves_open(now=AFTER_CLOSE + dt.timedelta(minutes=1))[MailKind.CONFIRMATION] == 0

    rows = Message.objects.filter(kind=MailKind.CONFIRMATION)
    assert {row.about for row in rows} == set(confirmed)


def test_confirmation_carries_the_joining_link_and_a_calendar_file():
    session = SessionFactory(joining_instructions="Meeting ID 123 456")
    ApplicationFactory(session=session, language="en")
    mail_waves_open(now=AFTER_CLOSE)

    outbox_send_due(clock=lambda: AFTER_CLOSE)

    received = _parsed(mail.outbox[0])
    assert received["Subject"].strip().startswith("Joining details: Session")
    assert "https://meet.example.org/j/secret-joining-link-123" in _text(received)
    [ics] = [part for part in received.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert "DTSTART;TZID=Asia/Tokyo:20250731T140000" in ics.get_content()
    assert "secret-joining-link-123" in ics.get_content()


def test_anyone_confirmed_after_the_window_closed_gets_the_confirmation_at_once():
    session = SessionFactory()
    during = ApplicationFactory(session=session)
    late = ApplicationFactory(session=session)

    assert confirmation_if_window_closed(during, now=DURING_PERIOD) is None
    row = confirmation_if_window_closed(late, now=AFTER_CLOSE)

    assert row.kind == MailKind.CONFIRMATION
    assert mail_waves_open(now=AFTER_CLOSE)[MailKind.CONFIRMATION] == 1  # only `during` was left


def test_moved_application_gets_the_new_sessions_confirmation():
    first, second = SessionFactory(), SessionFactory()
    application = ApplicationFactory(session=first)
    confirmation_if_window_closed(application, now=AFTER_CLOSE)
    application.session = second
    application.save()

    assert confirmation_if_window_closed(application, now=AFTER_CLOSE) is not None


def test_reminder_goes_out_the_day_before_from_ten_oclock():
    session = SessionFactory()
    ApplicationFactory.create_batch(2, session=session, language="en")

    assert mail_waves_open(now=tokyo(2025, 7, 30, 9, 59))[MailKind.REMINDER] == 0
    assert mail_waves_open(now=DAY_BEFORE_MORNING)[MailKind.REMINDER] == 2
    assert mail_waves_open(now=DAY_BEFORE_MORNING)[MailKind.REMINDER] == 0
    outbox_send_due(clock=lambda: DAY_BEFORE_MORNING)
    subjects = {message.subject for message in mail.outbox}
    assert any(subject.startswith("Reminder – tomorrow") for subject in subjects)


def test_archive_wave_sends_one_mail_per_confirmed_application_with_materials():
    session = SessionFactory(archive_published_at=tokyo(2025, 8, 5, 12, 0), archive_video_url="https://video.example/1")
    MaterialFactory(session=session, title_en="Slides")
    ApplicationFactory.create_batch(2, session=session, language="en")
    ApplicationFactory(session=session, status=ApplicationStatus.CANCELLED)
    after = tokyo(2025, 8, 5, 12, 1)

    assert mail_waves_open(now=after)[MailKind.ARCHIVE] == 2
    assert mail_waves_open(now=after)[MailKind.ARCHIVE] == 0
    outbox_send_due(clock=lambda: after)

    assert len([m for m in mail.outbox if m.subject.startswith("Archive video now available")]) == 2
    assert "Slides" in _text(_parsed(mail.outbox[0]))


def test_confirmation_for_an_application_cancelled_before_sending_is_skipped():
    application = ApplicationFactory()
    row = confirmation_if_window_closed(application, now=AFTER_CLOSE)
    application_cancel(application=application, actor_label="applicant", now=AFTER_CLOSE)

    outbox_send_due(clock=lambda: AFTER_CLOSE)

    row.refresh_from_db()
    assert row.status == MessageStatus.SKIPPED
    assert [m.subject for m in mail.outbox] == [application_mail(application).get(kind=MailKind.CANCELLATION).subject]
