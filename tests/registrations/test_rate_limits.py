"""The rate limits' own reading of a rate and of a client address (registrations.rate_limits)."""
import pytest
from limits import parse

from registrations.rate_limits import _address_key, _item


def test_rate_in_django_ratelimit_syntax_is_read_as_the_same_window():
    assert _item("20/h") == parse("20 per hour")
    assert _item("5/10m") == parse("5 per 10 minutes")
    assert _item("200/d") == parse("200 per day")


def test_rate_in_another_syntax_is_refused():
    with pytest.raises(ValueError):
        _item("20 per hour")


def test_ipv6_addresses_of_one_network_count_together_and_ipv4_alone():
    assert _address_key("2001:db8:1:2::1") == _address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert _address_key("198.51.100.7") == "198.51.100.7"
    assert _address_key(None) == "unknown"
