from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from seminars.formatting import format_day, format_span, period_separator
from seminars.selectors import archive_for

register = template.Library()


@register.filter
def when(session):
    """Render a session's date and time in the current language."""
    return format_span(session.starts_at, session.ends_at)


@register.filter
def day(value):
    """Render a date with its computed weekday in the current language."""
    return format_day(value)


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
