"""Staff who sign in as the office does, with the second factor turned on as in production."""
import base64
import io

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff_auth.services import totp_device_confirm, totp_device_start

PASSWORD = "a-long-office-password-2025"


@pytest.fixture(autouse=True)
def second_factor_required(settings, plain_http):
    """As production has it (on whenever DEBUG is off); the test run's default turns it off for other apps' tests."""
    settings.STAFF_SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def office(db):
    call_command("create_office_user", "office", "office@example.org", password=PASSWORD, stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.org", PASSWORD)


def sign_in(client, username="office", password=PASSWORD, prefix=""):
    """Post the admin's own login form, as a person does."""
    return client.post(f"{prefix}/admin/login/?next={prefix}/admin/", {"username": username, "password": password})


def authenticator_app_added(user) -> pyotp.TOTP:
    """Set up an authenticator app for `user` and return the app (pyotp) holding its key."""
    device = totp_device_start(user=user)
    app = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    assert totp_device_confirm(device=device, code=app.now())
    return app


def unused_code(user, app: pyotp.TOTP) -> str:
    """A code the app shows now or in its next 30 seconds that was not used yet (a used one is refused)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return app.at((device.last_t + 1) * device.step)


def verified(client, user, prefix=""):
    """Sign `user` in with the password and a code from a new authenticator app, through the pages."""
    app = authenticator_app_added(user)
    sign_in(client, user.get_username(), prefix=prefix)
    response = client.post(f"{prefix}/admin/second-factor/verify/", {"code": unused_code(user, app), "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client
