"""The one function that changes an application's status, and the refusal every state change raises.

Every caller that changes a status (cancelling, promotion from the waiting list, the office's
move, the lottery's draw) goes through `application_status_change`: it checks the move against
APPLICATION_TRANSITIONS (registrations/enums.py), saves the status with the fields that change
with it, writes the audit entry and queues the mail, so no status can change without the rule,
the audit trail and the applicant hearing of it. Applying creates an application with its first
status (services.application_create); that is not a change.
"""
import datetime as dt

from django.utils.translation import gettext_lazy as _

from .enums import APPLICATION_TRANSITIONS, ApplicationStatus
from .models import Application, AuditEntry
from .notifications import application_notify


class ApplicationRefused(Exception):
    """A rule of applying or of a state change refused the request; `message` is for the person.

    Codes: "upcoming", "closed", "full", "duplicate", "consent", "attendance" (apply);
    "cancelled", "held" (cancel); "transition" (a status change APPLICATION_TRANSITIONS does not allow).
    The office's changes add "same", "erased" (move, update, resend) and reuse the others.
    """

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


def transition_check(application: Application, to: str, *, same_allowed: bool = False) -> None:
    """Raise ApplicationRefused("transition") unless APPLICATION_TRANSITIONS lets the application become `to`.

    `same_allowed`: keeping the status it has is allowed too (an office move of a confirmed
    application stays confirmed in the other session).
    """
    current = ApplicationStatus(application.status)
    if same_allowed and current == to:
        return
    if to not in APPLICATION_TRANSITIONS[current]:
        raise ApplicationRefused(
            "transition",
            _("An application that is “%(current)s” cannot become “%(new)s”; nothing was changed.")
            % {"current": current.label, "new": ApplicationStatus(to).label},
        )


def application_status_change(
    application: Application,
    *,
    to: str,
    now: dt.datetime,
    action: str,
    actor_label: str,
    by=None,
    reason: str = "",
    fields: dict | None = None,
    changes: dict | None = None,
    mail: str = "",
    mail_data: dict | None = None,
    mail_key_per_change: bool = False,
    same_allowed: bool = False,
) -> AuditEntry:
    """Give the application the status `to`; return the audit entry written.

    Call inside the caller's transaction, with the application's row locked (select_for_update):
    the caller owns the other rows the change touches (places, the waiting list).
    `fields` are other fields of the application that change with the status (e.g. cancelled_at),
    saved in the same UPDATE; `changes` is added to the audit entry beside the status's before and
    after; `mail` is the kind of mail the applicant gets (none when empty), with `mail_data`, keyed
    by the audit entry when `mail_key_per_change` (a change that may happen more than once).

    Raise ApplicationRefused with code "transition" when APPLICATION_TRANSITIONS does not allow
    the move (see transition_check).
    """
    transition_check(application, to, same_allowed=same_allowed)
    previous = application.status
    application.status = to
    application.updated_at = now
    for name, value in (fields or {}).items():
        setattr(application, name, value)
    application.save(update_fields=["status", "updated_at", *(fields or {})])
    audit_changes = dict(changes or {})
    if previous != to:
        audit_changes["status"] = [previous, to]
    entry = AuditEntry.objects.create(
        application=application, at=now, actor=by, actor_label=actor_label, action=action, reason=reason,
        changes=audit_changes,
    )
    if mail:
        application_notify(
            application, mail, key=str(entry.pk) if mail_key_per_change else "", data=mail_data, now=now,
        )
    return entry
