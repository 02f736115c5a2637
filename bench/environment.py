"""Set Django up for a bench script that runs in-process: a fresh database and a folder of its own."""
import os
import tempfile
from pathlib import Path

from bench.mail import fresh_postgres


def bench_django_setup(database_url: str, *, name: str, **env: str) -> str:
    """Start Django on a fresh copy of `database_url` (SQLite if PostgreSQL is not reachable), in a new
    folder (VAR_DIR), with no Redis, quiet logs and plain static files; return the database URL used.

    `env` adds or overrides environment variables (e.g. ALLOWED_HOSTS for a test client).
    """
    var_dir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    if not (database_url.startswith("postgres") and fresh_postgres(database_url)):
        database_url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url, "VAR_DIR": str(var_dir),
        "SECRET_KEY": "bench-only-not-secret", "LOG_LEVEL": "WARNING", "REDIS_URL": "", "CACHE_URL": "",
        "SECURE_SSL_REDIRECT": "false", "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        **env,
    })
    import django

    django.setup()
    return database_url
