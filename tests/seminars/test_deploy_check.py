"""`manage.py check --deploy` under production-like settings prints no warnings."""
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.postgres
def test_check_deploy_has_no_warnings_with_production_settings():
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "seminars.example.org",
        # The run's own PostgreSQL (the postgres marker guarantees DATABASE_URL points at one).
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper(), output
    assert "System check identified no issues" in output
