"""Personal joining links end to end: PostgreSQL, Redis, a real Celery worker, a real SMTP server, the fake Zoom.

What is asserted is what the applicant receives (the mail as the SMTP server got it)
and what Zoom was asked (the fake's registrants and requests).
"""
import datetime as dt

import pytest
from django.utils import timezone

from outbox.models import Message, MessageStatus
from registrations.enums import MailKind
from registrations.joining_links import personal_joining_urls
from registrations.notifications import application_mail, confirmation_wave, mail_waves_open
from registrations.services import application_cancel
from tests.factories import ApplicationFactory, SessionFactory
from tests.registrations.mailservers import wait_for
from zoom.models import RegistrationState, ZoomRegistration
from zoom.services import registrations_sweep

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("zoom_worker"),
]
WEBINAR = "81234567890"
SHARED = "https://us06web.zoom.us/j/81234567890?pwd=shared-for-everyone"


def closed_session(*, starts_in: dt.timedelta = dt.timedelta(days=10), **kwargs):
    """A Zoom session whose application window closed yesterday."""
    starts = timezone.localtime().replace(microsecond=0) + starts_in
    today = timezone.localdate()
    return SessionFactory(starts_at=starts, applications_open_on=today - dt.timedelta(days=20),
                          applications_close_on=today - dt.timedelta(days=1), zoom_webinar_id=WEBINAR,
                          joining_url=SHARED, **kwargs)


def _confirmation_body(smtp, email: str) -> str:
    [mail] = smtp.handler.to(email)  # the confirmation: the factory's applications had no receipt
    return mail.get_body(preferencelist=("plain",)).get_content()


def _confirmations_sent(applications) -> bool:
    return all(
        application_mail(a).filter(kind=MailKind.CONFIRMATION, status=MessageStatus.SENT).exists()
        for a in applications
    )


def test_each_confirmation_carries_the_join_url_zoom_issued_for_that_address(smtp, fake_zoom, zoom_worker):
    session = closed_session()
    applications = [ApplicationFactory(session=session, email=f"person{n}@example.jp", language="en")
                    for n in range(3)]
    assert confirmation_wave(session) == 0  # waiting for the personal links

    assert registrations_sweep()["created"] == 3
    wait_for(lambda: _confirmations_sent(applications), what="the confirmations with personal links")
    mail_waves_open()  # the wave at the window's close adds nothing more

    for application in applications:
        registrant = fake_zoom.registrant(WEBINAR, application.email)
        body = _confirmation_body(smtp, application.email)
        assert registrant["join_url"] in body
        assert SHARED not in body
        registration = ZoomRegistration.objects.get(application=application)
        assert registration.join_url == registrant["join_url"]
        assert application_mail(application).filter(kind=MailKind.CONFIRMATION).count() == 1
    assert fake_zoom.count("add") == 3
    # The worker's log (every line it wrote while registering and sending) holds none of the links.
    log = zoom_worker.log_path.read_text(errors="replace")
    assert "zoom.register" in log
    for registration in ZoomRegistration.objects.all():
        assert registration.join_url.split("tk=")[1] not in log
    body = fake_zoom.bodies("add")[0]
    assert (body["first_name"], body["last_name"]) == ("花子", "山田")


def test_calendar_attached_to_the_confirmation_carries_the_personal_link(smtp, fake_zoom):
    session = closed_session()
    application = ApplicationFactory(session=session, email="cal@example.jp", language="en")
    registrations_sweep()
    wait_for(lambda: _confirmations_sent([application]), what="the confirmation")
    [mail] = smtp.handler.to("cal@example.jp")
    [ics] = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    content = ics.get_content()
    content = content.decode() if isinstance(content, bytes) else content
    unfolded = content.replace("\r\n ", "")
    assert fake_zoom.registrant(WEBINAR, "cal@example.jp")["join_url"] in unfolded
    assert SHARED not in unfolded


