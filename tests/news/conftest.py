"""An office user as `create_office_user` makes them, and a client logged in as them."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def office(db):
    call_command("create_office_user", "desk", "desk@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    return get_user_model().objects.get(username="desk")


@pytest.fixture
def office_client(office):
    client = Client()
    client.force_login(office)
    return client
