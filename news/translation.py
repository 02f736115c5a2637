"""News texts kept in Japanese and English (django-modeltranslation)."""
from modeltranslation.translator import TranslationOptions, register

from .models import News


@register(News)
class NewsTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("ja",)
