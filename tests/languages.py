"""The English pages in tests: each language has its own URLs (config/urls.py).

Japanese is at the root (`/`, `/sessions/x/`, `/admin/…`) and English under `/en/`. Neither the
Accept-Language header nor the language cookie chooses the language of a page any more: a test
that reads a page in English asks for its English URL, through `en(path)` or an `EnglishClient`.
"""
from urllib.parse import urlsplit

from django.test import Client

ENGLISH_PREFIX = "/en"

# Paths that config/urls.py keeps outside i18n_patterns: they have no English URL of their own.
OUTSIDE_LANGUAGES = ("/healthz", "/media/", "/static/")


def en(path: str) -> str:
    """Return the English URL of a Japanese path: en("/sessions/x/") == "/en/sessions/x/".

    A path already under /en/, a full URL, or a path that has no language (OUTSIDE_LANGUAGES) is
    returned as it is, so that `en(session.get_absolute_url())` is right in either language.
    """
    path = str(path)
    if (
        not path.startswith("/")
        or path == ENGLISH_PREFIX
        or path.startswith((f"{ENGLISH_PREFIX}/", f"{ENGLISH_PREFIX}?"))
        or path.startswith(OUTSIDE_LANGUAGES)
    ):
        return path
    return ENGLISH_PREFIX + path


def is_japanese_page(url: str) -> bool:
    """Whether `url` (a path or a URL on this site) is one of the Japanese pages at the root."""
    path = urlsplit(url).path
    return path.startswith("/") and en(path) != path


class EnglishClient(Client):
    """A visitor or office user reading the English pages.

    Every request to a path on this site (starting with "/") goes to its English URL under /en/,
    as a visitor does after choosing English in the switcher. A redirect from an English page to
    a Japanese one would silently change the visitor's language: it fails the test instead of
    being followed into English.
    """

    def generic(self, method, path, *args, **kwargs):
        response = super().generic(method, en(path), *args, **kwargs)
        location = response.get("Location")
        if location and urlsplit(location).netloc in ("", "testserver") and is_japanese_page(location):
            raise AssertionError(f"The English page {en(path)} redirects to the Japanese page {location}")
        return response
