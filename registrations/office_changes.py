"""The office's changes to an application: moving it to another session, correcting its details,
sending one of its mails again, and publishing a session's archive with its mail.

Each public function is the only place its change happens (the office's admin calls them); each runs
in one transaction with its audit entry and mail, as the applicant's own changes in
registrations.services do, whose places, waiting list and one-per-address rule they share.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from outbox.models import Message
from seminars.models import Session
from seminars.services import session_publish_archive

from .enums import ApplicationStatus, MailKind
from .models import Application, AuditEntry
from .notifications import (
    application_mail_send_again,
    application_mail_skip,
    application_notify,
    archive_mail_wave,
    confirmation_if_window_closed,
    session_key,
)
from .selectors import attendance_options
from .services import (
    APPLICANT_FIELDS,
    _active_applications_of_email,
    _address_as_sent,
    _place_free,
    _place_lost_on_commit,
    _place_take,
    _waitlist_promote,
)
from .status import ApplicationRefused, application_status_change, transition_check

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
    (see `_waitlist_promote`). After commit `application_place_lost` is sent for
    the old session (a personal webinar link belongs to the old session's webinar).

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
        transition_check(locked, ApplicationStatus.CONFIRMED, same_allowed=True)
        sessions = {s.pk: s for s in Session.objects.select_for_update().filter(pk__in=[old.pk, to_session.pk])
                    .order_by("pk")}
        old, target = sessions[old.pk], sessions[to_session.pk]
        if now >= old.starts_at:
            raise ApplicationRefused("held", _("The session has started; the application can no longer be moved."))
        if now >= target.starts_at:
            raise ApplicationRefused(
                "held", _("%(session)s has already started; nobody can be moved into it.") % {"session": target}
            )
        if _active_applications_of_email(target.pk, locked.email).exists():
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
        application_status_change(
            locked, to=ApplicationStatus.CONFIRMED, same_allowed=True, now=now, action="move", by=by,
            actor_label=by.get_username(), reason=reason, fields={"session": target},
            changes={"session": [old.pk, target.pk], "session_label": [str(old), str(target)]},
            mail=MailKind.CHANGE, mail_key_per_change=True,
            mail_data={"previous_session_id": old.pk, "fields": _field_labels(["session"], locked.language)},
        )
        application_mail_skip(locked, key=session_key(old))
        confirmation_if_window_closed(locked, now=now)
        promoted = None
        if held_place:
            _place_free(old.pk)
            promoted = _waitlist_promote(old, now=now)
        _place_lost_on_commit(locked, old)
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
            if name == "email":
                value = _address_as_sent(value)
            if value != getattr(locked, name):
                changes[name] = [getattr(locked, name), value]
                setattr(locked, name, value)
        if not changes:
            return []
        if "attendance" in changes and locked.attendance not in attendance_options(locked.session):
            raise ApplicationRefused("attendance", _("Please choose a way of attending that this session offers."))
        if "email" in changes and _active_applications_of_email(locked.session_id, locked.email).exclude(
            pk=locked.pk
        ).exists():
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
            application_notify(
                locked, MailKind.CHANGE, key=str(entry.pk), now=now,
                data={"fields": _field_labels(changes, locked.language)},
            )
    for name in changes:
        setattr(application, name, getattr(locked, name))
    return list(changes)


def application_mail_resend(
    *, message: Message, by, reason: str = "", now: dt.datetime | None = None
) -> Message:
    """Send a mail of an application again on the office's behalf; return the new mail row.

    Side effects, in one transaction: a new mail row linked to `message` and
    rendered afresh for the application as it is now (the original row is untouched),
    and an audit entry on the application naming the mail.

    Raise ApplicationRefused with code "erased" (no address to send to).
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("session__series").get(
            pk=message.object_id
        )
        if application.personal_data_erased_at is not None:
            raise ApplicationRefused("erased", _("This application's personal data has been erased."))
        row = application_mail_send_again(message, application, now=now)
        AuditEntry.objects.create(
            application=application, at=now, actor=by, actor_label=by.get_username(), action="resend",
            reason=reason, changes={"mail": message.kind, "resend_of": message.pk, "new_mail": row.pk},
        )
    return row


# --- the session's archive, with its mail ---


@transaction.atomic
def session_publish_archive_with_mail(*, session: Session, by, now: dt.datetime | None = None) -> Session:
    """Publish the session's archive (seminars.services.session_publish_archive) and add its mail at once.

    Side effects, in one transaction: those of session_publish_archive, and one
    archive-video mail per confirmed application (notifications.archive_mail_wave;
    beat's wave would add them within a minute anyway, and adds nothing twice).
    Raise seminars.services.ArchiveRefused as session_publish_archive does.
    """
    now = now or timezone.now()
    session = session_publish_archive(session=session, by=by, now=now)
    archive_mail_wave(session, now=now)
    return session
