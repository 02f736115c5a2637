"""Reads of applications, shaped for the pages and services that use them."""
import datetime as dt

from django.conf import settings
from django.core import signing
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from seminars.enums import Allocation, SessionFormat
from seminars.models import Session
from seminars.page_cache import generation_cached

from .enums import ApplicationStatus, Attendance
from .models import Application

# Separates manage-link signatures from any other use of SECRET_KEY.
MANAGE_LINK_SALT = "registrations.manage-link"


def attendance_options(session: Session) -> list[str]:
    """Return the ways of attending the session offers, as Attendance values."""
    return {
        SessionFormat.ONLINE: [Attendance.ONLINE],
        SessionFormat.VENUE: [Attendance.VENUE],
        SessionFormat.HYBRID: [Attendance.VENUE, Attendance.ONLINE],
    }.get(session.format, [Attendance.ONLINE])


def session_for_apply(slug: str, *, cached: bool = False) -> Session | None:
    """Return the session with this slug, with its series, or None.

    `cached` (for a POST to the form): kept under the public pages' cache generation
    (seminars.page_cache), which ends with any edit of the office and at every clock
    moment, so the dates and rules are current. Only `places_taken` may lag: applying
    counts the places itself, and the form page, which shows them, reads afresh.
    """
    if cached:
        return generation_cached(f"session-for-apply:{slug}", lambda: session_for_apply(slug))
    return Session.objects.filter(slug=slug).select_related("series").first()


def waitlist_queue(session: Session):
    """Return the session's waitlisted applications, the next to move up first.

    In order of application; in a lottery session, those drawn first in drawn
    order (Application.draw_position), then any who joined later.
    """
    waiting = Application.objects.filter(session=session, status=ApplicationStatus.WAITLISTED)
    if session.allocation != Allocation.LOTTERY:
        return waiting.order_by("created_at", "pk")
    return waiting.order_by(F("draw_position").asc(nulls_last=True), "created_at", "pk")


def waitlist_position(application: Application) -> int | None:
    """Return the application's place in its session's waiting list (1 = next), or None if not waiting."""
    if application.status != ApplicationStatus.WAITLISTED:
        return None
    if application.session.allocation == Allocation.LOTTERY:
        return list(waitlist_queue(application.session).values_list("pk", flat=True)).index(application.pk) + 1
    ahead = Application.objects.filter(
        Q(created_at__lt=application.created_at) | Q(created_at=application.created_at, pk__lt=application.pk),
        session_id=application.session_id,
        status=ApplicationStatus.WAITLISTED,
    )
    return ahead.count() + 1


# --- the applicant's private manage link ---


def manage_token(application: Application) -> str:
    """Return the token of the application's manage link: its random secret, signed."""
    return signing.Signer(salt=MANAGE_LINK_SALT).sign(application.manage_secret)


def manage_url(application: Application) -> str:
    """Return the path of the application's manage link."""
    return reverse("registrations:manage", kwargs={"token": manage_token(application)})


def manage_link_expires_at(application: Application) -> dt.datetime:
    """Return when the manage link stops working: when the personal data is erased.

    That is PERSONAL_DATA_RETENTION_DAYS after the session ends (the privacy notice says so).
    """
    return application.session.ends_at + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


class ManageLinkExpired(Exception):
    """The link was genuine but its time is over."""


def application_for_token(token: str, *, now: dt.datetime | None = None) -> Application | None:
    """Return the application behind a manage-link token, or None if the token is not genuine.

    Raise ManageLinkExpired when the token is genuine but the link has expired or
    the application's personal data has been erased: erasure replaces the secret, so a
    genuine token whose secret no application holds any more is such a link.
    """
    try:
        secret = signing.Signer(salt=MANAGE_LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    application = (
        Application.objects.select_related("session", "session__series").filter(manage_secret=secret).first()
    )
    if application is None:
        raise ManageLinkExpired
    now = now or timezone.now()
    if application.personal_data_erased_at is not None or now >= manage_link_expires_at(application):
        raise ManageLinkExpired
    return application
