"""Logging that never writes applicants' personal data.

Our code logs IDs and counts only; these formatters are the safety net for
everything else that reaches a log line (Django's request warnings, Celery,
third-party libraries, exception texts). They redact, in the formatted output:

- email addresses;
- phone numbers (10 to 15 digits, with or without separators);
- the path and query of every http(s) URL, so joining links (their secret is in
  the path or query) never appear, while the host still helps debugging;
- token-like path segments (manage links carry their secret in the path), except in
  the source file paths of tracebacks and warnings (`File "/app/x/y_z.py", line 3`,
  `/app/x/y_z.py:12:`), which name code, not people, and which operators need;
- query strings (`?key=value...`) after a path;
- anything matching the extra patterns from settings.LOG_REDACT_PATTERNS.

Redacting at the formatter rather than in a filter leaves the LogRecord itself
untouched for other handlers and also covers exception texts and `extra` fields.
This module imports no Django so gunicorn.conf.py can use `redact` too.
"""
import datetime as dt
import logging
import re

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REDACTED = "[redacted]"

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Candidates only; _phone() keeps those with 10-15 digits, so references (T0000001),
# IDs and dates are left alone.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+\d|0\d)[\d\s().-]{7,16}\d(?!\w)")
URL_RE = re.compile(r"(?P<origin>https?://[^/\s?#\"'<>]+)(?P<rest>[/?#][^\s\"'<>]*)?", re.IGNORECASE)
# A path segment of 16+ characters that looks like a secret rather than a slug: it has an
# uppercase letter, '_' , ':' or '=' (signed values, urlsafe base64), or is 32+ hex digits.
TOKEN_SEGMENT_RE = re.compile(
    r"(?<=/)(?:(?=[\w:=.-]*[A-Z_:=])[\w:=.-]{16,}|[0-9a-f]{32,})(?=[/?#\s\"']|$)"
)

QUERY_RE = re.compile(r"(?<=[/\w])\?[\w%.\[\]-]+=[^\s\"'<>]*")
# The file of a traceback's frame (File "...", line N) and of a warning (/path/file.py:N:), and a public
# static file's path in a request line (/static/admin/css/nav_sidebar.dd925738f4cc.css has a '_' and 16+
# characters, but is no secret; no '..' segment). One group, so that re.split() returns these paths at the odd indices.
SOURCE_PATH_RE = re.compile(
    r"((?<=File \")[^\"\n]+(?=\", line \d)"
    r"|(?<![\w/.])(?:/[\w.+@-]+)+\.py(?=:\d)"
    r"|(?<![\w/.])/static/(?:[\w-][\w.-]*/)*[\w-][\w.-]*(?=[\s\"'?#]|$))"
)


def _phone(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return REDACTED if 10 <= digits <= 15 else match.group(0)


def _url(match: re.Match) -> str:
    return match.group("origin") + ("/" + REDACTED if match.group("rest") else "")


def _token_segments(text: str) -> str:
    """Redact token-like path segments everywhere but in source file and static file paths (neither is a secret)."""
    pieces = SOURCE_PATH_RE.split(text)
    pieces[::2] = [TOKEN_SEGMENT_RE.sub(REDACTED, piece) for piece in pieces[::2]]
    return "".join(pieces)


def redact(text: str, extra_patterns: list[re.Pattern] | tuple = ()) -> str:
    """Return `text` with personal data, joining links and tokens replaced by [redacted]."""
    if not text:
        return text
    text = URL_RE.sub(_url, text)
    text = QUERY_RE.sub("?" + REDACTED, text)
    text = EMAIL_RE.sub(REDACTED, text)
    text = PHONE_RE.sub(_phone, text)
    text = _token_segments(text)
    for pattern in extra_patterns:
        text = pattern.sub(REDACTED, text)
    return text


def _redact_value(value, patterns):
    if isinstance(value, str):
        return redact(value, patterns)
    if isinstance(value, dict):
        return {key: _redact_value(item, patterns) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact_value(item, patterns) for item in value]
    return value


def _iso_time(record) -> str:
    """ISO 8601 with the UTC offset: gunicorn's master runs in UTC, Django's processes in Asia/Tokyo."""
    return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class PlainFormatter(logging.Formatter):
    """A one-line text formatter whose output is redacted (the default, for people reading a terminal)."""

    def __init__(self, *args, extra_patterns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_patterns = [re.compile(p) for p in extra_patterns]

    def formatTime(self, record, datefmt=None):
        return _iso_time(record)

    def format(self, record):
        return redact(super().format(record), self.extra_patterns)


class JsonFormatter(_JsonFormatter):
    """JSON lines for production (LOG_FORMAT=json): one object per record, every string redacted.

    The `request` object Django attaches to its request warnings is left out: its
    repr carries the query string; the message already names the path.
    """

    def __init__(self, *args, extra_patterns=(), **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "taskName"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)
        self.extra_patterns = [re.compile(p) for p in extra_patterns]

    def formatTime(self, record, datefmt=None):
        return _iso_time(record)

    def process_log_record(self, log_data):
        return _redact_value(super().process_log_record(log_data), self.extra_patterns)


def logging_config(*, log_format: str = "plain", level: str = "INFO", extra_patterns=()) -> dict:
    """Return the LOGGING dict: everything to stderr through one redacting formatter."""
    formatters = {
        "plain": {
            "()": PlainFormatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "extra_patterns": list(extra_patterns),
        },
        "json": {
            "()": JsonFormatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "extra_patterns": list(extra_patterns),
        },
    }
    if log_format not in formatters:
        raise ValueError(f"LOG_FORMAT must be one of {sorted(formatters)}, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint (certificates, check-in lists) tells each step of every PDF at INFO: its warnings are enough.
        # Celery tells of every task received, run and sent by beat at INFO; beat runs the receipt task every
        # 2 seconds, so those lines would bury the rest. Failures still show (WARNING and ERROR).
        "loggers": {
            "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
            "celery.worker.strategy": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"},
            "celery.beat": {"level": "WARNING"},
            # runserver's request lines (scripts/start): through the redacting handler too, not Django's own
            # unformatted one, so a manage link's token in a path is redacted as in gunicorn's access log.
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
