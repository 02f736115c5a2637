"""Archive video addresses: what is refused, and the markup each kind gets on the session page."""
import pytest
from django.core.exceptions import ValidationError

from seminars.models import Session
from seminars.video import VideoKind, video_parse
from tests.factories import ArchivedSessionFactory
from tests.languages import en

REJECTED = [
    ("javascript:alert(document.cookie)", "scheme"),
    ("JavaScript:alert(1)", "scheme"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "scheme"),
    ("vbscript:msgbox(1)", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("ftp://example.org/archive.mp4", "scheme"),
    ("mailto:office@example.org", "scheme"),
    ("//www.youtube.com/watch?v=M7lc1UVf-VE", "scheme"),
    ("www.youtube.com/watch?v=M7lc1UVf-VE", "scheme"),
    ("https://", "invalid"),
    ("https://exa mple.org/video.mp4", "invalid"),
    ("https://user:secret@example.org/video.mp4", "credentials"),
    ("https://www.youtube.com/", "youtube_no_video"),
    ("https://www.youtube.com/watch", "youtube_no_video"),
    ("https://www.youtube.com/watch?v=short", "youtube_no_video"),
    ("https://www.youtube.com/watch?v=M7lc1UVf-VE%22onload%3D", "youtube_no_video"),
    ("https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw", "youtube_no_video"),
    ("https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs", "youtube_no_video"),
    ("https://youtu.be/", "youtube_no_video"),
    ("https://vimeo.com/", "vimeo_no_video"),
    ("https://vimeo.com/channels/staffpicks", "vimeo_no_video"),
    ("https://player.vimeo.com/video/abc", "vimeo_no_video"),
    ("https://vimeo.com/76979871/NOT-A-HASH", "vimeo_hash"),
]


@pytest.mark.parametrize(("url", "code"), REJECTED)
def test_rejected_video_address(url, code):
    with pytest.raises(ValidationError) as refused:
        video_parse(url)
    assert refused.value.code == code
    assert refused.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "code"), REJECTED)
def test_rejected_video_address_is_refused_by_model_validation(url, code):
    session = ArchivedSessionFactory.build(archive_video_url=url)
    with pytest.raises(ValidationError) as refused:
        session.full_clean(exclude=["series"])
    assert "archive_video_url" in refused.value.message_dict


@pytest.mark.parametrize(
    ("url", "kind", "embed"),
    [
        ("https://www.youtube.com/watch?v=M7lc1UVf-VE", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"),
        ("https://youtube.com/watch?v=M7lc1UVf-VE&list=PL1&index=2", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"),
        ("https://m.youtube.com/watch?v=M7lc1UVf-VE&t=1m30s", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90"),
        ("https://youtu.be/M7lc1UVf-VE?t=42", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=42"),
        ("https://www.youtube.com/live/M7lc1UVf-VE", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"),
        ("https://www.youtube.com/embed/M7lc1UVf-VE", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"),
        ("https://www.youtube-nocookie.com/embed/M7lc1UVf-VE", VideoKind.YOUTUBE,
         "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"),
        ("https://vimeo.com/76979871", VideoKind.VIMEO, "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/76979871/8272103f6e", VideoKind.VIMEO,
         "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1"),
        ("https://player.vimeo.com/video/76979871?h=8272103f6e", VideoKind.VIMEO,
         "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1"),
        ("https://vimeo.com/channels/staffpicks/76979871", VideoKind.VIMEO,
         "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://media.example.org/archive/session-1.mp4", VideoKind.FILE, ""),
        ("https://media.example.org/archive/session-1.WEBM", VideoKind.FILE, ""),
        # Plain http files would be blocked as mixed content on our https pages: a link instead.
        ("http://media.example.org/archive/session-1.mp4", VideoKind.LINK, ""),
        ("https://stream.example.org/watch/1234", VideoKind.LINK, ""),
    ],
)
def test_known_hosts_become_their_embed_form(url, kind, embed):
    video = video_parse(url)
    assert video.kind == kind
    assert video.embed_url == embed


def _page(client, session) -> str:
    response = client.get(en(session.get_absolute_url()))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_youtube_archive_is_a_privacy_enhanced_iframe_with_a_title(client):
    session = ArchivedSessionFactory(archive_video_url="https://www.youtube.com/watch?v=M7lc1UVf-VE")

    content = _page(client, session)

    assert '<iframe src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"' in content
    assert f'title="Archived video: {session.title_en}"' in content
    # YouTube's player refuses to play without a referrer; the site's policy is same-origin.
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in content
    assert "www.youtube.com/embed" not in content
    assert 'href="https://www.youtube.com/watch?v=M7lc1UVf-VE"' in content
    assert "Open the video on YouTube" in content


@pytest.mark.django_db
def test_vimeo_archive_is_a_do_not_track_iframe(client):
    session = ArchivedSessionFactory(archive_video_url="https://vimeo.com/76979871")

    content = _page(client, session)

    assert '<iframe src="https://player.vimeo.com/video/76979871?dnt=1"' in content
    assert f'title="Archived video: {session.title_en}"' in content


@pytest.mark.django_db
def test_video_file_archive_is_a_video_element_with_controls_and_captions(client):
    session = ArchivedSessionFactory(archive_video_url="https://media.example.org/archive/session-1.mp4")
    session.archive_captions.save("anything.vtt", _vtt(), save=True)

    content = _page(client, session)

    assert "<iframe" not in content
    assert '<video class="video-file" controls preload="metadata">' in content
    assert '<source src="https://media.example.org/archive/session-1.mp4" type="video/mp4">' in content
    captions = f"/en/sessions/{session.slug}/captions.vtt"  # as the English page links it
    assert f'<track kind="captions" src="{captions}"' in content
    assert "Captions and transcript (WebVTT file)" in content
    response = client.get(captions)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(response.streaming_content).startswith(b"WEBVTT")


@pytest.mark.django_db
def test_other_address_is_a_plain_link_never_an_embed(client):
    url = "https://stream.example.org/watch/1234?name=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    session = ArchivedSessionFactory(archive_video_url=url)

    content = _page(client, session)

    assert "<iframe" not in content
    assert "<video" not in content
    assert f'<a class="btn" href="{url}" rel="noopener noreferrer">Watch the archived video</a>' in content
    assert "<script>alert(1)" not in content


@pytest.mark.django_db
def test_address_saved_before_validation_existed_is_never_embedded(client):
    session = ArchivedSessionFactory()
    # Written around model validation (e.g. a bulk update): the page still refuses to show it.
    Session.objects.filter(pk=session.pk).update(archive_video_url="javascript:alert(1)")

    content = _page(client, session)

    assert "javascript:" not in content
    assert "<iframe" not in content


def _vtt():
    from django.core.files.base import ContentFile

    return ContentFile(b"WEBVTT\n\n00:00.000 --> 00:04.000\nWelcome to the first session.\n")
