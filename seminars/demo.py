"""Loading the demo content: the real series of the seed page as its year (seminars/demo_content.py), and
a demo year with sessions dated around today (seminars/demo_year_content.py).

Tooling for `manage.py load_demo` (the demo app, which adds the office's work on the demo year through
the services) and for tests that want the real series; the office never runs it.
"""
import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from speakers.models import Appearance, Speaker

from . import demo_content, demo_year_content
from .models import TOKYO, Material, Series, Session, Topic

# Sent at the end of demo_load for each series, inside its transaction, with `series` and `today`: apps
# above this one (questionnaires) add their demo content for the series without this module importing them.
demo_loaded = Signal()


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
def demo_load(*, today: dt.date | None = None) -> list[Series]:
    """Load the real series from the seed page (令和7年度) and the demo year (令和8年度); return both, oldest first.

    The seed's five sessions keep their dates and archives; the demo year's sessions are dated
    around `today` (one held, one closed awaiting its draw, one open, one not yet open).
    Idempotent: running it again updates the same rows (matched by slug) and moves the demo
    year's sessions to the new `today`. Applications are untouched.
    """
    today = today or timezone.localdate()
    speakers = {}
    for data in demo_content.SPEAKERS:
        speaker, _ = Speaker.objects.update_or_create(
            slug=data["slug"], defaults={key: value for key, value in data.items() if key != "slug"}
        )
        speakers[speaker.slug] = speaker

    seed_series = _save_series(demo_content.SERIES, fiscal_year=2025)
    for data in demo_content.SESSIONS:
        session = _save_session(
            seed_series,
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
        _save_demo_archive(session, data.get("archive"), today)

    year_series = _save_series(demo_year_content.SERIES)
    for data in demo_year_content.RELATIVE_SESSIONS:
        opens, closes, event = (today + dt.timedelta(days=offset) for offset in data["offsets"])
        session = _save_session(
            year_series,
            data,
            speakers,
            starts_at=dt.datetime.combine(event, dt.time(14, 0), tzinfo=TOKYO),
            ends_at=dt.datetime.combine(event, dt.time(16, 0), tzinfo=TOKYO),
            applications_open_on=opens,
            applications_close_on=closes,
            capacity=data["capacity"],
            waitlist_enabled=data["waitlist_enabled"],
            allocation=data.get("allocation", "first_come"),
            joining_url=f"https://meet.example.org/j/{data['slug']}",
        )
        _save_demo_archive(session, data.get("archive"), today)
    for series in (seed_series, year_series):
        demo_loaded.send(sender=Series, series=series, today=today)
    return [seed_series, year_series]


def _save_series(data: dict, **fields) -> Series:
    series, _ = Series.objects.update_or_create(
        slug=data["slug"], defaults={key: value for key, value in data.items() if key != "slug"} | fields
    )
    return series


def _save_demo_archive(session: Session, data: dict | None, today: dt.date) -> None:
    """Publish the session's demo archive: its address, who may watch, until when, and captions (WebVTT).

    Written as fields, like the dates around it: each run moves the relative sessions, and their
    publication and end date move with them. The captions file is written once, not again on each run.
    """
    if data is None:
        return
    session.archive_video_url = data["video_url"]
    session.archive_access = data["access"]
    session.archive_published_at = session.ends_at + dt.timedelta(days=data["published_days_after"])
    session.archive_available_until = today + dt.timedelta(days=data["until"]) if "until" in data else None
    fields = ["archive_video_url", "archive_access", "archive_published_at", "archive_available_until"]
    if data.get("captions") and not session.archive_captions:
        session.archive_captions.save(f"{session.slug}.vtt", ContentFile(data["captions"].encode()), save=False)
        fields.append("archive_captions")
    session.full_clean(exclude=["archive_captions", "archive_thumbnail"])
    session.save(update_fields=fields)


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
