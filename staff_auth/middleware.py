"""Every admin page asks staff for their second factor first, and an idle staff session ends.

It covers each view in the admin's URL namespace, in both languages: the model pages and every page the
apps add to the admin (exports, statistics, attendance, questionnaire results, the draw...), so a page
added later is covered without a change here. Only the admin's login and logout are left open.
"""
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

from staff_auth.selectors import session_idle_expired, session_must_verify
from staff_auth.services import session_touch

OPEN_ADMIN_VIEWS = {"login", "logout"}
# Namespaces of the second factor's own pages: they count as activity of a staff session too.
SIGN_IN_NAMESPACES = {"admin", "staff_auth", "otp_webauthn"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # The URL first: public pages never load the session or the user here.
        if not SIGN_IN_NAMESPACES & set(match.namespaces):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        now = timezone.now()
        if session_idle_expired(request.session, now=now):
            logout(request)
            messages.warning(request, _("You were signed out after a while without activity. Please sign in again."))
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        session_touch(request.session, now=now)
        if "admin" not in match.namespaces or match.url_name in OPEN_ADMIN_VIEWS or user.is_verified():
            return None
        if not session_must_verify(request.session, user):
            return None
        step = "staff_auth:verify" if user_has_device(user) else "staff_auth:setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
