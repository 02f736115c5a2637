from django import template

from seminars.formatting import format_day, format_span

register = template.Library()


@register.filter
def when(session):
    """Render a session's date and time in the current language."""
    return format_span(session.starts_at, session.ends_at)


@register.filter
def day(value):
    """Render a date with its computed weekday in the current language."""
    return format_day(value)
