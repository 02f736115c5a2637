"""What each kind of mail is called in the office's words, for the outbox's admin pages.

The outbox stores a kind as a code ("receipt", "follow_up"); the apps that send mail know what
their codes mean and name them here when Django starts (their AppConfig.ready), so the office
reads 受付完了のお知らせ rather than `receipt` without the outbox depending on those apps.
"""

_LABELS: dict[str, object] = {}


def kinds_register(choices) -> None:
    """Name the kinds of mail an app sends: `choices` is [(code, label)], e.g. a TextChoices' .choices."""
    _LABELS.update(dict(choices))

def kind_label(kind: str) -> str:
    """Return the kind's name for the office, or the code itself for a kind no app has named."""
    if not kind:
        return "–"
    return str(_LABELS.get(kind, kind))

def kind_choices() -> list[tuple[str, str]]:
    """Return every named kind as (code, name), by name."""
    return sorted(((code, str(label)) for code, label in _LABELS.items()), key=lambda item: item[1])

