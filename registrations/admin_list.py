"""The applications' list in the admin: the mail-state column's annotation and filter, and the search helpers.

registrations/admin.py annotates its queryset with `applications_with_mail_state`, filters with
`MailStateFilter`, and widens its search with `names_matching` and the kana helpers here.
"""
import unicodedata

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _

from outbox.models import Message, MessageStatus

from .models import Application

# --- mail state of an application, for the list and its filter ---

MAIL_FAILED, MAIL_PENDING, MAIL_SENT, MAIL_NONE = "failed", "pending", "sent", "none"
MAIL_STATES = [
    (MAIL_FAILED, _("Failed (not sent again successfully)")),
    (MAIL_PENDING, _("Waiting to be sent")),
    (MAIL_SENT, _("All sent")),
    (MAIL_NONE, _("No mail")),
]


def applications_with_mail_state(queryset):
    """Annotate each application with whether its mail has failed, is pending, or exists at all (3 subqueries)."""
    content_type = ContentType.objects.get_for_model(Application)
    rows = Message.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
    # A failed mail that was later sent again successfully no longer counts as failed.
    sent_again = Message.objects.filter(resend_of=OuterRef("pk"), status=MessageStatus.SENT)
    return queryset.annotate(
        mail_failed=Exists(rows.filter(status=MessageStatus.FAILED).exclude(Exists(sent_again))),
        mail_pending=Exists(rows.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])),
        mail_any=Exists(rows),
    )


class MailStateFilter(admin.SimpleListFilter):
    title = _("mail state")
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return MAIL_STATES

    def queryset(self, request, queryset):
        match self.value():
            case "failed":
                return queryset.filter(mail_failed=True)
            case "pending":
                return queryset.filter(mail_failed=False, mail_pending=True)
            case "sent":
                return queryset.filter(mail_failed=False, mail_pending=False, mail_any=True)
            case "none":
                return queryset.filter(mail_any=False)
        return queryset


# --- search: references, names and readings as the office types them ---

# Hiragana ぁ–ゖ and katakana ァ–ヶ lie 0x60 apart in Unicode.
_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_TO_HIRAGANA = {code + 0x60: code for code in range(ord("ぁ"), ord("ゖ") + 1)}


def kana_to_katakana(text: str) -> str:
    return text.translate(_TO_KATAKANA)


def kana_to_hiragana(text: str) -> str:
    return text.translate(_TO_HIRAGANA)


# Printable ASCII and its full-width forms (！ to ～) lie 0xFEE0 apart: NFKC maps the latter onto the former.
_TO_FULL_WIDTH = {code: code + 0xFEE0 for code in range(ord("!"), ord("~") + 1)}


def _without_spaces(field: str):
    """The column with its spaces (ASCII and ideographic) taken out, as the database computes it."""
    return Replace(Replace(field, Value(" "), Value("")), Value("\u3000"), Value(""))


def names_matching(queryset, search_term: str):
    """Return the applications whose name or reading holds `search_term` once spaces are set aside.

    "鈴木一郎" finds "鈴木 一郎" and "鈴木　一郎"; the term is NFKC-normalised, and letters typed in
    half width also find names stored with full-width letters; a reading typed in hiragana finds katakana.
    """
    compact = "".join(unicodedata.normalize("NFKC", search_term).split())
    if not compact:
        return queryset.none()
    names = {compact, compact.translate(_TO_FULL_WIDTH)}
    readings = {compact, kana_to_katakana(compact), kana_to_hiragana(compact)}
    wanted = Q()
    for name in names:
        wanted |= Q(name_compact__icontains=name)
    for reading in readings:
        wanted |= Q(reading_compact__icontains=reading)
    return queryset.alias(name_compact=_without_spaces("name"), reading_compact=_without_spaces("name_reading")).filter(
        wanted
    )

