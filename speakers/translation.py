"""Speaker fields kept in Japanese and English (django-modeltranslation)."""
from modeltranslation.translator import TranslationOptions, register

from .models import Appearance, Speaker


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("name", "affiliation", "position", "biography")


@register(Appearance)
class AppearanceTranslation(TranslationOptions):
    fields = ("organisation_note",)
