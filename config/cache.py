"""Django's Redis cache backend, keeping one redis.Redis client per connection pool."""
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Reuse the redis.Redis object instead of building one for every cache call.

    Django builds a new redis.Redis per call, and its constructor (a table of
    some 170 response callbacks) cost more CPU than the round trip itself: an
    applying request makes four cache calls (rate limit, outbox wake-up flag).
    A redis.Redis holds no per-call state and takes a connection from its pool
    for each command, so one object per pool is safe across threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
