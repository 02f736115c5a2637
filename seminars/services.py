"""Writes to the series and its sessions."""
import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Session
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
    applicants is registrations.services.session_publish_archive_with_mail's.
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
