"""Speakers and their appearances in sessions."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Speaker(models.Model):
    """A person who speaks or represents an organisation; one record across sessions."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("As given: Japanese names family name first."))
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("speakers:detail", kwargs={"slug": self.slug})


class AppearanceRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    INDUSTRY_REPRESENTATIVE = "industry_representative", _("Industry organisation representative")
    PROJECT_MEMBER_REPRESENTATIVE = "project_member_representative", _("Project member representative")
    MODERATOR = "moderator", _("Moderator")


class Appearance(models.Model):
    """A speaker's part in one session; the role belongs to the appearance, not the person."""

    session = models.ForeignKey(
        "seminars.Session", on_delete=models.CASCADE, related_name="appearances", verbose_name=_("session")
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.PROTECT, related_name="appearances", verbose_name=_("speaker")
    )
    role = models.CharField(_("role"), max_length=40, choices=AppearanceRole.choices, default=AppearanceRole.SPEAKER)
    organisation_note = models.CharField(
        _("representing"),
        max_length=300,
        blank=True,
        help_text=_("For representatives: the organisation they speak for."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["session", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="appearance_once_per_session"),
        ]

    def __str__(self):
        return f"{self.speaker} – {self.session}"
