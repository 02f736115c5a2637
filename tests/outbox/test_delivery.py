"""Delivery of the outbox (outbox.delivery) against a real SMTP server on loopback, the file backend and a paced clock.

Each test adds rows with outbox_add and calls outbox_send_due itself, with a fixed clock;
what is asserted is what the SMTP server received and what the rows say.
"""
import datetime as dt
import email
import email.header
import threading
from email import policy

import pytest
from django.db import connection, transaction
from django.urls import reverse

from outbox.delivery import MAX_ATTEMPTS, Pacer, outbox_claim, outbox_send_due
from outbox.models import Message, MessageStatus
from tests.outbox.conftest import T0, add_mail


def at(moment: dt.datetime):
    """Return a clock for outbox_send_due that always reads `moment`."""
    return lambda: moment


# --- temporary and permanent failures ---


@pytest.mark.django_db
def test_smtp_421_then_250_sends_after_the_backoff(smtp):
    row = add_mail("hanako@example.jp")
    smtp.handler.data_replies.append("421 4.3.2 Service not available, try again later")

    outbox_send_due(clock=at(T0))
    row.refresh_from_db()
    assert (row.status, row.attempts, smtp.handler.count()) == (MessageStatus.PENDING, 1, 0)
    assert row.last_error.startswith("421 4.3.2")
    assert row.next_attempt_at == T0 + dt.timedelta(minutes=1)

    not_yet = outbox_send_due(clock=at(T0 + dt.timedelta(seconds=30)))
    outbox_send_due(clock=at(T0 + dt.timedelta(minutes=1)))

    row.refresh_from_db()
    assert not not_yet
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 2, "")
    assert len(smtp.handler.to("hanako@example.jp")) == 1


@pytest.mark.django_db
def test_smtp_550_fails_with_the_reason_shown_in_admin_and_is_not_retried(smtp, admin_client):
    row = add_mail("hanako@example.jp")
    smtp.handler.data_replies.append("550 5.7.1 Message rejected as spam")

    outbox_send_due(clock=at(T0))
    again = outbox_send_due(clock=at(T0 + dt.timedelta(days=2)))

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 1)
    assert row.last_error == "550 5.7.1 Message rejected as spam"
    assert not again and smtp.handler.count() == 0 and smtp.handler.connections == 1
    page = admin_client.get(reverse("admin:outbox_message_change", args=[row.pk]))
    assert page.status_code == 200
    assert "550 5.7.1 Message rejected as spam" in page.content.decode()


@pytest.mark.django_db
def test_temporary_failures_give_up_after_the_last_attempt(smtp):
    row = add_mail("hanako@example.jp")
    smtp.handler.data_replies.extend(["451 4.3.0 Local error"] * MAX_ATTEMPTS)

    moment = T0
    for _run in range(MAX_ATTEMPTS + 2):
        outbox_send_due(clock=at(moment))
        moment += dt.timedelta(days=1)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, MAX_ATTEMPTS)
    assert row.last_error == f"Gave up after {MAX_ATTEMPTS} attempts. Last error: 451 4.3.0 Local error"
    assert smtp.handler.data_replies == [] and smtp.handler.count() == 0


@pytest.mark.django_db
def test_a_refused_recipient_fails_alone_and_the_three_after_it_go_in_the_same_batch(smtp):
    refused = add_mail("nobody@example.jp")
    others = [add_mail(f"person{number}@example.jp") for number in range(3)]

    async def refuse(address):
        return "550 5.1.1 No such user here" if address == "nobody@example.jp" else None

    smtp.handler.rcpt_hook = refuse

    counts = outbox_send_due(clock=at(T0))

    refused.refresh_from_db()
    assert counts == {"failed": 1, "sent": 3}
    assert (refused.status, refused.last_error) == (MessageStatus.FAILED, "550 5.1.1 No such user here")
    assert smtp.handler.per_recipient() == {row.to_email: 1 for row in others}
    assert set(Message.objects.filter(pk__in=[row.pk for row in others]).values_list("status", flat=True)) == {
        MessageStatus.SENT
    }


