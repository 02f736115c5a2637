"""Materials: what the office may upload, how it is refused, and how viewers download it."""
import html
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from seminars.models import Material
from seminars.validators import validate_captions_file, validate_material_file
from tests.factories import ArchivedSessionFactory, MaterialFactory, SessionFactory
from tests.languages import en
from tests.seminars.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOTICE = "The copyrights to these materials belong to the lecturer and the Tokyo Metropolitan Government."


def _ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


def _session_for_admin():
    return SessionFactory(level_ja="基礎編", title_ja="カスハラの基礎知識", overview_ja="概要")


def _post_material(admin_client, session, upload: SimpleUploadedFile):
    url = f"/en/admin/seminars/session/{session.pk}/change/"
    data = change_form_data(admin_client, url)
    data.update({
        "materials-TOTAL_FORMS": "1",
        "materials-0-order": "0",
        "materials-0-title_ja": "講演資料",
        "materials-0-title_en": "Slides",
        "materials-0-notice_ja": "著作権は講師に帰属します。",
        "materials-0-notice_en": NOTICE,
        "materials-0-session": str(session.pk),
        "materials-0-file": upload,
    })
    return admin_client.post(url, data)


# --- uploads refused in admin with a message ---


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "Files of type “.exe” cannot be shared."),
        ("page.html", b"<script>alert(1)</script>", "Files of type “.html” cannot be shared."),
        ("slides.svg", b"<svg/>", "Files of type “.svg” cannot be shared."),
        ("slides", PDF, "Files of type “no extension” cannot be shared."),
        ("slides.pdf", b"<html><script>alert(1)</script></html>", "The file's content is not a .pdf file."),
        ("slides.pptx", PDF, "The file's content is not a .pptx file."),
        ("report.docx", _ooxml("ppt/presentation.xml"), "The file's content is not a .docx file."),
    ],
)
def test_admin_refuses_material_of_forbidden_type_with_a_message(admin_client, name, content, message):
    session = _session_for_admin()

    response = _post_material(admin_client, session, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Material.objects.exists()


def test_admin_refuses_material_over_the_size_limit_with_a_message(admin_client, settings):
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    session = _session_for_admin()
    big = PDF + b"0" * (1024 * 1024)

    response = _post_material(admin_client, session, SimpleUploadedFile("slides.pdf", big))

    assert response.status_code == 200
    assert "The file is 1.0\xa0MB; materials may be at most 1.0\xa0MB." in response.content.decode()
    assert not Material.objects.exists()


def test_admin_accepts_a_pdf_and_stores_it_under_a_generated_name(admin_client):
    session = _session_for_admin()

    response = _post_material(admin_client, session, SimpleUploadedFile("第2回 講演資料.pdf", PDF))

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.original_filename == "第2回 講演資料.pdf"
    assert material.file.name.startswith("materials/")
    assert "講演資料" not in material.file.name
    assert material.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Enter a web address starting with https:// (or http://)."),
        ("ftp://example.org/video.mp4", "Enter a web address starting with https:// (or http://)."),
        ("https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs", "does not point to one video"),
        ("https://vimeo.com/channels/staffpicks", "does not point to one video"),
    ],
)
def test_admin_refuses_a_bad_video_address_with_a_message(admin_client, url, message):
    session = _session_for_admin()
    change = f"/en/admin/seminars/session/{session.pk}/change/"
    data = change_form_data(admin_client, change) | {"archive_video_url": url}

    response = admin_client.post(change, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    session.refresh_from_db()
    assert session.archive_video_url == ""


def test_admin_accepts_a_youtube_address(admin_client):
    session = _session_for_admin()
    change = f"/admin/seminars/session/{session.pk}/change/"
    data = change_form_data(admin_client, change) | {"archive_video_url": "https://youtu.be/M7lc1UVf-VE"}

    assert admin_client.post(change, data).status_code == 302
    session.refresh_from_db()
    assert session.archive_video_url == "https://youtu.be/M7lc1UVf-VE"


# --- the checks themselves ---


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("slides.pdf", PDF),
        ("SLIDES.PDF", PDF),
        ("slides.pptx", _ooxml("ppt/presentation.xml")),
        ("handout.docx", _ooxml("word/document.xml")),
        ("chart.png", PNG),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        ("photo.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
    ],
)
def test_allowed_material_files_pass(name, content):
    validate_material_file(SimpleUploadedFile(name, content))


def test_captions_must_be_webvtt():
    validate_captions_file(SimpleUploadedFile("c.vtt", b"\xef\xbb\xbfWEBVTT\n\n"))
    with translation.override("en"), pytest.raises(ValidationError, match="WebVTT file"):
        validate_captions_file(SimpleUploadedFile("c.srt", b"1\n00:00:00,000 --> 00:00:01,000\nHi\n"))
    with translation.override("en"), pytest.raises(ValidationError, match="first line must be"):
        validate_captions_file(SimpleUploadedFile("c.vtt", b"1\n00:00:00,000 --> 00:00:01,000\nHi\n"))


def test_material_is_a_file_or_a_link():
    session = SessionFactory()
    with translation.override("en"), pytest.raises(ValidationError, match="either a file or a link"):
        Material(session=session, title_en="Nothing", title_ja="なし").full_clean()


def test_material_link_must_be_http():
    material = MaterialFactory.build(session=SessionFactory(), url="javascript:alert(1)", title_ja="資料")
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert "url" in refused.value.message_dict


# --- on the page, and the download ---


def _file_material(session, name="第2回 講演資料.pdf", content=PDF) -> Material:
    material = Material(session=session, title_en="Presentation materials (first half)", notice_en=NOTICE)
    material.file.save(name, ContentFile(content), save=False)
    material.original_filename = name
    material.save()
    return material


def test_material_notice_is_shown_next_to_the_download_link(client):
    session = ArchivedSessionFactory()
    material = _file_material(session)
    MaterialFactory(session=session, title_en="Ordinance text", url="https://example.org/ordinance")

    content = client.get(en(session.get_absolute_url())).content.decode()

    item = content[content.index("Presentation materials (first half)"):]
    item = item[: item.index("</li>")]
    assert "Notes on use" in item
    assert NOTICE in item
    assert f'href="/en/materials/{material.pk}/download/"' in item
    assert "Download (PDF)" in item
    assert 'href="https://example.org/ordinance"' in content
    assert material.file.url not in content


def test_material_download_has_content_type_and_original_file_name(client):
    material = _file_material(ArchivedSessionFactory())

    response = client.get(f"/materials/{material.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%AC%AC2%E5%9B%9E%20%E8%AC%9B%E6%BC%94%E8%B3%87%E6%96%99.pdf" in response[
        "Content-Disposition"
    ]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_pptx_download_content_type(client):
    material = _file_material(ArchivedSessionFactory(), name="slides.pptx", content=_ooxml("ppt/presentation.xml"))

    response = client.get(f"/materials/{material.pk}/download/")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert response["Content-Disposition"] == 'attachment; filename="slides.pptx"'


def test_download_of_a_link_material_or_unknown_id_is_404(client):
    link = MaterialFactory(session=SessionFactory())
    assert client.get(f"/materials/{link.pk}/download/").status_code == 404
    assert client.get("/materials/999999/download/").status_code == 404
