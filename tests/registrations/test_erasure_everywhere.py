"""After erasure, nothing an applicant typed (or the office typed about them) is left anywhere in the database.

The applicant applies through the form, the office edits the application through the
admin's change form (so Django's admin log gets an entry), the applicant cancels through
the manage link, and the outbox sends every mail. Then erasure runs, and every text,
varchar and JSON column of every table, plus the decoded sessions, is searched for each value.
"""
import datetime as dt
import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as StoredSession
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from outbox.delivery import outbox_send_due
from registrations.models import Application
from registrations.notifications import receipts_write
from registrations.references import reference_display
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_token
from tests.languages import EnglishClient
from tests.seminars.admin_forms import change_form_data

from .conftest import applicant_data, open_session

pytestmark = pytest.mark.django_db

APPLIED = {
    "name": "消去 確認太郎",
    "name_reading": "ショウキョ カクニンタロウ",
    "email": "erase.check.7731@example.jp",
    "organisation": "株式会社消去検証",
    "department": "消去検証部",
    "position": "消去検証係長",
    "phone": "03-7731-0042",
    "question": "消去の確認のための質問です。",
}
EDITED = {"email": "erase.check.7732@example.jp", "organisation": "株式会社消去検証二号", "phone": "03-7731-0043"}
# The office's reason for its change names the applicant, as people do.
OFFICE_REASON = "消去 確認太郎さんから電話 03-7731-0042"

# Column types that hold text, as Django's introspection names them.
TEXT_FIELDS = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField", "FilePathField"}


def searched_values() -> set[str]:
    values = {*APPLIED.values(), *EDITED.values()}
    # The phone is stored without hyphens.
    values |= {value.replace("-", "") for value in (APPLIED["phone"], EDITED["phone"])}
    return values


def text_columns() -> list[tuple[str, str]]:
    """Return (table, column) for every column of every table whose type holds text (or is unknown to Django)."""
    columns = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    field_type = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    field_type = "unknown"  # searched too: better a column too many than one too few
                if field_type in TEXT_FIELDS or field_type == "unknown":
                    columns.append((table, column.name))
    return columns


def copies_in_database(values: set[str]) -> set[tuple[str, str, str]]:
    """Return (table, column, value) for each value found in any text column or in any decoded session."""
    found = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(f"SELECT CAST({quote(column)} AS TEXT) FROM {quote(table)}")  # noqa: S608 - names from introspection
            for (text,) in cursor.fetchall():
                for value in values:
                    # JSON on SQLite keeps non-ASCII characters as \\u escapes.
                    if text and (value in text or json.dumps(value)[1:-1] in text):
                        found.add((table, column, value))
    for stored in StoredSession.objects.all():
        decoded = json.dumps(SessionStore().decode(stored.session_data), ensure_ascii=False)
        found |= {("django_session", "session_data (decoded)", value) for value in values if value in decoded}
    return found


@pytest.fixture
def office_client():
    call_command("create_office_user", "office", "office@example.org", password="a-long-office-password-2025",
                 stdout=io.StringIO())
    client = EnglishClient()
    client.force_login(get_user_model().objects.get(username="office"))
    return client


def test_after_erasure_no_value_of_the_applicant_is_found_in_any_table(client, office_client, settings):
    session = open_session()
    # The applicant applies.
    applied = client.post(
        reverse("registrations:apply", kwargs={"slug": session.slug}),
        applicant_data(**APPLIED, email_again=APPLIED["email"]),
    )
    assert applied.status_code == 302
    receipts_write()  # as the worker does right after
    application = Application.objects.get()
    token = manage_token(application)
    client.get(applied["Location"])
    # The office corrects the organisation, address and phone, and tells the applicant.
    change_url = reverse("admin:registrations_application_change", args=[application.pk])
    edited = office_client.post(
        change_url,
        change_form_data(office_client, change_url) | EDITED
        | {"office_reason": OFFICE_REASON, "notify_applicant": "on"},
    )
    assert edited.status_code == 302
    # An entry the admin log kept from before __str__ was the reference alone: it named the person.
    LogEntry.objects.create(
        user=get_user_model().objects.get(username="office"), action_flag=CHANGE, change_message="",
        content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk),
        object_repr=f"{reference_display(application.reference)} – {APPLIED['name']}",
    )
    outbox_send_due()
    # The applicant cancels through the manage link.
    cancelled = client.post(reverse("registrations:cancel", kwargs={"token": token}), {"confirm": "on"})
    assert cancelled.status_code == 302
    outbox_send_due()
    assert len(mail.outbox) >= 3  # receipt, change notice, cancellation
    assert LogEntry.objects.filter(object_id=str(application.pk)).exists()
    before = copies_in_database(searched_values())
    # The search finds every value before erasure (a phone in one form or the other):
    # finding none afterwards means something.
    seen = {value for _table, _column, value in before}
    assert all({value, value.replace("-", "")} & seen for value in {*APPLIED.values(), *EDITED.values()})
    assert ("registrations_application", "name") in {(table, column) for table, column, _value in before}

    erased = applications_erase_personal_data(
        now=session.ends_at + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS, seconds=1)
    )

    assert erased == 1
    assert copies_in_database(searched_values()) == set()
    log = set(LogEntry.objects.filter(object_id=str(application.pk)).values_list("object_repr", "change_message"))
    assert log == {(reference_display(application.reference), "")}


