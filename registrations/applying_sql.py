"""Applying on PostgreSQL in one statement: take a place if one is free, insert the application and its audit entry.

registrations.services.application_create calls `application_insert_statement` on
PostgreSQL and its ORM twin (`services._application_insert_orm`) on SQLite; both keep
the same rules, and the same service tests run on both databases.

Why a statement of its own: one round trip instead of three, and the session's row
is locked only for this statement and the commit. bench/apply.py measures the
difference (README, "Benchmarks").

The columns are written out. A field added to Application must be added here too:
tests/registrations/test_applying_sql.py compares this list with the model.
"""
import json

from django.db import connection

from .enums import ApplicationStatus
from .models import Application

# The columns of registrations_application this statement fills, as they are named there.
APPLICATION_COLUMNS = (
    "reference", "manage_secret", "session_id", "status", "name", "name_reading", "email", "organisation",
    "department", "position", "industry", "organisation_size", "prefecture", "phone", "attendance", "question",
    "origin", "consented_at", "consent_recorded_by_id", "privacy_notice_version", "language", "created_at",
    "updated_at", "cancelled_at", "cancelled_by", "cancel_reason", "promoted_at", "personal_data_erased_at",
    "receipt_due", "draw_position",
)

# place:       one place of the session, taken only if one is free (capacity NULL: no limit) and the
#              application does not await a draw. PostgreSQL re-checks the condition after a concurrent
#              writer commits, so simultaneous applicants never take more places than the capacity.
# application: confirmed with a place, else waitlisted (or awaiting the draw); nothing at all when no
#              place was free and the session keeps no waiting list.
# audit:       who applied, with the status given.
STATEMENT = """
WITH place AS (
    UPDATE seminars_session SET places_taken = places_taken + 1
    WHERE id = %(session_id)s AND NOT %(awaits_draw)s AND (capacity IS NULL OR places_taken < capacity)
    RETURNING id
), application AS (
    INSERT INTO registrations_application (
        reference, manage_secret, session_id, status, name, name_reading, email, organisation,
        department, position, industry, organisation_size, prefecture, phone, attendance, question,
        origin, consented_at, consent_recorded_by_id, privacy_notice_version, language, created_at,
        updated_at, cancelled_at, cancelled_by, cancel_reason, promoted_at, personal_data_erased_at,
        receipt_due, draw_position
    )
    SELECT
        %(reference)s, %(manage_secret)s, %(session_id)s,
        CASE WHEN %(awaits_draw)s THEN %(awaiting_draw)s
             WHEN EXISTS (SELECT FROM place) THEN %(confirmed)s
             ELSE %(waitlisted)s END,
        %(name)s, %(name_reading)s, %(email)s, %(organisation)s,
        %(department)s, %(position)s, %(industry)s, %(organisation_size)s, %(prefecture)s, %(phone)s,
        %(attendance)s, %(question)s,
        %(origin)s, %(consented_at)s, %(consent_recorded_by_id)s, %(privacy_notice_version)s, %(language)s,
        %(created_at)s,
        %(updated_at)s, %(cancelled_at)s, %(cancelled_by)s, %(cancel_reason)s, %(promoted_at)s,
        %(personal_data_erased_at)s,
        %(receipt_due)s, %(draw_position)s
    WHERE %(awaits_draw)s OR EXISTS (SELECT FROM place) OR %(waitlist_enabled)s
    RETURNING id, status
), audit AS (
    INSERT INTO registrations_auditentry (application_id, at, actor_id, actor_label, action, reason, changes)
    SELECT id, %(created_at)s, %(consent_recorded_by_id)s, %(actor_label)s, 'apply', %(reason)s,
           jsonb_build_object('status', status) || %(changes)s::jsonb
    FROM application
)
SELECT id, status FROM application
"""


def application_insert_statement(application: Application, *, actor_label: str, reason: str, changes: dict) -> bool:
    """Save the new `application` (its status is decided here) with its audit entry; return False when the
    session is full and keeps no waiting list (nothing is saved then).

    Run inside the caller's transaction. `application.status` is read only to know whether it awaits a
    draw. A duplicate address raises IntegrityError from the unique index, as the ORM does.
    """
    params = {column: getattr(application, column) for column in APPLICATION_COLUMNS if column != "status"}
    params |= {
        "awaits_draw": application.status == ApplicationStatus.AWAITING_DRAW,
        "waitlist_enabled": application.session.waitlist_enabled,
        "awaiting_draw": ApplicationStatus.AWAITING_DRAW,
        "confirmed": ApplicationStatus.CONFIRMED,
        "waitlisted": ApplicationStatus.WAITLISTED,
        "actor_label": actor_label,
        "reason": reason,
        "changes": json.dumps(changes),
    }
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT, params)
        row = cursor.fetchone()
    if row is None:
        return False
    application.pk, application.status = row
    application._state.adding = False
    return True
