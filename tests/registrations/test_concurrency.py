"""A burst of simultaneous applicants, each with its own PostgreSQL connection, never overfills a session."""
import threading

import pytest
from django.db import connection

from registrations.enums import ApplicationStatus
from registrations.models import Application
from registrations.services import application_cancel, application_create
from seminars.models import Session

from .conftest import open_session, service_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPLICANTS = 60
CAPACITY = 10


def run_together(jobs):
    """Run each job in its own thread (so its own connection), released at the same moment; return errors."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 - every failure is collected and reported by the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_simultaneous_applications_fill_exactly_the_capacity_then_cancellations_promote_in_order():
    session = open_session(capacity=CAPACITY, waitlist_enabled=True)

    def applicant(i):
        return lambda: application_create(
            session=Session.objects.get(pk=session.pk), data=service_data(email=f"burst{i}@example.jp"), language="ja"
        )

    errors = run_together([applicant(i) for i in range(APPLICANTS)])

    assert errors == []
    statuses = list(Application.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(ApplicationStatus.CONFIRMED) == CAPACITY
    assert statuses.count(ApplicationStatus.WAITLISTED) == APPLICANTS - CAPACITY
    session.refresh_from_db()
    assert session.places_taken == CAPACITY

    waiting = Application.objects.filter(session=session, status=ApplicationStatus.WAITLISTED)
    first_three = list(waiting.order_by("created_at", "pk").values_list("pk", flat=True)[:3])
    leaving = list(Application.objects.filter(session=session, status=ApplicationStatus.CONFIRMED)[:3])

    def cancel(application):
        return lambda: application_cancel(application=application, actor_label="applicant")

    errors = run_together([cancel(application) for application in leaving])

    assert errors == []
    promoted = set(
        Application.objects.filter(session=session, promoted_at__isnull=False).values_list("pk", flat=True)
    )
    assert promoted == set(first_three)
    assert Application.objects.filter(session=session, status=ApplicationStatus.CONFIRMED).count() == CAPACITY
    assert waiting.count() == APPLICANTS - CAPACITY - 3
    session.refresh_from_db()
    assert session.places_taken == CAPACITY
