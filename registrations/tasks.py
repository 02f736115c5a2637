"""Celery tasks of applications: thin wrappers; the services do the work."""
from celery import shared_task

from .notifications import mail_waves_open, receipts_write


@shared_task(name="registrations.open_mail_waves", acks_late=True)
def open_mail_waves() -> None:
    """Add the confirmation, reminder and archive mail that is due now (each row once)."""
    mail_waves_open()


@shared_task(name="registrations.write_receipts", acks_late=True)
def write_receipts() -> None:
    """Write the receipts of new applications into the outbox and queue their sending (beat, every 2 seconds)."""
    receipts_write()
