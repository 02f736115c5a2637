import pytest


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Every test here talks plain HTTP (see tests/conftest.py)."""
