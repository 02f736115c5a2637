"""After a session: thanks with the certificate for those who came, the archive worded for those who did not."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from outbox.models import Message
from registrations.attendance import attendance_mark
from registrations.enums import ApplicationStatus, AttendanceStatus, MailKind
from registrations.models import Application
from registrations.notifications import application_mail, archive_mail_wave, follow_up_wave, mail_preview_render
from registrations.selectors import manage_url
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, ArchivedSessionFactory, SessionFactory
from tests.registrations.mailservers import wait_for

pytestmark = pytest.mark.django_db

# SessionFactory: held 2025-07-31 14:00-16:00 Tokyo.
AFTER_SESSION = tokyo(2025, 7, 31, 17, 0)


@pytest.fixture
def office():
    return get_user_model().objects.create_user("office", password="x", is_staff=True)


def _mark(applications, status, office):
    attendance_mark(applications=Application.objects.filter(pk__in=[a.pk for a in applications]),
                    status=status, by=office, now=AFTER_SESSION)


def test_the_follow_up_reaches_each_attendee_once_and_nobody_else(office):
    session = SessionFactory()
    came = ApplicationFactory.create_batch(3, session=session)
    stayed_away = ApplicationFactory(session=session)
    not_recorded = ApplicationFactory(session=session)
    came_then_cancelled = ApplicationFactory(session=session)
    _mark([*came, came_then_cancelled], AttendanceStatus.ATTENDED, office)
    _mark([stayed_away], AttendanceStatus.ABSENT, office)
    Application.objects.filter(pk=came_then_cancelled.pk).update(status=ApplicationStatus.CANCELLED)

    added = follow_up_wave(session, now=AFTER_SESSION)
    again = follow_up_wave(session, now=AFTER_SESSION)

    assert (added, again) == (3, 0)
    followed_up = set(Message.objects.filter(kind=MailKind.FOLLOW_UP).values_list("to_email", flat=True))
    assert followed_up == {application.email for application in came}
    for nobody in (stayed_away, not_recorded, came_then_cancelled):
        assert not application_mail(nobody).filter(kind=MailKind.FOLLOW_UP).exists()


def test_a_correction_later_reaches_only_the_newly_recorded_attendee(office):
    session = SessionFactory()
    first, late = ApplicationFactory.create_batch(2, session=session)
    _mark([first], AttendanceStatus.ATTENDED, office)
    follow_up_wave(session, now=AFTER_SESSION)

    _mark([late], AttendanceStatus.ATTENDED, office)
    added = follow_up_wave(session, now=AFTER_SESSION)

    assert added == 1
    assert application_mail(first).filter(kind=MailKind.FOLLOW_UP).count() == 1
    assert application_mail(late).filter(kind=MailKind.FOLLOW_UP).count() == 1


@pytest.mark.parametrize(("language", "thanks", "certificate"), [
    ("ja", "ご参加", "受講証明書"),
    ("en", "Thank you for attending", "certificate of attendance"),
])
def test_the_follow_up_thanks_and_links_the_certificate_in_the_applicants_language(
    client, office, language, thanks, certificate
):
    application = ApplicationFactory(language=language)
    _mark([application], AttendanceStatus.ATTENDED, office)

    follow_up_wave(application.session, now=AFTER_SESSION)

    message = application_mail(application).get(kind=MailKind.FOLLOW_UP)
    assert thanks in message.subject + message.body_text
    assert certificate in message.subject
    prefix = "/en" if language == "en" else ""
    link = f"{prefix}{manage_url(application)}certificates/session.pdf"
    assert f"http://127.0.0.1:8000{link}" in message.body_text
    assert f'href="http://127.0.0.1:8000{link}"' in message.body_html
    assert f"http://127.0.0.1:8000{prefix}{manage_url(application)}" in message.body_text


def test_the_archive_mail_is_worded_for_those_who_missed_the_session(office):
    session = ArchivedSessionFactory()
    came, missed, unknown = ApplicationFactory.create_batch(3, session=session, language="en")
    _mark([came], AttendanceStatus.ATTENDED, office)
    _mark([missed], AttendanceStatus.ABSENT, office)

    archive_mail_wave(session, now=tokyo(2025, 8, 11, 9, 0))

    text = {a: application_mail(a).get(kind=MailKind.ARCHIVE).body_text for a in (came, missed, unknown)}
    assert "sorry you could not join" in text[missed]
    assert "Thank you for taking part." in text[came] and "sorry" not in text[came]
    assert "Thank you for taking part." in text[unknown]


def test_the_office_previews_the_follow_up_for_a_made_up_attendee():
    session = SessionFactory(title_en="The basics")

    preview = mail_preview_render(session, MailKind.FOLLOW_UP)

    assert "certificates/session.pdf" in preview["body_text"]
    assert not Message.objects.exists()


def test_the_office_sees_who_gets_it_reads_the_preview_and_sends_it_once(office, django_capture_on_commit_callbacks):
    call_command("create_office_user", "desk", "desk@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username="desk"))
    session = SessionFactory()
    came = ApplicationFactory.create_batch(2, session=session)
    _mark(came, AttendanceStatus.ATTENDED, office)
    _mark([ApplicationFactory(session=session)], AttendanceStatus.ABSENT, office)
    url = f"/admin/seminars/session/{session.pk}/attendance/follow-up/"

    page = client.get(url).content.decode()
    assert "<strong>2</strong>" in page
    assert "プレビュー" in page and "certificates/session.pdf" in page

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, follow=True)
    again = client.post(url, follow=True)

    assert Message.objects.filter(kind=MailKind.FOLLOW_UP).count() == 2
    assert "2" in [m.message for m in sent.context["messages"]][0]
    assert [m.level_tag for m in again.context["messages"]] == ["info"]
    assert 'disabled' in client.get(url).content.decode()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_each_attendee_receives_the_follow_up_once_through_the_worker_and_smtp(smtp, office):
    session = SessionFactory()
    came = ApplicationFactory.create_batch(3, session=session, language="en")
    missed = ApplicationFactory(session=session)
    _mark(came, AttendanceStatus.ATTENDED, office)
    _mark([missed], AttendanceStatus.ABSENT, office)

    follow_up_wave(session)
    wait_for(lambda: smtp.handler.count() >= 3 and not Message.objects.exclude(status="sent").exists(),
             what="3 follow-up mails")
    follow_up_wave(session)  # the office presses again

    for application in came:
        [mail] = smtp.handler.to(application.email)
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert f"/en{manage_url(application)}certificates/session.pdf" in body
    assert smtp.handler.to(missed.email) == []
    assert Message.objects.filter(kind=MailKind.FOLLOW_UP).count() == 3
