"""The shared cache (config/cache.py) on a real Redis: what the rate limit and the outbox flag rely on."""
import pytest
from django.core.cache import cache, caches

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def _redis_cache():
    if type(caches["default"]).__module__ != "config.cache":
        pytest.skip("needs the Redis cache (REDIS_URL)")
    cache.clear()
    yield
    cache.clear()


def test_incr_counts_an_existing_key_and_keeps_its_expiry():
    cache.set("counter", 1, 300)

    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    assert cache.get("counter") == 7
    client = caches["default"]._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key("counter")) <= 300


def test_incr_of_a_missing_key_raises_like_django_and_creates_nothing():
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")

    assert cache.get("never-set") is None


def test_the_rate_limit_counts_per_address_across_calls(rf, settings):
    from django_ratelimit.core import is_ratelimited

    def limited(address):
        request = rf.post("/", REMOTE_ADDR=address)
        return is_ratelimited(request, group="t", key="ip", rate="3/h", method="POST", increment=True)

    assert [limited("10.0.0.1") for _ in range(5)] == [False, False, False, True, True]
    assert limited("10.0.0.2") is False


def test_add_sets_only_a_missing_key_with_its_expiry():
    assert cache.add("flag", 1, 30) is True
    assert cache.add("flag", 2, 30) is False
    assert cache.get("flag") == 1
    client = caches["default"]._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key("flag")) <= 30
    assert cache.add("forever", "x", None) is True
    assert client.ttl(cache.make_key("forever")) == -1
    assert cache.add("gone-at-once", "x", 0) is True
    assert cache.get("gone-at-once") is None


def test_the_rate_limit_cache_counts_like_add_then_incr(settings):
    """django-ratelimit's add-then-incr on the rate limit's own cache, whose add also counts (one round trip)."""
    limits = caches[settings.RATELIMIT_USE_CACHE]
    client = limits._cache.get_client(write=True)

    assert limits.add("ratelimit-key", 1, 60) is True  # first request of the window
    counts = []
    for _ in range(3):
        assert limits.add("ratelimit-key", 1, 60) is False
        counts.append(limits.incr("ratelimit-key"))

    assert counts == [2, 3, 4]
    assert limits.get("ratelimit-key") == 4
    assert 0 < client.ttl(limits.make_key("ratelimit-key")) <= 60


def test_the_rate_limit_cache_still_increments_a_key_it_did_not_just_count(settings):
    limits = caches[settings.RATELIMIT_USE_CACHE]
    limits.set("other", 10, 60)
    assert limits.add("counted", 1, 60) is True
    assert limits.add("counted", 1, 60) is False

    assert limits.incr("other") == 11  # not the count kept for "counted"
    assert limits.incr("counted") == 3  # what was kept is dropped at the next incr; this one goes to Redis
    with pytest.raises(ValueError, match="not found"):
        limits.incr("never-set")
