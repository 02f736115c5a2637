"""A superuser resets someone's second factor (audited); the office is told what it will be asked."""
import io
import subprocess
import sys

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django_otp import user_has_device

from staff_auth.services import recovery_codes_replace
from tests.conftest import REPO
from tests.staff_auth.conftest import PASSWORD, authenticator_app_added, sign_in, verified

pytestmark = pytest.mark.django_db


def test_a_superuser_resets_a_lost_second_factor_and_the_history_says_so(client, superuser, office):
    authenticator_app_added(office)
    recovery_codes_replace(user=office)
    verified(client, superuser)

    response = client.post(
        "/en/admin/auth/user/",
        {"action": "reset_second_factors", "_selected_action": [office.pk], "index": "0"},
        follow=True,
    )

    assert "Second factor reset for 1 user (2 removed)." in response.content.decode()
    assert not user_has_device(office, confirmed=None)
    entry = LogEntry.objects.get(object_id=str(office.pk))
    assert (entry.user, entry.get_change_message()) == (superuser, "Second factors reset: 2 removed.")
    # The office user is taken to set up a new one at the next sign-in.
    office_client = Client()
    sign_in(office_client)
    assert office_client.get("/admin/")["Location"].startswith("/admin/second-factor/?next=")


def test_staff_without_the_superuser_flag_cannot_reset(client, office):
    office.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    verified(client, office)

    page = client.get("/en/admin/auth/user/").content.decode()

    assert "reset_second_factors" not in page


def test_create_office_user_says_what_the_new_user_will_be_asked():
    out = io.StringIO()

    call_command("create_office_user", "newdesk", "newdesk@example.org", password=PASSWORD, stdout=out)

    assert "second factor" in out.getvalue()
    assert "passkey" in out.getvalue() and "authenticator app" in out.getvalue()


@pytest.mark.parametrize(("debug", "required"), [("false", "True"), ("true", "False")])
def test_the_second_factor_is_required_by_default_whenever_debug_is_off(debug, required, tmp_path):
    """A production start that forgets the setting requires the second factor; a developer's DEBUG does not."""
    env = {"DEBUG": debug, "SECRET_KEY": "x", "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "from django.conf import settings; print(settings.STAFF_SECOND_FACTOR_REQUIRED)"

    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=REPO)

    assert result.stdout.strip().splitlines()[-1] == required
