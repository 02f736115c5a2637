"""The web process's warm-up (config/warmup.py, run by config/wsgi.py when gunicorn loads the portal)."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Prints what a fresh web process has loaded once config.wsgi is imported, and every log record.
PROBE = """
import logging, sys
records = []
class Keep(logging.Handler):
    def emit(self, record):
        records.append(f"{record.levelname} {record.name} {record.getMessage()}")
logging.getLogger().addHandler(Keep())
import config.wsgi
from django.db import connections
print("loaded redis:", "redis.client" in sys.modules)
print("loaded transport:", "kombu.transport.redis" in sys.modules)
print("database connected:", any(c.connection is not None for c in connections.all(initialized_only=True)))
for record in records:
    print("LOG", record)
"""


def _start_web_process(**env_overrides) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides}
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_web_process_starts_warm_with_its_servers_down():
    """Nothing listens on port 1: the process still starts, warmed, without trying to connect."""
    result = _start_web_process(
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
        REDIS_URL="redis://127.0.0.1:1/0",
        LOG_LEVEL="DEBUG",
    )

    assert result.returncode == 0, result.stderr
    assert "loaded redis: True" in result.stdout
    assert "loaded transport: True" in result.stdout
    assert "database connected: False" in result.stdout
    problems = [line for line in result.stdout.splitlines() if line.startswith(("LOG WARNING", "LOG ERROR"))]
    assert problems == []


def test_the_warm_up_validates_its_sample_application():
    """If the form's rules change, the sample must change with them, or warming silently stops covering them."""
    from config.warmup import _SAMPLE_APPLICATION
    from registrations.forms import ApplicationForm
    from seminars.enums import SessionFormat
    from seminars.models import Session

    form = ApplicationForm(_SAMPLE_APPLICATION, session=Session(format=SessionFormat.ONLINE))

    assert form.is_valid(), form.errors.get_json_data()
