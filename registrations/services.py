"""State changes of applications: applying, cancelling, promoting from the waiting list.

Each public function here is the only place its change happens; views, the office
admin and tasks call it. Each runs in one transaction that also writes the audit
trail and the mail rows (registrations.outbox), so none of them is saved without
the others.
"""
import datetime as dt
import functools
import re
import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from seminars.enums import SessionState
from seminars.models import Session

from .enums import APPLICATION_TRANSITIONS, ApplicationStatus, MailKind
from .models import Application, AuditEntry, OutboxMessage
from .outbox import confirmation_if_window_closed, outbox_add, outbox_resend, outbox_wake
from .selectors import attendance_options

# Letters and digits that cannot be misread or mistyped for each other: no 0/O, 1/I.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
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
# The name applying's statement is prepared under on each PostgreSQL connection.
_APPLY_STATEMENT_NAME = "registrations_application_insert"


class ApplicationRefused(Exception):
    """A rule of applying or cancelling refused the request; `message` is for the person.

    Codes: "upcoming", "closed", "full", "duplicate", "consent", "attendance" (apply);
    "cancelled", "held" (cancel).
    The office's changes add "same", "erased" (move, update, resend) and reuse the others.
    """

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


def reference_generate() -> str:
    """Return a new random reference code (8 characters, unguessable); uniqueness is the caller's."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_display(reference: str) -> str:
    """Return a reference as people read it aloud: XXXX-XXXX."""
    return f"{reference[:4]}-{reference[4:]}" if len(reference) == REFERENCE_LENGTH else reference


def reference_normalise(text: str) -> str:
    """Return a typed reference in stored form: upper case, without the hyphen or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


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


def application_create(*, session: Session, data: dict, language: str, now: dt.datetime | None = None) -> Application:
    """Apply to a session with the applicant's `data` (cleaned form data); return the saved application.

    Rules: only while the session's application period runs; one active
    application per email address and session (case-insensitive, also a database
    constraint); consent to the privacy notice; an attendance the session offers;
    never more confirmed places than the capacity. When no place is left the
    application joins the waiting list if the session has one, else it is refused.

    Side effects, in one transaction: the application (confirmed or waitlisted),
    one place of the session's counter when confirmed, an audit entry, and a
    "receipt" mail row whose context says "confirmed" or "waitlisted" (queued
    for delivery after commit by registrations.outbox).

    Raise ApplicationRefused with code "upcoming", "closed", "full", "duplicate",
    "consent" or "attendance".
    """
    now = now or timezone.now()
    state = session.state(now=now)
    if state == SessionState.UPCOMING:
        raise ApplicationRefused("upcoming", _("Applications for this session are not open yet."))
    if state not in (SessionState.OPEN, SessionState.FULL):
        raise ApplicationRefused("closed", _("Applications for this session have closed."))
    if not data.get("consent"):
        raise ApplicationRefused("consent", _("Please agree to the privacy notice to apply."))
    if data.get("attendance") not in attendance_options(session):
        raise ApplicationRefused("attendance", _("Please choose a way of attending that this session offers."))
    email = data["email"].strip()
    # No separate duplicate check: the unique index refuses the INSERT below (one round trip less),
    # and its IntegrityError becomes the same "duplicate" refusal.

    fields = {name: data.get(name) or "" for name in APPLICANT_FIELDS}
    fields["email"] = email
    for attempt in range(5):
        try:
            return _application_insert(session=session, fields=fields, language=language, now=now)
        except IntegrityError as exc:
            if _DUPLICATE_CONSTRAINT in str(exc) or _constraint_name(exc) == _DUPLICATE_CONSTRAINT:
                raise _duplicate() from exc
            # Otherwise a reference or secret collided (about 1 in 10^12): draw new ones.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _application_insert(*, session: Session, fields: dict, language: str, now: dt.datetime) -> Application:
    if connection.vendor == "postgresql":
        return _application_insert_one_statement(session=session, fields=fields, language=language, now=now)
    return _application_insert_orm(session=session, fields=fields, language=language, now=now)


