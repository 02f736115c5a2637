"""Changes to a staff member's second factor: authenticator apps, recovery codes, the reset by a superuser.

django-otp owns the device tables; these functions are the portal's only writers of them (the passkey
ceremonies are django-otp-webauthn's own views).
"""
import datetime as dt

from axes.utils import reset as axes_reset
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.client_ip import client_ip
from staff_auth.selectors import LAST_SEEN_KEY

RECOVERY_CODE_COUNT = 10


def totp_device_start(*, user) -> TOTPDevice:
    """Return the user's authenticator app waiting for its first code, made now if there is none.

    Its key is shown (QR code and text) until a code from it confirms it: reloading the page keeps the
    key the user may already have scanned.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm the authenticator app if `code` is a current code from it; return whether it was."""
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """Give the user new one-time recovery codes and return them; any earlier ones stop working.

    The caller shows them once, in the response to the request that made them.
    """
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factors_reset(*, user, by) -> int:
    """Remove every device of `user` (passkeys, authenticator apps, recovery codes); return how many.

    Audited in the admin's history of the user (a LogEntry by `by`). At the next sign-in the user is
    taken to set up a second factor again; a session they verified before counts as unverified.
    """
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=get_user_model().objects.filter(pk=user.pk),
        action_flag=CHANGE,
        # Stored as text in the language of the superuser who reset them, as the admin's history shows it.
        change_message=str(_("Second factors reset: %(count)d removed.") % {"count": len(devices)}),
    )
    return len(devices)


def sign_in_failures_forget(*, request, user) -> None:
    """Forget the failed sign-ins of this username from this address: the sign-in is complete."""
    axes_reset(ip=client_ip(request), username=user.get_username())


def session_touch(session, *, now: dt.datetime | None = None) -> None:
    """Record a staff request in the session, at most once a minute (each record is a session write)."""
    seconds = int((now or timezone.now()).timestamp())
    if seconds - session.get(LAST_SEEN_KEY, 0) >= 60:
        session[LAST_SEEN_KEY] = seconds
