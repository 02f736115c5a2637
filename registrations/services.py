"""State changes of applications: applying, cancelling, promoting (the office's moves and corrections:
registrations.office_changes).

Each public function here is the only place its change happens; views, the office
admin and tasks call it. Each runs in one transaction that also writes the audit
trail and the mail (registrations.notifications, through the outbox), so none of
them is saved without the others. Applying is the one exception for mail: it marks
the application `receipt_due` in its transaction, and the worker writes the receipt
from that mark (notifications.receipts_write), so the applicant's request stays short.
"""
import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seminars.enums import Allocation, SessionState
from seminars.models import Session

from .applying_sql import application_insert_statement
from .enums import APPLICATION_TRANSITIONS, ApplicationOrigin, ApplicationStatus, MailKind
from .models import Application, AuditEntry
from .notifications import (
    application_mail,
    application_mail_skip,
    application_notify,
    confirmation_if_window_closed,
)
from .references import reference_generate
from .selectors import attendance_options, waitlist_queue
from .signals import application_place_lost
from .status import ApplicationRefused, application_status_change
from .validators import email_address_normalise

# Fields an applicant gives; everything else on an Application is set here.
APPLICANT_FIELDS = (
    "name",
    "name_reading",
    "email",
    "organisation",
    "department",
    "position",
    "industry",
    "organisation_size",
    "prefecture",
    "phone",
    "attendance",
    "question",
)
_DUPLICATE_CONSTRAINT = "application_one_active_per_email_and_session"
# Applying again with an address that has applied re-sends its private link: at most this many an hour,
# so the form cannot be used to flood someone's mailbox.
MANAGE_LINK_RESENDS_PER_HOUR = 3


class _PlacesChanged(Exception):
    """The last place went (or one came free) between reading the session and taking a place."""


# --- the places of a session: one counter, changed by one conditional UPDATE ---


def _place_take(session_id: int) -> bool:
    """Take one place of the session if one is free; return whether it was taken.

    One conditional UPDATE: PostgreSQL re-checks `places_taken < capacity` on the
    row after any concurrent writer commits, so simultaneous applicants can never
    take more places than the capacity. The row stays locked until the caller's
    transaction ends, so call this as late in the transaction as possible.
    """
    taken = Session.objects.filter(
        Q(capacity__isnull=True) | Q(places_taken__lt=F("capacity")), pk=session_id
    ).update(places_taken=F("places_taken") + 1)
    return bool(taken)


def _place_free(session_id: int) -> None:
    """Give back one place of the session."""
    Session.objects.filter(pk=session_id, places_taken__gt=0).update(places_taken=F("places_taken") - 1)


# --- applying ---


