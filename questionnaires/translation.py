"""Questionnaire texts kept in Japanese and English (django-modeltranslation)."""
from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, Questionnaire


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "scale_min_label", "scale_max_label")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)
