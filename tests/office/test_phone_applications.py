"""Applications the office enters for someone who applied by phone, fax or paper: the same rules as the web form."""
import datetime as dt
import subprocess

import pytest
from django.utils import timezone

from outbox.models import Message
from registrations.enums import ApplicationOrigin, ApplicationStatus, MailKind
from registrations.models import Application, AuditEntry
from registrations.notifications import receipts_write
from registrations.references import reference_display
from registrations.services import ApplicationRefused, application_create
from tests.factories import ApplicationFactory

from .conftest import applicant_data, open_session, service_data

pytestmark = pytest.mark.django_db


def _office_post(**overrides):
    data = applicant_data(**overrides)
    return {"origin": "phone", "language": "ja", "window_override_reason": ""} | data


def _url(session):
    return f"/admin/seminars/session/{session.pk}/office/apply/"


def test_a_phone_application_records_its_origin_and_who_took_the_consent(office_client, office):
    session = open_session(capacity=10)

    response = office_client.post(_url(session), _office_post(origin="phone"))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/registrations/application/{application.pk}/change/"
    assert application.origin == ApplicationOrigin.PHONE
    assert application.consent_recorded_by == office
    assert application.consented_at is not None
    assert application.status == ApplicationStatus.CONFIRMED
    entry = AuditEntry.objects.get(application=application)
    assert (entry.actor, entry.action, entry.changes["origin"]) == (office, "apply", "phone")
    receipts_write()  # as the worker does right after
    receipt = Message.objects.get(kind=MailKind.RECEIPT)
    assert receipt.to_email == application.email


def test_a_fax_application_without_consent_is_refused_on_the_form(office_client):
    session = open_session()

    response = office_client.post(_url(session), _office_post(origin="fax", consent=""))

    assert response.status_code == 200
    assert not Application.objects.exists()
    assert response.context["form"].errors["consent"]


def test_the_office_cannot_get_past_the_duplicate_rule(office_client):
    session = open_session()
    ApplicationFactory(session=session, email="hanako.yamada@example.jp")

    response = office_client.post(_url(session), _office_post(email="Hanako.Yamada@example.jp",
                                                               email_again="Hanako.Yamada@example.jp"))

    assert response.status_code == 200
    assert Application.objects.count() == 1
    assert response.context["form"].non_field_errors()


def test_a_full_session_puts_a_paper_application_on_the_waiting_list_as_the_web_form_would(office_client):
    session = open_session(capacity=1, places_taken=1, waitlist_enabled=True)

    office_client.post(_url(session), _office_post(origin="paper"))

    assert Application.objects.get().status == ApplicationStatus.WAITLISTED


def test_a_full_session_without_waiting_list_refuses_the_office_too(office, english):
    session = open_session(capacity=1, places_taken=1)

    with pytest.raises(ApplicationRefused) as refused:
        application_create(session=session, data=service_data(), language="ja", origin=ApplicationOrigin.PHONE,
                           consent_recorded_by=office, window_override_reason="Called on the last day")

    assert refused.value.code == "full"


def test_a_closed_session_takes_an_office_application_only_with_a_reason(office_client, office):
    today = timezone.localdate()
    session = open_session(applications_open_on=today - dt.timedelta(days=9),
                           applications_close_on=today - dt.timedelta(days=1))

    without = office_client.post(_url(session), _office_post())
    assert without.context["form"].errors["window_override_reason"]
    assert not Application.objects.exists()

    office_client.post(_url(session), _office_post(window_override_reason="The fax arrived before the deadline."))

    application = Application.objects.get()
    entry = AuditEntry.objects.get(application=application)
    assert entry.reason == "The fax arrived before the deadline."


def test_the_public_form_never_overrides_the_window(english):
    today = timezone.localdate()
    session = open_session(applications_open_on=today + dt.timedelta(days=1))

    with pytest.raises(ApplicationRefused) as refused:
        application_create(session=session, data=service_data(), language="ja", window_override_reason="please")

    assert refused.value.code == "upcoming"


def test_the_printed_receipt_holds_the_reference(office_client, tmp_path):
    session = open_session()
    office_client.post(_url(session), _office_post(origin="paper"))
    application = Application.objects.get()

    response = office_client.get(f"/admin/registrations/application/{application.pk}/receipt.pdf")

    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert reference_display(application.reference) in text
    assert "山田 花子" in text


