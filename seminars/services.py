"""Writes to the series and its sessions."""
import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from speakers.models import Appearance, Speaker

from . import demo_content
from .models import TOKYO, Material, Series, Session, Topic
from .video import video_parse

logger = logging.getLogger(__name__)


class ArchiveRefused(Exception):
    """The archive cannot be published or unpublished; `message` says why, for the office."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def session_publish_archive(*, session: Session, by, now: dt.datetime | None = None) -> Session:
    """Publish the session's archive video at `now`: from then on the session is `archived`.

    Refused (ArchiveRefused) when the session has not been held yet or has no valid video
    address. Publishing an archive that is already published changes nothing and returns
    the session as it is, so no follow-up runs twice.

    Side effects: sets `archive_published_at` (update_fields) under a row lock; logs who
    published. `by` is the office user (or a label) doing it. The archive mail to the
    applicants is registrations.services.session_publish_archive_with_mail's.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.archive_published_at is not None:
        return session
    if now < session.ends_at:
        raise ArchiveRefused(_("Session %(number)s has not been held yet; publish its archive after it ends.")
                             % {"number": session.number})
    if not session.archive_video_url:
        raise ArchiveRefused(_("Session %(number)s has no archive video address yet.") % {"number": session.number})
    try:
        video_parse(session.archive_video_url)
    except ValidationError as error:
        raise ArchiveRefused(" ".join(error.messages)) from None
    session.archive_published_at = now
    session.save(update_fields=["archive_published_at"])
    logger.info("archive of session %s published by %s", session.pk, by)
    return session


@transaction.atomic
def session_unpublish_archive(*, session: Session, by, now: dt.datetime | None = None) -> Session:
    """Withdraw the session's archive: it goes back to `held` and its video leaves every page.

    Side effects: clears `archive_published_at` (update_fields) under a row lock; logs who
    did it. Mail already sent is not recalled. Unpublishing an unpublished archive changes nothing.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.archive_published_at is None:
        return session
    session.archive_published_at = None
    session.save(update_fields=["archive_published_at"])
    logger.info("archive of session %s unpublished by %s", session.pk, by)
    return session


def _minimal_pdf(title: str) -> bytes:
    """Return a one-page PDF that shows `title` (ASCII), for demo materials."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _aware(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=TOKYO)


def _split_topic(item) -> tuple[str, list[str]]:
    return (item, []) if isinstance(item, str) else item


def _set_topics(session: Session, topics_en, topics_ja) -> None:
    """Write the topics in both languages (two lists of the same shape: a string, or (string, [sub-items]))."""
    session.topics.all().delete()
    for order, (item_en, item_ja) in enumerate(zip(topics_en, topics_ja, strict=True)):
        (text_en, subs_en), (text_ja, subs_ja) = _split_topic(item_en), _split_topic(item_ja)
        parent = Topic.objects.create(session=session, order=order, text_en=text_en, text_ja=text_ja)
        for sub_order, (sub_en, sub_ja) in enumerate(zip(subs_en, subs_ja, strict=True)):
            Topic.objects.create(session=session, parent=parent, order=sub_order, text_en=sub_en, text_ja=sub_ja)


def _set_appearances(session: Session, appearances, speakers: dict[str, Speaker]) -> None:
    session.appearances.exclude(speaker__slug__in=[slug for slug, *_ in appearances]).delete()
    for order, (slug, role, note_en, note_ja) in enumerate(appearances):
        Appearance.objects.update_or_create(
            session=session,
            speaker=speakers[slug],
            defaults={"role": role, "order": order, "organisation_note_en": note_en, "organisation_note_ja": note_ja},
        )


def _save_session(series: Series, data: dict, speakers: dict[str, Speaker], **fields) -> Session:
    content = {key: data[key] for key in ("level_en", "level_ja", "title_en", "title_ja", "overview_en", "overview_ja")}
    session, _ = Session.objects.update_or_create(
        slug=data["slug"],
        defaults={"series": series, "number": data["number"], **content, **fields},
    )
    _set_topics(session, data["topics"], data["topics_ja"])
    _set_appearances(session, data["appearances"], speakers)
    return session


@transaction.atomic
def demo_load(*, today: dt.date | None = None) -> Series:
    """Load the real series from the seed page plus three sessions dated around `today`.

    Idempotent: running it again updates the same rows (matched by slug) and
    moves the relative sessions to the new `today`. Applications are untouched.
    """
    today = today or timezone.localdate()
    series, _ = Series.objects.update_or_create(
        slug=demo_content.SERIES["slug"],
        defaults={key: value for key, value in demo_content.SERIES.items() if key != "slug"},
    )
    speakers = {}
    for data in demo_content.SPEAKERS:
        speaker, _ = Speaker.objects.update_or_create(
            slug=data["slug"], defaults={key: value for key, value in data.items() if key != "slug"}
        )
        speakers[speaker.slug] = speaker

    for data in demo_content.SESSIONS:
        session = _save_session(
            series,
            data,
            speakers,
            starts_at=_aware(data["start"]),
            ends_at=_aware(data["end"]),
            applications_open_on=dt.date.fromisoformat(data["open_on"]),
            applications_close_on=dt.date.fromisoformat(data["close_on"]),
            joining_url=f"https://meet.example.org/j/{data['slug']}",
        )
        for order, material in enumerate(data.get("materials", [])):
            _save_demo_material(session, order, material)

    for data in demo_content.RELATIVE_SESSIONS:
        opens, closes, event = (today + dt.timedelta(days=offset) for offset in data["offsets"])
        _save_session(
            series,
            data,
            speakers,
            starts_at=dt.datetime.combine(event, dt.time(14, 0), tzinfo=TOKYO),
            ends_at=dt.datetime.combine(event, dt.time(16, 0), tzinfo=TOKYO),
            applications_open_on=opens,
            applications_close_on=closes,
            capacity=data["capacity"],
            waitlist_enabled=data["waitlist_enabled"],
            joining_url=f"https://meet.example.org/j/{data['slug']}",
        )
    return series


def _save_demo_material(session: Session, order: int, data: dict) -> None:
    keys = ("title_en", "title_ja", "description_en", "description_ja", "notice_en", "notice_ja")
    fields = {key: data[key] for key in keys}
    material = session.materials.filter(order=order).first()
    if material is None:
        material = Material(session=session, order=order)
    for key, value in fields.items():
        setattr(material, key, value)
    if not material.file:
        material.original_filename = data["filename"]
        material.file.save(data["filename"], ContentFile(_minimal_pdf(data["title_en"])), save=False)
    material.save()
