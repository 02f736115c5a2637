import html

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

from seminars.templatetags.seminar_tags import phrase_split

register = template.Library()


@register.filter
def pdf_phrases(value):
    """Render text for WeasyPrint so that Japanese lines break between phrases (BudouX), never inside one.

    WeasyPrint knows no `word-break: keep-all` (the `phrases` filter of the web pages relies on it):
    each phrase is kept whole with `white-space: nowrap` (class "ph" in the certificate's CSS), and
    U+200B between phrases is where a line may break. Safe text (a `blocktranslate asvar` result, its
    variables escaped) is read back to plain text first; safe text with markup is left as it is.
    """
    if isinstance(value, SafeData):
        if "<" in value:
            return value
        value = html.unescape(str(value))
    pieces = phrase_split(str(value))
    if len(pieces) < 2:
        return escape(value)
    return mark_safe("\u200b".join(f'<span class="ph">{escape(piece)}</span>' for piece in pieces))  # noqa: S308 - each piece escaped
