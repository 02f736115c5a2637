"""The series and its sessions, topics, materials; the session clock."""
import datetime as dt
import math
import uuid
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import Allocation, ArchiveAccess, SessionFormat, SessionState
from .validators import validate_captions_file, validate_http_url, validate_material_file
from .video import Video, video_parse, video_validate

TOKYO = ZoneInfo("Asia/Tokyo")


def fiscal_year_of(day: dt.date) -> int:
    """Return the Japanese fiscal year (April to March) that `day` falls in, by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_current() -> int:
    """Return the fiscal year of today in Japan: a new series' year unless the office says otherwise."""
    return fiscal_year_of(timezone.localdate())


class Series(models.Model):
    """A seminar series: one fiscal year of the course, the page the public reads first."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        default=fiscal_year_current,
        validators=[MinValueValidator(2019), MaxValueValidator(2099)],
        help_text=_("The year the fiscal year starts in (April), e.g. 2026 for 令和8年度 (FY2026)."),
    )
    overview = models.TextField(_("overview"))
    audience = models.TextField(_("audience"))
    fee_note = models.CharField(_("fee"), max_length=200)
    application_rule = models.TextField(
        _("how to apply"), help_text=_("Shown on the series page, e.g. that each session needs its own application.")
    )
    contact_email = models.EmailField(
        _("office contact address"), help_text=_("Where applicants write for changes and cancellations.")
    )
    completion_min_sessions = models.PositiveSmallIntegerField(
        _("sessions to attend for the course certificate"),
        default=3,
        help_text=_("A person who attended at least this many sessions of the series gets a course completion "
                    "certificate (修了証)."),
    )

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["pk"]

    def __str__(self):
        # Two years of the course share a title: the year tells them apart wherever a series is named.
        return _("%(title)s, %(year)s") % {"title": self.title, "year": self.year_label}

    def get_absolute_url(self):
        return reverse("seminars:series", kwargs={"slug": self.slug})

    @property
    def year_label(self) -> str:
        """Return the fiscal year as people write it: 令和8年度（2026年度） in Japanese, FY2026 (Reiwa 8) in English."""
        # The Reiwa era's first fiscal year is 2019 (令和元年度).
        return _("FY%(year)d (Reiwa %(reiwa)d)") % {"year": self.fiscal_year, "reiwa": self.fiscal_year - 2018}


def material_upload_to(instance, filename):
    """Store uploads under a generated name; the original name is kept only for the download."""
    return f"materials/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def captions_upload_to(instance, filename):
    return f"captions/{uuid.uuid4().hex}.vtt"


def thumbnail_upload_to(instance, filename):
    return f"thumbnails/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Session(models.Model):
    """One session of a series; its state is derived from the clock by `state()`."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("series"))
    number = models.PositiveSmallIntegerField(_("number in the series"))
    level = models.CharField(
        _("level"), max_length=100, help_text=_("A label such as Basic, Advanced or Practical ①.")
    )
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    overview = models.TextField(_("overview"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    applications_open_on = models.DateField(
        _("applications open on"), help_text=_("From 00:00 Japan time on this date.")
    )
    applications_close_on = models.DateField(
        _("applications close on"), help_text=_("Until the end of this date, Japan time.")
    )
    format = models.CharField(
        pgettext_lazy("session format", "format"),
        max_length=20,
        choices=SessionFormat.choices,
        default=SessionFormat.ONLINE,
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    waitlist_enabled = models.BooleanField(
        _("waiting list"), default=False, help_text=_("When full, further applicants join a waiting list.")
    )
    allocation = models.CharField(
        _("how places are given"), max_length=20, choices=Allocation.choices, default=Allocation.FIRST_COME,
        help_text=_("With a lottery, applications wait for the draw after the application period closes."),
    )
    # Maintained by registrations.services under a conditional update; never edited by hand.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    joining_url = models.URLField(
        _("joining link"),
        blank=True,
        help_text=_("Private: sent by mail to confirmed applicants, never shown on a public page."),
    )
    zoom_webinar_id = models.CharField(
        _("Zoom webinar ID"), max_length=20, blank=True,
        help_text=_("With this and the portal's Zoom settings, each confirmed applicant gets a personal joining link."),
    )
    joining_instructions = models.TextField(
        _("joining instructions"), blank=True, help_text=_("Private, e.g. meeting ID and passcode; sent by mail.")
    )
    archive_video_url = models.URLField(
        _("archive video address"),
        max_length=500,
        blank=True,
        validators=[video_validate],
        help_text=_(
            "A YouTube or Vimeo address (shown in their privacy-enhanced player), or the https address of a "
            "video file (.mp4, .webm). Any other web address is shown as a plain link."
        ),
    )
    # Set and cleared only by services.session_publish_archive / session_unpublish_archive.
    archive_published_at = models.DateTimeField(
        _("archive published at"), null=True, blank=True, help_text=_("Empty while the archive is not published.")
    )
    archive_access = models.CharField(
        _("who may watch the archive"),
        max_length=20,
        choices=ArchiveAccess.choices,
        default=ArchiveAccess.PUBLIC,
    )
    archive_available_until = models.DateField(
        _("archive available until"),
        null=True,
        blank=True,
        help_text=_("The last day (Japan time) the archive can be watched. Empty for no end date."),
    )
    archive_captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=captions_upload_to,
        blank=True,
        validators=[validate_captions_file],
        help_text=_("Captions or a transcript as a WebVTT (.vtt) file, offered with the video."),
    )
    archive_thumbnail = models.ImageField(
        _("archive thumbnail"),
        upload_to=thumbnail_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "gif", "webp"])],
        help_text=_("An optional still image for the archive list; a placeholder is shown without one."),
    )
    attendance_min_share = models.DecimalField(
        _("share of the session to count as attended"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("From 0.01 to 1, e.g. 0.5 for half the session. Empty for the portal's default "
                    "(ATTENDANCE_MIN_SHARE)."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="session_unique_number_in_series"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(applications_close_on__gte=F("applications_open_on")),
                name="session_period_closes_after_opening",
            ),
            # The period ends at 24:00 Japan time on its last date, so that date must lie before the event day.
            models.CheckConstraint(
                condition=Q(applications_close_on__lt=TruncDate("starts_at", tzinfo=TOKYO)),
                name="session_period_closes_before_event",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(places_taken__lte=F("capacity")),
                name="session_places_within_capacity",
            ),
        ]

    def __str__(self):
        return _("Session %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("seminars:session", kwargs={"slug": self.slug})

    @property
    def applications_open_at(self) -> dt.datetime:
        """Return 00:00 Japan time on the first date of the application period."""
        return dt.datetime.combine(self.applications_open_on, dt.time.min, tzinfo=TOKYO)

    @property
    def applications_close_at(self) -> dt.datetime:
        """Return 24:00 Japan time on the last date of the application period (the next day's 00:00)."""
        return dt.datetime.combine(self.applications_close_on + dt.timedelta(days=1), dt.time.min, tzinfo=TOKYO)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.places_taken >= self.capacity

    @property
    def length_minutes(self) -> int:
        return max(0, round((self.ends_at - self.starts_at).total_seconds() / 60))

    @property
    def attended_min_minutes(self) -> int:
        """Minutes a person must have stayed to count as attended: the session's share, or the portal's default."""
        share = self.attendance_min_share
        if share is None:
            share = Decimal(str(settings.ATTENDANCE_MIN_SHARE))
        return max(1, math.ceil(self.length_minutes * share))

    @property
    def archive_closes_at(self) -> dt.datetime | None:
        """Return 24:00 Japan time on the archive's last day, or None when it has no end date."""
        if self.archive_available_until is None:
            return None
        return dt.datetime.combine(self.archive_available_until + dt.timedelta(days=1), dt.time.min, tzinfo=TOKYO)

    @property
    def archive_video(self) -> Video | None:
        """Return how the archive video is shown, or None without a (valid) address."""
        if not self.archive_video_url:
            return None
        try:
            return video_parse(self.archive_video_url)
        except ValidationError:
            return None

    def archive_is_published(self, *, now: dt.datetime) -> bool:
        return self.archive_published_at is not None and now >= self.archive_published_at

    def archive_has_ended(self, *, now: dt.datetime) -> bool:
        """Return True once a published archive's end date has passed."""
        closes_at = self.archive_closes_at
        return self.archive_is_published(now=now) and closes_at is not None and now >= closes_at

    def state(self, *, now: dt.datetime | None = None) -> SessionState:
        """Return the session's state at `now`: the one place the session clock is read.

        `archived` while a published archive can be watched (by everyone or by applicants);
        before publication and after the archive's end date the session is `held`.
        """
        now = now or timezone.now()
        if now >= self.ends_at:
            if self.archive_is_published(now=now) and not self.archive_has_ended(now=now):
                return SessionState.ARCHIVED
            return SessionState.HELD
        if now >= self.applications_close_at:
            return SessionState.CLOSED
        if now < self.applications_open_at:
            return SessionState.UPCOMING
        return SessionState.FULL if self.is_full else SessionState.OPEN

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if self.applications_open_on and self.applications_close_on:
            if self.applications_close_on < self.applications_open_on:
                errors["applications_close_on"] = _("The application period must close after it opens.")
            elif self.starts_at and self.applications_close_at > self.starts_at:
                errors["applications_close_on"] = _(
                    "The application period must close before the session starts."
                )
        if self.archive_access == ArchiveAccess.APPLICANTS and self.archive_available_until and self.ends_at:
            # Applicants watch through their manage link, which ends when their personal data is erased.
            links_end = timezone.localdate(self.ends_at) + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
            if self.archive_available_until >= links_end:
                errors["archive_available_until"] = _(
                    "Applicants' personal links stop working on %(date)s, when their personal data is erased; "
                    "choose an earlier end date."
                ) % {"date": links_end.isoformat()}
        if self.archive_published_at is not None and not self.archive_video_url:
            errors["archive_video_url"] = _(
                "The archive is published: unpublish it before removing its video address."
            )
        if self.capacity is not None and self.capacity < self.places_taken:
            errors["capacity"] = _("%(count)s places are already taken; the capacity cannot be lower.") % {
                "count": self.places_taken
            }
        if errors:
            raise ValidationError(errors)


class Topic(models.Model):
    """One line of a session's programme; a topic may have sub-items (the case studies ① ②)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topics", verbose_name=_("session"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subtopics",
        verbose_name=_("under topic"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=300)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["session", "order", "pk"]

    def __str__(self):
        return self.text


class Material(models.Model):
    """A file or link shared for a session, with its copyright and usage notice."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=material_upload_to,
        blank=True,
        validators=[validate_material_file],
        help_text=_("PDF, PowerPoint (.pptx), Word (.docx) or an image. Either a file or a link."),
    )
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True, editable=False)
    url = models.URLField(
        _("link"), max_length=500, blank=True, validators=[validate_http_url], help_text=_("Either a file or a link.")
    )
    notice = models.TextField(_("usage notice"), blank=True, help_text=_("Copyright and terms of use."))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["session", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_or_link",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A fresh upload still carries the name it had on the office's computer: keep it for the download.
        if self.file and not self.file._committed:
            self.original_filename = Path(self.file.name).name[:255]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Return where the material is downloaded (a file) or opened (a link)."""
        if self.file:
            return reverse("seminars:material_download", kwargs={"pk": self.pk})
        return self.url

    @property
    def download_filename(self) -> str:
        """Return the name the download is saved under: the uploaded name, else the title."""
        if self.original_filename:
            return self.original_filename
        return f"{self.title}{Path(self.file.name).suffix.lower()}"

    @property
    def file_label(self) -> str:
        """Return the file's kind as people know it: PDF, PPTX, PNG…"""
        return Path(self.file.name).suffix.lstrip(".").upper()

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link for this material, not both and not neither."))
