"""Registering applicants as webinar registrants and cancelling them: the zoom app's own records.

One function owns each change: `registrations_sweep` (beat, each minute) creates
the registrations that are missing and queues them and the lost ones,
`zoom_register` and `zoom_cancel` (tasks, with retries) talk to Zoom for one
registration, `registrations_cancel_for` answers registrations' signal that an
application lost its place, `registrations_retry` is the office's "try again".
Attendance from Zoom's report is zoom/attendance.py.

Rules:
- A confirmed application is registered as soon as it is confirmed (the sweep
  finds it within a minute), not at the window's close: the confirmation then
  rarely waits, and Zoom has days, not minutes, to come back if it is down.
- Exactly one registrant per application and webinar: one ZoomRegistration row
  (unique), and Zoom keeps one registrant per email address. A request Zoom
  refuses (e.g. already registered) is followed by a lookup of the address among
  the webinar's registrants; found, it counts as registered.
- An add that was sent may have been served even when its answer never came
  (a timeout): cancelling such a registration looks the address up at Zoom and
  cancels what it finds, looking again for ADD_SETTLE_MINUTES after the last add.
- Zoom's registrant ID and the personal link live here; registrations asks for
  the link through its signal (zoom/receivers.py), and writes none of this.
"""
import datetime as dt
import logging
import re

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from outbox.services import outbox_add
from registrations.enums import ApplicationStatus
from registrations.models import Application
from registrations.notifications import confirmation_if_window_closed
from seminars.models import Session

from .client import ZoomAuthFailed, ZoomClient, ZoomRefused, ZoomUnavailable, zoom_configured
from .models import RegistrationState, ZoomRegistration

logger = logging.getLogger(__name__)

# A queued task that has not run this long after it was due is taken as lost (a worker killed) and queued again.
LOST_TASK_MINUTES = 10
# The longest wait between two tries.
RETRY_MAX_SECONDS = 1800
# How long after the last add request Zoom may still be serving it: a cancel that finds no registrant looks
# again until then (Zoom answers within seconds; a timed-out add is served or dropped well within this).
ADD_SETTLE_MINUTES = 10
ZOOM_LANGUAGES = {"ja": "jp-JP", "en": "en-US"}
# The outbox's kind of the mail that tells the office who has no personal joining link in time.
FALLBACK_MAIL_KIND = "zoom_fallback"
# Kana and kanji (CJK unified ideographs, the iteration mark 々): a name written in Japanese.
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u3005\uff66-\uff9f]")


def zoom_fallback_at(session: Session) -> dt.datetime:
    """Return from when a confirmation still waiting for its personal link goes with the shared link."""
    return session.starts_at - dt.timedelta(hours=settings.ZOOM_FALLBACK_HOURS)


