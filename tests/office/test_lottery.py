"""A lottery when oversubscribed: applications await the draw; the draw runs once from a recorded seed."""
import datetime as dt

import pytest
from django.utils import timezone

from office.models import Draw
from office.services import draw_results_send, draw_run
from outbox.models import Message
from registrations.enums import ApplicationStatus, MailKind
from registrations.lottery import DrawRefused, draw_order
from registrations.models import Application
from registrations.notifications import application_mail, confirmation_wave, receipts_write
from registrations.services import application_cancel, application_create
from seminars.enums import Allocation
from seminars.models import Session
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory

from .conftest import open_session, service_data

pytestmark = pytest.mark.django_db

# SessionFactory: applications 2025-06-30 to 2025-07-28, held 2025-07-31 14:00 Tokyo.
IN_WINDOW = tokyo(2025, 7, 10, 12, 0)
AFTER_WINDOW = tokyo(2025, 7, 29, 9, 0)


def _lottery(**kwargs):
    return SessionFactory(allocation=Allocation.LOTTERY, **kwargs)


def _awaiting(session, count):
    return [ApplicationFactory(session=session, status=ApplicationStatus.AWAITING_DRAW) for _ in range(count)]


def test_applying_to_a_lottery_session_awaits_the_draw_and_takes_no_place():
    session = open_session(allocation=Allocation.LOTTERY, capacity=1)

    first = application_create(session=session, data=service_data(), language="ja")
    second = application_create(session=session, data=service_data(email="b@example.jp"), language="en")
    receipts_write()  # as the worker does right after

    assert {first.status, second.status} == {ApplicationStatus.AWAITING_DRAW}
    session.refresh_from_db()
    assert session.places_taken == 0
    receipt = application_mail(second).get(kind=MailKind.RECEIPT)
    assert "draw" in receipt.subject


def test_a_first_come_session_is_unchanged():
    session = open_session(capacity=1, waitlist_enabled=True)

    first = application_create(session=session, data=service_data(), language="ja")
    second = application_create(session=session, data=service_data(email="b@example.jp"), language="ja")

    assert (first.status, second.status) == (ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED)


def test_the_draw_order_is_known_from_the_seed():
    assert draw_order([3, 1, 2, 5, 4], "seed-2025") == draw_order([5, 4, 3, 2, 1], "seed-2025")
    assert draw_order(range(1, 11), "seed-2025") == [10, 9, 7, 3, 6, 2, 1, 8, 4, 5]


def test_the_draw_confirms_capacity_waitlists_the_rest_in_drawn_order_and_runs_once(office):
    session = _lottery(capacity=3, waitlist_enabled=True)
    applications = _awaiting(session, 7)

    draw = draw_run(session=session, by=office, seed="seed-2025", now=AFTER_WINDOW)

    expected = draw_order([a.pk for a in applications], "seed-2025")
    assert draw.order == expected
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in expected] == ["confirmed"] * 3 + ["waitlisted"] * 4
    assert (draw.confirmed, draw.waitlisted, draw.not_drawn, draw.run_by) == (3, 4, 0, office)
    assert Session.objects.get(pk=session.pk).places_taken == 3
    with pytest.raises(DrawRefused) as again:
        draw_run(session=session, by=office, now=AFTER_WINDOW)
    assert again.value.code == "done"
    assert Draw.objects.count() == 1

    # A freed place goes to the first on the waiting list in drawn order, not in order of application.
    first_confirmed = Application.objects.get(pk=expected[0])
    application_cancel(application=first_confirmed, by=office, actor_label="desk", now=AFTER_WINDOW)
    assert Application.objects.get(pk=expected[3]).status == ApplicationStatus.CONFIRMED


def test_without_a_waiting_list_the_others_are_not_drawn_and_never_more_than_capacity(office):
    session = _lottery(capacity=2, places_taken=1)
    _awaiting(session, 5)

    draw = draw_run(session=session, by=office, now=AFTER_WINDOW)

    assert (draw.confirmed, draw.waitlisted, draw.not_drawn) == (1, 0, 4)
    assert Session.objects.get(pk=session.pk).places_taken == 2
    assert len(draw.seed) == 32  # recorded: the draw can be checked later


def test_the_draw_waits_for_the_window_to_close(office):
    session = _lottery(capacity=2)
    _awaiting(session, 3)

    with pytest.raises(DrawRefused) as refused:
        draw_run(session=session, by=office, now=IN_WINDOW)

    assert refused.value.code == "open"
    assert not Draw.objects.exists()


def test_nobody_hears_of_the_draw_until_the_office_sends_the_results_and_then_once_each(office):
    session = _lottery(capacity=2, waitlist_enabled=True)
    applications = _awaiting(session, 4)
    applications[0].language = "en"
    applications[0].save()
    draw = draw_run(session=session, by=office, now=AFTER_WINDOW)

    assert confirmation_wave(session, now=AFTER_WINDOW) == 0
    assert not Message.objects.exists()

    added = draw_results_send(draw=draw, by=office, now=AFTER_WINDOW)
    again = draw_results_send(draw=draw, by=office, now=AFTER_WINDOW)

    assert (added, again) == (4, 0)
    results = Message.objects.filter(kind=MailKind.DRAW_RESULT)
    assert sorted(results.values_list("data__status", flat=True)) == ["confirmed"] * 2 + ["waitlisted"] * 2
    assert Message.objects.filter(kind=MailKind.CONFIRMATION).count() == 2
    english = application_mail(applications[0]).get(kind=MailKind.DRAW_RESULT)
    assert english.subject.startswith("Result of the draw")
    assert confirmation_wave(session, now=AFTER_WINDOW) == 0
    draw.refresh_from_db()
    assert draw.results_sent_by == office


def test_an_office_application_after_the_window_still_joins_the_draw_before_it_runs(office):
    today = timezone.localdate()
    session = open_session(allocation=Allocation.LOTTERY, capacity=1,
                           applications_open_on=today - dt.timedelta(days=9),
                           applications_close_on=today - dt.timedelta(days=1))
    ApplicationFactory(session=session, status=ApplicationStatus.AWAITING_DRAW)

    late = application_create(session=session, data=service_data(), language="ja", origin="fax",
                              consent_recorded_by=office, window_override_reason="Faxed in time")

    assert late.status == ApplicationStatus.AWAITING_DRAW


def test_the_draw_page_runs_it_shows_the_result_then_sends_the_results_once(office_client):
    session = open_session(allocation=Allocation.LOTTERY, capacity=1, waitlist_enabled=True)
    Session.objects.filter(pk=session.pk).update(
        applications_open_on=timezone.localdate() - dt.timedelta(days=9),
        applications_close_on=timezone.localdate() - dt.timedelta(days=1),
    )
    _awaiting(session, 3)
    url = f"/admin/seminars/session/{session.pk}/office/draw/"

    office_client.post(url, {"run": "1"})
    page = office_client.get(url).content.decode()
    office_client.post(url, {"run": "1"})

    assert Draw.objects.count() == 1
    assert 'id="draw-result"' in page
    assert not Message.objects.exists()
    office_client.post(url, {"send": "1"})
    office_client.post(url, {"send": "1"})
    assert Message.objects.filter(kind=MailKind.DRAW_RESULT).count() == 3
