import pytest


@pytest.fixture(autouse=True)
def _plain_http_and_static(settings):
    # Tests run with DEBUG off: production's HTTPS redirect would answer every request with a 301,
    # and the manifest storage would need a collectstatic run before any page renders.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
