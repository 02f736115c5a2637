"""The office's changes: notes, announcements, the lottery draw. Each owns its change, in one transaction."""
import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.services import outbox_queue_on_commit
from registrations.enums import ApplicationStatus, MailKind
from registrations.lottery import DrawRefused, session_allocate_by_draw
from registrations.models import Application
from registrations.notifications import application_notify, draw_result_wave, mail_render
from seminars.models import Session

from .models import Announcement, Draw, LetterSent, Note, PostalContact
from .selectors import LARGE_AUDIENCE, audience_applications


class AnnouncementRefused(Exception):
    """The announcement cannot go (yet); `message` is for the office. Codes: "sent", "large", "empty"."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


# --- notes ---


def note_add(*, application: Application, text: str, by, now: dt.datetime | None = None) -> Note:
    """Write a private note of the office on the application; return it."""
    return Note.objects.create(
        application=application, text=text.strip(), written_by=by, written_at=now or timezone.now()
    )


def notes_erase(sender=None, *, application_ids, **kwargs) -> int:
    """Delete the office's notes on these applications (answers registrations.signals.personal_data_erased)."""
    deleted, _per_model = Note.objects.filter(application_id__in=application_ids).delete()
    return deleted


# --- post and FAX, for applicants without an email address ---


def postal_contact_save(
    *, application: Application, postal_code: str = "", postal_address: str = "", fax: str = ""
) -> PostalContact | None:
    """Record how to reach the applicant by post or FAX (the office's entry); None when nothing was given."""
    values = {"postal_code": postal_code.strip(), "postal_address": postal_address.strip(), "fax": fax.strip()}
    if not any(values.values()):
        return None
    contact, _created = PostalContact.objects.update_or_create(application=application, defaults=values)
    return contact


def postal_contacts_erase(sender=None, *, application_ids, **kwargs) -> int:
    """Delete the postal and FAX contacts of these applications (answers registrations.signals.personal_data_erased)."""
    deleted, _per_model = PostalContact.objects.filter(application_id__in=application_ids).delete()
    return deleted


def letter_mark_sent(
    *, application: Application, kind: str, key: str, how: str, by, now: dt.datetime | None = None
) -> LetterSent:
    """Record that the letter (application, kind, key) went by post or FAX; marking it twice keeps the first."""
    letter, _created = LetterSent.objects.get_or_create(
        application=application, kind=kind, key=key,
        defaults={"how": how, "sent_by": by, "sent_at": now or timezone.now()},
    )
    return letter


# --- announcements ---


def _announcement_data(announcement: Announcement, language: str) -> dict:
    subject, body = announcement.subject_and_body(language)
    return {"announcement": announcement.pk, "subject": subject, "body": body}


def announcement_draft(
    *, session: Session, subject_ja: str, body_ja: str, subject_en: str, body_en: str, by,
    now: dt.datetime | None = None,
) -> Announcement:
    """Write an unsent announcement to the session's confirmed applicants (e.g. from a news item); return it.

    Nothing goes out: the office reads its preview and sends it (announcement_send).
    """
    return Announcement.objects.create(
        session=session, subject_ja=subject_ja, body_ja=body_ja, subject_en=subject_en or subject_ja,
        body_en=body_en or body_ja, created_by=by, created_at=now or timezone.now(),
    )


def announcement_preview(announcement: Announcement, *, now: dt.datetime | None = None) -> list[dict]:
    """Return the announcement rendered for the first recipient in each language (not saved), for the office to read.

    Each item: the recipient's application, its language, and the mail's subject and text.
    """
    now = now or timezone.now()
    previews = []
    recipients = audience_applications(announcement.session, announcement.audience).select_related("session__series")
    for language in ("ja", "en"):
        application = recipients.filter(language=language).first()
        if application is not None:
            rendered = mail_render(application, MailKind.ANNOUNCEMENT, data=_announcement_data(announcement, language),
                                   now=now)
            previews.append({"application": application, "language": language, **rendered})
    return previews


