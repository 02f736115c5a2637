"""SMTP faults against a real SMTP server on loopback: retry, permanent failure, one connection, two senders."""
import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from registrations.enums import MailKind, MailStatus
from registrations.mail import MAX_ATTEMPTS, outbox_deliver
from registrations.models import OutboxMessage
from registrations.outbox import WAKE_KEY, outbox_add, outbox_wake_clear, outbox_wake_flush
from registrations.tasks import deliver_due_outbox
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, SessionFactory
from tests.registrations.mailservers import purge_queue

T0 = tokyo(2025, 7, 10, 9, 0)


def _receipt(application=None, **kwargs):
    application = application or ApplicationFactory(language="en", **kwargs)
    return outbox_add(application=application, kind=MailKind.RECEIPT, context={"status": "confirmed"}, now=T0)


@pytest.mark.django_db
def test_smtp_421_then_250_sends_after_the_backoff(smtp):
    row = _receipt()
    smtp.handler.data_replies.append("421 4.3.2 Service not available, try again later")

    outbox_deliver(now=T0)
    row.refresh_from_db()
    assert (row.status, row.attempts, smtp.handler.count()) == (MailStatus.PENDING, 1, 0)
    assert row.last_error.startswith("421 4.3.2")
    assert row.next_attempt_at == T0 + dt.timedelta(minutes=1)

    outbox_deliver(now=T0 + dt.timedelta(seconds=30))  # not due yet
    assert smtp.handler.count() == 0
    outbox_deliver(now=T0 + dt.timedelta(minutes=1))

    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.attempts == 2
    assert len(smtp.handler.to(row.to_email)) == 1


@pytest.mark.django_db
def test_smtp_550_fails_with_the_reason_shown_in_admin_and_is_not_retried(smtp, admin_client):
    row = _receipt()
    smtp.handler.data_replies.append("550 5.7.1 Message rejected as spam")

    outbox_deliver(now=T0)
    outbox_deliver(now=T0 + dt.timedelta(days=2))

    row.refresh_from_db()
    assert row.status == MailStatus.FAILED and row.attempts == 1
    assert row.last_error == "550 5.7.1 Message rejected as spam"
    assert smtp.handler.count() == 0 and smtp.handler.connections == 1
    page = admin_client.get(reverse("admin:registrations_application_change", args=[row.application.pk]))
    assert "550 5.7.1 Message rejected as spam" in page.content.decode()
    sent = admin_client.get(reverse("admin:registrations_outboxmessage_change", args=[row.pk]))
    assert row.subject in sent.content.decode()


@pytest.mark.django_db
def test_refused_recipient_fails_at_once(smtp):
    row = _receipt(email="nobody@example.jp")

    async def refuse(address):
        return "550 5.1.1 No such user here" if address == "nobody@example.jp" else None

    smtp.handler.rcpt_hook = refuse
    outbox_deliver(now=T0)

    row.refresh_from_db()
    assert row.status == MailStatus.FAILED and row.last_error == "550 5.1.1 No such user here"


@pytest.mark.django_db
def test_temporary_failures_give_up_after_the_last_attempt(smtp):
    row = _receipt()
    smtp.handler.data_replies.extend(["451 4.3.0 Local error"] * MAX_ATTEMPTS)

    moment = T0
    for _attempt in range(MAX_ATTEMPTS + 2):
        outbox_deliver(now=moment)
        moment += dt.timedelta(days=1)

    row.refresh_from_db()
    assert row.status == MailStatus.FAILED and row.attempts == MAX_ATTEMPTS
    assert "451 4.3.0 Local error" in row.last_error
    assert smtp.handler.count() == 0


@pytest.mark.django_db
def test_a_batch_uses_one_smtp_connection(smtp):
    session = SessionFactory()
    for application in ApplicationFactory.create_batch(10, session=session):
        _receipt(application)

    outbox_deliver(now=T0)

    assert smtp.handler.count() == 10 and smtp.handler.connections == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_row_once(smtp):
    session = SessionFactory()
    with transaction.atomic():
        rows = [_receipt(application) for application in ApplicationFactory.create_batch(60, session=session)]

    def sender():
        try:
            outbox_deliver(now=T0)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    counts = smtp.handler.per_recipient()
    assert sorted(counts) == sorted(row.to_email for row in rows)
    assert set(counts.values()) == {1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_resend_after_a_lost_mark_carries_the_same_message_id(smtp):
    row = _receipt()
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    # The database refuses the "sent" mark after the server's 250, as a PostgreSQL restart right then would lose it.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_lose_mark() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.status = 'sent' THEN RAISE EXCEPTION 'mark lost'; END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_lose_mark BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION test_lose_mark()"
        )
    try:
        with pytest.raises(DatabaseError):
            outbox_deliver(now=T0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER test_lose_mark ON {table}")
            cursor.execute("DROP FUNCTION test_lose_mark()")
    row.refresh_from_db()
    assert row.status == MailStatus.PENDING and smtp.handler.count() == 1

    outbox_deliver(now=T0)

    row.refresh_from_db()
    copies = smtp.handler.to(row.to_email)
    assert row.status == MailStatus.SENT and len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"] == row.message_id


def _end_other_database_sessions() -> None:
    """Cut every other connection to the test database, as a PostgreSQL restart does (a fresh connection of its own)."""
    import psycopg2

    db = connection.settings_dict
    with psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
    ) as own, own.cursor() as cursor:
        # With a timeout, pg_terminate_backend returns once the backend is gone, its socket closed.
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    own.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rendered", [True, False], ids=["rendered-when-queued", "rendered-when-sent"])
def test_a_database_lost_right_after_the_250_costs_no_second_mail(smtp, rendered):
    session = SessionFactory()
    with transaction.atomic():
        rows = [
            outbox_add(
                application=application, kind=MailKind.RECEIPT, context={"status": "confirmed"}, now=T0,
                render=rendered,
            )
            for application in ApplicationFactory.create_batch(3, session=session, language="en")
        ]
    first = rows[0].to_email
    # The server accepts the first mail and, before its 250 reaches us, every database connection is cut.
    smtp.handler.accepted_hook = lambda recipients: first in recipients and _end_other_database_sessions()

    outbox_deliver(now=T0)

    for row in rows:
        row.refresh_from_db()
    assert rows[0].status == MailStatus.SENT
    assert smtp.handler.per_recipient() == {first: 1}
    # The batch stopped (its claims went with the connection); the rest go with the next delivery.
    assert {row.status for row in rows[1:]} == {MailStatus.PENDING}

    smtp.handler.accepted_hook = None
    outbox_deliver(now=T0)

    assert smtp.handler.per_recipient() == {row.to_email: 1 for row in rows}
    assert OutboxMessage.objects.filter(pk__in=[row.pk for row in rows], status=MailStatus.SENT).count() == 3


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_row_added_while_a_delivery_task_is_queued_is_sent_by_that_task(smtp):
    outbox_wake_clear()
    first = _receipt()  # committed at once: this process's waker queues the task and sets the flag
    outbox_wake_flush()
    assert cache.get(WAKE_KEY) is not None
    second = _receipt()  # finds the flag: queues nothing, relies on the task above
    outbox_wake_flush()

    deliver_due_outbox()  # the queued task, run here: clears the flag, then reads the due rows
    purge_queue()

    for row in (first, second):
        row.refresh_from_db()
        assert row.status == MailStatus.SENT and len(smtp.handler.to(row.to_email)) == 1
    assert cache.get(WAKE_KEY) is None
