"""A change the service refuses in the admin's change form: a message on the form again, nothing saved or logged."""
import pytest
from django.contrib.admin.models import LogEntry

from registrations.models import AuditEntry
from tests.registrations.conftest import open_session
from tests.registrations.test_admin import apply, change_url, office, office_client, shown_messages  # noqa: F401
from tests.seminars.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def test_a_refused_change_in_the_change_form_saves_and_logs_nothing_and_says_why(office_client):  # noqa: F811
    session = open_session()
    apply(session, "taken@example.jp")
    application = apply(session, "mine@example.jp")
    data = change_form_data(office_client, change_url(application)) | {
        "email": "taken@example.jp", "email_again": "taken@example.jp", "office_reason": "Phoned.",
    }

    response = office_client.post(change_url(application), data, follow=True)

    application.refresh_from_db()
    assert response.status_code == 200
    assert response.redirect_chain == [(change_url(application), 302)]
    assert shown_messages(response) == [
        "Nothing was changed: taken@example.jp already has an application for this session; nothing was changed."
    ]
    assert application.email == "mine@example.jp"
    assert not AuditEntry.objects.filter(application=application, action="update").exists()
    assert not LogEntry.objects.filter(object_id=str(application.pk)).exists()
