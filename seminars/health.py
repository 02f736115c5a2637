"""Reachability of the Celery broker, for /healthz."""
from config.celery import app


def broker_reachable(timeout: float = 2.0) -> bool:
    """Return True when a connection to the broker can be opened within `timeout` seconds."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable" to a health check
        return False
