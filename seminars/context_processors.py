from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation

from .selectors import series_current


def series(request):
    """Put the series in every template (header, footer, contact address)."""
    return {"series": series_current()}


def languages(request):
    """The same page in each language, for the switcher and the `hreflang` alternates.

    A page of ours links to itself in the other language (`translate_url`: English under /en/);
    any other path (a 404) links to the other language's home page, so that a crafted path such
    as //elsewhere.example/ never becomes a link off the site. Absolute URLs (for hreflang) only
    for a host we serve: the 400 page for a refused host is rendered with these too.
    """
    try:
        resolve(request.path_info)
        ours = True
    except Resolver404:
        ours = False
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        origin = None
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if ours:
            url = translate_url(request.get_full_path(), code)
        else:
            with translation.override(code):
                url = reverse("seminars:home")
        links.append({
            "code": code,
            "name_local": translation.get_language_info(code)["name_local"],
            "url": url,
            "absolute_url": origin + url if origin else None,
            "is_current": code == current,
        })
    return {"language_links": links}
