"""Zoom failing in the ways it does: an add served after our timeout, credentials refused, a body that is not JSON.

For each, what the office sees (the registration's admin rows and the application's page) and what Zoom holds
afterwards (the fake's registrants): nobody stays registered at Zoom once their application is cancelled.
"""
import datetime as dt
import io

import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from registrations.joining_links import personal_joining_urls
from registrations.services import application_cancel
from tests.factories import ApplicationFactory, SessionFactory
from tests.registrations.mailservers import wait_for
from zoom.attendance import attendance_fetch, attendance_fetch_request
from zoom.client import ZoomAuthFailed, ZoomClient, ZoomUnavailable
from zoom.models import FetchState, RegistrationState, ZoomRegistration
from zoom.services import ADD_SETTLE_MINUTES, registrations_sweep, zoom_cancel, zoom_register

pytestmark = [pytest.mark.django_db]
WEBINAR = "81234567890"


def url(name, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def office_client():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client = Client(headers={"accept-language": "en"})
    client.force_login(get_user_model().objects.get(username="office"))
    return client


def waiting(email="person@example.jp") -> ZoomRegistration:
    """A confirmed application of a Zoom session (window open) and its registration, as the sweep creates it."""
    today = timezone.localdate()
    session = SessionFactory(starts_at=timezone.now() + dt.timedelta(days=10), zoom_webinar_id=WEBINAR,
                             applications_open_on=today - dt.timedelta(days=5),
                             applications_close_on=today + dt.timedelta(days=5))
    ApplicationFactory(session=session, email=email, language="en")
    assert registrations_sweep()["created"] == 1
    return ZoomRegistration.objects.get()


def _cancel_at_zoom(registration: ZoomRegistration, client: ZoomClient, on_commit) -> None:
    """Cancel the application (its signal runs after commit) and run the cancel task until Zoom took it."""
    with on_commit(execute=True):
        application_cancel(application=registration.application, actor_label="applicant")
    for _try in range(3):
        try:
            registration = zoom_cancel(registration_id=registration.pk, client=client)
        except ZoomUnavailable:
            continue
        if registration.state == RegistrationState.CANCELLED:
            return
    raise AssertionError(f"still {registration.state}: {registration.last_error}")


def test_a_cancel_that_meets_an_add_zoom_served_after_our_timeout_cancels_it_at_zoom(
        fake_zoom, django_capture_on_commit_callbacks):
    registration = waiting("slow@example.jp")
    fake_zoom.timeout_sleep = 5  # Zoom registers the person 5 s in, long after the client's 1 s timeout
    fake_zoom.fail("add", "slow")
    with ZoomClient() as client:
        with pytest.raises(ZoomUnavailable):
            zoom_register(registration_id=registration.pk, client=client)
        with django_capture_on_commit_callbacks(execute=True):  # application_place_lost, after commit
            application_cancel(application=registration.application, actor_label="applicant")
        registration.refresh_from_db()
        assert registration.state == RegistrationState.CANCEL_WAITING

        # The cancel task runs before Zoom has served the add: it finds nobody yet and looks again later.
        with pytest.raises(ZoomUnavailable, match="may still be pending"):
            zoom_cancel(registration_id=registration.pk, client=client)
        wait_for(lambda: fake_zoom.registrant(WEBINAR, "slow@example.jp") is not None, what="Zoom serving the add")
        registration = zoom_cancel(registration_id=registration.pk, client=client)

    assert registration.state == RegistrationState.CANCELLED
    assert fake_zoom.registrant(WEBINAR, "slow@example.jp")["status"] == "cancelled"
    assert fake_zoom.approved() == []  # nobody left registered at Zoom
    assert personal_joining_urls(registration.application.session, [registration.application]) == {}


def test_a_cancel_of_an_add_that_zoom_never_served_ends_once_the_add_has_settled(
        fake_zoom, django_capture_on_commit_callbacks):
    registration = waiting("never@example.jp")
    fake_zoom.fail("add", "503")
    with ZoomClient() as client:
        with pytest.raises(ZoomUnavailable):
            zoom_register(registration_id=registration.pk, client=client)
        with django_capture_on_commit_callbacks(execute=True):
            application_cancel(application=registration.application, actor_label="applicant")
        later = timezone.now() + dt.timedelta(minutes=ADD_SETTLE_MINUTES + 1)
        registration = zoom_cancel(registration_id=registration.pk, client=client, now=later)
    assert registration.state == RegistrationState.CANCELLED
    assert fake_zoom.count("status") == 0  # nobody to cancel
    assert fake_zoom.approved() == []


def test_refused_credentials_get_one_new_token_then_a_stored_reason_and_backoff(
        fake_zoom, office_client, django_capture_on_commit_callbacks):
    registration = waiting()
    fake_zoom.fail("add", "401", "401")  # the cached token and the renewed one both refused
    with ZoomClient() as client:
        with pytest.raises(ZoomAuthFailed):
            zoom_register(registration_id=registration.pk, client=client)
    assert fake_zoom.count("token") == 2  # the first token, then exactly one new one
    assert fake_zoom.count("list") == 0  # not mistaken for Zoom refusing the person
    registration.refresh_from_db()
    assert registration.state == RegistrationState.WAITING
    assert "credentials refused: HTTP 401, code 124" in registration.last_error
    assert registration.next_attempt_at > registration.last_attempt_at  # a later try is due

    # Revoked for good: each try fails at the token, with the reason, waiting longer each time.
    fake_zoom.revoke()
    delays = []
    with ZoomClient() as client:
        for _try in range(3):
            with pytest.raises(ZoomAuthFailed) as raised:
                zoom_register(registration_id=registration.pk, client=client)
            delays.append(raised.value.retry_in)
    assert delays == sorted(delays) and delays[0] < delays[-1]
    registration.refresh_from_db()
    assert registration.last_error.startswith("token refused: HTTP 401")

    page = office_client.get(url("admin:registrations_application_change", registration.application_id))
    assert "Zoom&#x27;s last answer: token refused: HTTP 401" in page.content.decode()
    listing = office_client.get(url("admin:zoom_zoomregistration_changelist"))
    assert listing.status_code == 200
    assert "token refused: HTTP 401" in listing.content.decode()

    # The credentials are put right; the next try registers, and cancelling leaves nobody registered at Zoom.
    fake_zoom.revoked = False
    with ZoomClient() as client:
        registration = zoom_register(registration_id=registration.pk, client=client)
        assert registration.state == RegistrationState.REGISTERED
        _cancel_at_zoom(registration, client, django_capture_on_commit_callbacks)
    assert fake_zoom.approved() == []


def test_an_answer_that_is_not_json_is_a_failure_with_its_reason_tried_again(
        fake_zoom, django_capture_on_commit_callbacks):
    registration = waiting()
    fake_zoom.fail("add", "html")
    with ZoomClient() as client:
        with pytest.raises(ZoomUnavailable) as raised:
            zoom_register(registration_id=registration.pk, client=client)
        assert raised.value.retry_in > 0
        registration.refresh_from_db()
        assert registration.last_error == "add: HTTP 200, the answer is not JSON"
        assert registration.state == RegistrationState.WAITING
        registration = zoom_register(registration_id=registration.pk, client=client)  # the task's retry
        assert registration.state == RegistrationState.REGISTERED
        assert len(fake_zoom.approved()) == 1
        fake_zoom.fail("status", "html")  # the cancel's answer garbled too: tried again
        _cancel_at_zoom(registration, client, django_capture_on_commit_callbacks)
    assert fake_zoom.approved() == []


def test_a_participants_report_that_is_not_json_fails_the_fetch_with_its_reason(fake_zoom):
    session = SessionFactory(zoom_webinar_id=WEBINAR)
    fake_zoom.fail("report", "html")
    fetch = attendance_fetch_request(session=session)
    with ZoomClient() as client:
        fetch = attendance_fetch(fetch_id=fetch.pk, client=client)
    assert fetch.state == FetchState.FAILED
    assert fetch.error == "participants: HTTP 200, the answer is not JSON"


def test_the_office_sees_the_zoom_lists_and_tries_a_registration_again(fake_zoom, office_client):
    registration = waiting()
    fake_zoom.fail("add", "404")  # e.g. the webinar ID was mistyped: Zoom refuses
    with ZoomClient() as client:
        registration = zoom_register(registration_id=registration.pk, client=client)
    assert registration.state == RegistrationState.REFUSED

    for name in ("admin:zoom_zoomregistration_changelist", "admin:zoom_attendancefetch_changelist"):
        assert office_client.get(url(name)).status_code == 200, name
    response = office_client.post(url("admin:zoom_zoomregistration_changelist"), {
        "action": "retry", helpers.ACTION_CHECKBOX_NAME: [registration.pk],
    }, follow=True)
    assert "1 registration will be tried again in a moment" in response.content.decode()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.WAITING

    with ZoomClient() as client:  # the queued task, once the office fixed the webinar
        registration = zoom_register(registration_id=registration.pk, client=client)
    assert registration.state == RegistrationState.REGISTERED
