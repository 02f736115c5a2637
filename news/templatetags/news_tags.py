"""The news blocks of the home page and of a session's page (both cached pages: see seminars/page_cache.py)."""
from django import template
from django.utils import timezone

from news.selectors import HOME_LATEST, news_for_series, news_for_session

register = template.Library()


@register.inclusion_tag("news/_block.html")
def news_latest(series):
    """The latest few news items of the series, newest first, with a link to the full list."""
    items = list(news_for_series(series, now=timezone.now())[: HOME_LATEST + 1])
    return {"news_items": items[:HOME_LATEST], "more": len(items) > HOME_LATEST, "on_home": True}


@register.inclusion_tag("news/_block.html")
def news_of_session(session):
    """The session's own news, newest first (nothing when it has none)."""
    return {"news_items": list(news_for_session(session, now=timezone.now())), "on_home": False}