def application_create(
    *,
    session: Session,
    data: dict,
    language: str,
    now: dt.datetime | None = None,
    origin: str = ApplicationOrigin.WEB,
    consent_recorded_by=None,
    window_override_reason: str = "",
) -> Application:
    """Apply to a session with the applicant's `data` (cleaned form data); return the saved application.

    Rules: only while the session's application period runs; one active
    application per email address and session (case-insensitive, also a database
    constraint); consent to the privacy notice; an attendance the session offers;
    never more confirmed places than the capacity. When no place is left the
    application joins the waiting list if the session has one, else it is refused.
    A lottery session (Allocation.LOTTERY) takes no place on applying: the
    application awaits the draw (registrations.lottery) while the period runs, or
    while others still await it; after the draw, the rules of first come apply.

    The office enters an application received by phone, fax or paper with its
    `origin`, the office user `consent_recorded_by` who took the consent given
    that way, and may apply outside the application period with a
    `window_override_reason` (kept in the audit trail): before it opens, after it
    closes, and after the session was held (a walk-in at the venue, a late phone
    call), so that attendance and certificates can follow; never past the duplicate
    rule or the capacity. Someone added once the session has started gets no receipt:
    the follow-up after attendance is their mail.

    Side effects, in one transaction: the application (confirmed, waitlisted or
    awaiting the draw), one place of the session's counter when confirmed, and an
    audit entry. The receipt, saying which, is written and sent by the worker
    within seconds (notifications.receipts_write, which beat runs every 2 seconds).

    Raise ApplicationRefused with code "upcoming", "closed", "full", "duplicate",
    "consent" or "attendance".
    """
    now = now or timezone.now()
    state = session.state(now=now)
    override = bool(window_override_reason.strip()) and consent_recorded_by is not None
    if state == SessionState.UPCOMING and not override:
        raise ApplicationRefused("upcoming", _("Applications for this session are not open yet."))
    if state not in (SessionState.OPEN, SessionState.FULL) and not (
        override and state in (SessionState.UPCOMING, SessionState.CLOSED, SessionState.HELD, SessionState.ARCHIVED)
    ):
        raise ApplicationRefused("closed", _("Applications for this session have closed."))
    if state in (SessionState.HELD, SessionState.ARCHIVED) and session.is_full:
        # A waiting list means nothing once the session is over: the person took part, or did not.
        raise ApplicationRefused("full", _(
            "This session is full: raise its capacity first to add someone who took part."))
    if not data.get("consent"):
        raise ApplicationRefused("consent", _("Please agree to the privacy notice to apply."))
    if data.get("attendance") not in attendance_options(session):
        raise ApplicationRefused("attendance", _("Please choose a way of attending that this session offers."))
    fields = {name: (data.get(name) or "") for name in APPLICANT_FIELDS}
    fields["email"] = _address_as_sent(fields["email"])
    looks_free = session.capacity is None or session.places_taken < session.capacity
    awaits_draw = _joins_the_draw(session, now=now)
    for attempt in range(5):
        status = ApplicationStatus.CONFIRMED if looks_free else ApplicationStatus.WAITLISTED
        application = Application(
            session=session,
            status=ApplicationStatus.AWAITING_DRAW if awaits_draw else status,
            origin=origin,
            consent_recorded_by=consent_recorded_by,
            reference=reference_generate(),
            manage_secret=secrets.token_urlsafe(32),
            consented_at=now,
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            language=language,
            created_at=now,
            updated_at=now,
            **fields,
        )
        try:
            _application_insert(application, now=now, by=consent_recorded_by, reason=window_override_reason.strip())
            return application
        except _PlacesChanged:
            looks_free = not looks_free
        except IntegrityError as exc:
            if _DUPLICATE_CONSTRAINT in str(exc):
                raise _duplicate() from exc
            # Otherwise a reference or secret collided (about 1 in 10^12): draw new ones.
        if attempt == 4:
            raise ApplicationRefused("full", _("This session is full."))
    raise AssertionError("unreachable")


def _joins_the_draw(session: Session, *, now: dt.datetime) -> bool:
    """Whether a new application to the session awaits its draw instead of taking a place."""
    if session.allocation != Allocation.LOTTERY:
        return False
    # After the period only when the office enters one (window override) before the draw has run.
    return now < session.applications_close_at or Application.objects.filter(
        session=session, status=ApplicationStatus.AWAITING_DRAW
    ).exists()


def _application_insert(application: Application, *, now: dt.datetime, by=None, reason: str = "") -> None:
    """Save a new application with its audit entry, taking a place (or not), in one transaction.

    On PostgreSQL one statement does it all (registrations.applying_sql); elsewhere the
    ORM twin below. The receipt is not rendered here: the application is marked
    `receipt_due`, and the worker writes it within seconds (notifications.receipts_write, run by beat).
    `by` is the office user who entered it, if any.
    """
    # Someone the office entered without an address gets no mail: the office prints the receipt instead.
    # Nor does someone added once the session has started: their mail is the follow-up after attendance.
    application.receipt_due = bool(application.email) and now < application.session.starts_at
    changes = {} if application.origin == ApplicationOrigin.WEB else {"origin": application.origin}
    actor_label = by.get_username() if by else "applicant"
    with transaction.atomic():
        if connection.vendor == "postgresql":
            saved = application_insert_statement(application, actor_label=actor_label, reason=reason, changes=changes)
            if not saved:
                raise ApplicationRefused("full", _("This session is full."))
        else:
            _application_insert_orm(application, now=now, by=by, actor_label=actor_label, reason=reason,
                                    changes=changes)


