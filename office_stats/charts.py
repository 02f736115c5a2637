"""The statistics' charts, drawn on the server as SVG with pygal and handed to pages as data: URIs.

An <img src="data:image/svg+xml…"> keeps pygal's own <style> inside the image, where the admin's
Content-Security-Policy (style-src 'self', img-src 'self' data:) does not reach it, and WeasyPrint
draws the same image in the PDF. No script: pygal's tooltips would load JavaScript from its site.
Every chart stands beside a table of the same figures, which is what screen readers and
copy-and-paste use; the chart only shows the shape.
"""
import datetime as dt
import unicodedata

import pygal
from django.utils.translation import gettext, ngettext
from pygal.style import Style

# Okabe and Ito's colours, told apart by people with any kind of colour blindness.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', 'Meiryo', sans-serif"

STYLE = Style(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#111111",
    foreground_subtle="#d0d0d0",
    opacity=".9",
    opacity_hover="1",
    colors=COLOURS,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
    no_data_font_size=20,
)

COMMON = {
    "style": STYLE,
    "js": (),  # no tooltips: they need a script from pygal's site, which the CSP refuses anyway
    "width": 640,
    "height": 360,
    # Width and height on the <svg>: an <img> of it then has that size, not the 300×150 of a sizeless image.
    "explicit_size": True,
    "margin": 12,
    "max_scale": 8,
    "truncate_legend": -1,
    "truncate_label": -1,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "print_values": False,
    "show_y_guides": True,
    "show_x_guides": False,
}


def _options(**overrides) -> dict:
    return {**COMMON, **overrides}


def _wide_margin(labels) -> int:
    """Return the room pygal leaves out for labels in Japanese.

    pygal reckons every character 0.6 em wide; a full-width one (kanji, kana) takes a whole em.
    """
    wide = max((sum(unicodedata.east_asian_width(char) in "WF" for char in label) for label in labels), default=0)
    return round(wide * 0.4 * STYLE.label_font_size) + 8


def _legend_columns(series: int) -> dict:
    # One row of legend: pygal leaves room for a second row only in part, and it is cut off.
    return {"legend_at_bottom_columns": max(1, series)}


def _render(chart) -> str:
    return chart.render_data_uri()


def _integer(value) -> str:
    return f"{round(value):,}" if value is not None else ""


def figures_chart(figures) -> str:
    """Capacity, applications, confirmed and attended per session, side by side."""
    chart = pygal.Bar(**_options(no_data_text=gettext("No data yet"), value_formatter=_integer, min_scale=1,
                                 **_legend_columns(4)))
    chart.x_labels = [each.label for each in figures]
    chart.add(gettext("Capacity"), [each.capacity for each in figures])
    chart.add(gettext("Applications"), [each.applications for each in figures])
    chart.add(gettext("Confirmed"), [each.confirmed for each in figures])
    chart.add(gettext("Attended"), [each.attended for each in figures])
    return _render(chart)


def daily_chart(lines) -> str:
    """Applications so far by day, one line per session; each session's closing date marked with a square."""
    lines = [line for line in lines if line.days]
    chart = pygal.DateLine(**_options(
        height=400,
        **_legend_columns(min(len(lines) + 1, 6)),
        no_data_text=gettext("No applications yet"),
        x_value_formatter=lambda day: f"{day:%m/%d}",
        value_formatter=_integer,
        x_label_rotation=30,
        dots_size=2,
        min_scale=1,
    ))
    if lines:
        chart.x_labels = _months(min(line.session.applications_open_on for line in lines),
                                 max(max(line.closes_on, line.days[-1][0]) for line in lines))
    closings = []
    for line in lines:
        points = [(day, running) for day, _new, running in line.days]
        if points and points[0][0] > line.session.applications_open_on:
            points.insert(0, (line.session.applications_open_on, 0))
        if points:
            chart.add(gettext("Session %(number)s") % {"number": line.session.number}, points)
            closings.append((line.closes_on, line.total_on(line.closes_on)))
    if closings:
        chart.add(gettext("Applications close"), closings, stroke=False, dots_size=6)
    # pygal's date axis needs values; with none it draws its "no data" text instead.
    return _render(chart)


def breakdown_chart(breakdown, *, limit: int = 12) -> str:
    """One bar per row of the breakdown (the first `limit` rows with applications), the total of every session."""
    rows = [row for row in breakdown.rows if row.total][:limit]
    chart = pygal.HorizontalBar(**_options(
        height=max(200, 60 + 30 * len(rows)),
        margin_left=_wide_margin(row.label for row in rows),
        show_legend=False,
        print_values=True,
        no_data_text=gettext("No applications yet"),
        value_formatter=_integer,
        min_scale=1,
    ))
    # pygal draws the first label at the bottom: reversed, the table's first row is on top.
    chart.x_labels = [row.label for row in reversed(rows)]
    if rows:
        chart.add(breakdown.title, [row.total for row in reversed(rows)])
    return _render(chart)


def modes_chart(modes) -> str:
    """Applicants and attendees, online and at the venue."""
    chart = pygal.Bar(**_options(height=280, no_data_text=gettext("No applications yet"), value_formatter=_integer,
                                    print_values=True, min_scale=1, **_legend_columns(2)))
    chart.x_labels = [row.label for row in modes]
    chart.add(gettext("Applications"), [row.applied for row in modes])
    chart.add(gettext("Attended"), [row.attended for row in modes])
    return _render(chart)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """Return the first day of each month from `first`'s to `last`'s, the date axis' labels."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months or [first]


def sessions_label(sessions: int) -> str:
    return ngettext("%(count)d session", "%(count)d sessions", sessions) % {"count": sessions}


def repeat_chart(rows) -> str:
    """People by the number of the series' sessions they attended."""
    chart = pygal.Bar(**_options(show_legend=False, print_values=True, value_formatter=_integer, min_scale=1,
                                 no_data_text=gettext("No attendance recorded yet")))
    chart.x_labels = [sessions_label(sessions) for sessions, _people in rows]
    if any(people for _sessions, people in rows):
        chart.add(gettext("People"), [people for _sessions, people in rows])
    return _render(chart)


def charts_for(statistics) -> dict[str, str]:
    """Return every chart of the statistics, by name, as data: URIs."""
    charts = {
        "figures": figures_chart(statistics.figures),
        "daily": daily_chart(statistics.daily),
        "modes": modes_chart(statistics.modes),
        **{each.key: breakdown_chart(each) for each in statistics.breakdowns},
    }
    if statistics.session is None:
        charts["repeat"] = repeat_chart(statistics.repeat_rows)
    return charts

