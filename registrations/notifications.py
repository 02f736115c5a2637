"""Which mail an application gets, what it says, and the waves that send per-session mail.

`application_notify` renders one mail (subject, text and HTML, in the applicant's
language) and adds it to the outbox (outbox.services.outbox_add) under a key made
of the application, the kind and an optional `key`, so each mail is added once.
The waves (confirmation at window close, reminder the day before, archive video)
are services here too; beat runs `mail_waves_open` every minute, and the keys
make each of them idempotent.
"""
import datetime as dt
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from outbox.models import Message
from outbox.services import outbox_add, outbox_queue_on_commit, outbox_resend, outbox_skip
from seminars.calendar import session_calendar
from seminars.enums import Allocation, ArchiveAccess
from seminars.formatting import format_day, format_span
from seminars.models import TOKYO, Session

from .enums import ApplicationStatus, AttendanceStatus, MailKind
from .joining_links import personal_joining_urls, personal_links_awaited_until
from .models import Application, AttendanceRecord
from .references import reference_display
from .selectors import manage_token, manage_url

# Reminders go out from this time (Japan time) on the day before the session, not at midnight.
REMINDER_TIME = dt.time(10, 0)
# Beat stops looking at an archive for mail this long after it was published.
ARCHIVE_WAVE_DAYS = 30
# Mail that only makes sense while the application holds a place: skipped when it loses it.
FOR_CONFIRMED_ONLY = (MailKind.CONFIRMATION, MailKind.REMINDER, MailKind.ARCHIVE, MailKind.PROMOTION)


def mail_key(application: Application, kind: str, key: str = "") -> str:
    """Return the outbox key of one mail of an application: one row per (application, kind, key)."""
    return f"application:{application.pk}:{kind}" + (f":{key}" if key else "")


def session_key(session: Session) -> str:
    """Return the `key` of per-session mail (confirmation, reminder, archive).

    Keyed by session so an application the office moves to another session gets
    that session's confirmation too, while a wave that runs twice adds nothing.
    """
    return f"session:{session.pk}"


def application_notify(
    application: Application,
    kind: str,
    *,
    key: str = "",
    data: dict | None = None,
    now: dt.datetime | None = None,
    queue: bool = True,
    calendars: dict | None = None,
) -> Message | None:
    """Render one mail of `kind` for the application and add it to the outbox; None if it was added before
    or the application has no email address.

    Call inside the transaction of the event that causes it. `data` is what the
    template needs beyond the application (e.g. the fields that changed);
    `calendars` caches the .ics per session and language across a wave.
    """
    if not application.email:
        return None  # entered by the office for someone without an address: the office tells them itself
    now = now or timezone.now()
    rendered = mail_render(application, kind, data=data or {}, now=now, calendars=calendars)
    return outbox_add(
        key=mail_key(application, kind, key), kind=kind, about=application, to=application.email,
        reply_to=application.session.series.contact_email, data=data or {}, now=now, queue=queue, **rendered,
    )


def receipts_write(*, now: dt.datetime | None = None, batch_size: int = 100) -> int:
    """Write the receipt of every application marked `receipt_due` into the outbox; return how many were written.

    Applying only marks the application (services.application_create), so the
    applicant's request neither renders mail nor talks to the broker; beat runs this
    every 2 seconds (task registrations.write_receipts), and nothing is lost while the
    broker or the worker is away: the marks wait in the database.
    Each receipt says the application's status when it is written, in the applicant's
    language. One that was cancelled or erased in the meantime gets none: the
    cancellation notice says what happened. Rows are locked with skip_locked, so two
    workers never write the same receipt (and its outbox key would refuse a second).
    """
    written = 0
    while True:
        with transaction.atomic():
            batch = list(
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("session__series")
                .filter(receipt_due=True)
                .order_by("pk")[:batch_size]
            )
            added = [
                application_notify(
                    application, MailKind.RECEIPT, data={"status": application.status}, now=now, queue=False
                )
                for application in batch
                if application.is_active
            ]
            Application.objects.filter(pk__in=[application.pk for application in batch]).update(receipt_due=False)
            if any(added):
                outbox_queue_on_commit()
        written += sum(row is not None for row in added)
        if len(batch) < batch_size:
            return written


