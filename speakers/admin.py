from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Speaker


@admin.register(Speaker)
class SpeakerAdmin(TranslationAdmin):
    list_display = ["name", "affiliation", "position"]
    search_fields = ["name_ja", "name_en", "affiliation_ja", "affiliation_en"]
    prepopulated_fields = {"slug": ["name_en"]}