def test_origin_is_shown_in_the_list_and_exported(office_client):
    session = open_session()
    office_client.post(_url(session), _office_post(origin="fax"))

    listing = office_client.get("/admin/registrations/application/?origin__exact=fax").content.decode()
    export = office_client.post("/admin/registrations/application/", {
        "action": "export_csv", "_selected_action": [Application.objects.get().pk],
    })

    assert "FAX" in listing
    header, row = export.content.decode("utf-8-sig").splitlines()[:2]
    assert "受付方法" in header and "FAX" in row


def test_someone_without_an_email_address_applies_by_phone_and_gets_a_printed_receipt(office_client, office):
    session = open_session(capacity=10)
    ApplicationFactory(session=session, email="")  # another person without an address: not a duplicate

    # Without an address, the office records where the letters go instead (office/letters.py).
    response = office_client.post(_url(session), _office_post(
        email="", email_again="", postal_code="163-8001", postal_address="東京都新宿区西新宿二丁目8番1号"), follow=True)

    application = Application.objects.get(origin=ApplicationOrigin.PHONE)
    assert application.email == "" and application.status == ApplicationStatus.CONFIRMED
    assert "メールアドレスがない" in response.content.decode()  # the office's client reads Japanese
    assert not Message.objects.filter(object_id=application.pk).exists()  # nothing is mailed
    pdf = office_client.get(f"/admin/registrations/application/{application.pk}/receipt.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert reference_display(application.reference) in text


def test_an_address_typed_once_must_be_typed_again(office_client):
    session = open_session()

    response = office_client.post(_url(session), _office_post(email_again=""))

    assert response.status_code == 200 and not Application.objects.exists()
    assert response.context["form"].errors["email_again"]


def test_the_mail_waves_pass_over_someone_without_an_address(english):
    from registrations.notifications import confirmation_wave

    session = open_session()
    with_address = ApplicationFactory(session=session)
    without = ApplicationFactory(session=session, email="")
    after_close = session.applications_close_at + dt.timedelta(minutes=1)

    added = confirmation_wave(session, now=after_close)

    assert added == 1
    assert Message.objects.get(kind=MailKind.CONFIRMATION).object_id == with_address.pk
    assert not Message.objects.filter(object_id=without.pk).exists()


def _held_session(**kwargs):
    """A session held yesterday 14:00-16:00 (Tokyo); its application period ended a week before."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return open_session(
        applications_open_on=yesterday - dt.timedelta(days=30), applications_close_on=yesterday - dt.timedelta(days=7),
        starts_at=dt.datetime.combine(yesterday, dt.time(14), tzinfo=timezone.get_current_timezone()), **kwargs,
    )


def test_the_office_adds_a_walk_in_to_a_held_session_with_a_reason_and_their_certificate_follows(office_client,
                                                                                                   office):
    from certificates.services import certificate_issue_for_session
    from registrations.attendance import attendance_mark

    session = _held_session(capacity=10)
    reason = "Came to the venue without applying; signed the paper form at the door."

    without = office_client.post(_url(session), _office_post(origin="paper"))
    assert without.context["form"].errors["window_override_reason"]
    assert not Application.objects.exists()

    response = office_client.post(_url(session), _office_post(origin="paper", window_override_reason=reason))

    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.session, application.status) == (session, ApplicationStatus.CONFIRMED)
    entry = AuditEntry.objects.get(application=application)
    assert (entry.actor, entry.action, entry.reason) == (office, "apply", reason)
    receipts_write()
    assert not Message.objects.filter(kind=MailKind.RECEIPT).exists()  # the session is over: no receipt
    attendance_mark(applications=[application], status="attended", by=office)
    certificate = certificate_issue_for_session(application=application)
    assert certificate.session == session


def test_a_late_phone_call_for_a_held_session_is_refused_once_the_session_is_full(office, english):
    session = _held_session(capacity=1, places_taken=1, waitlist_enabled=True)

    with pytest.raises(ApplicationRefused) as refused:
        application_create(session=session, data=service_data(), language="ja", origin=ApplicationOrigin.PHONE,
                           consent_recorded_by=office, window_override_reason="Watched with a colleague's link")

    assert refused.value.code == "full"
    assert "raise its capacity" in refused.value.message
    assert not Application.objects.exists()