def announcement_send(
    *, announcement: Announcement, by, large_confirmed: bool = False, now: dt.datetime | None = None
) -> int:
    """Send the announcement to its audience, each recipient once, in their language; return how many mails were added.

    More than LARGE_AUDIENCE recipients need `large_confirmed`. Sending twice adds
    nothing: the announcement is locked and marked sent, and each mail's outbox key is
    (application, announcement), so not even two presses at once can add a mail twice.

    Side effects, in one transaction: one "announcement" outbox row per recipient;
    the announcement's sent_at, sent_by and number of recipients.

    Raise AnnouncementRefused with code "sent", "empty" or "large".
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().select_related("session__series").get(pk=announcement.pk)
        if locked.sent_at is not None:
            raise AnnouncementRefused("sent", _("This announcement has already been sent; nothing was sent again."))
        recipients = list(audience_applications(locked.session, locked.audience).select_related("session__series"))
        if not recipients:
            raise AnnouncementRefused("empty", _("Nobody is in this audience; nothing was sent."))
        if len(recipients) > LARGE_AUDIENCE and not large_confirmed:
            raise AnnouncementRefused("large", _(
                "This announcement goes to %(count)d people: tick the box to confirm that it should."
            ) % {"count": len(recipients)})
        added = 0
        for application in recipients:
            row = application_notify(
                application, MailKind.ANNOUNCEMENT, key=str(locked.pk), now=now, queue=False,
                data=_announcement_data(locked, application.language),
            )
            added += row is not None
        locked.sent_at, locked.sent_by, locked.recipients = now, by, len(recipients)
        locked.save(update_fields=["sent_at", "sent_by", "recipients"])
        outbox_queue_on_commit()
    for name in ("sent_at", "sent_by", "recipients"):
        setattr(announcement, name, getattr(locked, name))
    return added


# --- the lottery ---


def draw_run(*, session: Session, by, seed: str = "", now: dt.datetime | None = None) -> Draw:
    """Run the session's draw once and record it (seed, drawn order, who ran it, counts); return the draw.

    Nobody is told yet: the office looks at the result, then sends the results mail
    (draw_results_send). See registrations.lottery for the rules of the draw.

    Raise DrawRefused with code "done" (the draw has run), or those of
    registrations.lottery.session_allocate_by_draw.
    """
    now = now or timezone.now()
    seed = seed or secrets.token_hex(16)
    try:
        with transaction.atomic():
            # The row first: a second run, even at the same moment, stops at its unique session.
            draw = Draw.objects.create(session=session, seed=seed, run_by=by, run_at=now)
            results = session_allocate_by_draw(session=session, seed=seed, by=by, now=now)
            draw.order = list(results)
            statuses = list(results.values())
            draw.confirmed = statuses.count(ApplicationStatus.CONFIRMED)
            draw.waitlisted = statuses.count(ApplicationStatus.WAITLISTED)
            draw.not_drawn = statuses.count(ApplicationStatus.NOT_DRAWN)
            draw.save(update_fields=["order", "confirmed", "waitlisted", "not_drawn"])
    except IntegrityError as exc:
        raise DrawRefused("done", _("The draw of this session has already been run.")) from exc
    return draw


def draw_results_send(*, draw: Draw, by, now: dt.datetime | None = None) -> int:
    """Add the result mail of the draw for each application drawn, once each; return how many were added.

    Side effects, in one transaction: the mails (registrations.notifications.draw_result_wave,
    with the joining details for those confirmed) and, the first time, who sent them and when.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Draw.objects.select_for_update().select_related("session__series").get(pk=draw.pk)
        added = draw_result_wave(locked.session, now=now)
        if locked.results_sent_at is None:
            locked.results_sent_at, locked.results_sent_by = now, by
            locked.save(update_fields=["results_sent_at", "results_sent_by"])
    draw.results_sent_at, draw.results_sent_by = locked.results_sent_at, locked.results_sent_by
    return added