# --- addresses and connections ---


@pytest.mark.django_db
def test_a_japanese_domain_reaches_the_server_in_punycode(smtp):
    row = add_mail("user@例え.jp")

    outbox_send_due(clock=at(T0))

    row.refresh_from_db()
    assert row.status == MessageStatus.SENT
    assert smtp.handler.per_recipient() == {"user@xn--r8jz45g.jp": 1}


@pytest.mark.django_db
def test_a_batch_uses_one_smtp_connection(smtp):
    for number in range(10):
        add_mail(f"person{number}@example.jp")

    counts = outbox_send_due(clock=at(T0))

    assert counts == {"sent": 10}
    assert smtp.handler.count() == 10 and smtp.handler.connections == 1


@pytest.mark.django_db
def test_a_row_sent_again_after_its_claim_ran_out_keeps_its_message_id(smtp):
    row = add_mail("hanako@example.jp")
    message_id = row.message_id
    # A worker claims the row and dies without marking it (whether or not its mail went out).
    [claimed] = outbox_claim(now=T0)

    while_claimed = outbox_send_due(clock=at(T0 + dt.timedelta(seconds=1)))
    after_claim = outbox_send_due(clock=at(claimed.claimed_until + dt.timedelta(seconds=1)))

    row.refresh_from_db()
    assert not while_claimed
    assert after_claim == {"sent": 1} and row.status == MessageStatus.SENT
    [received] = smtp.handler.to("hanako@example.jp")
    assert message_id and received["Message-ID"] == message_id == row.message_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_row_once(smtp):
    with transaction.atomic():
        rows = [add_mail(f"person{number}@example.jp") for number in range(60)]
    start = threading.Barrier(3)
    errors = []

    def sender():
        try:
            start.wait()
            # Small batches, so the senders claim side by side rather than one taking everything.
            while outbox_send_due(clock=at(T0), limit=5):
                pass
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert smtp.handler.per_recipient() == {row.to_email: 1 for row in rows}
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 60


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
def test_a_database_lost_right_after_the_250_costs_no_second_mail(smtp):
    with transaction.atomic():
        rows = [add_mail(f"person{number}@example.jp") for number in range(3)]
    first = rows[0].to_email
    # The server accepts the first mail and, before its 250 reaches us, every database connection is cut.
    smtp.handler.accepted_hook = lambda recipients: first in recipients and _end_other_database_sessions()

    counts = outbox_send_due(clock=at(T0))

    # The "sent" mark went through on a new connection, and the batch carried on.
    assert counts == {"sent": 3}
    assert smtp.handler.per_recipient() == {row.to_email: 1 for row in rows}
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 3


# --- the file backend ---


