"""The client's address, for the admin login lockout (django-axes) and the limit on applications (django-ratelimit)."""
from django.conf import settings


def client_ip(request) -> str | None:
    """Return the address of the client that sent `request`.

    REMOTE_ADDR, unless the peer is our own reverse proxy (FORWARDED_ALLOW_IPS):
    then the last address in X-Forwarded-For, which that proxy appended. Earlier
    entries are whatever the client chose to send, so they are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.FORWARDED_ALLOW_IPS and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return remote
