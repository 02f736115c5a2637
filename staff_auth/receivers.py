"""What a staff sign-in with a password starts: a session that ends at browser close, its idle clock."""
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

from staff_auth.selectors import HAD_DEVICE_KEY
from staff_auth.services import session_touch, sign_in_failures_forget


@receiver(user_logged_in, dispatch_uid="staff_auth.staff_logged_in")
def staff_logged_in(sender, request, user, **kwargs):
    """Make a staff session end when the browser closes; forget failed sign-ins if the password was enough."""
    if request is None or not user.is_staff:
        return
    # 0: the cookie has no expiry date, so the browser drops it on close (Django's documented meaning).
    request.session.set_expiry(0)
    session_touch(request.session)
    request.session[HAD_DEVICE_KEY] = user_has_device(user)
    if not (settings.STAFF_SECOND_FACTOR_REQUIRED or request.session[HAD_DEVICE_KEY]):
        sign_in_failures_forget(request=request, user=user)
