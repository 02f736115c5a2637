"""Every pair of statuses, through the one status change, every public service that changes a status and the
office's admin actions: each move outside APPLICATION_TRANSITIONS is refused and leaves the application as it was."""
import datetime as dt
import io
import itertools

import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from office.services import draw_run
from outbox.models import Message
from registrations.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from registrations.models import Application, AuditEntry
from registrations.office_changes import application_move
from registrations.references import reference_display
from registrations.services import application_cancel
from registrations.status import ApplicationRefused, application_status_change
from seminars.enums import Allocation
from tests.factories import ApplicationFactory
from tests.languages import EnglishClient
from tests.registrations.conftest import open_session

pytestmark = pytest.mark.django_db

STATUSES = list(ApplicationStatus)
CONFIRMED, CANCELLED = ApplicationStatus.CONFIRMED, ApplicationStatus.CANCELLED
CHANGELIST = reverse("admin:registrations_application_changelist")


def allowed(current, new) -> bool:
    return new in APPLICATION_TRANSITIONS[ApplicationStatus(current)]


def unchanged(application, status) -> bool:
    """Whether the application still has `status`, with no audit entry and no mail written about it."""
    application.refresh_from_db()
    return (
        application.status == status
        and not AuditEntry.objects.filter(application=application).exists()
        and not Message.objects.filter(object_id=application.pk).exists()
    )


@pytest.fixture
def office():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


@pytest.fixture
def office_client(office):
    client = EnglishClient()
    client.force_login(office)
    return client


@pytest.mark.parametrize(("current", "new"), list(itertools.product(STATUSES, STATUSES)))
def test_the_one_status_change_allows_exactly_the_transitions_of_the_table(current, new):
    application = ApplicationFactory(session=open_session(), status=current)
    now = timezone.now()

    if allowed(current, new):
        entry = application_status_change(application, to=new, now=now, action="test", actor_label="system")
        application.refresh_from_db()
        assert application.status == new
        assert entry.changes == {"status": [current, new]}
    else:
        with pytest.raises(ApplicationRefused) as refused:
            application_status_change(application, to=new, now=now, action="test", actor_label="system")
        assert refused.value.code == "transition"
        assert str(ApplicationStatus(current).label) in str(refused.value.message)
        assert unchanged(application, current)


@pytest.mark.parametrize("current", STATUSES)
def test_cancelling_from_each_status(current, english):
    application = ApplicationFactory(session=open_session(), status=current)

    if allowed(current, CANCELLED):
        application_cancel(application=application, actor_label="applicant")
        application.refresh_from_db()
        assert application.status == CANCELLED
    else:
        with pytest.raises(ApplicationRefused) as refused:
            application_cancel(application=application, actor_label="applicant")
        assert refused.value.message == "This application has already been cancelled."
        assert unchanged(application, current)


@pytest.mark.parametrize("current", STATUSES)
def test_moving_from_each_status_ends_confirmed_only_where_the_table_allows(current, office, english):
    application = ApplicationFactory(session=open_session(), status=current)
    target = open_session(capacity=10)

    if current == CONFIRMED or allowed(current, CONFIRMED):
        application_move(application=application, to_session=target, by=office, reason="Asked by phone.")
        application.refresh_from_db()
        assert (application.session, application.status) == (target, CONFIRMED)
    else:
        with pytest.raises(ApplicationRefused) as refused:
            application_move(application=application, to_session=target, by=office, reason="Asked by phone.")
        assert refused.value.code in ("cancelled", "transition")
        assert unchanged(application, current)
        target.refresh_from_db()
        assert target.places_taken == 0


def test_the_draw_moves_only_applications_awaiting_it(office):
    session = open_session(allocation=Allocation.LOTTERY, capacity=1, waitlist_enabled=True)
    applications = {status: ApplicationFactory(session=session, status=status) for status in STATUSES}
    after_close = session.applications_close_at + dt.timedelta(minutes=1)

    draw_run(session=session, by=office, seed="walk", now=after_close)

    for status, application in applications.items():
        application.refresh_from_db()
        if status == ApplicationStatus.AWAITING_DRAW:
            assert allowed(status, application.status) and application.draw_position == 1
        else:
            assert application.status == status and application.draw_position is None


def test_promotion_moves_only_a_waitlisted_application(english):
    session = open_session(capacity=1, waitlist_enabled=True)
    holder = ApplicationFactory(session=session, status=CONFIRMED)
    session.places_taken = 1
    session.save(update_fields=["places_taken"])
    others = {status: ApplicationFactory(session=session, status=status) for status in STATUSES if status != CONFIRMED}

    promoted = application_cancel(application=holder, actor_label="applicant")

    assert promoted == others[ApplicationStatus.WAITLISTED]
    for status, application in others.items():
        application.refresh_from_db()
        assert application.status == (CONFIRMED if status == ApplicationStatus.WAITLISTED else status)


def _post_action(client, action, application, **form):
    selected = [application.pk]
    client.post(CHANGELIST, {"action": action, "index": "0", helpers.ACTION_CHECKBOX_NAME: selected})
    return client.post(
        CHANGELIST, {"action": action, "apply": "1", helpers.ACTION_CHECKBOX_NAME: selected, **form}, follow=True
    )


@pytest.mark.parametrize("current", STATUSES)
def test_admin_actions_refuse_with_a_message_what_the_table_does_not_allow(current, office_client):
    cancelled_one = ApplicationFactory(session=open_session(), status=current)
    moved_one = ApplicationFactory(session=open_session(), status=current)
    target = open_session(capacity=10)

    cancel = _post_action(office_client, "cancel_on_request", cancelled_one, reason="Phoned.", message="")
    move = _post_action(office_client, "move_to_session", moved_one, to_session=target.pk, reason="Phoned.")

    assert (cancel.status_code, move.status_code) == (200, 200)
    cancel_messages = [str(m) for m in cancel.context["messages"]]
    move_messages = [str(m) for m in move.context["messages"]]
    if allowed(current, CANCELLED):
        assert Application.objects.get(pk=cancelled_one.pk).status == CANCELLED
        assert cancel_messages == ["Cancelled 1 application; a cancellation notice was queued."]
    else:
        assert cancel_messages == [
            f"{reference_display(cancelled_one.reference)}: This application has already been cancelled."
        ]
        assert unchanged(cancelled_one, current)
    if current == CONFIRMED or allowed(current, CONFIRMED):
        assert Application.objects.get(pk=moved_one.pk).status == CONFIRMED
        assert move_messages == ["Moved 1 application; a change notice was queued."]
    else:
        [message] = move_messages
        assert message.startswith(f"{reference_display(moved_one.reference)}: ")
        assert "cancelled" in message or "cannot become" in message
        assert unchanged(moved_one, current)
