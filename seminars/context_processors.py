from .selectors import series_current


def series(request):
    """Put the series in every template (header, footer, contact address)."""
    return {"series": series_current()}
