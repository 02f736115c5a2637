"""Writes to the series and its sessions."""
import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from speakers.services import appearances_copy

from .models import TOKYO, Series, Session, Topic
from .signals import series_copied
from .video import video_parse

logger = logging.getLogger(__name__)


class ArchiveRefused(Exception):
    """The archive cannot be published or unpublished; `message` says why, for the office."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def session_publish_archive(*, session: Session, by, now: dt.datetime | None = None) -> Session:
    """Publish the session's archive video at `now`: from then on the session is `archived`.

    Refused (ArchiveRefused) when the session has not been held yet or has no valid video
    address. Publishing an archive that is already published changes nothing and returns
    the session as it is, so no follow-up runs twice.

    Side effects: sets `archive_published_at` (update_fields) under a row lock; logs who
    published. `by` is the office user (or a label) doing it. The archive mail to the
    applicants is registrations.office_changes.session_publish_archive_with_mail's.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.archive_published_at is not None:
        return session
    if now < session.ends_at:
        raise ArchiveRefused(_("Session %(number)s has not been held yet; publish its archive after it ends.")
                             % {"number": session.number})
    if not session.archive_video_url:
        raise ArchiveRefused(_("Session %(number)s has no archive video address yet.") % {"number": session.number})
    try:
        video_parse(session.archive_video_url)
    except ValidationError as error:
        raise ArchiveRefused(" ".join(error.messages)) from None
    session.archive_published_at = now
    session.save(update_fields=["archive_published_at"])
    logger.info("archive of session %s published by %s", session.pk, by)
    return session


@transaction.atomic
def session_unpublish_archive(*, session: Session, by, now: dt.datetime | None = None) -> Session:
    """Withdraw the session's archive: it goes back to `held` and its video leaves every page.

    Side effects: clears `archive_published_at` (update_fields) under a row lock; logs who
    did it. Mail already sent is not recalled. Unpublishing an unpublished archive changes nothing.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.archive_published_at is None:
        return session
    session.archive_published_at = None
    session.save(update_fields=["archive_published_at"])
    logger.info("archive of session %s unpublished by %s", session.pk, by)
    return session


# --- a series copied to the next fiscal year ---

# What a copy takes over: the course as planned, never its applicants, links, archive or places taken.
_SERIES_TEXT = ("title", "overview", "audience", "fee_note", "application_rule")
_SERIES_FIELDS = ("contact_email", "completion_min_sessions")
_SESSION_TEXT = ("level", "title", "overview", "venue")
_SESSION_FIELDS = ("number", "format", "capacity", "waitlist_enabled", "allocation", "archive_access",
                   "attendance_min_share")
_YEAR_SUFFIX = re.compile(r"-(19|20)\d\d$")


class SeriesCopyRefused(Exception):
    """The series cannot be copied to the next year; `message` says why, for the office."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _translated(names) -> list[str]:
    return [f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES]


def _a_year_later(day: dt.date) -> dt.date:
    # 29 February has no twin next year: the 28th.
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year + 1, day=28)
    return day.replace(year=day.year + 1)


def _moment_a_year_later(moment: dt.datetime) -> dt.datetime:
    """The same wall-clock time in Japan on the same date a year later."""
    local = moment.astimezone(TOKYO)
    return dt.datetime.combine(_a_year_later(local.date()), local.time(), tzinfo=TOKYO)


def _slug_for_year(slug: str, year: int, model) -> str:
    """Return `slug` with the year at its end instead of any year it had; a free one (-2, -3…) if taken."""
    base = f"{_YEAR_SUFFIX.sub('', slug)}-{year}"[:50]
    candidate, counter = base, 2
    while model.objects.filter(slug=candidate).exists():
        candidate, counter = f"{base[:46]}-{counter}", counter + 1
    return candidate


@transaction.atomic
def series_copy_to_next_year(*, series: Series, by, now: dt.datetime | None = None) -> Series:
    """Copy a series to the next fiscal year as the office's starting point; return the new series.

    The copy has the series' texts and contact, and each session with its texts, topics (with their
    sub-items), speakers' appearances, capacity, format, waiting list and allocation; dates and
    application periods are a year later (the office adjusts them after). Nothing of the applicants,
    no joining link, webinar or archive: those belong to the year they were made for. Session and
    series addresses get the new year at their end, so last year's addresses keep working.

    Side effects, in one transaction: the new series, sessions, topics and appearances; then
    `series_copied`, on which the questionnaires app copies the questionnaires. Refused
    (SeriesCopyRefused) when the next year already has a series of the same address.
    """
    now = now or timezone.now()
    year = series.fiscal_year + 1
    slug = f"{_YEAR_SUFFIX.sub('', series.slug)}-{year}"[:50]
    if Series.objects.filter(slug=slug).exists():
        raise SeriesCopyRefused(_("%(series)s has already been copied to %(year)s; nothing was copied.")
                                % {"series": series.title, "year": year})
    copy = Series.objects.create(
        slug=slug, fiscal_year=year,
        **{name: getattr(series, name) for name in (*_translated(_SERIES_TEXT), *_SERIES_FIELDS)},
    )
    sessions = {}
    for session in series.sessions.order_by("number"):
        new = Session.objects.create(
            series=copy, slug=_slug_for_year(session.slug, year, Session),
            starts_at=_moment_a_year_later(session.starts_at), ends_at=_moment_a_year_later(session.ends_at),
            applications_open_on=_a_year_later(session.applications_open_on),
            applications_close_on=_a_year_later(session.applications_close_on),
            **{name: getattr(session, name) for name in (*_translated(_SESSION_TEXT), *_SESSION_FIELDS)},
        )
        _topics_copy(session, new)
        appearances_copy(source=session, target=new)
        sessions[session] = new
    series_copied.send(sender=Series, source=series, copy=copy, sessions=sessions, now=now)
    logger.info("series %s copied to %s (FY%s) by %s", series.pk, copy.pk, year, by)
    return copy


def _topics_copy(source: Session, target: Session) -> None:
    texts = _translated(["text"])
    parents = {}
    for topic in source.topics.filter(parent__isnull=True).order_by("order", "pk"):
        parents[topic.pk] = Topic.objects.create(
            session=target, order=topic.order, **{name: getattr(topic, name) for name in texts})
    for topic in source.topics.filter(parent__isnull=False).order_by("order", "pk"):
        Topic.objects.create(session=target, parent=parents[topic.parent_id], order=topic.order,
                             **{name: getattr(topic, name) for name in texts})
