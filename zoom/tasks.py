"""Celery tasks of the zoom app: thin; the services do the work, the retry policy is here."""
from celery import shared_task
from django.utils import timezone

from registrations.retention import erasure_cutoff

from .attendance import attendance_fetch, attendance_fetches_due, fetches_erase_personal_data
from .client import ZoomClient, ZoomUnavailable
from .services import registrations_sweep, zoom_cancel, zoom_register


@shared_task(name="zoom.sweep_registrations", acks_late=True)
def sweep_registrations() -> None:
    """Queue the registrations that are missing or lost; flag those past the fallback time (beat, each minute)."""
    registrations_sweep()


@shared_task(name="zoom.register", bind=True, acks_late=True, max_retries=None)
def register(self, *, registration_id: int) -> None:
    """Register one application in Zoom; retried with backoff (or Zoom's Retry-After) while Zoom is unavailable."""
    with ZoomClient() as client:
        try:
            zoom_register(registration_id=registration_id, client=client)
        except ZoomUnavailable as exc:
            raise self.retry(countdown=exc.retry_in, exc=exc) from None


@shared_task(name="zoom.cancel", bind=True, acks_late=True, max_retries=None)
def cancel(self, *, registration_id: int) -> None:
    """Cancel one registrant in Zoom; retried like `register`."""
    with ZoomClient() as client:
        try:
            zoom_cancel(registration_id=registration_id, client=client)
        except ZoomUnavailable as exc:
            raise self.retry(countdown=exc.retry_in, exc=exc) from None


@shared_task(name="zoom.fetch_attendance", acks_late=True)
def fetch_attendance(*, fetch_id: int) -> None:
    """Record a session's attendance from Zoom's report (the office's button, or beat after the session)."""
    with ZoomClient() as client:
        attendance_fetch(fetch_id=fetch_id, client=client)


@shared_task(name="zoom.fetch_due_attendance", acks_late=True)
def fetch_due_attendance() -> None:
    """Queue the attendance fetch of sessions that ended ZOOM_ATTENDANCE_AFTER_HOURS ago (beat, hourly)."""
    attendance_fetches_due()


@shared_task(name="zoom.erase_personal_data", acks_late=True)
def erase_personal_data() -> None:
    """Empty the unmatched rows of fetches for sessions past their retention period (beat, nightly)."""
    fetches_erase_personal_data(cutoff=erasure_cutoff(now=timezone.now()))
