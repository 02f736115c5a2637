from celery import shared_task

from .services import course_attendance_sync, course_records_expire


@shared_task(name="certificates.keep_course_records", acks_late=True)
def keep_course_records() -> dict:
    """Copy recorded attendance into the course record, and delete the records past their retention (hourly)."""
    return {"added": course_attendance_sync(), "deleted": course_records_expire()}
