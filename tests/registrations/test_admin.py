"""The administrative office in the admin, as an office user (staff, not a superuser, in the office group).

Each action goes through the real services: the tests check the data, the audit
trail and the mail rows it leaves, and the messages the office reads.
"""
import csv
import datetime as dt
import io

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.delivery import outbox_send_due
from outbox.models import Message, MessageStatus
from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application, AuditEntry
from registrations.notifications import application_mail, mail_key, receipts_write
from registrations.office_group import OFFICE_GROUP, OFFICE_PERMISSIONS
from registrations.references import reference_display
from registrations.services import application_create
from seminars.demo import demo_load
from seminars.models import Session
from tests.languages import EnglishClient, en
from tests.registrations.conftest import open_session, service_data
from tests.seminars.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registrations/application/"
PASSWORD = "a-long-office-password-2025"


@pytest.fixture
def office():
    call_command("create_office_user", "office", "office@example.org", password=PASSWORD, stdout=io.StringIO())
    return get_user_model().objects.get(username="office")


@pytest.fixture
def office_client(office):
    client = EnglishClient()
    client.force_login(office)
    return client


def apply(session, email, **data):
    """Apply through the service; the receipt is written as the worker does right after."""
    application = application_create(session=session, data=service_data(email=email, **data), language="ja")
    receipts_write()
    return application


def post_action(client, action, applications, **form):
    """Choose the action in the list (first page), then submit its form when `form` is given."""
    selected = [application.pk for application in applications]
    first = client.post(CHANGELIST, {"action": action, "index": "0", helpers.ACTION_CHECKBOX_NAME: selected})
    if not form:
        return first
    assert first.status_code == 200, first
    return client.post(
        CHANGELIST, {"action": action, "apply": "1", helpers.ACTION_CHECKBOX_NAME: selected, **form}, follow=True
    )


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the office user and its group ---


def test_office_user_is_staff_in_the_office_group_with_exactly_its_permissions(office):
    assert office.is_staff and not office.is_superuser
    assert list(office.groups.values_list("name", flat=True)) == [OFFICE_GROUP]
    granted = set(
        Group.objects.get(name=OFFICE_GROUP).permissions.values_list("content_type__app_label", "codename")
    )
    assert granted == set(OFFICE_PERMISSIONS)
    assert not any(app == "auth" for app, _codename in granted)
    assert office.get_all_permissions() == {f"{app}.{codename}" for app, codename in OFFICE_PERMISSIONS}


@pytest.mark.parametrize(
    "url",
    ["/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/", "/admin/auth/group/add/"],
)
def test_office_user_gets_403_on_user_and_group_admin(office_client, office, url):
    assert office_client.get(url).status_code == 403


def test_office_user_cannot_edit_its_own_account_or_permissions(office_client, office):
    assert office_client.get(f"/admin/auth/user/{office.pk}/change/").status_code == 403
    group = Group.objects.get(name=OFFICE_GROUP)
    assert office_client.get(f"/admin/auth/group/{group.pk}/change/").status_code == 403


@pytest.mark.usefixtures("english")  # the command speaks the active language; the validators' words are matched
def test_create_office_user_refuses_a_weak_password_and_an_existing_name(office):
    with pytest.raises(CommandError, match="too short|too common"):
        call_command("create_office_user", "office2", "o2@example.org", password="abc")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_office_user", "office", "o@example.org", password=PASSWORD)


def test_create_office_user_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("OFFICE_PASSWORD", PASSWORD)
    call_command("create_office_user", "office3", "o3@example.org", stdout=io.StringIO())
    user = get_user_model().objects.get(username="office3")
    assert user.check_password(PASSWORD) and user.is_staff and not user.is_superuser


# --- the list of applications ---


def test_application_list_shows_the_office_columns(office_client):
    session = open_session(title_en="Basics")
    application = apply(session, "hanako@example.jp")

    response = office_client.get(CHANGELIST)

    page = response.content.decode()
    assert response.status_code == 200
    for text in (reference_display(application.reference), "Basics", "Confirmed", "山田 花子",
                 "株式会社サンプル商事", "hanako@example.jp", "waiting"):
        assert text in page, text
    for header in ("Reference", "Session", "Status", "Name", "Organisation", "Email", "Applied at", "Mail"):
        assert header in page, header


