"""What our reverse proxy tells us about the client: its address and whether it came over HTTPS.

The address is for the admin login lockout (django-axes) and the limit on applications
(django-ratelimit). Both headers are believed only from a peer in FORWARDED_ALLOW_IPS.
"""
import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def from_proxy(request) -> bool:
    """Return whether the peer that sent `request` is our own reverse proxy (FORWARDED_ALLOW_IPS)."""
    return request.META.get("REMOTE_ADDR") in settings.FORWARDED_ALLOW_IPS


def client_ip(request) -> str | None:
    """Return the address of the client that sent `request`.

    REMOTE_ADDR, unless the peer is our own reverse proxy: then the last address in
    X-Forwarded-For, which that proxy appended. Earlier entries are whatever the client
    chose to send, so they are never trusted. An entry with a port (`ip:port`,
    `[v6]:port`) gives its address; one that is no address at all gives REMOTE_ADDR,
    with a warning (django-axes stores an `inet`, django-ratelimit builds a network from it).
    """
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not (from_proxy(request) and forwarded.strip()):
        return remote
    entry = forwarded.split(",")[-1].strip()
    address = parse_address(entry)
    if address is None:
        # %r and a cut: the entry is the proxy's copy of what a client sent, control characters included.
        logger.warning("X-Forwarded-For ends in %r, which is no address: using the peer's address", entry[:60])
        return remote
    return address


def parse_address(entry: str) -> str | None:
    """Return the IP address in `entry` ("198.51.100.7", "198.51.100.7:4321", "[2001:db8::1]:443"), or None."""
    host = entry
    if entry.startswith("["):
        host, bracket, rest = entry[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and _is_port(rest[1:]))):
            return None
    elif entry.count(":") == 1:
        host, _colon, port = entry.partition(":")
        if not _is_port(port):
            return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is that IPv4 address, for the lockout and the limits alike.
    address = getattr(address, "ipv4_mapped", None) or address
    # A zone (fe80::1%eth0) is meaningless beyond the proxy's own link, and PostgreSQL's inet refuses it.
    if getattr(address, "scope_id", None):
        return None
    return str(address)


def _is_port(text: str) -> bool:
    return text.isascii() and text.isdigit() and int(text) <= 65535


class ProxyHeadersMiddleware:
    """Drop X-Forwarded-Proto and X-Forwarded-For from any peer that is not our reverse proxy.

    SECURE_PROXY_SSL_HEADER makes Django believe X-Forwarded-Proto from whoever sends it;
    without this, a client reaching the app server directly could claim HTTPS. Placed
    before SecurityMiddleware, which is the first to read it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_proxy(request):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
            request.META.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)
