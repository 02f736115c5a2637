"""Housekeeping of the embedded default's Celery broker (kombu's SQLAlchemy transport on a SQLite file).

That transport keeps every message it has delivered in its table, only marked invisible; with beat
publishing every 2 seconds, var/broker.sqlite3 would grow by some 75 MB a day. A delivered message
is never read from the table again: one a worker holds unacknowledged lives in that worker's memory,
and the worker publishes it anew if it stops warm. So delivered rows can go at any time.
This module imports no Django, so scripts/start can use it before any process is up.
"""
import sqlite3
from contextlib import closing
from pathlib import Path

# kombu's default for the SQLAlchemy transport's message_tablename option (the settings keep it).
MESSAGE_TABLE = "kombu_message"


def delivered_messages_delete(database: Path) -> int:
    """Delete the messages the broker in the SQLite file `database` has delivered; return how many."""
    if not Path(database).exists():
        return 0
    with closing(sqlite3.connect(database, timeout=30)) as connection, connection:
        if not connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (MESSAGE_TABLE,)).fetchone():
            return 0
        return connection.execute(f"DELETE FROM {MESSAGE_TABLE} WHERE visible = 0").rowcount  # noqa: S608
