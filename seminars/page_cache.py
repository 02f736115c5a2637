"""The cache of public pages (series, sessions, speakers, archive): what it keeps, and when it lets go.

The rule, in one place:
- a page is kept under the current *generation* for at most PUBLIC_PAGE_CACHE_SECONDS;
- a new generation starts (so no page of the old one is served again) when the office saves or
  deletes anything a public page shows (`content_changed`, after the transaction commits), and
  when the next moment of any session's clock passes (an application window opening or closing,
  a session starting or ending, an archive being published or ending, and any moment another app
  answers to `clock_moments`, such as a news item appearing or going): a page is never kept
  past that moment;
- browsers are told `no-cache`: they may keep a copy but ask for it again each time.

Places left on a session may lag by up to PUBLIC_PAGE_CACHE_SECONDS: the application form itself
always counts them afresh. A cache that cannot be reached costs the pages their caching, never the
pages themselves (config/cache_outage.py logs it once).
"""
import datetime as dt
import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from config.cache_outage import cache_answered, cache_failed

from .models import Session

GENERATION_KEY = "public-pages:generation"

# Sent with `now` when a generation starts: apps whose public content appears or goes at times of its own
# (the office's news) answer with their moments after `now`, which end the generation as the sessions' do.
clock_moments = Signal()


def next_clock_moment(now: dt.datetime) -> dt.datetime | None:
    """Return the first moment after `now` at which some session's state (or archive) changes, if any."""
    moments = []
    for session in Session.objects.only(
        "applications_open_on", "applications_close_on", "starts_at", "ends_at",
        "archive_published_at", "archive_available_until",
    ):
        moments += [session.applications_open_at, session.applications_close_at, session.starts_at,
                    session.ends_at, session.archive_published_at, session.archive_closes_at]
    for _receiver, more in clock_moments.send(sender=Session, now=now):
        moments += more
    future = [moment for moment in moments if moment is not None and moment > now]
    return min(future, default=None)


def _generation(now: dt.datetime) -> str:
    """Return the name of the current generation, starting a new one when there is none."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        until = next_clock_moment(now)
        # The generation ends by itself when the clock moment comes (the cache rounds down to whole seconds).
        cache.set(GENERATION_KEY, generation, timeout=None if until is None else (until - now).total_seconds())
    return generation


def content_changed(**kwargs) -> None:
    """Signal receiver: what the office saved or deleted shows on the next request after it is committed."""
    transaction.on_commit(_generation_end)


def _generation_end() -> None:
    try:
        cache.delete(GENERATION_KEY)
    except Exception as error:  # noqa: BLE001 - any cache failure: the office's save has happened regardless
        cache_failed(error, doing="ending the public pages' cache generation")


def generation_cached(name: str, build):
    """Return `build()`, kept in the cache under the current generation for at most PUBLIC_PAGE_CACHE_SECONDS.

    The same rule as the pages (see the module's docstring), for a value rather than a page:
    an office edit or the next clock moment ends it. One round trip when the cache holds it,
    since the entry carries the generation it was made in. `build` must return something
    picklable; a cache that cannot be reached means `build()` every time.
    """
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return build()
    key = f"public-pages:value:{name}"
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception as error:  # noqa: BLE001 - any cache failure: answer from the database
        cache_failed(error, doing="reading a cached value")
        return build()
    cache_answered()
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    value = build()
    try:
        cache.set(key, (generation or _generation(timezone.now()), value), settings.PUBLIC_PAGE_CACHE_SECONDS)
    except Exception as error:  # noqa: BLE001
        cache_failed(error, doing="caching a value")
    return value


def public_page(view):
    """Serve a public page from the cache when its current generation holds it (see the module's rule).

    The pages hold nothing personal (no CSRF token, no messages), so one rendering serves every
    visitor of a URL; each language has its own URLs. A hit costs one round trip to the cache: the
    page's entry carries the generation it was rendered in, read together with the current one (as
    `generation_cached` does). Only a 200 without cookies is kept. An error in the view itself is
    raised as usual.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return _revalidated(view(request, *args, **kwargs))
        key = _page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception as error:  # noqa: BLE001 - any cache failure: the page is rendered uncached
            cache_failed(error, doing="reading a cached public page")
            return _revalidated(view(request, *args, **kwargs))
        cache_answered()
        generation, entry = found.get(GENERATION_KEY), found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            return _revalidated(entry[1])
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render"):  # a TemplateResponse: kept as the bytes it renders to
                response.render()
            try:
                entry = (generation or _generation(timezone.now()), response)
                cache.set(key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
            except Exception as error:  # noqa: BLE001
                cache_failed(error, doing="caching a public page")
        return _revalidated(response)

    return wrapped


def _page_key(request) -> str:
    """Return the cache key of a page: its language and absolute URL (host, path and query)."""
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    return f"public-pages:page:{get_language()}:{url}"


def _revalidated(response):
    """Let browsers keep the page but ask for it again each time (no stale copy after an edit)."""
    if response.status_code == 200:
        if "Expires" in response:
            del response["Expires"]
        response.headers.pop("Cache-Control", None)
        patch_cache_control(response, no_cache=True)
    return response
