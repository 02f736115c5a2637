"""The office reads each kind of mail by its name in the outbox's pages, never by its code."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from outbox.services import outbox_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_http")]


def test_the_outbox_list_names_the_kinds_in_japanese():
    outbox_add(key="k1", to="a@example.jp", subject="件名1", body_text="本文", kind="receipt")
    message = outbox_add(key="k2", to="b@example.jp", subject="件名2", body_text="本文", kind="follow_up")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "unused-pw-2025"))

    listing = client.get(reverse("admin:outbox_message_changelist")).content.decode()
    detail = client.get(reverse("admin:outbox_message_change", args=[message.pk])).content.decode()
    filtered = client.get(reverse("admin:outbox_message_changelist") + "?kind=receipt").content.decode()

    assert "受付完了のお知らせ" in listing and ">receipt<" not in listing and ">follow_up<" not in listing
    assert "受付完了のお知らせ" in listing.split('id="changelist-filter"')[1]  # the filter by name
    assert ">follow_up<" not in detail
    assert "件名1" in filtered and "件名2" not in filtered


def test_the_office_s_own_zoom_mail_is_named_too():
    from zoom.services import FALLBACK_MAIL_KIND

    outbox_add(key="k3", to="office@example.org", subject="件名3", body_text="本文", kind=FALLBACK_MAIL_KIND)
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "unused-pw-2025"))

    listing = client.get(reverse("admin:outbox_message_changelist")).content.decode()

    assert "Zoom：個人用の参加リンクがない申込者" in listing and ">zoom_fallback<" not in listing