def test_application_list_finds_by_reference_as_read_aloud_and_by_reading(office_client):
    session = open_session()
    wanted = apply(session, "wanted@example.jp", name_reading="サトウ タロウ", name="佐藤 太郎")
    apply(session, "other@example.jp")

    by_reference = office_client.get(CHANGELIST, {"q": reference_display(wanted.reference)})
    by_reading = office_client.get(CHANGELIST, {"q": "サトウ"})

    assert list(by_reference.context["cl"].result_list) == [wanted]
    assert list(by_reading.context["cl"].result_list) == [wanted]


def test_application_list_filters(office_client):
    first, second = open_session(), open_session()
    kept = apply(first, "a@example.jp", industry="finance", prefecture="27", organisation_size="1-9")
    apply(second, "b@example.jp")
    failed = apply(second, "c@example.jp")
    application_mail(failed).filter().update(status=MessageStatus.FAILED)

    def results(**params):
        return set(office_client.get(CHANGELIST, params).context["cl"].result_list)

    assert results(session__id__exact=first.pk) == {kept}
    assert results(industry__exact="finance") == {kept}
    assert results(prefecture__exact="27") == {kept}
    assert results(organisation_size__exact="1-9") == {kept}
    assert results(status__exact="confirmed") == set(Application.objects.all())
    assert results(mail="failed") == {failed}
    assert results(mail="pending") == set(Application.objects.exclude(pk=failed.pk))
    page = office_client.get(CHANGELIST).content.decode()
    assert "By mail state" in page and "Failed (not sent again successfully)" in page


@pytest.mark.parametrize("count", [5, 20])
def test_application_list_queries_do_not_grow_with_rows(office_client, count, django_assert_max_num_queries):
    session = open_session()
    for n in range(count):
        apply(session, f"n{n}@example.jp")
    # session, user, permissions (group and user), counts, the page of rows, the session filter's choices
    with django_assert_max_num_queries(12):
        assert office_client.get(CHANGELIST).status_code == 200


# --- cancel on the applicant's request ---


def test_cancel_action_cancels_with_reason_sends_notice_and_promotes(office_client, office):
    session = open_session(capacity=1, waitlist_enabled=True)
    holder = apply(session, "holder@example.jp")
    waiting = apply(session, "waiting@example.jp")
    assert waiting.status == ApplicationStatus.WAITLISTED

    page = post_action(office_client, "cancel_on_request", [holder])
    assert page.status_code == 200
    assert reference_display(holder.reference) in page.content.decode()
    response = post_action(office_client, "cancel_on_request", [holder], reason="Phoned the office on 3 July.",
                           message="Thank you for letting us know.")

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert response.status_code == 200
    assert shown_messages(response) == ["Cancelled 1 application; a cancellation notice was queued."]
    assert holder.status == ApplicationStatus.CANCELLED
    assert holder.cancelled_by == "office" and holder.cancel_reason == "Phoned the office on 3 July."
    entry = holder.audit_entries.get(action="cancel")
    assert (entry.actor, entry.actor_label, entry.reason) == (office, "office", "Phoned the office on 3 July.")
    assert entry.changes == {"status": ["confirmed", "cancelled"]}
    notice = application_mail(holder).get(kind=MailKind.CANCELLATION)
    assert notice.to_email == "holder@example.jp" and "Thank you for letting us know." in notice.body_text
    # The reason kept on file is the office's own: never in the mail.
    assert "Phoned the office" not in notice.body_text and "Phoned the office" not in notice.body_html
    assert notice.data["message"] == "Thank you for letting us know."
    # The freed place went to the waiting list at once.
    assert waiting.status == ApplicationStatus.CONFIRMED
    assert application_mail(waiting).filter(kind=MailKind.PROMOTION).count() == 1
    assert waiting.audit_entries.get(action="promote").actor_label == "system"
    session.refresh_from_db()
    assert session.places_taken == 1


