"""The personal joining link is a credential: in no log line and on no public page; on the manage page of its holder."""
import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from config.logging import PlainFormatter
from registrations.joining_links import personal_joining_urls
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_url
from tests.factories import ApplicationFactory, SessionFactory
from tests.languages import en
from zoom.client import ZoomClient
from zoom.models import ZoomRegistration
from zoom.services import zoom_register

pytestmark = [pytest.mark.django_db]
WEBINAR = "81234567890"


def _registered(fake_zoom, caplog):
    starts = timezone.now() + dt.timedelta(days=10)
    session = SessionFactory(starts_at=starts, applications_open_on=timezone.localdate() - dt.timedelta(days=20),
                             applications_close_on=timezone.localdate() - dt.timedelta(days=1),
                             zoom_webinar_id=WEBINAR)
    application = ApplicationFactory(session=session, email="holder@example.jp", language="en")
    registration = ZoomRegistration.objects.create(application=application, webinar_id=WEBINAR)
    fake_zoom.fail("add", "503")  # an error path logs too
    with caplog.at_level(logging.DEBUG), ZoomClient() as client:
        with pytest.raises(Exception):  # noqa: B017 - ZoomUnavailable, retried by the task
            zoom_register(registration_id=registration.pk, client=client)
        zoom_register(registration_id=registration.pk, client=client)
    [link] = personal_joining_urls(session, [application]).values()
    return session, application, link


def test_no_log_line_holds_the_join_url(fake_zoom, caplog):
    _session, _application, link = _registered(fake_zoom, caplog)
    formatter = PlainFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    token = link.split("tk=")[1]
    assert caplog.records  # httpx and our own lines were captured
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in formatter.format(record)


def test_public_pages_never_show_it_and_the_manage_page_shows_it_to_its_holder(fake_zoom, caplog, client):
    session, application, link = _registered(fake_zoom, caplog)
    calendar = reverse("session_ics", kwargs={"slug": session.slug})
    home = reverse("seminars:home")
    for url in [home, session.get_absolute_url(), calendar, en(session.get_absolute_url()), en(home)]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert link.encode() not in response.content, url
        assert link.split("tk=")[1].encode() not in response.content, url
    page = client.get(en(manage_url(application)))
    assert page.status_code == 200
    assert link in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


def test_erasure_takes_the_personal_link_and_the_registrant_id_with_it():
    session = SessionFactory(zoom_webinar_id=WEBINAR)  # held 2025-07-31: erasure is long due
    application = ApplicationFactory(session=session)
    ZoomRegistration.objects.create(application=application, webinar_id=WEBINAR, registrant_id="REG-9",
                                    state="registered", join_url="https://zoom.example/w/81234567890?tk=secret-token",
                                    last_error="refused holder@example.jp")

    applications_erase_personal_data(now=timezone.now())

    registration = ZoomRegistration.objects.get(application=application)
    assert (registration.registrant_id, registration.join_url, registration.last_error) == ("", "", "")
