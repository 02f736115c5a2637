"""gunicorn settings for the web process: `gunicorn config.wsgi -c gunicorn.conf.py`.

Read from the same environment as config/settings.py. Logs go through the portal's
redacting formatters (config/logging.py), and the access log records method, path
(never the query string), status, size and duration: no client address, referrer
or user agent, which the portal does not need. Manage-link tokens in a path are
redacted by the formatter.
"""
import os

from config.logging import logging_config

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# More than one thread per worker switches to the gthread worker (WEB_THREADS=4 for the opening surge).
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 30
# On SIGTERM a worker stops accepting and finishes the requests it has, for up to this long.
graceful_timeout = 30
keepalive = 5
# Trust X-Forwarded-Proto only from the reverse proxy in front (set to its address when it is not local).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

access_log_format = "%(m)s %(U)s %(s)s %(b)s %(M)sms"
_logging = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "plain"),
    level=os.environ.get("LOG_LEVEL", "INFO"),
    extra_patterns=[p for p in os.environ.get("LOG_REDACT_PATTERNS", "").split(",") if p],
)
logconfig_dict = {
    **_logging,
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
