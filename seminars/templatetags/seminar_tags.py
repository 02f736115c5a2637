import functools
from urllib.parse import urlencode

from budoux import load_default_japanese_parser
from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from seminars.enums import SessionState
from seminars.formatting import format_day, format_list, format_moment, format_span, list_separator, period_separator
from seminars.selectors import archive_for

register = template.Library()


# At or below this many free places a page says "few places left" rather than the number.
FEW_PLACES = 5


@functools.cache
def _japanese_parser():
    # Loading the model takes a few milliseconds; one parser serves the whole process.
    return load_default_japanese_parser()


def phrase_split(text: str) -> list[str]:
    """Return Japanese text cut into phrases (BudouX); other text, or empty text, as one piece."""
    if not text or text.isascii():
        return [text]
    return _japanese_parser().parse(text)


@register.filter
def phrases(value):
    """Render text so that Japanese lines break between phrases, never inside a word.

    Escapes the text, puts U+200B between BudouX's phrases and wraps it in
    `<span class="phrases">` (word-break: keep-all in portal.css): Safari honours this,
    while CSS `word-break: auto-phrase` works in Chromium only. Safe text with markup or
    entities is left as it is (it cannot be cut into phrases); plain safe text, such as
    `{% translate "…" as heading %}`, is cut like any other.
    """
    if isinstance(value, SafeData) and ("<" in value or "&" in value):
        return value
    return _phrase_span(value, 'class="phrases"')


# Mail clients may drop classes and style sheets: the rule of .phrases in portal.css, inline. `break-word`
# rather than `anywhere`: a phrase too long for its line still breaks, but a table cell (the labels of a mail's
# table) is never squeezed narrower than its longest phrase, which `anywhere` allows ("セッショ/ン" on a phone).
MAIL_PHRASES_STYLE = "word-break: keep-all; overflow-wrap: break-word;"


@register.filter
def mail_phrases(value):
    """Render text for an HTML mail as `phrases` does for a page, with the line-breaking rule inline.

    Mail is not under the pages' CSP, and clients strip classes, so the span carries its own style.
    """
    if isinstance(value, SafeData) and ("<" in value or "&" in value):
        return value
    return _phrase_span(value, f'style="{MAIL_PHRASES_STYLE}"')


def _phrase_span(value, attribute: str):
    pieces = phrase_split(str(value))
    joined = mark_safe("\u200b".join(escape(p) for p in pieces))  # noqa: S308 - each piece escaped
    return format_html("<span {}>{}</span>", mark_safe(attribute), joined)  # noqa: S308 - a constant attribute


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def japan_time(text: str) -> str:
    """Return a time marked as Japan time, as each language writes it; the mark stays whole on its line.

    (On a narrow screen a browser may otherwise wrap inside "（日本時間）", leaving "（日本" and "時間）" on two lines.)
    """
    if _japanese():
        return format_html('{}<span class="nowrap">（日本時間）</span>', text)
    return format_html('{} <span class="nowrap">(Japan time)</span>', text)


@register.filter
def when(session):
    """Render a session's date and time in the current language, marked as Japan time."""
    return japan_time(format_span(session.starts_at, session.ends_at))


@register.filter
def applications_close(session):
    """Render the last moment to apply: "December 17, 2026 (Thu.), 11:59 PM (Japan time)" or "…23:59（日本時間）"."""
    day = format_day(session.applications_close_on)
    # The period ends at 24:00 Japan time on its last date (Session.applications_close_at).
    # The date stays whole on one line; the time may follow on the next.
    if _japanese():
        return format_html('<span class="nowrap">{}</span>{}', day, japan_time("23:59"))
    return format_html('<span class="nowrap">{},</span> {}', day, japan_time("11:59 PM"))


@register.filter
def state_now(session):
    """Return the session's state at this moment (Session.state), as the page computed it if it did."""
    return getattr(session, "current_state", None) or session.state(now=timezone.now())


@register.filter
def places_left(session):
    """Return what a page says of a session's free places next to its capacity, or "".

    Only while applications are taken (state open or full) and only for a session with a
    capacity: the number left, "few places left", or "waiting list only" when full.
    """
    state = state_now(session)
    if session.capacity is None or state not in (SessionState.OPEN, SessionState.FULL):
        return ""
    left = session.capacity - session.places_taken
    if state == SessionState.FULL or left <= 0:
        return _("Waiting list only") if session.waitlist_enabled else ""
    if left <= FEW_PLACES:
        return _("Few places left")
    return ngettext("%(count)s place left", "%(count)s places left", left) % {"count": left}


@register.filter
def day(value):
    """Render a date (or an aware datetime's date in Japan time) with its computed weekday."""
    return format_day(value)


@register.filter
def moment(value):
    """Render a moment with its date and time in the current language, marked as Japan time."""
    return japan_time(format_moment(value))


@register.filter
def listing(items):
    """Render items as one list in the current language: joined by 「、」 in Japanese, ", " in English."""
    return format_list(items)


@register.simple_tag
def list_comma():
    """Return the separator between items of a list written out in a loop: "、" or ", "."""
    return list_separator()


@register.filter
def application_period(session):
    """Render a session's application period; each date stays whole on one line."""
    return format_html(
        '<span class="nowrap">{}</span>{}<span class="nowrap">{}</span>',
        format_day(session.applications_open_on),
        period_separator(),
        format_day(session.applications_close_on),
    )


@register.filter
def captions_url(session, token=""):
    """Return the address of a session's archive captions; applicants' links carry their manage token."""
    url = reverse("seminars:archive_captions", kwargs={"slug": session.slug})
    return f"{url}?{urlencode({'token': token})}" if token else url


@register.inclusion_tag("seminars/_archive_video.html")
def archive_video(session, application=None, token=""):
    """Render the session's archive for the holder of `application` (e.g. on the manage page).

    Shows the video when that viewer may watch it now (selectors.archive_visible_to), else
    says the archive has ended or is for applicants. `token` is the manage-link token, so
    the captions file can be fetched by an applicant too.
    """
    return {"archive": archive_for(session, application=application), "token": token}
