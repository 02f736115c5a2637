"""How the statistics print their figures: counts with separators, shares as percentages."""
from django import template

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
