"""Reads for the office's tools: an announcement's audience and delivery, a draw's applications."""
from django.db.models import Count

from outbox.models import Message, MessageStatus
from registrations.enums import ApplicationStatus, AttendanceStatus, MailKind
from registrations.models import Application
from seminars.models import Session

from .enums import Audience
from .models import Announcement

# Sending to more people than this asks the office to confirm a second time.
LARGE_AUDIENCE = 200

ACTIVE_STATUSES = (ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED, ApplicationStatus.AWAITING_DRAW)


def audience_applications(session: Session, audience: str):
    """Return the session's applications an announcement to `audience` reaches, by pk; never erased ones."""
    # Only people with an address: those the office entered without one are told by the office itself.
    applications = Application.objects.filter(session=session, personal_data_erased_at__isnull=True).exclude(email="")
    attended = {"attendance_record__status": AttendanceStatus.ATTENDED}
    absent = {"attendance_record__status": AttendanceStatus.ABSENT}
    confirmed = {"status": ApplicationStatus.CONFIRMED}
    filters = {
        Audience.CONFIRMED: confirmed,
        Audience.WAITLISTED: {"status": ApplicationStatus.WAITLISTED},
        Audience.ATTENDED: confirmed | attended,
        Audience.ABSENT: confirmed | absent,
        Audience.ACTIVE: {"status__in": ACTIVE_STATUSES},
    }[Audience(audience)]
    return applications.filter(**filters).order_by("pk")


def announcement_messages(announcement: Announcement):
    """Return the outbox rows of the announcement (one per recipient; resends are rows of their own)."""
    key_end = f":{MailKind.ANNOUNCEMENT}:{announcement.pk}"
    return Message.objects.filter(kind=MailKind.ANNOUNCEMENT, key__endswith=key_end)


def announcement_delivery(announcement: Announcement) -> dict[str, int]:
    """Return how many of the announcement's mails are sent, waiting, failed or skipped (every status, 0 if none)."""
    counts = dict(announcement_messages(announcement).values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in MessageStatus.values}


def draw_applications(session: Session, order: list[int]):
    """Return the applications of a draw in drawn order."""
    by_pk = Application.objects.filter(session=session).in_bulk(order)
    return [by_pk[pk] for pk in order if pk in by_pk]
