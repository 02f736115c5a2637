"""Applying on PostgreSQL in one statement: take a place, insert the application and its audit entry.

Written by hand, with explicit columns, because applying is the request an opening
day is made of: one statement instead of three (and two fewer round trips) roughly
halves what the database does per applicant (bench/apply.py). SQLite takes the
ORM path in services._application_insert; both run the same service tests.

What the statement guarantees, as a whole (it commits or fails as one):
- the conditional UPDATE re-checks `places_taken < capacity` on the locked session
  row, so simultaneous applicants never take more places than the capacity;
- the application's status comes from that UPDATE's own result: "confirmed" when it
  took a place, else "waitlisted" when `waitlist` is true, else no row at all (full);
- the unique index application_one_active_per_email_and_session refuses a duplicate,
  and the place taken in the same statement goes with it;
- the audit entry says what the application became.

A column added to registrations_application without a database default must be
added here too (the service tests on PostgreSQL fail until it is).
"""
from django.db import connection

APPLY = """
WITH take AS (
    UPDATE seminars_session SET places_taken = places_taken + 1
    WHERE id = %(session_id)s AND (capacity IS NULL OR places_taken < capacity)
    RETURNING id
), decided AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM take) THEN 'confirmed' ELSE 'waitlisted' END AS status
), application AS (
    INSERT INTO registrations_application (
        session_id, status, reference, manage_secret, name, name_reading, email, organisation, department,
        position, industry, organisation_size, prefecture, phone, attendance, question, consented_at,
        privacy_notice_version, language, created_at, updated_at, cancelled_by, cancel_reason
    )
    SELECT
        %(session_id)s, decided.status, %(reference)s, %(manage_secret)s, %(name)s, %(name_reading)s, %(email)s,
        %(organisation)s, %(department)s, %(position)s, %(industry)s, %(organisation_size)s, %(prefecture)s,
        %(phone)s, %(attendance)s, %(question)s, %(consented_at)s, %(privacy_notice_version)s, %(language)s,
        %(created_at)s, %(created_at)s, '', ''
    FROM decided
    WHERE decided.status = 'confirmed' OR %(waitlist)s
    RETURNING id, status
)
INSERT INTO registrations_auditentry (application_id, at, actor_label, action, reason, changes)
SELECT id, %(created_at)s, 'applicant', 'apply', '', jsonb_build_object('status', status) FROM application
RETURNING application_id, changes->>'status'
"""


def application_insert_one_statement(values: dict) -> tuple[int, str] | None:
    """Run the statement with `values` (every named parameter above); return (id, status), or None when full.

    Call inside a transaction. Raises IntegrityError for a duplicate, as the ORM would.
    """
    with connection.cursor() as cursor:
        cursor.execute(APPLY, values)
        return cursor.fetchone()
