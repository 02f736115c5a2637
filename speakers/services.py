"""Writes to speakers' appearances."""
from .models import Appearance


def appearances_copy(*, source, target) -> int:
    """Give session `target` the appearances of session `source` (speaker, role, representing, order); return how many.

    The speakers themselves are shared across sessions and years, so nothing of them is copied.
    Appearances `target` already has are kept; a speaker is never added to it twice.
    """
    present = set(Appearance.objects.filter(session=target).values_list("speaker_id", flat=True))
    copies = [
        Appearance(
            session=target, speaker_id=appearance.speaker_id, role=appearance.role, order=appearance.order,
            organisation_note_ja=appearance.organisation_note_ja, organisation_note_en=appearance.organisation_note_en,
        )
        for appearance in Appearance.objects.filter(session=source).order_by("order", "pk")
        if appearance.speaker_id not in present
    ]
    Appearance.objects.bulk_create(copies)
    return len(copies)