class _ApplyStatement(NamedTuple):
    sql: str  # with %(name)s placeholders, for a cursor in a transaction
    prepare: str  # PREPARE ... AS the same statement with $n placeholders
    execute: str  # EXECUTE ... (%s, ...)
    names: list[str]  # the parameter of each $n, in order
    app_defaults: dict  # attname -> the value of every application field the statement does not take


def _fields_to_insert(model, skip: set[str]) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key and field.attname not in skip]


def _select_list(fields: list, given: dict[str, str], literals: dict, cursor, db) -> tuple[str, dict]:
    """The SELECT list that inserts these fields, and the constant values it writes.

    A field in `given` takes the named parameter given for it; a field in `literals`
    that constant; any other its model's default, written into the statement as a
    literal (quoted by the driver, once). A field without a constant default (a
    callable one, auto_now) must be given, or building the statement fails at once.
    """
    expressions, constants = [], {}
    for field in fields:
        if field.attname in given:
            expressions.append(f"%({given[field.attname]})s")
            continue
        if field.attname in literals:
            value = literals[field.attname]
        else:
            varying = field.has_default() and callable(field.default)
            if varying or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                raise ImproperlyConfigured(f"{field} has no constant default: give its value")
            value = field.get_default()
        constants[field.attname] = value
        literal = cursor.mogrify("%s", [field.get_db_prep_save(value, db)]).decode()
        if "%" in literal:  # the statement also runs with parameters, where % is special
            raise ImproperlyConfigured(f"{field}: a constant with % cannot be written into the statement")
        expressions.append(literal)
    return ", ".join(expressions), constants


# The statement's parameter for each application field given per applicant: the applicant's fields
# and what applying sets under their own names, the moment of applying, the session.
_APPLICATION_PARAMS = {
    **{name: name for name in (*APPLICANT_FIELDS, "reference", "manage_secret", "privacy_notice_version", "language")},
    "consented_at": "now", "created_at": "now", "updated_at": "now", "session_id": "session",
}