# What the person writes in the questionnaires: a named one's text goes whole, an anonymous one's stays without
# the person's own name, reading, address, phone and organisation (people write them anyway).
NAMED_COMMENT = "記名アンケートの消去確認コメント 7731"
ANONYMOUS_COMMENT = (
    "講演がとても参考になりました。消去確認太郎（しょうきょ かくにんたろう）、㈱消去検証 消去検証部です。"
    "連絡は０３－７７３１－００４２か ERASE.CHECK.7731@example.jp まで。"
)
KEPT = "講演がとても参考になりました。"


def test_after_erasure_nothing_the_person_typed_is_found_questionnaires_included(client, settings):
    from questionnaires.models import Answer
    from seminars.models import Session
    from tests.certificates.conftest import attend
    from tests.questionnaires.conftest import answer_url, build_questionnaire, form_data

    sessions = [open_session(), open_session()]
    applications = []
    for session in sessions:
        applied = client.post(
            reverse("registrations:apply", kwargs={"slug": session.slug}),
            applicant_data(**APPLIED, email_again=APPLIED["email"]),
        )
        assert applied.status_code == 302
        applications.append(Application.objects.get(session=session))
    receipts_write()
    outbox_send_due()
    # Both sessions were held three days ago, and the person attended both.
    held = timezone.now() - dt.timedelta(days=3)
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(
        starts_at=held, ends_at=held + dt.timedelta(hours=2),
        applications_open_on=held.date() - dt.timedelta(days=30),
        applications_close_on=held.date() - dt.timedelta(days=2),
    )
    for application in applications:
        attend(application)
    named = build_questionnaire(Session.objects.get(pk=sessions[0].pk))
    anonymous = build_questionnaire(Session.objects.get(pk=sessions[1].pk), anonymous=True)
    links = [answer_url(application) for application in applications]
    for link, questionnaire, text in [(links[0], named, NAMED_COMMENT), (links[1], anonymous, ANONYMOUS_COMMENT)]:
        answered = client.post(link, form_data(questionnaire, scale=4, single="A", text=text))
        assert answered.status_code == 302, answered.status_code
    manage_links = [reverse("registrations:manage", kwargs={"token": manage_token(a)}) for a in applications]
    typed = searched_values() - {*EDITED.values(), EDITED["phone"].replace("-", "")} | {NAMED_COMMENT}
    # The search finds them before: in the applications, the mail and both answers.
    before = {(table, value) for table, _column, value in copies_in_database(typed | {"㈱消去検証", "０３－７７３１"})}
    assert ("questionnaires_answer", NAMED_COMMENT) in before
    assert ("questionnaires_answer", "㈱消去検証") in before

    erased = applications_erase_personal_data(
        now=held + dt.timedelta(hours=2, days=settings.PERSONAL_DATA_RETENTION_DAYS, seconds=1)
    )

    assert erased == 2
    # Every value as typed, and as people also write it (full width, without hyphens or spaces, in hiragana).
    written = {
        "消去確認太郎", "しょうきょ", "かくにんたろう", "0377310042", "７７３１", "erase.check.7731", "ERASE.CHECK",
        "消去検証",
    }
    assert copies_in_database(typed | written) == set()
    # The anonymous comment stays for the series, without the person in it.
    [kept] = Answer.objects.filter(response__questionnaire=anonymous).exclude(text="").values_list("text", flat=True)
    assert kept.startswith(KEPT) and "[erased]" in kept
    # The old private links answer the "gone" page.
    assert [client.get(link).status_code for link in [*manage_links, *links]] == [410] * 4
