"""Bar charts of the results, drawn on the server as SVG by pygal, shown as images with a table beside them.

Each chart is an <img> whose source is the SVG as a data: URL (the CSP allows images from data:).
As an image, the SVG's own <style> is not inline style of the page, so the CSP's style-src 'self'
does not block it, and no script in it ever runs; pygal's configuration script is removed anyway
(an `xml_filters` step). The table beside each chart holds the same figures, for screen readers,
printing and copying.
"""
import base64
import unicodedata
from decimal import Decimal

import pygal
from django.utils.translation import gettext
from pygal.style import Style

# Long choices are cut to this many characters on the chart; the table beside it has them whole.
_LABEL_LENGTH = 18
_LABEL_FONT_SIZE = 13
_MARGIN = 12
# The portal's colours (static/css/portal.css) and fonts that hold Japanese.
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2430",
    foreground_strong="#1d2430",
    foreground_subtle="#d5dbe3",
    colors=("#0b5a6b", "#b3471a", "#1e6b33", "#7a4d00", "#5b3a8c", "#4a5568"),
    font_family='"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Noto Sans JP", sans-serif',
    label_font_size=_LABEL_FONT_SIZE,
    major_label_font_size=_LABEL_FONT_SIZE,
    value_font_size=12,
    value_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)
_WIDTH = 720


def _without_scripts(root):
    """Drop pygal's <script> elements: the chart is an image and needs no script."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _label_room(labels: list[str]) -> int:
    """Return the room the labels need beyond pygal's estimate, which counts every character 0.6 em wide.

    Japanese characters are a full em wide: without this the start of a long choice is cut off.
    """
    def missing(label: str) -> float:
        shown = label[:_LABEL_LENGTH + 1]
        wide = sum(1 for ch in shown if unicodedata.east_asian_width(ch) in "WF")
        return wide * 0.4 * _LABEL_FONT_SIZE

    return round(max((missing(label) for label in labels), default=0))


def _config(labels: list[str], **kwargs) -> dict:
    return {
        "style": _STYLE,
        "width": _WIDTH,
        "js": [],
        "xml_filters": [_without_scripts],
        "disable_xml_declaration": True,
        # width and height on the <svg>: an image needs its own size, the page scales it down (max-width).
        "explicit_size": True,
        "truncate_label": _LABEL_LENGTH,
        "print_values": True,
        "show_y_guides": False,
        "margin": _MARGIN,
        "margin_left": _MARGIN + _label_room(labels),
        "no_data_text": gettext("No answers yet."),
        **kwargs,
    }


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _number(value: Decimal | None) -> float | None:
    # No bar and no value for nothing: a "0.0%" would sit on the labels; the table says 0.
    return None if not value else float(value)


def share_chart(labels: list[str], shares: list[Decimal | None]) -> str:
    """Return a horizontal bar chart of shares in percent (one bar per label, in order) as a data: URL."""
    chart = pygal.HorizontalBar(**_config(
        labels, height=max(140, 44 * len(labels) + 60), show_legend=False, range=(0, 100), include_x_axis=True,
        value_formatter=lambda value: f"{value:.1f}%", x_title="%",
    ))
    # Horizontal bars run from the bottom up: reversed, the first choice is on top as in the table.
    chart.x_labels = list(reversed(labels))
    chart.add("", [_number(share) for share in reversed(shares)])
    return _data_url(chart.render(is_unicode=True))


def means_chart(labels: list[str], means: list[Decimal | None]) -> str:
    """Return a bar chart of a scale's mean per session (1 to 5) as a data: URL."""
    chart = pygal.HorizontalBar(**_config(
        labels, height=max(140, 44 * len(labels) + 60), show_legend=False, range=(1, 5),
        value_formatter=lambda value: f"{value:.2f}",
    ))
    chart.x_labels = list(reversed(labels))
    chart.add("", [_number(value) for value in reversed(means)])
    return _data_url(chart.render(is_unicode=True))


def compared_shares_chart(columns: list[str], sessions: list[tuple[str, list[Decimal | None]]]) -> str:
    """Return grouped horizontal bars: per choice, one bar per session's share in percent, as a data: URL."""
    chart = pygal.HorizontalBar(**_config(
        columns, height=max(180, (14 * len(sessions) + 20) * len(columns) + 90 + 24 * len(sessions)),
        show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=1, truncate_legend=-1, range=(0, 100),
        print_values=False,
        value_formatter=lambda value: f"{value:.1f}%",
    ))
    chart.x_labels = list(reversed(columns))
    for name, shares in sessions:
        chart.add(name, [_number(share) for share in reversed(shares)])
    return _data_url(chart.render(is_unicode=True))
