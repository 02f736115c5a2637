"""Public speaker pages."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import SpeakerFactory
from tests.seminars.test_views import make_programme

pytestmark = pytest.mark.django_db


def test_unknown_speaker_slug_is_404(client):
    SpeakerFactory()
    assert client.get("/speakers/no-such-speaker/").status_code == 404


def test_speaker_page_lists_every_session_they_appear_in(client):
    sessions = make_programme(3)
    speaker = sessions[0].appearances.order_by("order", "pk").first().speaker

    response = client.get(speaker.get_absolute_url())

    content = response.content.decode()
    for session in sessions:
        assert session.get_absolute_url() in content


@pytest.mark.parametrize("count", [5, 50])
def test_speaker_page_query_count_is_fixed(client, django_assert_num_queries, count):
    sessions = make_programme(count)
    speaker = sessions[0].appearances.order_by("order", "pk").first().speaker
    # speaker + appearances with sessions + series (context processor)
    with django_assert_num_queries(3):
        response = client.get(speaker.get_absolute_url())
    assert response.content.decode().count('class="session-card"') == count


def test_speaker_photo_is_served_by_the_portal_itself(client):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    speaker = SpeakerFactory(photo=SimpleUploadedFile("portrait.png", buffer.getvalue(), content_type="image/png"))

    page = client.get(speaker.get_absolute_url())
    photo = client.get(reverse("speakers:photo", kwargs={"slug": speaker.slug}))

    assert reverse("speakers:photo", kwargs={"slug": speaker.slug}) in page.content.decode()
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == buffer.getvalue()


def test_speaker_without_photo_has_no_photo_url(client):
    speaker = SpeakerFactory()

    assert client.get(reverse("speakers:photo", kwargs={"slug": speaker.slug})).status_code == 404