@functools.cache
def _apply_statement(alias: str) -> _ApplyStatement:
    """Build the one statement of applying on PostgreSQL (see _application_insert_one_statement), once.

    Each value is a named parameter, passed once however often the statement uses it
    (the moment of applying is five columns, the address two); what is the same for
    every applicant is written into the statement. Both halve what the driver quotes
    and PostgreSQL reads per submission.
    """
    db = connections[alias]
    q = db.ops.quote_name
    app_fields = _fields_to_insert(Application, {"status"})
    audit_fields = _fields_to_insert(AuditEntry, {"application_id", "changes"})
    receipt_fields = _fields_to_insert(OutboxMessage, {"application_id", "context"})
    columns = lambda fields: ", ".join(q(field.column) for field in fields)  # noqa: E731
    with db.cursor() as cursor:
        app, app_defaults = _select_list(app_fields, _APPLICATION_PARAMS, {}, cursor, db)
        audit, _ = _select_list(
            audit_fields, {"at": "now"}, {"actor_label": "applicant", "action": "apply"}, cursor, db
        )
        receipt, _ = _select_list(
            receipt_fields, {"to_email": "email", "created_at": "now", "next_attempt_at": "now"},
            {"kind": MailKind.RECEIPT}, cursor, db,
        )
        confirmed, waitlisted = (
            cursor.mogrify("%s", [status]).decode()
            for status in (ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED)
        )
    # Only quoted names and driver-quoted constants are interpolated; every other value is a parameter.
    sql = f"""
        WITH take AS (
            UPDATE {q(Session._meta.db_table)} SET places_taken = places_taken + 1
            WHERE id = %(session)s AND (capacity IS NULL OR places_taken < capacity) RETURNING id
        ), decided AS (
            SELECT CASE WHEN EXISTS (SELECT 1 FROM take) THEN {confirmed} ELSE {waitlisted} END AS status
        ), app AS (
            INSERT INTO {q(Application._meta.db_table)} ({columns(app_fields)}, status)
            SELECT {app}, status FROM decided WHERE status = {confirmed} OR %(waitlist)s
            RETURNING id, status
        ), audit AS (
            INSERT INTO {q(AuditEntry._meta.db_table)} ({columns(audit_fields)}, application_id, changes)
            SELECT {audit}, id, jsonb_build_object('status', status) FROM app
        ), receipt AS (
            INSERT INTO {q(OutboxMessage._meta.db_table)} ({columns(receipt_fields)}, application_id, context)
            SELECT {receipt}, id, jsonb_build_object('status', status) FROM app
        )
        SELECT id, status FROM app
    """  # noqa: S608
    names: list[str] = []

    def number(match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    prepared = re.sub(r"%\((\w+)\)s", number, sql)
    return _ApplyStatement(
        sql=sql,
        prepare=f"PREPARE {_APPLY_STATEMENT_NAME} AS {prepared}",
        execute=f"EXECUTE {_APPLY_STATEMENT_NAME} ({', '.join(['%s'] * len(names))})",
        names=names,
        app_defaults=app_defaults,
    )


def _application_insert_one_statement(
    *, session: Session, fields: dict, language: str, now: dt.datetime
) -> Application:
    """PostgreSQL: take the place and insert the application, its audit entry and its receipt in one statement.

    One round trip instead of six (BEGIN, three INSERTs, the UPDATE, COMMIT): on two
    cores the database's per-statement work was most of what applying cost beyond
    the one-row ceiling. The guarantees are the statement's: it commits or fails as
    a whole; the conditional UPDATE re-checks `places_taken < capacity` on the locked
    row (as _place_take); the unique index refuses a duplicate and rolls it all back;
    status, audit and receipt are decided from the UPDATE's own result.
    """
    # Passed as they are: for these fields (text, an aware datetime, integers) the driver writes
    # what the ORM's get_db_prep_save would give it on PostgreSQL.
    values = {
        **fields,
        "reference": reference_generate(),
        "manage_secret": secrets.token_urlsafe(32),
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "language": language,
        "session": session.pk,
        "now": now,
        "waitlist": session.waitlist_enabled,
    }
    # The connection object itself: each `connection.x` through Django's proxy costs a thread-local lookup.
    db = connections[DEFAULT_DB_ALIAS]
    statement = _apply_statement(db.alias)
    if db.in_atomic_block:
        # In a caller's transaction (the office, tests) a savepoint keeps a refused duplicate from aborting it.
        with transaction.atomic(), db.cursor() as cursor:
            cursor.execute(statement.sql, values)
            row = cursor.fetchone()
    else:
        # In autocommit the statement is its own transaction: no BEGIN and COMMIT round trips. It is
        # prepared once per database connection, which saves PostgreSQL parsing and planning it for
        # every applicant (a third of its time in this statement). A connection pooler in transaction
        # mode would not keep prepared statements: connect to PostgreSQL directly, as Procfile does.
        with db.cursor() as cursor:
            if getattr(db, "_application_insert_prepared_on", None) is not db.connection:
                cursor.execute(statement.prepare)
                db._application_insert_prepared_on = db.connection
            cursor.execute(statement.execute, [values[name] for name in statement.names])
            row = cursor.fetchone()
    if row is None:
        raise ApplicationRefused("full", _("This session is full."))
    # The saved row as the database has it: the values above, the defaults written by the statement.
    saved = {
        **statement.app_defaults, **{field: values[param] for field, param in _APPLICATION_PARAMS.items()},
        "id": row[0], "status": row[1],
    }
    application = Application.from_db(db.alias, None, [saved[f.attname] for f in Application._meta.concrete_fields])
    application.session = session
    transaction.on_commit(outbox_wake)  # after the caller's commit, or at once in autocommit
    return application


def _application_insert_orm(*, session: Session, fields: dict, language: str, now: dt.datetime) -> Application:
    # Six round trips: BEGIN, three INSERTs, the conditional UPDATE, COMMIT; no savepoints (two round
    # trips each). Every applicant to a session updates its row, so the UPDATE comes last: the row is
    # then locked only for that statement and the commit.
    with transaction.atomic():
        looks_free = session.capacity is None or session.places_taken < session.capacity
        application = Application(
            session=session,
            status=ApplicationStatus.CONFIRMED if looks_free else ApplicationStatus.WAITLISTED,
            reference=reference_generate(),
            manage_secret=secrets.token_urlsafe(32),
            consented_at=now,
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            language=language,
            created_at=now,
            **fields,
        )
        # The unique index refuses a duplicate here, before the session row is locked.
        application.save(force_insert=True)
        audit, receipt = _application_record(application, now=now)
        taken = _place_take(session.pk)
        if not taken and not session.waitlist_enabled:
            raise ApplicationRefused("full", _("This session is full."))
        if taken != (application.status == ApplicationStatus.CONFIRMED):
            # The last place went (or one came free) since the session was read: the three rows
            # written above say the other status; correct them (rare, so no savepoint up front).
            application.status = ApplicationStatus.CONFIRMED if taken else ApplicationStatus.WAITLISTED
            application.save(update_fields=["status"])
            audit.changes = {"status": application.status}
            audit.save(update_fields=["changes"])
            receipt.context = {"status": application.status}
            receipt.save(update_fields=["context"])
    return application


def _application_record(application: Application, *, now: dt.datetime) -> tuple[AuditEntry, OutboxMessage]:
    """Write the audit entry and the receipt of a new application, which say confirmed or waitlisted."""
    audit = AuditEntry.objects.create(
        application=application, at=now, actor_label="applicant", action="apply",
        changes={"status": application.status},
    )
    # Rendered when it is sent, a moment later, not here: rendering was a fifth of the request.
    receipt = outbox_add(
        application=application, kind=MailKind.RECEIPT, context={"status": application.status}, now=now,
        render=False, new_application=True,
    )
    return audit, receipt


def _email_has_active_application(session: Session, email: str) -> bool:
    # Lower(), as in the unique index application_one_active_per_email_and_session, so the index
    # answers (email__iexact compiles to UPPER() and would scan the session's applications).
    return (
        Application.objects.alias(email_lower=Lower("email"))
        .filter(email_lower=email.lower(), session=session)
        .exclude(status=ApplicationStatus.CANCELLED)
        .exists()
    )


def _duplicate() -> ApplicationRefused:
    return ApplicationRefused(
        "duplicate",
        _(
            "An application with this email address already exists for this session. "
            "Use the link in your receipt to see or cancel it."
        ),
    )


def _constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


# --- cancelling and the waiting list ---


def application_cancel(
    *,
    application: Application,
    by=None,
    actor_label: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Application | None:
    """Cancel an application (never deleted); return the waitlisted application promoted, if any.

    `by` is the office user who cancels, or None when the applicant does
    (`actor_label` "applicant") or the system does.

    Side effects, in one transaction: the application becomes cancelled with
    when, by whom and why; an audit entry; a "cancellation" mail row. When it
    held a confirmed place, the place is freed and at once given to the first
    waitlisted application in order of application (see `_waitlist_promote`).

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
        previous = locked.status
        locked.status = ApplicationStatus.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = actor_label
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
        AuditEntry.objects.create(
            application=locked, at=now, actor=by, actor_label=actor_label, action="cancel", reason=reason,
            changes={"status": [previous, ApplicationStatus.CANCELLED]},
        )
        outbox_add(application=locked, kind=MailKind.CANCELLATION, context={"previous_status": previous}, now=now)
        promoted = None
        if held_place:
            _place_free(locked.session_id)
            promoted = _waitlist_promote(locked.session, now=now)
    for name in ("status", "cancelled_at", "cancelled_by", "cancel_reason"):
        setattr(application, name, getattr(locked, name))
    return promoted


def _waitlist_promote(session: Session, *, now: dt.datetime) -> Application | None:
    """Give a free place of the session to the first waitlisted application; return it, or None.

    Call inside the transaction that freed the place. Side effects: the
    application becomes confirmed with `promoted_at`, takes a place, gets an
    audit entry (by "system") and a "promotion" mail row, plus its confirmation with
    the joining details at once when the application window has already closed.
    """
    waiting = Application.objects.filter(session=session, status=ApplicationStatus.WAITLISTED)
    # Under READ COMMITTED, FOR UPDATE with LIMIT may skip a first row that changed
    # under its lock (e.g. cancelled meanwhile) and return nothing: look again then.
    for _attempt in range(5):
        first = waiting.select_for_update().order_by("created_at", "pk").first()
        if first is not None or not waiting.exists():
            break
    if first is None or not _place_take(session.pk):
        return None
    first.status = ApplicationStatus.CONFIRMED
    first.promoted_at = now
    first.save(update_fields=["status", "promoted_at", "updated_at"])
    AuditEntry.objects.create(
        application=first, at=now, actor_label="system", action="promote",
        changes={"status": [ApplicationStatus.WAITLISTED, ApplicationStatus.CONFIRMED]},
    )
    outbox_add(application=first, kind=MailKind.PROMOTION, now=now)
    confirmation_if_window_closed(first, now=now)
    return first


# --- the office's changes: moving, editing details, sending mail again ---

# Details the office may correct in the admin's change form; the session and status change only
# through application_move and application_cancel.
OFFICE_EDITABLE_FIELDS = APPLICANT_FIELDS


def _field_labels(names, language: str) -> list[str]:
    """Return the fields' labels in the applicant's language, as the change notice lists them."""
    with translation.override(language):
        return [str(Application._meta.get_field(name).verbose_name) for name in names]


def _application_lock_for_office(application: Application, *, cancelled: str) -> Application:
    """Lock the application for an office change; refuse one that is cancelled or whose data is erased."""
    locked = Application.objects.select_for_update(of=("self",)).select_related("session").get(pk=application.pk)
    if locked.status == ApplicationStatus.CANCELLED:
        raise ApplicationRefused("cancelled", cancelled)
    if locked.personal_data_erased_at is not None:
        raise ApplicationRefused("erased", _("This application's personal data has been erased."))
    return locked


def application_move(
    *,
    application: Application,
    to_session: Session,
    by,
    reason: str,
    now: dt.datetime | None = None,
) -> Application | None:
    """Move an application to another session on the office's behalf; return the application promoted, if any.

    The application takes a confirmed place in `to_session`. A full target session
    refuses the move even when it keeps a waiting list: the office moves someone to
    give them a place, and a move that quietly ends on a waiting list would not.

    Side effects, in one transaction: both sessions' rows are locked (in pk order,
    so two opposite moves cannot deadlock); a place is taken in `to_session`; the
    application's session changes and it becomes confirmed; an audit entry (by
    the office user `by`, old and new session, `reason`); a "change" mail row
    naming the previous session; the new session's confirmation at once when its
    application window has closed. When the application held a confirmed place,
    that place is freed and given to the first on the old session's waiting list
    (see `_waitlist_promote`).

    Raise ApplicationRefused with code "cancelled", "erased", "same", "held"
    (either session has started), "duplicate" (the email already has an active
    application in `to_session`) or "full".
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _application_lock_for_office(
            application, cancelled=_("This application has been cancelled; it cannot be moved.")
        )
        old = locked.session
        if to_session.pk == old.pk:
            raise ApplicationRefused("same", _("The application is already for this session."))
        sessions = {s.pk: s for s in Session.objects.select_for_update().filter(pk__in=[old.pk, to_session.pk])
                    .order_by("pk")}
        old, target = sessions[old.pk], sessions[to_session.pk]
        if now >= old.starts_at:
            raise ApplicationRefused("held", _("The session has started; the application can no longer be moved."))
        if now >= target.starts_at:
            raise ApplicationRefused(
                "held", _("%(session)s has already started; nobody can be moved into it.") % {"session": target}
            )
        if _email_has_active_application(target, locked.email):
            raise ApplicationRefused(
                "duplicate",
                _("%(email)s already has an application for %(session)s; nothing was changed.")
                % {"email": locked.email, "session": target},
            )
        if not _place_take(target.pk):
            raise ApplicationRefused(
                "full",
                _("%(session)s is full (%(taken)d of %(capacity)d places taken); nothing was changed.")
                % {"session": target, "taken": target.places_taken, "capacity": target.capacity or 0},
            )
        held_place = locked.status == ApplicationStatus.CONFIRMED
        previous_status = locked.status
        locked.session = target
        locked.status = ApplicationStatus.CONFIRMED
        locked.save(update_fields=["session", "status", "updated_at"])
        changes = {"session": [old.pk, target.pk], "session_label": [str(old), str(target)]}
        if previous_status != locked.status:
            changes["status"] = [previous_status, locked.status]
        entry = AuditEntry.objects.create(
            application=locked, at=now, actor=by, actor_label=by.get_username(), action="move", reason=reason,
            changes=changes,
        )
        outbox_add(
            application=locked, kind=MailKind.CHANGE, key=str(entry.pk), now=now,
            context={"previous_session_id": old.pk, "fields": _field_labels(["session"], locked.language)},
        )
        confirmation_if_window_closed(locked, now=now)
        promoted = None
        if held_place:
            _place_free(old.pk)
            promoted = _waitlist_promote(old, now=now)
    application.session = locked.session
    application.status = locked.status
    return promoted


