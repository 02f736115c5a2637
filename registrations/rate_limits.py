"""Counting the application form's POSTs per client address, against a rate such as "20/h".

With the shared cache on Redis (django-redis), the `limits` library counts on the same Redis
database: each hit is one script call that increments the window's count and sets its expiry
together, where django-ratelimit on the cache takes an add and an incr (two round trips, about a
fifth of an application's CPU; bench/apply.py). Without Redis (the embedded default's file cache),
django-ratelimit counts as before. Either way: fixed windows of the rate's period, every hit
counted (over the limit too), an IPv6 address counted by its /64 as django-ratelimit does, and a
cache that cannot be reached raises, for the caller to let the POST through.
"""
import functools
import ipaddress
import re

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from config.client_ip import client_ip

REDIS_BACKEND = "django_redis.cache.RedisCache"
UNITS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def over_limit(request, *, rate: str, group: str) -> bool:
    """Count this request against `rate` (django-ratelimit syntax: "20/h", "5/10m") for its client address
    under `group`; return whether the count is now over the rate."""
    cache = settings.CACHES["default"]
    if cache["BACKEND"] != REDIS_BACKEND:
        return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)
    return not _limiter(cache["LOCATION"]).hit(_item(rate), group, _address_key(client_ip(request)))


@functools.lru_cache(maxsize=4)
def _limiter(location: str):
    from limits.storage import RedisStorage
    from limits.strategies import FixedWindowRateLimiter

    # As the cache's own client: a Redis that vanished must not hold a request (config/settings.py).
    return FixedWindowRateLimiter(RedisStorage(location, socket_timeout=1, socket_connect_timeout=1))


@functools.lru_cache(maxsize=16)
def _item(rate: str):
    from limits import parse

    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", rate)
    if match is None:
        raise ValueError(f"Rate {rate!r} is not of the form 20/h or 5/10m")
    count, multiple, unit = match.groups()
    return parse(f"{count}/{multiple or 1} {UNITS[unit]}")


def _address_key(address: str | None) -> str:
    """Return what is counted for a client address: the address itself, or an IPv6 address's /64 network."""
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address