def test_cancel_action_requires_a_reason_and_changes_nothing_without_one(office_client):
    application = apply(open_session(), "a@example.jp")

    response = post_action(office_client, "cancel_on_request", [application], reason="  ")

    application.refresh_from_db()
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert application.status == ApplicationStatus.CONFIRMED
    assert not application.audit_entries.filter(action="cancel").exists()


def test_cancel_action_refuses_an_already_cancelled_application_with_a_message(office_client, office):
    application = apply(open_session(), "a@example.jp")
    post_action(office_client, "cancel_on_request", [application], reason="First time")

    response = post_action(office_client, "cancel_on_request", [application], reason="Second time")

    assert shown_messages(response) == [
        f"{reference_display(application.reference)}: This application has already been cancelled."
    ]
    assert application.audit_entries.filter(action="cancel").count() == 1
    assert application_mail(application).filter(kind=MailKind.CANCELLATION).count() == 1


# --- move to another session ---


def test_move_action_moves_with_change_notice_and_promotes_in_the_old_session(office_client, office):
    old = open_session(capacity=1, waitlist_enabled=True, title_en="Old session")
    new = open_session(capacity=10, title_en="New session")
    mover = apply(old, "mover@example.jp")
    waiting = apply(old, "waiting@example.jp")

    page = post_action(office_client, "move_to_session", [mover])
    assert "New session (0 of 10 places taken)" in page.content.decode()
    response = post_action(office_client, "move_to_session", [mover], to_session=new.pk, reason="Asked by phone.")

    mover.refresh_from_db()
    waiting.refresh_from_db()
    old.refresh_from_db()
    new.refresh_from_db()
    assert shown_messages(response) == ["Moved 1 application; a change notice was queued."]
    assert (mover.session, mover.status) == (new, ApplicationStatus.CONFIRMED)
    assert (old.places_taken, new.places_taken) == (1, 1)
    entry = mover.audit_entries.get(action="move")
    assert (entry.actor, entry.reason) == (office, "Asked by phone.")
    assert entry.changes["session"] == [old.pk, new.pk]
    notice = application_mail(mover).get(kind=MailKind.CHANGE)
    assert notice.key == mail_key(mover, "change", str(entry.pk))
    assert notice.data["previous_session_id"] == old.pk
    assert "Old session" in notice.body_text and "New session" in notice.body_text
    # The window of the new session is still open: its confirmation comes with the wave.
    assert not application_mail(mover).filter(kind=MailKind.CONFIRMATION).exists()
    assert waiting.status == ApplicationStatus.CONFIRMED
    assert application_mail(waiting).filter(kind=MailKind.PROMOTION).exists()