def application_mail_send_again(message: Message, application: Application, *, now: dt.datetime | None = None):
    """Add the mail `message` again, rendered afresh for the application as it is now (e.g. a new address)."""
    now = now or timezone.now()
    rendered = mail_render(application, message.kind, data=message.data, now=now, resend=True)
    return outbox_resend(message, now=now, to=application.email, **rendered)


def mail_render(
    application: Application, kind: str, *, data: dict, now: dt.datetime, resend: bool = False,
    calendars: dict | None = None,
) -> dict:
    """Return the mail's subject, bodies and attachments, in the applicant's language."""
    with translation.override(application.language):
        link = personal_joining_urls(application.session, [application]).get(application.pk, "")
        context = _context(application, kind, data=data, now=now, resend=resend, personal_link=link)
        subject = re.sub(r"\s+", " ", render_to_string(f"mail/{kind}.subject.txt", context)).strip()[:300]
        context["message"] = {"subject": subject}
        text = re.sub(r"\n{3,}", "\n\n", render_to_string(f"mail/{kind}.txt", context)).strip() + "\n"
        html = render_to_string(f"mail/{kind}.html", context)
        attachments = []
        if kind == MailKind.CONFIRMATION:
            attachments.append(_calendar(application, calendars, personal_link=link))
    return {"subject": subject, "body_text": text, "body_html": html, "attachments": attachments}


def _calendar(application: Application, calendars: dict | None, *, personal_link: str) -> dict:
    session, language = application.session, application.language
    # A personal joining link makes the file the applicant's own: cached per link, never shared.
    cache_key = (session.pk, language, personal_link)
    cache = calendars if calendars is not None else {}
    if cache_key not in cache:
        cache[cache_key] = {
            "filename": f"{session.slug}.ics",
            "mimetype": "text/calendar",
            "content": session_calendar(session, private=True, joining_url=personal_link).decode(),
        }
    return cache[cache_key]


# --- personal webinar links (an integration, the zoom app, issues them: registrations.joining_links) ---


def _confirmations_wait(session: Session, now: dt.datetime) -> bool:
    """Whether confirmations of the session wait for the personal link (before the fallback time, or no shared link)."""
    until = personal_links_awaited_until(session)
    return until is not None and (now < until or not session.joining_url)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _context(
    application: Application, kind: str, *, data: dict, now: dt.datetime, resend: bool, personal_link: str
) -> dict:
    session = application.session
    language = application.language
    context = {
        "kind": kind,
        "data": data,
        "application": application,
        "reference": reference_display(application.reference),
        "session": session,
        "series": session.series,
        "contact_email": session.series.contact_email,
        "when": format_span(session.starts_at, session.ends_at, language),
        "closes_on": format_day(session.applications_close_on, language),
        "session_url": _site_url(session.get_absolute_url()),
        "calendar_url": _site_url(reverse("session_ics", kwargs={"slug": session.slug})),
        "manage_url": _site_url(manage_url(application)),
        # The applicant's personal webinar link (a credential: theirs alone), else the session's shared link.
        "joining_url": personal_link or session.joining_url,
        "personal_link": bool(personal_link),
        "window_closed": now >= session.applications_close_at,
        "is_resend": resend,
        # Someone without an address gets this text as a letter by post or FAX (office/letters.py).
        "by_post": not application.email,
    }
    if kind == MailKind.ARCHIVE:
        # An archive for applicants only plays on their own page (the manage link), not on the public one.
        context["applicants_only"] = session.archive_access == ArchiveAccess.APPLICANTS
        context["archive_url"] = context["manage_url"] if context["applicants_only"] else context["session_url"]
        context["materials"] = list(session.materials.all())
        # Worded for those recorded absent: they missed the day, the archive is their way to catch up.
        context["absent"] = AttendanceRecord.objects.filter(
            application_id=application.pk, status=AttendanceStatus.ABSENT
        ).exists()
    if kind == MailKind.FOLLOW_UP:
        # By URL name: the certificates and questionnaires apps sit above this one.
        context["certificate_url"] = _site_url(
            reverse("certificates:session", kwargs={"token": manage_token(application)})
        )
        # Only when the office's follow-up wave says the session has a questionnaire open or opening.
        if data.get("questionnaire"):
            context["questionnaire_url"] = _site_url(
                reverse("questionnaires:answer", kwargs={"token": manage_token(application)})
            )
    if kind == MailKind.CHANGE and data.get("previous_session_id"):
        previous = Session.objects.filter(pk=data["previous_session_id"]).first()
        if previous is not None:
            context["previous_session"] = previous
            context["previous_when"] = format_span(previous.starts_at, previous.ends_at, language)
    return context


