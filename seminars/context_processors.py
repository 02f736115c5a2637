from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from .selectors import series_current


def series(request):
    """Put the series in every template (header, footer, contact address)."""
    return {"series": series_current()}


def languages(request):
    """The same page in each language, for the switcher and the `hreflang` alternates.

    `translate_url` gives the page's URL in the other language (English under /en/); a path that
    is not a page of ours (a 404) stays as it is.
    """
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append({
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "url": url,
            "absolute_url": request.build_absolute_uri(url),
            "is_current": code == current,
        })
    return {"language_links": links}
