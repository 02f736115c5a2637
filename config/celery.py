"""The Celery app: configured from Django settings (CELERY_* names), plus the beat schedule."""
import os

from celery import Celery
from celery.schedules import crontab

from config import broker, worker_watchdog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("seminar_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks that live outside tasks.py modules.
app.autodiscover_tasks(related_name="retention")

# A worker connected to the broker but no longer consuming restarts itself (config/worker_watchdog.py).
worker_watchdog.install(app)

# With acks_late a worker should hold one unacknowledged task at a time, not four.
app.conf.worker_prefetch_multiplier = 1

app.conf.beat_schedule = {
    # The safety net of the outbox: rows left by a broker outage, a dead worker or a retry.
    "send-due-mail": {"task": "outbox.send_due", "schedule": 30.0, "options": {"expires": 25}},
    # The receipts of new applications: applying only marks them, so the applicant's request never
    # waits for the broker or for mail to be rendered (registrations.notifications.receipts_write).
    "write-receipts": {"task": "registrations.write_receipts", "schedule": 2.0, "options": {"expires": 2}},
    # Confirmation at window close, reminder the day before, archive video: each row once.
    "open-mail-waves": {"task": "registrations.open_mail_waves", "schedule": 60.0, "options": {"expires": 55}},
    # Personal data past its retention period, erased nightly (Asia/Tokyo).
    "erase-personal-data": {"task": "registrations.erase_personal_data", "schedule": crontab(hour=3, minute=30)},
    # Attendance into the course record before each session's erasure (certificates/services.py); hourly,
    # so a correction the office makes still reaches it, and at 03:15 at the latest before the 03:30 erasure.
    "keep-course-records": {"task": "certificates.keep_course_records", "schedule": crontab(minute=15)},
    # Zoom: register confirmed applicants (and queue again any lost task), flag those past the fallback time.
    "zoom-registrations": {"task": "zoom.sweep_registrations", "schedule": 60.0, "options": {"expires": 55}},
    # Zoom: attendance from the participants report, ZOOM_ATTENDANCE_AFTER_HOURS after each session ends.
    "zoom-attendance": {"task": "zoom.fetch_due_attendance", "schedule": crontab(minute=40)},
    # Zoom: unmatched report rows (names, addresses) emptied with the session's personal data, after 03:30.
    "zoom-erase-personal-data": {"task": "zoom.erase_personal_data", "schedule": crontab(hour=3, minute=45)},
    # The embedded default's broker file: the messages it delivered, hourly (config/broker.py).
    "broker-delivered-delete": {
        "task": "config.broker_delivered_delete", "schedule": crontab(minute=50), "options": {"expires": 3000},
    },
}


@app.task(name="config.broker_delivered_delete", ignore_result=True)
def broker_delivered_delete() -> int:
    """Delete the messages the SQLite broker has delivered (config/broker.py); with Redis there are none to keep."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("sqla+sqlite"):
        return 0
    return broker.delivered_messages_delete(settings.BROKER_DATABASE)
