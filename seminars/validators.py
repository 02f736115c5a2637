"""Checks on what the office uploads or links: materials, captions, material links.

A file is accepted by its extension AND by its first bytes, so a renamed executable or
HTML page never goes out as "slides.pdf". Files are stored under generated names
(models.material_upload_to); the original name is kept only for the download.
"""
import zipfile
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# What may be shared, by extension, with the Content-Type each is served with.
MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# The part every Office Open XML package of that kind holds.
_OOXML_MAIN_PART = {".pptx": "ppt/presentation.xml", ".docx": "word/document.xml"}


def material_max_bytes() -> int:
    return getattr(settings, "MATERIAL_MAX_UPLOAD_MB", 20) * 1024 * 1024


def material_content_type(name: str) -> str:
    """Return the Content-Type a material with this file name is served with."""
    return MATERIAL_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def _head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _content_matches(file, extension: str) -> bool:
    head = _head(file)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == ".gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if extension == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension in _OOXML_MAIN_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(file) as package:
                return _OOXML_MAIN_PART[extension] in package.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            file.seek(0)
    return False


def validate_material_file(file) -> None:
    """Refuse a material file of a type we do not share, whose content does not match its name, or too large."""
    if getattr(file, "_committed", False):
        return  # Already stored: it was checked when it was uploaded.
    extension = PurePosixPath(file.name or "").suffix.lower()
    if extension not in MATERIAL_TYPES:
        raise ValidationError(
            _("Files of type “%(extension)s” cannot be shared. Upload a PDF, PowerPoint (.pptx), Word (.docx) "
              "or image (PNG, JPEG, GIF, WebP) file."),
            code="material_type",
            params={"extension": extension or _("no extension")},
        )
    limit = material_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; materials may be at most %(limit)s."),
            code="material_size",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    if not _content_matches(file, extension):
        raise ValidationError(
            _("The file's content is not a %(extension)s file. Save it again in that format and upload it."),
            code="material_content",
            params={"extension": extension},
        )


def validate_captions_file(file) -> None:
    """Refuse a captions file that is not WebVTT."""
    if getattr(file, "_committed", False):
        return  # Already stored: it was checked when it was uploaded.
    if PurePosixPath(file.name or "").suffix.lower() != ".vtt":
        raise ValidationError(_("Captions must be a WebVTT file (.vtt)."), code="captions_type")
    if file.size > 5 * 1024 * 1024:
        raise ValidationError(_("A captions file may be at most 5 MB."), code="captions_size")
    head = _head(file, 10).removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"WEBVTT"):
        raise ValidationError(
            _("The file is not WebVTT: its first line must be “WEBVTT”."), code="captions_content"
        )


def validate_http_url(url: str) -> None:
    """Refuse a link that is not http(s): a material link is shown on a public page."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError(_("Enter a web address starting with https:// (or http://)."), code="scheme")
