"""Content fields kept in Japanese and English (django-modeltranslation)."""
from modeltranslation.translator import TranslationOptions, register

from .models import Material, Series, Session, Topic


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title", "overview", "audience", "fee_note", "application_rule")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("level", "title", "overview", "venue")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("text",)


@register(Material)
class MaterialTranslation(TranslationOptions):
    fields = ("title", "description", "notice")
