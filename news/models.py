"""News (お知らせ) of the office on the public pages: for the whole series or for one of its sessions."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.validators import validate_multi_line, validate_single_line
from seminars.models import Series, Session


class News(models.Model):
    """A dated news item, shown from `published_at` until `published_until` (if set), newest first.

    Title and text are kept in Japanese and English (news/translation.py). Mailing it to a
    session's applicants is a separate step (an announcement of the office app), never a side effect.
    """

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="news", verbose_name=_("series"))
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="news", verbose_name=_("session"),
        help_text=_("Leave empty for news of the whole series; a session's news shows on its page too."),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    body = models.TextField(_("text"), max_length=5000, blank=True, validators=[validate_multi_line])
    published_at = models.DateTimeField(
        _("published from"), default=timezone.now, help_text=_("Shown on the site from this moment; the date shown.")
    )
    published_until = models.DateTimeField(
        _("published until"), null=True, blank=True, help_text=_("Leave empty to keep it on the site.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news item on the site")
        verbose_name_plural = _("news on the site")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["series", "-published_at"], name="news_series_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_until__isnull=True) | Q(published_until__gt=F("published_at")),
                name="news_until_after_from",
                violation_error_message=_("The end of publication must come after its start."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", args=[self.pk])

    def clean(self):
        if self.session_id is not None:
            # A session's news belongs to that session's series.
            self.series_id = self.session.series_id
        if self.series_id is None:
            raise ValidationError({"series": _("Choose the series, or a session.")})

    def is_shown(self, *, now) -> bool:
        """Return whether the item is on the site at `now`."""
        return self.published_at <= now and (self.published_until is None or now < self.published_until)
