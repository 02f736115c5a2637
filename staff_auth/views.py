"""The second factor's pages: the second step of signing in, setting one up, recovery codes.

Each view is for signed-in staff only and renders in the admin's own frame (admin.site.each_context).
"""
import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff_auth.forms import CodeForm
from staff_auth.selectors import (
    HAD_DEVICE_KEY,
    recovery_codes_left,
    second_factor_devices,
    second_factor_rows,
    user_has_passkeys,
    user_has_second_factor,
)
from staff_auth.services import (
    recovery_codes_replace,
    sign_in_failures_forget,
    totp_device_confirm,
    totp_device_start,
)


def _next_url(request) -> str:
    """The admin page the staff member was on their way to, if it is ours; else the admin's index."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=request.is_secure()):
        return candidate
    return reverse("admin:index")


def _with_next(view_name: str, next_url: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': next_url})}"


def _page(request, template: str, title: str, **context):
    return render(request, template, {**admin.site.each_context(request), "title": title, **context})


def _refusal(request):
    """Where a request that may not see a page goes: the admin's sign-in, or the second step of it."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if user_has_device(user) and not user.is_verified():
        return redirect(_with_next("staff_auth:verify", _next_url(request)))
    return None


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Ask a signed-in staff member for a code from their app, a recovery code, or their passkey.

    A wrong code counts as a failed sign-in for the admin's lockout (django-axes); at the limit the
    staff member is signed out and the lockout page answers.
    """
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not user_has_device(user):
        # Reset by a superuser since the sign-in: set one up again (or, where not required, carry on).
        request.session[HAD_DEVICE_KEY] = False
        return redirect(_with_next("staff_auth:setup", next_url) if settings.STAFF_SECOND_FACTOR_REQUIRED else next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            sign_in_failures_forget(request=request, user=user)
            return redirect(next_url)
        credentials = {"username": user.get_username()}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            # django-axes' middleware answers with its lockout page; the password must be typed again later.
            logout(request)
        form.add_error(
            "code",
            _("This code was not accepted. Check it and try again in a few seconds; a recovery code works once."),
        )
    return _page(
        request,
        "staff_auth/verify.html",
        _("Second step of signing in"),
        form=form,
        next=next_url,
        has_passkeys=user_has_passkeys(user),
        has_app=any(isinstance(device, TOTPDevice) for device in second_factor_devices(user)),
    )


@never_cache
def setup(request):
    """List the staff member's second factors and let them add one: the page new staff are taken to."""
    refusal = _refusal(request)
    if refusal:
        return refusal
    user = request.user
    next_url = _next_url(request)
    enrolled = user_has_second_factor(user)
    return _page(
        request,
        "staff_auth/setup.html",
        _("Your second factor") if enrolled else _("Set up a second factor"),
        enrolled=enrolled,
        devices=second_factor_rows(user),
        recovery_codes_left=recovery_codes_left(user),
        next=next_url,
        passkey_done_url=(
            _with_next("staff_auth:recovery_codes", next_url)
            if not recovery_codes_left(user)
            else _with_next("staff_auth:setup", next_url)
        ),
    )


@never_cache
@sensitive_post_parameters("code")
def authenticator_app(request):
    """Show a new authenticator app's key (QR code and text) until a code from it confirms it."""
    refusal = _refusal(request)
    if refusal:
        return refusal
    user = request.user
    next_url = _next_url(request)
    device = totp_device_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            if not user.is_verified():
                otp_login(request, device)
                sign_in_failures_forget(request=request, user=user)
            messages.success(request, _("Your authenticator app is set up."))
            if not recovery_codes_left(user):
                return redirect(_with_next("staff_auth:recovery_codes", next_url))
            return redirect(_with_next("staff_auth:setup", next_url))
        form.add_error("code", _("This code does not match. Type the code the app shows now, without waiting."))
    key = base64.b32encode(device.bin_key).decode()
    return _page(
        request,
        "staff_auth/authenticator_app.html",
        _("Set up an authenticator app"),
        form=form,
        next=next_url,
        qr_data_uri=segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
    )


@never_cache
def recovery_codes(request):
    """Make new one-time recovery codes and show them once, in the answer to the POST that made them."""
    refusal = _refusal(request)
    if refusal:
        return refusal
    user = request.user
    next_url = _next_url(request)
    if not (user.is_verified() and user_has_second_factor(user)):
        return redirect(_with_next("staff_auth:setup", next_url))
    if request.method == "POST":
        codes = recovery_codes_replace(user=user)
        response = _page(
            request, "staff_auth/recovery_codes_shown.html", _("Your recovery codes"), codes=codes, next=next_url
        )
        response["Cache-Control"] = "no-store"
        return response
    return _page(
        request, "staff_auth/recovery_codes.html", _("Recovery codes"), left=recovery_codes_left(user), next=next_url
    )