def test_move_into_a_full_session_is_refused_with_a_clear_message(office_client):
    old = open_session()
    full = open_session(capacity=1, waitlist_enabled=True, title_en="Full session")
    apply(full, "first@example.jp")
    mover = apply(old, "mover@example.jp")
    audit_before, mail_before = AuditEntry.objects.count(), Message.objects.count()

    response = post_action(office_client, "move_to_session", [mover], to_session=full.pk, reason="Wants the other",
                           include_unavailable="on")

    mover.refresh_from_db()
    full.refresh_from_db()
    old.refresh_from_db()
    [message] = shown_messages(response)
    assert message == (
        f"{reference_display(mover.reference)}: Session {full.number}: Full session is full "
        "(1 of 1 places taken); nothing was changed."
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert mover.session == old and (old.places_taken, full.places_taken) == (1, 1)
    assert (AuditEntry.objects.count(), Message.objects.count()) == (audit_before, mail_before)


def test_move_refuses_an_address_that_already_applied_to_the_target(office_client):
    old, target = open_session(), open_session()
    apply(target, "same@example.jp")
    mover = apply(old, "SAME@example.jp")

    response = post_action(office_client, "move_to_session", [mover], to_session=target.pk, reason="x")

    mover.refresh_from_db()
    assert mover.session == old
    assert "already has an application for" in shown_messages(response)[0]


def test_move_after_the_target_window_closed_sends_its_confirmation_at_once(office_client):
    old = open_session()
    today = timezone.localdate()
    closed = open_session(
        applications_open_on=today - dt.timedelta(days=10), applications_close_on=today - dt.timedelta(days=1),
        title_en="Closed session",
    )
    mover = apply(old, "mover@example.jp")

    post_action(office_client, "move_to_session", [mover], to_session=closed.pk, reason="Late change",
                include_unavailable="on")

    kinds = list(application_mail(mover).order_by("pk").values_list("kind", "key"))
    move = mover.audit_entries.get(action="move")
    assert kinds[-2:] == [("change", mail_key(mover, "change", str(move.pk))),
                          ("confirmation", mail_key(mover, "confirmation", f"session:{closed.pk}"))]


# --- edit details in the change form ---


def change_url(application):
    return reverse("admin:registrations_application_change", args=[application.pk])


def test_change_form_updates_details_with_audit_and_a_notice_when_ticked(office_client, office):
    application = apply(open_session(), "old@example.jp")
    data = change_form_data(office_client, change_url(application)) | {
        "email": "new@example.jp", "organisation": "株式会社ニュー商事",
        "office_reason": "Typo in the address, per phone call", "notify_applicant": "on",
    }

    response = office_client.post(change_url(application), data, follow=True)

    application.refresh_from_db()
    assert response.status_code == 200
    assert (application.email, application.organisation) == ("new@example.jp", "株式会社ニュー商事")
    entry = application.audit_entries.get(action="update")
    assert (entry.actor, entry.reason) == (office, "Typo in the address, per phone call")
    assert entry.changes == {
        "email": ["old@example.jp", "new@example.jp"], "organisation": ["株式会社サンプル商事", "株式会社ニュー商事"],
    }
    notice = application_mail(application).get(kind=MailKind.CHANGE)
    assert notice.to_email == "new@example.jp"
    # The applicant's language: the labels of the changed fields as the notice lists them.
    assert notice.key == mail_key(application, "change", str(entry.pk)) and len(notice.data["fields"]) == 2
    assert "A change notice was queued for the applicant." in shown_messages(response)


def test_change_form_without_the_tick_sends_no_notice(office_client):
    application = apply(open_session(), "a@example.jp")
    data = change_form_data(office_client, change_url(application)) | {
        "department": "総務部", "office_reason": "Moved department",
    }

    office_client.post(change_url(application), data)

    application.refresh_from_db()
    assert application.department == "総務部"
    assert application.audit_entries.get(action="update").changes == {"department": ["人事部", "総務部"]}
    assert not application_mail(application).filter(kind=MailKind.CHANGE).exists()


def test_change_form_asks_for_a_reason_and_never_writes_session_or_status(office_client):
    session, other = open_session(), open_session()
    application = apply(session, "a@example.jp")
    data = change_form_data(office_client, change_url(application))
    assert "status" not in data and "session" not in data

    no_reason = office_client.post(change_url(application), data | {"name": "山田 花"})
    forged = office_client.post(
        change_url(application),
        data | {"status": "cancelled", "session": other.pk, "office_reason": "Nothing else changed"},
    )

    application.refresh_from_db()
    assert no_reason.status_code == 200 and "Say why you change the application." in no_reason.content.decode()
    assert forged.status_code == 302
    assert (application.name, application.status, application.session) == ("山田 花子", "confirmed", session)
    assert not application.audit_entries.filter(action="update").exists()


@pytest.mark.parametrize("state", ["cancelled", "erased"])
def test_cancelled_and_erased_applications_are_read_only(office_client, state):
    application = apply(open_session(), "a@example.jp")
    if state == "cancelled":
        post_action(office_client, "cancel_on_request", [application], reason="Asked")
    else:
        Application.objects.filter(pk=application.pk).update(personal_data_erased_at=timezone.now(), email="")

    page = office_client.get(change_url(application))
    post = office_client.post(change_url(application), {"name": "x", "office_reason": "x"})

    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode() and "Reason for the change" not in page.content.decode()
    assert post.status_code == 403


def test_change_page_shows_the_mail_rows_and_the_audit_trail(office_client):
    application = apply(open_session(), "a@example.jp")
    row = application_mail(application).get()
    Message.objects.filter(pk=row.pk).update(status=MessageStatus.FAILED, attempts=3, last_error="550 no such user")

    page = office_client.get(change_url(application)).content.decode()

    for text in ("Receipt", "Failed", "550 no such user", "The applicant", "Applied", "Status: Confirmed",
                 reverse("admin:outbox_message_change", args=[row.pk]), row.subject):
        assert text in page, text
    assert office_client.get(reverse("admin:outbox_message_change", args=[row.pk])).status_code == 200


# --- send a mail again ---


def test_resend_action_sends_the_chosen_mail_again_with_an_audit_entry(office_client, office):
    application = apply(open_session(), "a@example.jp")
    receipt = application_mail(application).get(kind=MailKind.RECEIPT)

    response = post_action(office_client, "resend_mail", [application], kind="receipt", reason="Lost in spam")

    again = application_mail(application).exclude(pk=receipt.pk).get()
    assert shown_messages(response) == ["Queued 1 mail again."]
    assert (again.kind, again.resend_of, again.status) == (MailKind.RECEIPT, receipt, MessageStatus.PENDING)
    entry = application.audit_entries.get(action="resend")
    assert (entry.actor, entry.reason) == (office, "Lost in spam")
    assert entry.changes == {"mail": "receipt", "resend_of": receipt.pk, "new_mail": again.pk}


def test_resend_action_says_when_there_is_no_such_mail(office_client):
    application = apply(open_session(), "a@example.jp")

    response = post_action(office_client, "resend_mail", [application], kind="reminder")

    assert shown_messages(response) == [
        f"{reference_display(application.reference)}: no “Reminder” mail was ever sent to this application."
    ]
    assert application_mail(application).count() == 1


def test_outbox_admin_shows_the_html_mail_on_a_sandboxed_page_of_its_own(office_client):
    application = apply(open_session(), "a@example.jp")
    receipt = application_mail(application).get()
    outbox_send_due()

    change = office_client.get(f"/admin/outbox/message/{receipt.pk}/change/")
    html = office_client.get(f"/admin/outbox/message/{receipt.pk}/html/")

    assert en(f"/admin/outbox/message/{receipt.pk}/html/") in change.content.decode()
    assert html.status_code == 200
    assert application.reference[:4] in html.content.decode()
    assert html["Content-Security-Policy"].startswith("sandbox; default-src 'none'")


def test_outbox_html_page_is_for_the_office_only(client):
    receipt = application_mail(apply(open_session(), "a@example.jp")).get()

    response = client.get(f"/admin/outbox/message/{receipt.pk}/html/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- export ---


def demo_applications():
    """The demo series with Japanese applications in its open session (one of them tries a formula)."""
    demo_load(today=timezone.localdate())
    session = Session.objects.get(slug="demo-open-follow-up")
    return [
        apply(session, "hanako@example.jp"),
        apply(session, "taro@example.jp", name="鈴木 太郎", name_reading="スズキ タロウ",
              organisation="=HYPERLINK(\"http://evil.example\")", question="質問です。\n二行目。"),
    ]


def test_csv_export_of_the_demo_opens_in_japanese_excel(office_client):
    applications = demo_applications()

    response = post_action(office_client, "export_csv", applications)

    body = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    # As Excel reads it: a UTF-8 byte-order mark, then UTF-8 text with CRLF line ends.
    assert body.startswith(b"\xef\xbb\xbf")
    text = body[3:].decode("utf-8")
    assert text.endswith("\r\n") and text.count("\r\n") == 3
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, *records = rows
    assert header[:4] == ["Reference", "Session", "Status", "Name"]
    by_name = {row[3]: dict(zip(header, row, strict=True)) for row in records}
    hanako = by_name["山田 花子"]
    assert hanako["Organisation"] == "株式会社サンプル商事"
    assert hanako["Name reading (kana)"] == "ヤマダ ハナコ"
    assert hanako["Status"] == "Confirmed" and hanako["Industry"] == "Retail and wholesale"
    assert hanako["Prefecture of the workplace"] == "Tokyo"
    assert hanako["Reference"] == reference_display(applications[0].reference)
    taro = by_name["鈴木 太郎"]
    assert taro["Organisation"] == "'=HYPERLINK(\"http://evil.example\")"
    assert taro["Question for the speakers"] == "質問です。\n二行目。"


def test_xlsx_export_has_the_japanese_text_and_no_formula(office_client):
    applications = demo_applications()

    response = post_action(office_client, "export_xlsx", applications)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Reference", "Session", "Status", "Name")
    names = {row[3]: row for row in rows[1:]}
    assert set(names) == {"山田 花子", "鈴木 太郎"}
    assert names["鈴木 太郎"][6] == "'=HYPERLINK(\"http://evil.example\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# --- admin login lockout (django-axes) ---


def login(client, password, username="office"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_login_locks_out_after_five_failures_even_with_the_right_password(office):
    client = EnglishClient()
    for _attempt in range(4):
        assert login(client, "wrong-guess").status_code == 200

    fifth = login(client, "wrong-guess")
    right_password = login(client, PASSWORD)

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    assert "Too many failed logins" in right_password.content.decode()
    # The attempt during the lockout counts as one more failure (and restarts the cool-off).
    assert AccessAttempt.objects.get(username="office").failures_since_start == 6
    assert "_auth_user_id" not in client.session
    # The lock is per username and address: another address can still log in.
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert login(elsewhere, PASSWORD).status_code == 302


def test_login_succeeds_and_resets_the_failures_before_the_limit(office):
    client = Client()
    for _attempt in range(3):
        login(client, "wrong-guess")

    assert login(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="office").exists()


def test_lockout_counts_the_client_behind_the_proxy_not_the_proxy(office):
    # Our proxy (127.0.0.1) appends the client's address; what the client sent before it is ignored.
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    for _attempt in range(5):
        login(client, "wrong-guess")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    other_client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert login(other_client, PASSWORD).status_code == 302


def test_office_permissions_table_has_no_auth_permission():
    office_codenames = {codename for _app, codename in OFFICE_PERMISSIONS}
    auth_codenames = set(Permission.objects.filter(content_type__app_label="auth").values_list("codename", flat=True))
    assert not office_codenames & auth_codenames


def test_changelist_runs_one_query_for_the_rows_with_their_mail_state(office_client):
    session = open_session()
    for n in range(3):
        apply(session, f"n{n}@example.jp")

    with CaptureQueriesContext(connection) as queries:
        office_client.get(CHANGELIST)

    row_queries = [q["sql"] for q in queries if 'FROM "outbox_message"' in q["sql"]]
    assert len(row_queries) == 1, row_queries


# --- the admin reads as the office's own, in people's words (issue 16) ---


def test_admin_pages_name_the_portal_not_django(office_client):
    page = office_client.get("/admin/").content.decode()

    assert "Seminar portal: the office&#x27;s administration" in page
    assert "<title>The office&#x27;s work | Seminar portal office</title>" in page
    assert "Django administration" not in page and "Django site admin" not in page


def test_audit_trail_shows_who_and_what_in_words_with_field_labels(office_client):
    session = open_session(capacity=1, waitlist_enabled=True)
    holder = apply(session, "holder@example.jp")
    waiting = apply(session, "waiting@example.jp")
    post_action(office_client, "cancel_on_request", [holder], reason="Phoned the office.")

    page = office_client.get(change_url(waiting)).content.decode()

    trail = page[page.index('id="audit_entries-group"'):]
    for text in ("The applicant", "Applied", "Status: On the waiting list", "The portal (automatic)",
                 "Moved up from the waiting list", "Status: On the waiting list → Confirmed"):
        assert text in trail, text
    for raw in (">applicant<", ">apply<", ">promote<", "{&quot;status&quot;", '"status"', "waitlisted"):
        assert raw not in trail, raw
    assert f'<span class="office-nowrap">{reference_display(waiting.reference)}</span>' in page


@pytest.mark.parametrize("typed", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだ　はなこ"])
def test_application_search_finds_the_reading_in_hiragana_katakana_and_half_width(office_client, typed):
    session = open_session()
    hanako = apply(session, "hanako@example.jp", name_reading="ヤマダ ハナコ")
    hiragana = apply(session, "hira@example.jp", name="山田 一郎", name_reading="やまだ いちろう")
    apply(session, "other@example.jp", name="鈴木 太郎", name_reading="スズキ タロウ")

    found = set(office_client.get(CHANGELIST, {"q": typed}).context["cl"].result_list)

    expected = {hanako} if "はなこ" in typed else {hanako, hiragana}
    assert found == expected


def move_choices(page) -> list[str]:
    html = page.content.decode()
    select = html[html.index('name="to_session"'):]
    select = select[:select.index("</select>")]
    return [option.split(">", 1)[1] for option in select.split("<option")[2:]]


def test_move_lists_every_destination_at_once_each_saying_why_it_may_not_take_the_person(office_client):
    today = timezone.localdate()
    own = open_session(title_en="Own session")
    open_session(title_en="Open one", capacity=5)
    full = open_session(title_en="Full one", capacity=1)
    apply(full, "first@example.jp")
    open_session(title_en="Closed one", applications_open_on=today - dt.timedelta(days=9),
                 applications_close_on=today - dt.timedelta(days=1))
    open_session(title_en="Later one", applications_open_on=today + dt.timedelta(days=2))
    mover = apply(own, "mover@example.jp")

    page = post_action(office_client, "move_to_session", [mover])
    offered = move_choices(page)

    labels = "\n".join(offered)
    assert len(offered) == 4 and not any("Own session" in label for label in offered)
    assert "Open one (0 of 5 places taken)" in labels and "Open one (0 of 5 places taken) —" not in labels
    assert "Full one (1 of 1 places taken) — warning: full" in labels
    assert "Closed one (0 places taken, no limit) — warning: applications closed" in labels
    assert "Later one (0 places taken, no limit) — warning: applications not open yet" in labels
    assert 'name="refresh"' not in page.content.decode()


def test_move_says_when_there_is_nowhere_to_move_to(office_client):
    mover = apply(open_session(), "mover@example.jp")

    page = post_action(office_client, "move_to_session", [mover]).content.decode()

    assert "No other session is yet to start: there is nowhere to move to." in page


def test_move_without_the_exception_box_refuses_a_closed_session(office_client):
    today = timezone.localdate()
    mover = apply(open_session(), "mover@example.jp")
    closed = open_session(applications_open_on=today - dt.timedelta(days=9),
                          applications_close_on=today - dt.timedelta(days=1))

    response = post_action(office_client, "move_to_session", [mover], to_session=closed.pk, reason="x")

    mover.refresh_from_db()
    assert mover.session != closed
    assert ("This session is not taking applications (applications closed): tick the exception box to move "
            "into it anyway.") in response.content.decode()


@pytest.mark.parametrize("typed", ["鈴木一郎", "鈴木 一郎", "鈴木　一郎", "すずきいちろう", "スズキイチロウ", "Ichiro"])
def test_application_search_finds_a_name_typed_with_or_without_the_space_and_in_either_width(office_client, typed):
    session = open_session()
    ichiro = apply(session, "first@example.jp", name="鈴木 一郎", name_reading="スズキ イチロウ")
    latin = apply(session, "second@example.jp", name="ＳＵＺＵＫＩ　Ｉｃｈｉｒｏ")
    apply(session, "third@example.jp", name="鈴木 次郎", name_reading="スズキ ジロウ")

    found = set(office_client.get(CHANGELIST, {"q": typed}).context["cl"].result_list)

    assert found == ({latin} if typed == "Ichiro" else {ichiro})


def test_cancel_page_asks_for_a_private_reason_and_a_separate_message(office_client):
    application = apply(open_session(), "a@example.jp")

    page = post_action(office_client, "cancel_on_request", [application]).content.decode()
    post_action(office_client, "cancel_on_request", [application], reason="Duplicate by phone.", message="")

    assert "Reason (kept on file, not sent)" in page and "Message to the applicant" in page
    notice = application_mail(application).get(kind=MailKind.CANCELLATION)
    assert "Duplicate by phone." not in notice.body_text + notice.body_html
    assert "A message from the office" not in notice.body_text
