"""Public speaker pages."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Appearance, Speaker


def speaker_detail(request, slug):
    speaker = get_object_or_404(
        Speaker.objects.prefetch_related(
            Prefetch(
                "appearances",
                queryset=Appearance.objects.select_related("session").order_by("session__starts_at"),
            )
        ),
        slug=slug,
    )
    return render(request, "speakers/speaker_detail.html", {"speaker": speaker})
