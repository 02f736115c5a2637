"""Django's Redis cache backend, keeping one redis.Redis client per connection pool; and the rate limit's cache."""
import threading

import redis
from django.core.cache.backends import redis as django_redis

# INCRBY only if the key exists, in one round trip (Django checks EXISTS first: two).
_INCR_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""


class ConnectionPool(redis.ConnectionPool):
    """redis-py's connection pool, minus the argument inspection wrapped around every `get_connection()`.

    redis-py 8 decorates `get_connection` to warn about arguments deprecated since 5.3;
    the decorator inspects the call's signature each time, which was half of what a
    cache call cost this process. Nothing here passes those arguments.
    """

    get_connection = getattr(redis.ConnectionPool.get_connection, "__wrapped__", redis.ConnectionPool.get_connection)


class RedisCacheClient(django_redis.RedisCacheClient):
    """Reuse the redis.Redis object instead of building one for every cache call.

    Django builds a new redis.Redis per call, and its constructor (a table of
    some 170 response callbacks) cost more CPU than the round trip itself: an
    applying request makes four cache calls (rate limit, outbox wake-up flag).
    A redis.Redis holds no per-call state and takes a connection from its pool
    for each command, so one object per pool is safe across threads.
    """

    def __init__(self, servers, pool_class=None, **options):
        super().__init__(servers, pool_class=pool_class or ConnectionPool, **options)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _script(self, client, source: str):
        """The Lua `source` registered on `client`, once (redis-py runs it by SHA, loading it if Redis lost it)."""
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script

    def add(self, key, value, timeout):
        """Django's add (SET NX, with EX unless the timeout is None or 0), as one plain command.

        redis-py 8 wraps `Redis.set` in argument-checking decorators that cost more CPU than
        the round trip; the rate limit and the outbox wake-up flag call add on every application.
        """
        if timeout == 0:
            return super().add(key, value, timeout)
        arguments = ["SET", key, self._serializer.dumps(value), "NX"]
        if timeout is not None:
            arguments += ["EX", int(timeout)]
        return bool(self.get_client(key, write=True).execute_command(*arguments))

    def incr(self, key, delta):
        """Django's incr (ValueError for a missing key) in one round trip: the rate limit counts with it."""
        value = self._script(self.get_client(key, write=True), _INCR_IF_EXISTS)(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(django_redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache with the client above."""

    client_class = RedisCacheClient

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = self.client_class


# SET NX EX, or else INCR: nil when the key was added, else the count after this one.
_ADD_OR_COUNT = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return false end
return redis.call('INCR', KEYS[1])
"""


class RateLimitCacheClient(RedisCacheClient):
    """The rate limit's counting in one round trip instead of two.

    django-ratelimit counts a request with `add(key, 1, period)` and, when the key was
    already there, `incr(key)`: two round trips on every submission. Here `add` runs
    one script that sets the key or else increments it, and keeps that count (per
    thread) for the `incr` of the same key that follows, which then returns it without
    asking Redis. Only for django-ratelimit with increment=True (RATELIMIT_USE_CACHE):
    another caller's `add` would count.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._counted = threading.local()

    def add(self, key, value, timeout):
        if not timeout or type(value) is not int:
            return super().add(key, value, timeout)
        count = self._script(self.get_client(key, write=True), _ADD_OR_COUNT)(keys=[key], args=[value, int(timeout)])
        if count is None:
            return True
        self._counted.last = (key, count)
        return False

    def incr(self, key, delta):
        counted, self._counted.last = getattr(self._counted, "last", None), None
        if counted is not None and counted[0] == key and delta == 1:
            return counted[1]
        return super().incr(key, delta)


class RateLimitCache(RedisCache):
    """The cache django-ratelimit counts in (settings.RATELIMIT_USE_CACHE): see RateLimitCacheClient."""

    client_class = RateLimitCacheClient
