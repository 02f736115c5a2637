"""The session list and page in the office's admin: counts per status in one query, the mail preview."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from outbox.models import Message
from registrations.enums import ApplicationStatus
from tests.factories import ApplicationFactory, SessionFactory
from tests.languages import EnglishClient

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/seminars/session/"


@pytest.fixture
def office_client():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client = EnglishClient()
    client.force_login(get_user_model().objects.get(username="office"))
    return client


def test_session_list_shows_confirmed_waitlisted_cancelled_and_capacity(office_client):
    session = SessionFactory(capacity=30, title_en="Counted session")
    for status, count in ((ApplicationStatus.CONFIRMED, 3), (ApplicationStatus.WAITLISTED, 2),
                          (ApplicationStatus.CANCELLED, 1)):
        ApplicationFactory.create_batch(count, session=session, status=status)
    SessionFactory(capacity=None, title_en="Unlimited session")

    response = office_client.get(CHANGELIST)

    rows = {session.title: session for session in response.context["cl"].result_list}
    counted = rows["Counted session"]
    assert (counted.confirmed_count, counted.waitlisted_count, counted.cancelled_count) == (3, 2, 1)
    page = response.content.decode()
    for header in ("Confirmed", "Waiting list", "Cancelled", "Capacity"):
        assert header in page, header
    assert '<td class="field-capacity_label">30</td>' in page
    assert '<td class="field-capacity_label">no limit</td>' in page


@pytest.mark.parametrize("sessions", [5, 20])
def test_session_list_queries_do_not_grow_with_sessions(office_client, sessions, django_assert_num_queries):
    for _n in range(sessions):
        ApplicationFactory.create_batch(2, session=SessionFactory(capacity=10))
    # login session, user, its permissions (user, group), the series filter, two counts (filtered and all),
    # the page's sessions with their counts (one query), the series of the site's context processor
    with django_assert_num_queries(9):
        assert office_client.get(CHANGELIST).status_code == 200


def test_session_page_previews_the_confirmation_mail_escaped_and_sends_nothing(office_client):
    session = SessionFactory(title_en="<b>Bold</b> session", joining_url="https://meet.example.org/j/preview-123")

    page = office_client.get(reverse("admin:seminars_session_change", args=[session.pk])).content.decode()

    assert "Preview: not sent to anyone." in page
    assert "https://meet.example.org/j/preview-123" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; session" in page and "<b>Bold</b> session" not in page
    assert not Message.objects.exists()


def test_office_edits_topics_materials_and_appearances_inline(office_client):
    session = SessionFactory()

    page = office_client.get(reverse("admin:seminars_session_change", args=[session.pk])).content.decode()

    for prefix in ("topics-TOTAL_FORMS", "appearances-TOTAL_FORMS", "materials-TOTAL_FORMS"):
        assert prefix in page, prefix
    for field in ("joining_url", "archive_video_url"):
        assert f'name="{field}"' in page, field
    assert "Publish the archive of the selected sessions" in office_client.get(CHANGELIST).content.decode()


def test_saving_the_session_in_admin_keeps_the_places_applicants_took_meanwhile(rf, admin_user):
    """The change form's save must not write back the count read when its request began."""
    from django.contrib.admin.sites import site

    from seminars.models import Session

    session = SessionFactory(capacity=10)
    as_read_by_the_form = Session.objects.get(pk=session.pk)
    Session.objects.filter(pk=session.pk).update(places_taken=3)  # three applicants, meanwhile
    as_read_by_the_form.title = "New title"

    request = rf.post("/admin/")
    request.user = admin_user
    site.get_model_admin(Session).save_model(request, as_read_by_the_form, form=None, change=True)

    session.refresh_from_db()
    assert (session.title, session.places_taken) == ("New title", 3)
