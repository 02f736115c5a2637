"""Reads of the news for the public pages, the feed and the pages' cache clock."""
import datetime as dt

from django.db.models import Min, Q, QuerySet

from seminars.models import Series, Session

from .models import News

HOME_LATEST = 5
FEED_LATEST = 30


def news_shown(*, now: dt.datetime) -> QuerySet[News]:
    """Return the news on the site at `now`, newest first, with their session."""
    return (
        News.objects.filter(published_at__lte=now)
        .filter(Q(published_until__isnull=True) | Q(published_until__gt=now))
        .select_related("session")
        .order_by("-published_at", "-pk")
    )


def news_for_series(series: Series | None, *, now: dt.datetime) -> QuerySet[News]:
    """Return the series' news shown at `now` (its sessions' too), newest first."""
    if series is None:
        return News.objects.none()
    return news_shown(now=now).filter(series=series)


def news_for_session(session: Session, *, now: dt.datetime) -> QuerySet[News]:
    """Return the news of one session shown at `now`, newest first."""
    return news_shown(now=now).filter(session=session)


def news_moments_after(sender=None, *, now: dt.datetime, **kwargs) -> list[dt.datetime]:
    """Signal receiver: the next moments after `now` at which a news item appears or goes (one query)."""
    found = News.objects.aggregate(
        appears=Min("published_at", filter=Q(published_at__gt=now)),
        goes=Min("published_until", filter=Q(published_until__gt=now)),
    )
    return [moment for moment in found.values() if moment is not None]
