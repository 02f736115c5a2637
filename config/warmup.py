"""Do at a web process's start what its first requests would otherwise do while an applicant waits.

A fresh gunicorn worker answered its first application in about 110 ms instead of 3:
Python imported the Redis client and Celery's transport on first use, Django compiled
its lazy regular expressions (email, URL, slug validators) and loaded the message
catalogues. On an opening day every worker meets its first application at the same
moment, so that cost became the surge's slowest second (bench/surge.py --timeline).

All of it is work inside the process: no connection is opened here (PostgreSQL,
Redis and the broker connect on first use, as before), so a server that is down at
start delays nothing and `preload_app` stays safe. Any failure is logged and ignored:
warming is an optimisation, never a reason not to serve.
"""
import logging

logger = logging.getLogger(__name__)

_SAMPLE_APPLICATION = {
    "name": "山田 花子", "name_reading": "ヤマダ ハナコ", "email": "warm-up@example.jp",
    "email_again": "warm-up@example.jp", "organisation": "株式会社サンプル", "department": "人事部",
    "position": "課長", "industry": "retail", "organisation_size": "100-299", "prefecture": "13",
    "phone": "03-1234-5678", "attendance": "online", "question": "", "consent": "on",
}


def warm_up() -> None:
    """Import, compile and load what serving pages and applications needs; never raises."""
    steps = (_translations, _urls, _application_form, _broker_client)
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - see the module docstring
            logger.warning("warm-up step %s failed; the first request will do it", step.__name__, exc_info=True)


def _translations() -> None:
    from django.conf import settings
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Apply")


def _urls() -> None:
    from django.urls import reverse

    reverse("seminars:home")
    reverse("registrations:apply", kwargs={"slug": "warm-up"})


def _application_form() -> None:
    """Validate a sample application: compiles the validators' patterns and the kana and phone rules."""
    from registrations.forms import ApplicationForm
    from seminars.enums import SessionFormat
    from seminars.models import Session

    form = ApplicationForm(_SAMPLE_APPLICATION, session=Session(format=SessionFormat.ONLINE))
    if not form.is_valid():
        logger.warning("warm-up sample application did not validate: %s", form.errors.get_json_data())


def _broker_client() -> None:
    """Build Celery's message machinery and import the broker transport; no connection is made."""
    from celery import current_app

    import outbox.tasks  # noqa: F401 - registers the task the views publish

    current_app.amqp  # noqa: B018 - a cached property: queues, producer class
    connection = current_app.connection_for_write()
    try:
        connection.transport  # noqa: B018 - imports the transport module (kombu.transport.redis, and redis)
    finally:
        connection.release()
