"""How the statistics print their figures: counts with separators, shares as percentages."""
from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def count(value) -> str:
    """5000 -> "5,000"; None -> "–" (no capacity, no figure)."""
    return "–" if value is None else f"{value:,}"


@register.filter
def percent(value) -> str:
    """0.625 -> "62.5%"; None -> "–" (nothing to divide by)."""
    return "–" if value is None else f"{100 * value:.1f}%"


@register.filter
def score(value) -> str:
    """A mean on the questionnaire's scale: 4.25 -> "4.25"; None -> "–"."""
    return "–" if value is None else f"{value:.2f}"


@register.filter
def at(values, index):
    """values|at:i -> values[i] (a per-session count in a table row)."""
    return values[index]


@register.filter
def rate(figures, name: str) -> str:
    """figures|rate:"attendance_rate" -> "80.0%"; "not held yet" before the session; "–" when none is recorded."""
    if not figures.held:
        return gettext("not held yet")
    return percent(getattr(figures, name))


@register.filter
def figure(figures, name: str) -> str:
    """figures|figure:"attended" -> the figure as the tables print it: a count, a share, a rate or a mean."""
    if name in ("attendance_rate", "response_rate"):
        return rate(figures, name)
    value = getattr(figures, name)
    if name == "fill_rate":
        return percent(value)
    if name == "satisfaction":
        return score(value)
    return count(value)
