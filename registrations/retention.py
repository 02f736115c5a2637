"""Erasing applicants' personal data a set number of days after their session.

The application row stays, with what the statistics need: session, status, dates,
reference, industry, organisation size, prefecture, attendance, language and the
record of consent. What identifies a person goes: name and reading, email,
organisation, department, position, phone, the question, the cancellation reason,
the values of those fields in the audit trail, the addresses and texts of the
mail that went out (they carry names and joining links), the names Django's
admin log copied when the office changed an application, and the rows of the
session's attendee reports that matched nobody (addresses and names), and the
manage secret behind the private links. The reference stays: a random code that
names no one, by which the office's records still count the application. The
attendance records themselves (attended or absent, minutes) stay. Apps that keep
something about applicants hear of each erased batch (signals.personal_data_erased),
with the values the person may have repeated in free text they keep.
"""
import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from outbox.services import messages_about, outbox_erase

from .models import Application, AttendanceImport, AuditEntry
from .redaction import REDACTED_FIELDS
from .references import reference_display
from .signals import personal_data_erased

logger = logging.getLogger(__name__)

# Blanked on erasure. `email` gets a unique placeholder instead (see below).
PERSONAL_FIELDS = (
    "name",
    "name_reading",
    "organisation",
    "department",
    "position",
    "phone",
    "question",
    "cancel_reason",
)
# The field names whose old/new values audit entries may record.
AUDITED_PERSONAL_FIELDS = {*PERSONAL_FIELDS, "email"}
ERASED = "[erased]"
# Stored on mail rows that were still waiting: kept as data, in the office's working language.
NOT_SENT = "Not sent: the personal data was erased first."
BATCH_SIZE = 500


def erasure_cutoff(*, now: dt.datetime) -> dt.datetime:
    """Return the end time at or before which a session's applicants are erased at `now`."""
    return now - dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def applications_due_for_erasure(*, now: dt.datetime | None = None):
    """Return the applications whose personal data is due for erasure at `now` and not yet erased.

    Due means: PERSONAL_DATA_RETENTION_DAYS or more have passed since the session ended,
    whatever the application's status.
    """
    now = now or timezone.now()
    return Application.objects.filter(
        personal_data_erased_at__isnull=True, session__ends_at__lte=erasure_cutoff(now=now)
    )


def applications_erase_personal_data(*, now: dt.datetime | None = None) -> int:
    """Erase the personal data of every application due at `now`; return how many were erased.

    Side effects, per batch in one transaction:
    - the personal fields are blanked; the email becomes `erased-<id>@erased.invalid`
      (unique, so the one-active-application-per-email constraint still holds, and
      undeliverable: .invalid is reserved);
    - `personal_data_erased_at` is set to `now`; the manage secret is replaced, so old manage,
      questionnaire and certificate links answer "gone";
    - the application's mail rows lose recipient, subject, bodies, attachments and error
      text; rows still waiting to be sent are marked skipped, as they can no longer go;
    - audit entries lose their reason and the values of personal fields;
    - Django's admin log entries about the application show its reference alone, without
      the change message (entries written before __str__ was the reference named the person);
    - one audit entry "personal_data_erased" by "system".

    Idempotent: erased applications are never selected again. Rows locked by another
    transaction (an office user editing) are skipped and erased on the next run.
    """
    now = now or timezone.now()
    erased = 0
    while True:
        with transaction.atomic():
            ids = list(
                applications_due_for_erasure(now=now)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[:BATCH_SIZE]
            )
            if not ids:
                break
            _erase_batch(ids, now=now)
        erased += len(ids)
    # Also for a session without applications: its reports' unmatched rows name people all the same.
    reports = AttendanceImport.objects.filter(session__ends_at__lte=erasure_cutoff(now=now)).exclude(unmatched=[])
    reports.update(unmatched=[])
    if erased:
        logger.info("Erased the personal data of %d applications", erased)
    return erased


def _personal_values(ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Return {application id: {field: [values]}} of the fields a person may repeat in free text
    (redaction.REDACTED_FIELDS): each value the application holds, and each earlier one its audit trail recorded."""
    values = {pk: {field: [] for field in REDACTED_FIELDS} for pk in ids}
    for row in Application.objects.filter(pk__in=ids).values("pk", *REDACTED_FIELDS):
        for field in REDACTED_FIELDS:
            values[row["pk"]][field].append(row[field])
    for application_id, changes in AuditEntry.objects.filter(application_id__in=ids).values_list(
        "application_id", "changes"
    ):
        for field in REDACTED_FIELDS:
            change = changes.get(field) if isinstance(changes, dict) else None
            for value in change if isinstance(change, list) else [change]:
                if isinstance(value, str) and value:
                    values[application_id][field].append(value)
    return values


def _erase_batch(ids: list[int], *, now: dt.datetime) -> None:
    # Read before they go: the questionnaires app redacts them from the anonymous answers it keeps.
    personal_values = _personal_values(ids)
    Application.objects.filter(pk__in=ids).update(
        **{field: "" for field in PERSONAL_FIELDS},
        email=Concat(Value("erased-"), Cast("pk", CharField()), Value("@erased.invalid")),
        # An old manage link (and the questionnaire and certificate links made from it) finds nothing
        # and answers "gone" (selectors.application_for_token); unique, as the column must be.
        manage_secret=Concat(Value("erased-"), Cast("pk", CharField())),
        personal_data_erased_at=now,
        updated_at=now,
    )
    outbox_erase(messages_about(Application.objects.filter(pk__in=ids)), reason=NOT_SENT)
    references = dict(Application.objects.filter(pk__in=ids).values_list("pk", "reference"))
    log = list(LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id__in=[str(pk) for pk in ids]
    ))
    for entry in log:
        entry.object_repr = reference_display(references.get(int(entry.object_id), ""))
        entry.change_message = ""
    LogEntry.objects.bulk_update(log, ["object_repr", "change_message"])
    entries = list(AuditEntry.objects.filter(application_id__in=ids))
    for entry in entries:
        entry.reason = ""
        entry.changes = _without_personal_values(entry.changes)
    AuditEntry.objects.bulk_update(entries, ["reason", "changes"])
    AuditEntry.objects.bulk_create(
        AuditEntry(application_id=pk, at=now, actor_label="system", action="personal_data_erased") for pk in ids
    )
    # Other apps (questionnaire responses) let go of these people in the same transaction.
    personal_data_erased.send(sender=Application, application_ids=ids, now=now, personal_values=personal_values)


def _without_personal_values(value):
    """Return a copy of an audit `changes` value with the values of personal fields replaced."""
    if isinstance(value, dict):
        return {
            key: ERASED if key in AUDITED_PERSONAL_FIELDS else _without_personal_values(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_personal_values(item) for item in value]
    return value


@shared_task(name="registrations.erase_personal_data", acks_late=True)
def erase_personal_data() -> int:
    """Erase the personal data now due (daily, from beat)."""
    return applications_erase_personal_data()
