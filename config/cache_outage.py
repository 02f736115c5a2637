"""Whether the shared cache (Redis) answers, as the page cache and the application limits last saw it.

Neither needs the cache to do its job: while it is away, public pages are served
uncached and applications are let through uncounted. So an outage is logged once
when it begins and once when it ends, not on every request. The state is per
process (each gunicorn worker logs its own pair of lines).
"""
import logging
import threading

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_away = False


def cache_failed(error: Exception, *, doing: str) -> None:
    """Record that a cache call failed; log a warning if the cache answered until now."""
    global _away
    with _lock:
        first, _away = not _away, True
    if first:
        # One line, no traceback: the error repeats on every request until the cache is back.
        logger.warning(
            "Cache unreachable (%s: %s) while %s: pages are served uncached and applications let through "
            "uncounted until it answers again", type(error).__name__, error, doing,
        )


def cache_answered() -> None:
    """Record that a cache call succeeded; log that the cache is back if it was away."""
    global _away
    if not _away:  # the common case, without taking the lock
        return
    with _lock:
        back, _away = _away, False
    if back:
        logger.info("Cache reachable again: pages are cached and applications counted")