def test_cancelling_sends_the_cancel_action_for_that_registrant(smtp, fake_zoom):
    session = closed_session()
    application = ApplicationFactory(session=session, email="leaving@example.jp")
    registrations_sweep()
    wait_for(lambda: ZoomRegistration.objects.filter(state=RegistrationState.REGISTERED).exists(),
             what="the registration")
    registrant_id = fake_zoom.registrant(WEBINAR, "leaving@example.jp")["id"]

    application_cancel(application=application, actor_label="applicant")

    wait_for(lambda: fake_zoom.count("status") == 1, what="the cancel action")
    [body] = fake_zoom.bodies("status")
    assert body == {"action": "cancel", "registrants": [{"id": registrant_id, "email": "leaving@example.jp"}]}
    wait_for(lambda: ZoomRegistration.objects.filter(state=RegistrationState.CANCELLED).exists(),
             what="the registration to be marked cancelled")
    assert ZoomRegistration.objects.get(application=application).join_url == ""
    assert personal_joining_urls(session, [application]) == {}
    assert fake_zoom.registrant(WEBINAR, "leaving@example.jp")["status"] == "cancelled"


def test_zoom_down_for_the_first_tries_still_ends_with_one_registrant_and_one_confirmation(smtp, fake_zoom):
    session = closed_session()
    applications = [ApplicationFactory(session=session, email=f"retry{n}@example.jp", language="en")
                    for n in range(2)]
    # A 503, a timeout, a 429 with Retry-After, and a request Zoom served whose answer never arrived.
    fake_zoom.fail("add", "503", "timeout", "429", "served_timeout")
    fake_zoom.expire_tokens()

    registrations_sweep()
    wait_for(lambda: _confirmations_sent(applications), timeout=90, what="the confirmations after the retries")

    for application in applications:
        registrant = fake_zoom.registrant(WEBINAR, application.email)
        assert registrant["status"] == "approved"
        assert registrant["join_url"] in _confirmation_body(smtp, application.email)
        assert len(smtp.handler.to(application.email)) == 1
    assert sum(len(people) for people in fake_zoom.registrants.values()) == 2
    assert fake_zoom.count("add") >= 6


def test_zoom_refusing_a_known_address_counts_as_registered(smtp, fake_zoom):
    session = closed_session()
    application = ApplicationFactory(session=session, email="known@example.jp", language="en")
    fake_zoom.fail("add", "served_timeout", "duplicate")
    registrations_sweep()
    wait_for(lambda: _confirmations_sent([application]), timeout=60, what="the confirmation")
    assert fake_zoom.count("list") == 1  # the lookup by address
    registrant = fake_zoom.registrant(WEBINAR, "known@example.jp")
    assert registrant["join_url"] in _confirmation_body(smtp, "known@example.jp")


def test_zoom_down_until_the_fallback_time_sends_the_shared_link_and_tells_the_office(smtp, fake_zoom):
    session = closed_session(starts_in=dt.timedelta(hours=30))
    application = ApplicationFactory(session=session, email="late@example.jp", language="en")
    fake_zoom.down("add", "token")
    registrations_sweep()
    wait_for(lambda: ZoomRegistration.objects.filter(attempts__gte=1).exclude(last_error="").exists(),
             what="a failed try")
    assert confirmation_wave(session) == 0  # still more than 24 hours away: waiting

    # Time passes (the session moves closer rather than the clock): 20 hours to go, Zoom still down.
    session.starts_at = timezone.now() + dt.timedelta(hours=20)
    session.ends_at = session.starts_at + dt.timedelta(hours=2)
    session.save(update_fields=["starts_at", "ends_at"])
    assert registrations_sweep()["fallback"] == 1
    assert confirmation_wave(session) == 1
    wait_for(lambda: _confirmations_sent([application]), what="the confirmation with the shared link")

    assert SHARED in _confirmation_body(smtp, "late@example.jp")
    registration = ZoomRegistration.objects.get()
    assert registration.fallback_at is not None and registration.state == RegistrationState.WAITING
    office = Message.objects.filter(kind="zoom_fallback")
    assert office.count() == 1 and office.get().to_email == session.series.contact_email
    assert application.reference[:4] in office.get().body_text
    assert registrations_sweep()["fallback"] == 0  # told once
