"""Reads of the series and its sessions, shaped for the pages that show them."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from speakers.models import Appearance

from .enums import ArchiveAccess, SessionState
from .models import Series, Session, Topic
from .video import Video


def series_by_currency(*, now: dt.datetime) -> QuerySet[Series]:
    """Return every series, the current one first (one query), each with `session_count`.

    Current: the series with sessions open or coming (a session not yet ended), the one whose
    next session ends first when two have; otherwise the latest (its last session latest, then
    its fiscal year).
    """
    return Series.objects.annotate(
        next_end=Min("sessions__ends_at", filter=Q(sessions__ends_at__gt=now)),
        last_start=Max("sessions__starts_at"),
        session_count=Count("sessions"),
    ).order_by(F("next_end").asc(nulls_last=True), F("last_start").desc(nulls_last=True), "-fiscal_year", "-pk")


def series_current(*, now: dt.datetime | None = None) -> Series | None:
    """Return the series the home page shows at `now` (see series_by_currency), or None without any."""
    return series_by_currency(now=now or timezone.now()).first()


def series_other_years(ranked: list[Series], shown: Series | None) -> list[Series]:
    """Return the series of `ranked` other than `shown` that have sessions, newest fiscal year first."""
    others = [each for each in ranked if each.session_count and (shown is None or each.pk != shown.pk)]
    return sorted(others, key=lambda each: (-each.fiscal_year, -each.pk))


def series_for_page(slug: str) -> Series | None:
    """Return the series with this slug, or None."""
    return Series.objects.filter(slug=slug).first()


def _appearances():
    return Prefetch("appearances", queryset=Appearance.objects.select_related("speaker").order_by("order", "pk"))


def _top_topics():
    return Prefetch(
        "topics",
        queryset=Topic.objects.filter(parent__isnull=True).prefetch_related("subtopics"),
        to_attr="top_topics",
    )


def sessions_for_home(series: Series) -> QuerySet[Session]:
    """Return the series' sessions in order, with speakers, for the series page."""
    return series.sessions.order_by("number").prefetch_related(_appearances())


def session_for_page(slug: str) -> QuerySet[Session]:
    """Return a queryset holding the session with this slug, with everything its page shows."""
    return Session.objects.filter(slug=slug).select_related("series").prefetch_related(
        _appearances(), _top_topics(), "materials"
    )


def sessions_for_archive(*, now: dt.datetime) -> list[Session]:
    """Return the sessions whose archive can be watched at `now`, newest year first, then newest first.

    Each year's sessions come together (the page groups them under their series), with their speakers.

    Applicants-only archives are listed too (the page says who may watch); each session
    carries `current_state`, always `archived`.
    """
    candidates = (
        Session.objects.filter(ends_at__lte=now, archive_published_at__lte=now)
        .exclude(archive_video_url="")
        .filter(Q(archive_available_until__isnull=True) | Q(archive_available_until__gte=timezone.localdate(now)))
        .select_related("series")
        .order_by("-series__fiscal_year", "series_id", "-starts_at")
        .prefetch_related(_appearances())
    )
    archived = []
    for session in candidates:
        session.current_state = session.state(now=now)
        if session.current_state == SessionState.ARCHIVED:
            archived.append(session)
    return archived


def _application_may_watch(session: Session, application) -> bool:
    # Any application to this session that was not cancelled: confirmed, or waitlisted and never
    # given a place (the archive is how they can still follow the session).
    return application is not None and application.session_id == session.pk and application.is_active


@dataclass(frozen=True)
class Archive:
    """What a page may show of a session's archive at one moment, for one viewer."""

    session: Session
    video: Video | None
    published: bool  # published and the session held
    ended: bool  # its end date has passed
    applicants_only: bool
    visible: bool  # this viewer may watch it now


def archive_for(session: Session, *, application=None, now: dt.datetime | None = None) -> Archive:
    """Return what of `session`'s archive is shown to a viewer holding `application` (None: the public)."""
    now = now or timezone.now()
    held = now >= session.ends_at
    applicants_only = session.archive_access == ArchiveAccess.APPLICANTS
    video = session.archive_video
    watchable = session.state(now=now) == SessionState.ARCHIVED and video is not None
    return Archive(
        session=session,
        video=video,
        published=held and session.archive_is_published(now=now),
        ended=held and session.archive_has_ended(now=now),
        applicants_only=applicants_only,
        visible=watchable and (not applicants_only or _application_may_watch(session, application)),
    )


def archive_visible_to(session: Session, *, application=None, now: dt.datetime | None = None) -> bool:
    """Return True when the viewer holding `application` (None: anyone) may watch the archive at `now`.

    Public archives: anyone, from publication (once held) until the end date. Applicants-only
    archives: only through an application to this session that was not cancelled.
    """
    return archive_for(session, application=application, now=now).visible