@pytest.mark.django_db
def test_the_file_backend_writes_a_readable_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    row = add_mail(
        "hanako@example.jp",
        subject="受付番号 K7QM-2XPA のお知らせ",
        body_text="山田 花子 様\nお申し込みを受け付けました。\n",
        body_html="<p>山田 花子 様</p>",
        reply_to="office@example.org",
        attachments=[{"filename": "session.ics", "mimetype": "text/calendar", "content": "BEGIN:VCALENDAR\r\n"}],
    )

    counts = outbox_send_due(clock=at(T0))

    [written] = tmp_path.iterdir()
    raw = written.read_bytes().split(b"\n" + b"-" * 79)[0]
    mail = email.message_from_bytes(raw, policy=policy.default)
    assert counts == {"sent": 1}
    assert mail["Subject"] == "受付番号 K7QM-2XPA のお知らせ"
    assert (mail["To"], mail["Reply-To"], mail["Message-ID"]) == ("hanako@example.jp", "office@example.org",
                                                                  row.message_id)
    assert mail.get_body(preferencelist=("plain",)).get_content() == "山田 花子 様\nお申し込みを受け付けました。\n"
    assert "<p>山田 花子 様</p>" in mail.get_body(preferencelist=("html",)).get_content()
    [attachment] = list(mail.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("session.ics", "text/calendar")


# --- EMAIL_MAX_PER_SECOND, on a clock of the test's own ---


class FakeClock:
    """A monotonic clock that moves only when the pacer sleeps (or a test moves it)."""

    def __init__(self):
        self.now = 100.0
        self.naps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += seconds

    def moment(self) -> dt.datetime:
        """Return the same clock as a date and time for outbox_send_due: T0 when the test starts."""
        return T0 + dt.timedelta(seconds=self.now - 100.0)


@pytest.mark.django_db
def test_ten_per_second_spaces_five_mails_over_0_4_seconds(mailoutbox):
    for number in range(5):
        add_mail(f"person{number}@example.jp")
    clock = FakeClock()

    counts = outbox_send_due(clock=at(T0), pacer=Pacer(10, clock=clock, sleep=clock.sleep))

    assert counts == {"sent": 5} and len(mailoutbox) == 5
    assert clock.naps == pytest.approx([0.1] * 4)
    assert sum(clock.naps) == pytest.approx(0.4)


@pytest.mark.django_db
def test_zero_per_second_sends_without_waiting(mailoutbox):
    for number in range(5):
        add_mail(f"person{number}@example.jp")
    clock = FakeClock()

    counts = outbox_send_due(clock=at(T0), pacer=Pacer(0, clock=clock, sleep=clock.sleep))

    assert counts == {"sent": 5} and len(mailoutbox) == 5
    assert clock.naps == []


def test_time_already_spent_sending_counts_towards_the_spacing():
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)

    pacer.wait()
    clock.now += 0.03  # the first mail took 30 ms to send
    pacer.wait()
    clock.now += 0.25  # the second took longer than the spacing
    pacer.wait()

    assert clock.naps == pytest.approx([0.07])


@pytest.mark.django_db
def test_a_pacer_built_from_the_email_max_per_second_setting_spaces_the_sends(settings, mailoutbox):
    # outbox_send_due builds this pacer itself when given none; here it gets the test's clock.
    settings.EMAIL_MAX_PER_SECOND = 20
    for number in range(3):
        add_mail(f"person{number}@example.jp")
    clock = FakeClock()

    counts = outbox_send_due(
        clock=at(T0), pacer=Pacer(settings.EMAIL_MAX_PER_SECOND, clock=clock, sleep=clock.sleep)
    )

    assert counts == {"sent": 3} and len(mailoutbox) == 3
    assert clock.naps == pytest.approx([0.05, 0.05])


@pytest.mark.django_db
def test_a_wait_for_the_rate_that_outlasts_the_claim_hands_the_rest_back(settings, mailoutbox):
    settings.OUTBOX_CLAIM_SECONDS = 1
    add_mail("first@example.jp")
    second = add_mail("second@example.jp")
    clock = FakeClock()

    # One mail every 2 s: waiting for the second send outlasts the 1 s claim, so another worker may hold it by then.
    counts = outbox_send_due(clock=clock.moment, pacer=Pacer(0.5, clock=clock, sleep=clock.sleep))

    second.refresh_from_db()
    assert counts == {"sent": 1, "released": 1}
    assert [mail.to for mail in mailoutbox] == [["first@example.jp"]]
    assert second.status == MessageStatus.PENDING


@pytest.mark.django_db
def test_the_sender_shows_the_offices_name_and_the_envelope_its_address(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = '"カスタマーハラスメント防止対策セミナー 事務局" <office@example.org>'
    add_mail("hanako@example.jp", key="display-name")

    outbox_send_due()

    [(_rcpts, raw)] = smtp.handler.received
    # Decoded as RFC 2047 tells mail clients to: adjacent encoded words join without the folding space.
    from_header = email.message_from_bytes(raw)["From"]
    shown = str(email.header.make_header(email.header.decode_header(from_header)))
    assert shown == "カスタマーハラスメント防止対策セミナー 事務局 <office@example.org>"
    assert smtp.handler.senders() == ["office@example.org"]