def confirmation_preview_render(session: Session) -> dict:
    """Return the confirmation of a made-up applicant of the session, rendered as it will be sent (not saved)."""
    # Dated after the application period closes, as the real confirmation is.
    return mail_preview_render(session, MailKind.CONFIRMATION, now=max(timezone.now(), session.applications_close_at))


def mail_preview_render(
    session: Session, kind: str, *, data: dict | None = None, now: dt.datetime | None = None
) -> dict:
    """Return the mail `kind` of a made-up applicant of the session, in the office's language (not saved).

    `data` is what the real mail would carry (e.g. {"questionnaire": True} for the follow-up).
    """
    language = translation.get_language()
    language = language if language in ("ja", "en") else "ja"
    now = now or timezone.now()
    with translation.override(language):
        applicant = Application(
            session=session,
            reference="PREVIEW0",
            manage_secret="preview-only",  # noqa: S106 - a placeholder; the preview's manage link leads nowhere
            status=ApplicationStatus.CONFIRMED,
            name=gettext("(applicant's name)"),
            email="applicant@example.org",
            organisation=gettext("(organisation)"),
            language=language,
            created_at=now,
        )
    return mail_render(applicant, kind, data=data or {}, now=now)


def application_mail(application: Application):
    """Return the application's outbox rows, oldest first."""
    content_type = ContentType.objects.get_for_model(Application)
    return Message.objects.filter(content_type=content_type, object_id=application.pk).order_by("created_at", "pk")


def application_mail_skip(application: Application, *, kinds=FOR_CONFIRMED_ONLY, key: str = "") -> int:
    """Mark the application's waiting mail of these kinds (and `key`, if given) as no longer to be sent."""
    rows = application_mail(application).filter(kind__in=kinds)
    if key:
        rows = rows.filter(key__endswith=f":{key}")
    return outbox_skip(rows, reason="Not sent: the application no longer holds this place.")


# --- waves ---


def _per_session_wave(session: Session, kind: str, applications, now: dt.datetime, *, data: dict | None = None) -> int:
    key = session_key(session)
    content_type = ContentType.objects.get_for_model(Application)
    has_mail = Message.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), kind=kind, key__endswith=f":{key}"
    )
    # Without an address there is nothing to send (the office tells those people itself).
    pending = applications.filter(~Exists(has_mail)).exclude(email="").select_related("session__series").order_by("pk")
    added, calendars = 0, {}
    with transaction.atomic():
        for application in pending:
            application.session = session  # the caller's instance: not fetched again per row
            if application_notify(application, kind, key=key, data=data, now=now, queue=False, calendars=calendars):
                added += 1
        if added:
            outbox_queue_on_commit()
    return added


def _confirmed(session: Session):
    return Application.objects.filter(
        session=session, status=ApplicationStatus.CONFIRMED, personal_data_erased_at__isnull=True
    )


def _told_of_draw(session: Session, applications):
    """Leave out, in a lottery session, applications drawn whose result mail the office has not yet sent.

    The office looks at the draw's result before anyone hears of it (draw_result_wave).
    """
    if session.allocation != Allocation.LOTTERY:
        return applications
    told = Message.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk"),
        kind=MailKind.DRAW_RESULT,
    )
    return applications.exclude(Q(draw_position__isnull=False) & ~Exists(told))


def draw_result_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add the result mail of the session's draw for each application drawn that still stands; once each.

    The mail says the application's status now (confirmed, on the waiting list, not
    drawn); those confirmed get their confirmation with the joining details at once
    (confirmation_if_window_closed). Return how many result mails were added;
    pressing again adds none.
    """
    now = now or timezone.now()
    drawn = Application.objects.filter(
        session=session, personal_data_erased_at__isnull=True, draw_position__isnull=False,
        status__in=[ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED, ApplicationStatus.NOT_DRAWN],
    ).select_related("session__series").order_by("pk")
    added = 0
    with transaction.atomic():
        for application in drawn:
            application.session = session
            row = application_notify(
                application, MailKind.DRAW_RESULT, data={"status": application.status}, now=now, queue=False
            )
            if row is not None:
                added += 1
                confirmation_if_window_closed(application, now=now)
        if added:
            outbox_queue_on_commit()
    return added


def confirmation_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add a confirmation (joining details, .ics) for every confirmed application once the window has closed.

    Return how many rows were added; none before the window closes or after the session ended.
    When the session uses personal links, an application's confirmation waits for
    its link until the integration's fallback time (registrations.joining_links),
    then goes with the shared link if the session has one.
    """
    now = now or timezone.now()
    if not (session.applications_close_at <= now < session.ends_at):
        return 0
    applications = _told_of_draw(session, _confirmed(session))
    if _confirmations_wait(session, now):
        linked = personal_joining_urls(session, applications.only("pk", "session_id", "status"))
        applications = applications.filter(pk__in=list(linked))
    return _per_session_wave(session, MailKind.CONFIRMATION, applications, now)


