"""Settings for bench/apply.py's server: the portal's own, plus the one-row ceiling view."""
from config.settings import *  # noqa: F403
from config.settings import CACHES, env

ROOT_URLCONF = "bench.urls"

# BENCH_CACHE_BACKEND=django measures Django's own RedisCache against the portal's django-redis.
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache" and env.str("BENCH_CACHE_BACKEND", "") == "django":
    CACHES["default"] |= {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
