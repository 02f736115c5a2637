"""Public speaker pages."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from seminars.page_cache import public_page
from seminars.views import stored_image_response

from .models import Appearance, Speaker


@public_page
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


@require_GET
def speaker_photo(request, slug):
    """Serve a speaker's photo (media files are not served by the web process otherwise)."""
    speaker = get_object_or_404(Speaker.objects.exclude(photo=""), slug=slug)
    return stored_image_response(speaker.photo)