def confirmation_if_window_closed(application: Application, *, now: dt.datetime | None = None) -> Message | None:
    """Add the confirmation at once for an application confirmed after its session's window closed.

    For the office adding or moving an application, and for a promotion from the
    waiting list. Call inside the transaction of that change; returns the row, or
    None while the window is still open (the wave sends it then), after the
    session, when the application already has its confirmation for this session,
    or while it waits for its personal webinar link (see confirmation_wave).
    """
    now = now or timezone.now()
    session = application.session
    if application.status != ApplicationStatus.CONFIRMED:
        return None
    if not (session.applications_close_at <= now < session.ends_at):
        return None
    if _confirmations_wait(session, now) and not personal_joining_urls(session, [application]):
        return None  # the integration calls this again once the personal link is there
    return application_notify(application, MailKind.CONFIRMATION, key=session_key(session), now=now)


def reminder_at(session: Session) -> dt.datetime:
    """Return when the reminder goes out: REMINDER_TIME the day before, never before the window closes."""
    day_before = session.starts_at.astimezone(TOKYO).date() - dt.timedelta(days=1)
    return max(dt.datetime.combine(day_before, REMINDER_TIME, tzinfo=TOKYO), session.applications_close_at)


def reminder_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add the day-before reminder (joining link, date and time) for every confirmed application."""
    now = now or timezone.now()
    if not (reminder_at(session) <= now < session.starts_at):
        return 0
    return _per_session_wave(session, MailKind.REMINDER, _told_of_draw(session, _confirmed(session)), now)


def archive_mail_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add the archive-video mail for every application confirmed for the session, once it is published."""
    now = now or timezone.now()
    if session.archive_published_at is None or session.archive_published_at > now:
        return 0
    return _per_session_wave(session, MailKind.ARCHIVE, _confirmed(session), now)


def follow_up_wave(session: Session, *, data: dict | None = None, now: dt.datetime | None = None) -> int:
    """Add the thanks with the certificate of attendance for everyone recorded as attended; once each.

    The office starts it (admin, "Send the follow-up") once attendance is recorded; pressing again
    after a correction reaches only those who have not had it. Those recorded absent get the
    archive mail, worded for them, when the archive is published (archive_mail_wave). `data` goes
    with each mail (kept on its outbox row, so a resend says the same): {"questionnaire": True}
    adds the personal link to the session's questionnaire, which the caller knows to be open or opening.
    """
    now = now or timezone.now()
    attended = _confirmed(session).filter(attendance_record__status=AttendanceStatus.ATTENDED)
    return _per_session_wave(session, MailKind.FOLLOW_UP, attended, now, data=data)


def mail_waves_open(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every wave that is due at `now` (beat calls this each minute); return rows added per kind."""
    now = now or timezone.now()
    today = now.astimezone(TOKYO).date()
    added = {MailKind.CONFIRMATION: 0, MailKind.REMINDER: 0, MailKind.ARCHIVE: 0}
    sessions = Session.objects.select_related("series")
    for session in sessions.filter(applications_close_on__lt=today, ends_at__gt=now):
        added[MailKind.CONFIRMATION] += confirmation_wave(session, now=now)
    for session in sessions.filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=2)):
        added[MailKind.REMINDER] += reminder_wave(session, now=now)
    recent = now - dt.timedelta(days=ARCHIVE_WAVE_DAYS)
    for session in sessions.filter(archive_published_at__lte=now, archive_published_at__gt=recent):
        added[MailKind.ARCHIVE] += archive_mail_wave(session, now=now)
    return added

