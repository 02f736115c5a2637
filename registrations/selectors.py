"""Reads of applications, shaped for the pages and services that use them."""
import datetime as dt
import functools
import time
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import connection, connections
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from seminars.enums import SessionFormat
from seminars.models import Session

from .enums import ApplicationStatus, Attendance
from .models import Application

# Separates manage-link signatures from any other use of SECRET_KEY.
MANAGE_LINK_SALT = "registrations.manage-link"


def attendance_options(session: Session) -> list[str]:
    """Return the ways of attending the session offers, as Attendance values."""
    return {
        SessionFormat.ONLINE: [Attendance.ONLINE],
        SessionFormat.VENUE: [Attendance.VENUE],
        SessionFormat.HYBRID: [Attendance.VENUE, Attendance.ONLINE],
    }.get(session.format, [Attendance.ONLINE])


# What a submission reads of its session: the clock (session_state), the ways of attending and the
# places. The translated texts (every language) make the row wide; a page shown loads them on use.
_APPLY_RULE_FIELDS = (
    "id", "series", "slug", "starts_at", "ends_at", "applications_open_on", "applications_close_on", "format",
    "capacity", "waitlist_enabled", "places_taken", "archive_published_at", "archive_access",
    "archive_available_until",
)


def session_for_apply(slug: str, *, rules_only: bool = False) -> Session | None:
    """Return the session with this slug, or None (its series loads only if a page is rendered).

    `rules_only` loads just the fields the rules of applying read, for a submission that
    usually ends in a redirect; anything else is loaded when first used.
    """
    if rules_only:
        return _session_rules(slug)
    return Session.objects.filter(slug=slug).order_by().first()


# How long a process reuses the rules it read of a session for further submissions (see _session_rules).
RULES_REUSE_SECONDS = 1.0
# (database alias, slug) -> (time read, on time.monotonic(); the field values, converted)
_rules_read: dict[tuple[str, str], tuple[float, list]] = {}


def _session_rules(slug: str) -> Session | None:
    """Session.objects.filter(slug=slug).only(*_APPLY_RULE_FIELDS).first(), without building the query.

    Compiling that ORM query cost a submission more CPU (about 1.2 ms) than the database
    round trip itself; the statement is the same every time, so it is written once per
    database (from the model's own columns and converters) and only executed here.

    On an opening surge every submission reads the same row, so a process reuses what it
    read for RULES_REUSE_SECONDS (each submission still gets its own Session object).
    Nothing that decides a place rests on that copy: the applying statement takes the
    place against the row's own capacity and count, and the state is computed from the
    copy's dates at the request's own time. An office edit reaches every process within
    that second; in the process that saved it, at once (sessions_saved below).
    """
    alias = connection.alias
    query = _session_rules_query(alias)
    key = (alias, slug)
    now = time.monotonic()
    read = _rules_read.get(key)
    if read is not None and now - read[0] < RULES_REUSE_SECONDS:
        return Session.from_db(alias, query.attnames, list(read[1]))
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [slug])
        row = cursor.fetchone()
    if row is None:
        _rules_read.pop(key, None)
        return None
    values = list(row)
    for index, converters, expression in query.converters:
        for converter in converters:
            values[index] = converter(values[index], expression, connection)
    _rules_read[key] = (now, values)
    return Session.from_db(alias, query.attnames, list(values))


@receiver([post_save, post_delete], sender=Session, dispatch_uid="registrations.selectors.sessions_saved")
def sessions_saved(**kwargs) -> None:
    """Forget the rules read of every session when one is saved or deleted in this process."""
    _rules_read.clear()


class _RulesQuery(NamedTuple):
    sql: str
    attnames: list[str]
    converters: list[tuple[int, list, object]]


@functools.cache
def _session_rules_query(alias: str) -> _RulesQuery:
    database = connections[alias]
    quote = database.ops.quote_name
    table = Session._meta.db_table
    # In the model's field order: Model.from_db defers the others by position.
    fields = [field for field in Session._meta.concrete_fields if field.name in _APPLY_RULE_FIELDS]
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        found = database.ops.get_db_converters(column) + field.get_db_converters(database)
        if found:
            converters.append((index, found, column))
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {quote(table)} WHERE {quote('slug')} = %s"  # noqa: S608 - names only
    return _RulesQuery(sql, [field.attname for field in fields], converters)


def waitlist_position(application: Application) -> int | None:
    """Return the application's place in its session's waiting list (1 = next), or None if not waiting."""
    if application.status != ApplicationStatus.WAITLISTED:
        return None
    ahead = Application.objects.filter(
        Q(created_at__lt=application.created_at) | Q(created_at=application.created_at, pk__lt=application.pk),
        session_id=application.session_id,
        status=ApplicationStatus.WAITLISTED,
    )
    return ahead.count() + 1


# --- the applicant's private manage link ---


def manage_token(application: Application) -> str:
    """Return the token of the application's manage link: its random secret, signed."""
    return signing.Signer(salt=MANAGE_LINK_SALT).sign(application.manage_secret)


def manage_url(application: Application) -> str:
    """Return the path of the application's manage link."""
    return reverse("registrations:manage", kwargs={"token": manage_token(application)})


def manage_link_expires_at(application: Application) -> dt.datetime:
    """Return when the manage link stops working: when the personal data is erased.

    That is PERSONAL_DATA_RETENTION_DAYS after the session ends (the privacy notice says so).
    """
    return application.session.ends_at + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


class ManageLinkExpired(Exception):
    """The link was genuine but its time is over."""


def application_for_token(token: str, *, now: dt.datetime | None = None) -> Application | None:
    """Return the application behind a manage-link token, or None if the token is not genuine.

    Raise ManageLinkExpired when the token is genuine but the link has expired or
    the application's personal data has been erased.
    """
    try:
        secret = signing.Signer(salt=MANAGE_LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    application = (
        Application.objects.select_related("session", "session__series").filter(manage_secret=secret).first()
    )
    if application is None:
        return None
    now = now or timezone.now()
    if application.personal_data_erased_at is not None or now >= manage_link_expires_at(application):
        raise ManageLinkExpired
    return application