def _application_insert_orm(application: Application, *, now, by, actor_label: str, reason: str, changes: dict):
    """The ORM twin of applying_sql: insert, audit, then take the place the counter suggested.

    The place is taken last: every applicant to a session updates its row, so the
    row is locked only for that statement and the commit. When the place goes the
    other way than `application.status` expected, everything rolls back
    (_PlacesChanged) and application_create tries again with the other status.
    """
    expected = application.status
    application.save(force_insert=True)  # the unique index refuses a duplicate here
    AuditEntry.objects.create(
        application=application, at=now, actor=by, actor_label=actor_label, action="apply", reason=reason,
        changes={"status": expected} | changes,
    )
    if expected == ApplicationStatus.AWAITING_DRAW:
        return
    taken = _place_take(application.session_id)
    if not taken and not application.session.waitlist_enabled:
        raise ApplicationRefused("full", _("This session is full."))
    if taken != (expected == ApplicationStatus.CONFIRMED):
        raise _PlacesChanged


def _address_as_sent(email: str) -> str:
    """Return the address as mail will be sent to it (validators.email_address_normalise), "" for none.

    The forms hand it over in this form already; normalising here too keeps every caller to the
    one form that the one-application-per-address index compares. Raise ApplicationRefused with
    code "email" and the validator's reason for an address mail cannot be sent to.
    """
    email = (email or "").strip()
    if not email:
        return ""
    try:
        return email_address_normalise(email)
    except ValidationError as error:
        raise ApplicationRefused("email", error.messages[0]) from error


def _active_applications_of_email(session_id: int, email: str):
    """Return the session's applications (not cancelled) with this address, as the one-per-address rule sees it.

    Lower(), as in the unique index application_one_active_per_email_and_session, so the index
    answers (email__iexact compiles to UPPER() and would scan the session's applications).
    No address (entered by the office) is nobody's address: none are returned for it.
    """
    if not email:
        return Application.objects.none()
    return (
        Application.objects.alias(email_lower=Lower("email"))
        .filter(email_lower=email.lower(), session_id=session_id)
        .exclude(status=ApplicationStatus.CANCELLED)
    )


def _duplicate() -> ApplicationRefused:
    return ApplicationRefused(
        "duplicate",
        _(
            "An application with this email address already exists for this session. "
            "Use the link in your receipt to see or cancel it."
        ),
    )


