"""Reads about a staff member's second factor and their admin session (django-otp's devices)."""
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp_webauthn.models import WebAuthnCredential

# The session key that holds the time of the staff member's last request (seconds since the epoch).
LAST_SEEN_KEY = "staff_auth_last_seen"
# The session key that says whether the user had a device when they signed in: read on each admin request
# instead of asking every device table each time.
HAD_DEVICE_KEY = "staff_auth_had_device"


def second_factor_devices(user) -> list:
    """Return the user's confirmed devices (passkeys, authenticator apps, recovery codes), as django-otp finds them."""
    return list(devices_for_user(user, confirmed=True))


def second_factor_rows(user) -> list[dict]:
    """Return the user's passkeys and authenticator apps as their page lists them: what, added, last used."""
    return [
        {
            "kind": _("Passkey or security key") if isinstance(device, WebAuthnCredential) else _("Authenticator app"),
            "added": device.created_at,
            "last_used": device.last_used_at,
        }
        for device in second_factor_devices(user)
        if not isinstance(device, StaticDevice)
    ]


def user_has_second_factor(user) -> bool:
    """Whether the user has a confirmed device other than recovery codes, which alone are no second factor."""
    return any(not isinstance(device, StaticDevice) for device in second_factor_devices(user))


def session_must_verify(session, user) -> bool:
    """Whether a password alone is not enough for this staff session: staff must have a second factor, or
    the user had one when they signed in (kept in the session, set by staff_auth.receivers)."""
    if not user.is_staff:
        return False
    if settings.STAFF_SECOND_FACTOR_REQUIRED:
        return True
    if HAD_DEVICE_KEY not in session:
        session[HAD_DEVICE_KEY] = user_has_device(user)
    return session[HAD_DEVICE_KEY]


def user_has_passkeys(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    """Return how many unused recovery codes the user holds."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def session_idle_expired(session, *, now: dt.datetime) -> bool:
    """Whether a staff session saw no request for longer than STAFF_SESSION_IDLE_MINUTES before `now`."""
    last_seen = session.get(LAST_SEEN_KEY)
    if last_seen is None:
        return False
    return now.timestamp() - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