def personal_links_issued(session: Session) -> bool:
    """Return whether this app issues personal links for the session: it has a webinar and the portal credentials."""
    return bool(session.zoom_webinar_id) and zoom_configured()


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Return the seconds to wait before try number `attempts + 1`: Zoom's Retry-After, else doubling."""
    if retry_after is not None:
        return max(1.0, retry_after)
    return min(RETRY_MAX_SECONDS, settings.ZOOM_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def name_split(name: str) -> tuple[str, str]:
    """Return (first_name, last_name) for Zoom from a name as the applicant typed it.

    A name in Japanese script is written family name first: "山田 花子" (either
    space) gives first "花子", last "山田". A name in Latin letters is taken as
    given name first ("Jane Smith"). A name without a space ("山田花子") cannot be
    split safely and goes whole as the first name. Each part fits Zoom's 64 characters.
    """
    parts = re.split(r"[\s\u3000]+", name.strip(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        return name.strip()[:64], ""
    if JAPANESE_SCRIPT.search(name):
        family, given = parts
    else:
        given, family = parts
    return given[:64], family[:64]


def _wanted(registration: ZoomRegistration) -> bool:
    """Whether the application still needs this registration (confirmed, in the webinar's session, not erased)."""
    application = registration.application
    return (
        application.status == ApplicationStatus.CONFIRMED
        and application.personal_data_erased_at is None
        and application.session.zoom_webinar_id == registration.webinar_id
    )


# --- registering ---


def registrations_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Create the missing registrations of confirmed applications, queue them and the lost ones; flag fallbacks.

    Beat runs this each minute. Side effects: a WAITING ZoomRegistration for each
    confirmed application of a session with personal links that has neither a link
    nor a registration for the session's webinar, each queued (zoom.register)
    after commit; WAITING rows whose task is long overdue queued again; rows
    still waiting once the session is within ZOOM_FALLBACK_HOURS get
    `fallback_at`, and the series' office gets one mail per session about them.
    """
    now = now or timezone.now()
    counts = {"created": 0, "requeued": 0, "fallback": 0}
    if not zoom_configured():
        return counts
    sessions = Session.objects.exclude(zoom_webinar_id="").filter(ends_at__gt=now)
    has_registration = ZoomRegistration.objects.filter(
        application=OuterRef("pk"), webinar_id=OuterRef("session__zoom_webinar_id")
    )
    missing = (
        Application.objects.filter(session__in=sessions, status=ApplicationStatus.CONFIRMED,
                                   personal_data_erased_at__isnull=True)
        .exclude(email="")  # Zoom registers people by address; the office tells those without one itself
        .filter(~Exists(has_registration))
        .values_list("pk", "session__zoom_webinar_id")
    )
    with transaction.atomic():
        created = ZoomRegistration.objects.bulk_create(
            [ZoomRegistration(application_id=pk, webinar_id=webinar_id, waiting_since=now, next_attempt_at=now)
             for pk, webinar_id in missing],
            ignore_conflicts=True,
        )
        overdue = now - dt.timedelta(minutes=LOST_TASK_MINUTES)
        lost = ZoomRegistration.objects.filter(
            state=RegistrationState.WAITING, next_attempt_at__lt=overdue, application__session__ends_at__gt=now,
        )
        lost_ids = list(lost.values_list("pk", flat=True))
        lost.update(next_attempt_at=now)
        # A cancel is sent whenever it comes due: nobody is to stay registered at Zoom after cancelling.
        lost_cancels = ZoomRegistration.objects.filter(state=RegistrationState.CANCEL_WAITING,
                                                       next_attempt_at__lt=overdue)
        lost_cancel_ids = list(lost_cancels.values_list("pk", flat=True))
        lost_cancels.update(next_attempt_at=now)
        _queue_on_commit("zoom.cancel", lost_cancel_ids)
        # ignore_conflicts leaves the pks unset: read back the rows created now.
        new_ids = list(ZoomRegistration.objects.filter(
            state=RegistrationState.WAITING, waiting_since=now, attempts=0
        ).values_list("pk", flat=True)) if created else []
        counts["created"], counts["requeued"] = len(new_ids), len(lost_ids) + len(lost_cancel_ids)
        _queue_on_commit("zoom.register", new_ids + lost_ids)
        counts["fallback"] = _fallbacks_flag(now)
    return counts


def _queue_on_commit(task_name: str, ids: list[int]) -> None:
    """Queue the task (zoom/tasks.py, by name: that module imports this one) for each registration after commit."""
    if ids:
        transaction.on_commit(lambda: [current_app.send_task(task_name, kwargs={"registration_id": pk})
                                       for pk in ids])


def _fallbacks_flag(now: dt.datetime) -> int:
    """Flag the registrations still waiting within the fallback time; tell each session's office once."""
    flagged = 0
    waiting = (
        ZoomRegistration.objects.filter(state__in=[RegistrationState.WAITING, RegistrationState.REFUSED],
                                        fallback_at__isnull=True, application__status=ApplicationStatus.CONFIRMED,
                                        application__session__ends_at__gt=now)
        .select_related("application__session__series")
    )
    by_session: dict[int, list[ZoomRegistration]] = {}
    for registration in waiting:
        session = registration.application.session
        if now >= zoom_fallback_at(session) and session.zoom_webinar_id == registration.webinar_id:
            by_session.setdefault(session.pk, []).append(registration)
    for registrations in by_session.values():
        ZoomRegistration.objects.filter(pk__in=[r.pk for r in registrations]).update(fallback_at=now)
        flagged += len(registrations)
        session = registrations[0].application.session
        logger.warning("Zoom registration: %d applications of session %d still without a personal link at the "
                       "fallback time", len(registrations), session.pk)
        _office_told(session, registrations, now)
    return flagged


def _office_told(session: Session, registrations: list[ZoomRegistration], now: dt.datetime) -> None:
    """Add one mail to the series' office: who goes with the shared link (or none) instead of a personal one."""
    if not session.series.contact_email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        references = ", ".join(str(r.application) for r in registrations)
        if session.joining_url:
            what = gettext("Their confirmation goes with the session's shared joining link.")
        else:
            what = gettext("The session has no shared joining link: their confirmation waits. Add a joining link to "
                           "the session, or send them the details yourself.")
        admin_url = settings.SITE_URL.rstrip("/") + reverse("admin:zoom_zoomregistration_changelist")
        body = gettext(
            "Zoom has not registered %(count)d applicants of %(session)s in time (the session starts on "
            "%(starts)s). %(what)s\n\nReferences: %(references)s\n\nThe registrations and Zoom's last answers: "
            "%(url)s\n"
        ) % {"count": len(registrations), "session": session, "what": what, "references": references,
             "starts": f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}", "url": admin_url}
        subject = gettext("Zoom: %(count)d applicants without a personal joining link") % {"count": len(registrations)}
    outbox_add(key=f"zoom-fallback:session:{session.pk}:{now.timestamp():.0f}", kind=FALLBACK_MAIL_KIND, about=session,
               to=session.series.contact_email, subject=subject, body_text=body, now=now)


def zoom_register(*, registration_id: int, client: ZoomClient, now: dt.datetime | None = None) -> ZoomRegistration:
    """Register one application as a registrant of its session's webinar; return the registration.

    Does nothing unless the registration is WAITING. A registration the
    application no longer needs becomes DROPPED, or CANCEL_WAITING (queued) when
    an add was already sent: Zoom may have served it. On success, in one
    transaction: the registration becomes REGISTERED with its registrant ID and
    personal link, and the application's confirmation is added at once if the
    window has closed (registrations.notifications.confirmation_if_window_closed,
    which asks for the link through registrations.joining_links). If the
    application lost its place while Zoom answered, the new registrant is
    cancelled right away. Zoom refusing: the address is looked up among the
    webinar's registrants and, found, counts as registered; otherwise the
    registration becomes REFUSED. Raise ZoomUnavailable (Zoom down, an answer
    that is not JSON, credentials refused: after recording the reason and when
    to try again) for the task to retry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = (ZoomRegistration.objects.select_for_update(of=("self",))
                        .select_related("application__session").get(pk=registration_id))
        if registration.state != RegistrationState.WAITING:
            return registration
        if not _wanted(registration) or now >= registration.application.session.ends_at:
            _no_longer_wanted([registration], now=now)
            registration.refresh_from_db()
            return registration
        registration.attempts += 1
        registration.last_attempt_at = registration.add_sent_at = now
        registration.save(update_fields=["attempts", "last_attempt_at", "add_sent_at"])
    application = registration.application
    first_name, last_name = name_split(application.name)
    try:
        try:
            answer = client.registrant_add(
                registration.webinar_id, email=application.email, first_name=first_name, last_name=last_name,
                language=ZOOM_LANGUAGES.get(application.language, ""),
            )
            found = {"id": answer.get("registrant_id"), "join_url": answer.get("join_url")}
        except ZoomRefused as refusal:
            # Perhaps already registered (a retried request Zoom had served): look the address up.
            found = client.registrant_find(registration.webinar_id, application.email)
            if found is None:
                return _refused(registration, refusal.detail)
    except ZoomUnavailable as exc:
        raise _retry_later(registration, exc, now=now) from None
    return _registered(registration.pk, registrant_id=str(found["id"]), join_url=found.get("join_url") or "", now=now)


def _retry_later(registration: ZoomRegistration, exc: ZoomUnavailable, *, now: dt.datetime) -> ZoomUnavailable:
    """Record why the try failed and when the next is due; return `exc` with `retry_in` for the task."""
    delay = retry_delay(registration.attempts, exc.retry_after)
    ZoomRegistration.objects.filter(pk=registration.pk).update(
        attempts=registration.attempts, last_attempt_at=now, last_error=exc.detail[:300],
        next_attempt_at=now + dt.timedelta(seconds=delay),
    )
    level = logging.ERROR if isinstance(exc, ZoomAuthFailed) else logging.WARNING
    logger.log(level, "Zoom registration %d: %s; next try in %d s", registration.pk, exc.detail, delay)
    exc.retry_in = delay
    return exc


def _refused(registration: ZoomRegistration, detail: str) -> ZoomRegistration:
    registration.state = RegistrationState.REFUSED
    registration.last_error = detail[:300]
    registration.save(update_fields=["state", "last_error"])
    logger.warning("Zoom refused registration %d: %s", registration.pk, detail)
    return registration


def _registered(registration_id: int, *, registrant_id: str, join_url: str, now: dt.datetime) -> ZoomRegistration:
    with transaction.atomic():
        registration = (ZoomRegistration.objects.select_for_update(of=("self",))
                        .select_related("application__session__series").get(pk=registration_id))
        # Locked (not written): a cancellation of the application waits until the link is stored, then cancels it.
        application = Application.objects.select_for_update().select_related("session__series").get(
            pk=registration.application_id)
        registration.application = application
        registration.registrant_id = registrant_id
        registration.registered_at = now
        registration.last_error = ""
        if registration.state == RegistrationState.WAITING and _wanted(registration) and join_url:
            registration.state = RegistrationState.REGISTERED
            registration.join_url = join_url
            registration.save(update_fields=["state", "registrant_id", "join_url", "registered_at", "last_error"])
            confirmation_if_window_closed(application, now=now)
        else:  # cancelled or moved while Zoom answered: take the registrant back
            registration.state = RegistrationState.CANCEL_WAITING
            registration.next_attempt_at = now
            registration.save(update_fields=["state", "registrant_id", "registered_at", "last_error",
                                             "next_attempt_at"])
            _queue_on_commit("zoom.cancel", [registration.pk])
    return registration


# --- cancelling ---


def _no_longer_wanted(rows: list[ZoomRegistration], *, now: dt.datetime) -> list[int]:
    """Take back registrations an application no longer needs; return the ids queued for a cancel at Zoom.

    REGISTERED rows, and WAITING rows whose add was sent (Zoom may have served it
    after the answer timed out), become CANCEL_WAITING, their link blanked, and
    are queued (zoom.cancel) after commit; the others (never sent, or refused)
    become DROPPED. Call inside a transaction with the rows locked.
    """
    to_cancel = [r.pk for r in rows if r.state == RegistrationState.REGISTERED
                 or (r.state == RegistrationState.WAITING and r.add_sent_at is not None)]
    ZoomRegistration.objects.filter(pk__in=to_cancel).update(state=RegistrationState.CANCEL_WAITING, join_url="",
                                                             next_attempt_at=now)
    ZoomRegistration.objects.filter(pk__in=[r.pk for r in rows if r.pk not in to_cancel]).update(
        state=RegistrationState.DROPPED, join_url="")
    _queue_on_commit("zoom.cancel", to_cancel)
    return to_cancel


def registrations_cancel_for(application: Application, *, now: dt.datetime | None = None) -> int:
    """Cancel in Zoom the application's registrations it no longer needs (cancelled, or moved away); return how many.

    The receiver of registrations.signals.application_place_lost; see
    `_no_longer_wanted` for what becomes of each registration.
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_related("session").get(pk=application.pk)
        rows = ZoomRegistration.objects.select_for_update().filter(application=application)
        if application.status == ApplicationStatus.CONFIRMED:
            rows = rows.exclude(webinar_id=application.session.zoom_webinar_id)
        rows = list(rows.filter(state__in=[RegistrationState.WAITING, RegistrationState.REGISTERED,
                                           RegistrationState.REFUSED]))
        return len(_no_longer_wanted(rows, now=now))


def zoom_cancel(*, registration_id: int, client: ZoomClient, now: dt.datetime | None = None) -> ZoomRegistration:
    """Cancel one registrant at Zoom; return the registration (CANCELLED once Zoom took it, or had nobody).

    Without a registrant ID (the add's answer never came) the address is looked
    up among the webinar's registrants first; not found while the add may still
    be pending (ADD_SETTLE_MINUTES after it was sent), it is looked up again
    later; not found after that, nobody is registered and the registration is
    CANCELLED. Raise ZoomUnavailable (after recording the reason and when to try
    again) for the task to retry; a refusal is recorded and ends the tries (e.g.
    the webinar was deleted): the office sees it and may try again (admin).
    """
    now = now or timezone.now()
    registration = ZoomRegistration.objects.select_related("application").get(pk=registration_id)
    if registration.state != RegistrationState.CANCEL_WAITING:
        return registration
    application = registration.application
    email = application.email if application.personal_data_erased_at is None else ""
    registration.attempts += 1
    registrant_id = registration.registrant_id
    try:
        if not registrant_id:
            found = client.registrant_find(registration.webinar_id, email) if email else None
            if found is None:
                settled = registration.add_sent_at is None or (
                    now >= registration.add_sent_at + dt.timedelta(minutes=ADD_SETTLE_MINUTES))
                if not settled:
                    raise ZoomUnavailable("cancel: the add sent to Zoom may still be pending; looking again later")
                return _cancelled(registration, registrant_id="", now=now)
            registrant_id = str(found["id"])
        registrant = {"id": registrant_id, **({"email": email} if email else {})}
        client.registrants_cancel(registration.webinar_id, [registrant])
    except ZoomUnavailable as exc:
        raise _retry_later(registration, exc, now=now) from None
    except ZoomRefused as refusal:
        ZoomRegistration.objects.filter(pk=registration.pk).update(
            attempts=registration.attempts, last_attempt_at=now, last_error=refusal.detail[:300])
        logger.warning("Zoom refused cancelling registration %d: %s", registration.pk, refusal.detail)
        registration.refresh_from_db()
        return registration
    return _cancelled(registration, registrant_id=registrant_id, now=now)


def _cancelled(registration: ZoomRegistration, *, registrant_id: str, now: dt.datetime) -> ZoomRegistration:
    ZoomRegistration.objects.filter(pk=registration.pk).update(
        state=RegistrationState.CANCELLED, cancelled_at=now, attempts=registration.attempts, last_attempt_at=now,
        registrant_id=registrant_id, join_url="", last_error="")
    registration.refresh_from_db()
    return registration


# --- the office ---


def registrations_retry(*, registration_ids: list[int], now: dt.datetime | None = None) -> int:
    """Try the chosen registrations again now (the office's admin action); return how many were queued.

    Waiting and refused registrations are queued for registering (a refused one
    waits again; one no longer needed is dropped or cancelled by the task),
    cancellations waiting for Zoom for cancelling. Others are left alone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(ZoomRegistration.objects.select_for_update().filter(pk__in=registration_ids))
        register = [r.pk for r in rows if r.state in (RegistrationState.WAITING, RegistrationState.REFUSED)]
        cancel = [r.pk for r in rows if r.state == RegistrationState.CANCEL_WAITING]
        ZoomRegistration.objects.filter(pk__in=register).update(state=RegistrationState.WAITING, next_attempt_at=now)
        ZoomRegistration.objects.filter(pk__in=cancel).update(next_attempt_at=now)
        _queue_on_commit("zoom.register", register)
        _queue_on_commit("zoom.cancel", cancel)
    return len(register) + len(cancel)