def application_manage_link_resend(*, session: Session, email: str, now: dt.datetime | None = None) -> bool:
    """Send the private (manage) link of the address's active application to the session again; return whether.

    For someone who applies again because the receipt is lost. The mail goes to
    the address stored on the application, in the application's language, never
    to anyone else; the caller learns only whether a mail was added, nothing of
    the application. Nothing is added when the address has no active application
    to the session (matched case-insensitively, as the unique index does), or
    when MANAGE_LINK_RESENDS_PER_HOUR such mails were added for it in the last hour.

    Side effects, in one transaction: a "manage_link" mail row and an audit entry
    (by "applicant", action "manage_link_resend") on the application.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked, so that simultaneous attempts are counted one after the other against the hourly limit.
        application = (
            _active_applications_of_email(session.pk, email.strip())
            .select_for_update()
            .select_related("session__series")
            .filter(personal_data_erased_at__isnull=True)
            .first()
        )
        if application is None:
            return False
        sent_last_hour = (
            application_mail(application)
            .filter(kind=MailKind.MANAGE_LINK, created_at__gt=now - dt.timedelta(hours=1))
            .count()
        )
        if sent_last_hour >= MANAGE_LINK_RESENDS_PER_HOUR:
            return False
        row = application_notify(application, MailKind.MANAGE_LINK, key=f"manage-link:{now.timestamp():.6f}", now=now)
        if row is None:  # a mail with this very key (same instant) was just added
            return False
        AuditEntry.objects.create(
            application=application, at=now, actor_label="applicant", action="manage_link_resend",
            changes={"mail": MailKind.MANAGE_LINK, "new_mail": row.pk},
        )
    return True


# --- cancelling and the waiting list ---


def application_cancel(
    *,
    application: Application,
    by=None,
    actor_label: str,
    reason: str = "",
    message_to_applicant: str = "",
    now: dt.datetime | None = None,
) -> Application | None:
    """Cancel an application (never deleted); return the waitlisted application promoted, if any.

    `by` is the office user who cancels, or None when the applicant does
    (`actor_label` "applicant") or the system does. `reason` is kept on file
    (the application and its audit trail) and never sent; `message_to_applicant`,
    if any, is the only text of the office's that the cancellation notice quotes.

    Side effects, in one transaction: the application becomes cancelled with
    when, by whom and why; an audit entry; a "cancellation" mail row whose data
    holds the message to the applicant. When it
    held a confirmed place, the place is freed and at once given to the first
    waitlisted application in order of application (see `_waitlist_promote`).
    After commit `application_place_lost` is sent (the zoom app cancels the
    webinar registrant; a cancelled application has no personal link from then on).

    Raise ApplicationRefused with code "cancelled" (already cancelled) or "held"
    (the session has started).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("session").get(pk=application.pk)
        if ApplicationStatus.CANCELLED not in APPLICATION_TRANSITIONS[ApplicationStatus(locked.status)]:
            raise ApplicationRefused("cancelled", _("This application has already been cancelled."))
        if now >= locked.session.starts_at:
            raise ApplicationRefused("held", _("The session has started; the application can no longer be cancelled."))
        held_place = locked.status == ApplicationStatus.CONFIRMED
        application_status_change(
            locked, to=ApplicationStatus.CANCELLED, now=now, action="cancel", by=by, actor_label=actor_label,
            reason=reason, fields={"cancelled_at": now, "cancelled_by": actor_label, "cancel_reason": reason},
            mail=MailKind.CANCELLATION, mail_data={"previous_status": locked.status, "message": message_to_applicant},
        )
        application_mail_skip(locked)
        promoted = None
        if held_place:
            _place_free(locked.session_id)
            promoted = _waitlist_promote(locked.session, now=now)
        _place_lost_on_commit(locked, locked.session)
    for name in ("status", "cancelled_at", "cancelled_by", "cancel_reason"):
        setattr(application, name, getattr(locked, name))
    return promoted


def _place_lost_on_commit(application: Application, session: Session) -> None:
    """Send `application_place_lost` once the caller's transaction commits (see registrations/signals.py)."""
    transaction.on_commit(
        lambda: application_place_lost.send(sender=Application, application=application, session=session)
    )


def _waitlist_promote(session: Session, *, now: dt.datetime) -> Application | None:
    """Give a free place of the session to the first waitlisted application; return it, or None.

    Call inside the transaction that freed the place. Side effects: the
    application becomes confirmed with `promoted_at`, takes a place, gets an
    audit entry (by "system") and a "promotion" mail row, plus its confirmation with
    the joining details at once when the application window has already closed.
    """
    waiting = waitlist_queue(session)  # in order of application; a lottery's in drawn order
    # Under READ COMMITTED, FOR UPDATE with LIMIT may skip a first row that changed
    # under its lock (e.g. cancelled meanwhile) and return nothing: look again then.
    for _attempt in range(5):
        first = waiting.select_for_update().first()
        if first is not None or not waiting.exists():
            break
    if first is None or not _place_take(session.pk):
        return None
    application_status_change(
        first, to=ApplicationStatus.CONFIRMED, now=now, action="promote", actor_label="system",
        fields={"promoted_at": now}, mail=MailKind.PROMOTION,
    )
    confirmation_if_window_closed(first, now=now)
    return first
