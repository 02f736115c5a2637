"""Reads of the series and its sessions, shaped for the pages that show them."""
from django.db.models import Prefetch, QuerySet

from speakers.models import Appearance

from .models import Series, Session, Topic


def series_current() -> Series | None:
    """Return the series the portal serves (the first one)."""
    return Series.objects.order_by("pk").first()


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


def sessions_for_archive() -> QuerySet[Session]:
    """Return past sessions, newest first, with their speakers (the caller filters by state)."""
    return Session.objects.order_by("-starts_at").prefetch_related(_appearances())