def application_update(
    *,
    application: Application,
    data: dict,
    by,
    reason: str,
    notify: bool,
    now: dt.datetime | None = None,
) -> list[str]:
    """Correct an application's personal details on the office's behalf; return the names of the fields changed.

    `data` holds cleaned values for any of OFFICE_EDITABLE_FIELDS (others are
    ignored); fields whose value is unchanged are left alone, and when none
    changed nothing is written.

    Side effects, in one transaction: the application's changed fields; an audit
    entry (by the office user `by`, each field's before and after, `reason`); a
    "change" mail row listing the changed fields when `notify` is set (to the new
    address when the email changed).

    Raise ApplicationRefused with code "cancelled", "erased", "attendance" (a way
    of attending the session does not offer) or "duplicate" (the new email
    already has an active application for this session).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _application_lock_for_office(
            application, cancelled=_("This application has been cancelled; its details are final.")
        )
        changes = {}
        for name in OFFICE_EDITABLE_FIELDS:
            if name not in data:
                continue
            value = (data[name] or "").strip() if isinstance(data[name], str) or data[name] is None else data[name]
            if value != getattr(locked, name):
                changes[name] = [getattr(locked, name), value]
                setattr(locked, name, value)
        if not changes:
            return []
        if "attendance" in changes and locked.attendance not in attendance_options(locked.session):
            raise ApplicationRefused("attendance", _("Please choose a way of attending that this session offers."))
        if "email" in changes and (
            Application.objects.alias(email_lower=Lower("email"))
            .filter(email_lower=locked.email.lower(), session_id=locked.session_id)
            .exclude(status=ApplicationStatus.CANCELLED)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ApplicationRefused(
                "duplicate",
                _("%(email)s already has an application for this session; nothing was changed.")
                % {"email": locked.email},
            )
        locked.save(update_fields=[*changes, "updated_at"])
        entry = AuditEntry.objects.create(
            application=locked, at=now, actor=by, actor_label=by.get_username(), action="update", reason=reason,
            changes=changes,
        )
        if notify:
            outbox_add(
                application=locked, kind=MailKind.CHANGE, key=str(entry.pk), now=now,
                context={"fields": _field_labels(changes, locked.language)},
            )
    for name in changes:
        setattr(application, name, getattr(locked, name))
    return list(changes)


def application_mail_resend(
    *, message: OutboxMessage, by, reason: str = "", now: dt.datetime | None = None
) -> OutboxMessage:
    """Send a mail of an application again on the office's behalf; return the new mail row.

    Side effects, in one transaction: a new mail row linked to `message` and
    rendered afresh (see registrations.outbox.outbox_resend; the original row is
    untouched), and an audit entry on the application naming the mail.

    Raise ApplicationRefused with code "erased" (no address to send to).
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=message.application_id)
        if application.personal_data_erased_at is not None:
            raise ApplicationRefused("erased", _("This application's personal data has been erased."))
        message.application = application
        row = outbox_resend(message=message, now=now)
        AuditEntry.objects.create(
            application=application, at=now, actor=by, actor_label=by.get_username(), action="resend",
            reason=reason, changes={"mail": message.kind, "resend_of": message.pk, "new_mail": row.pk},
        )
    return row
