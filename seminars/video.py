"""Archive video addresses: the one place that decides what an address is and how it is shown.

The office pastes an address; `video_validate` refuses what must never reach a page, and
`video_parse` says how the page shows the rest: YouTube (privacy-enhanced embed), Vimeo
(do-not-track embed), a direct video file (`<video>`), or anything else as a plain link.
The template builds markup only from the parsed parts, never from the raw address.
"""
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

YOUTUBE_HOSTS = {
    "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
    "youtube-nocookie.com", "www.youtube-nocookie.com",
}
YOUTU_BE_HOSTS = {"youtu.be", "www.youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{6,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
# Containers a browser's <video> plays, with the type given to <source>.
VIDEO_FILE_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}


class VideoKind(StrEnum):
    YOUTUBE = "youtube"
    VIMEO = "vimeo"
    FILE = "file"
    LINK = "link"


@dataclass(frozen=True)
class Video:
    """How an archive video is shown: `embed_url` for players, `url` for files and links."""

    kind: VideoKind
    url: str
    embed_url: str = ""
    content_type: str = ""

    @property
    def host_label(self) -> str:
        return {VideoKind.YOUTUBE: "YouTube", VideoKind.VIMEO: "Vimeo"}.get(self.kind, urlsplit(self.url).hostname)


def _start_seconds(value: str) -> int | None:
    """Read YouTube's t= / start= (``90``, ``90s``, ``1m30s``) as seconds."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value or "")
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube(parts) -> Video:
    host, path = parts.hostname, PurePosixPath(parts.path or "/")
    query = parse_qs(parts.query)
    if host in YOUTU_BE_HOSTS:
        video_id = path.parts[1] if len(path.parts) > 1 else ""
    elif path.parts[1:2] == ("watch",):
        video_id = query.get("v", [""])[0]
    elif len(path.parts) == 3 and path.parts[1] in ("embed", "live", "shorts", "v"):
        video_id = path.parts[2]
    else:
        video_id = ""
    if not YOUTUBE_ID.match(video_id):
        raise ValidationError(
            _("This YouTube address does not point to one video. Copy the address of the video itself "
              "(for example https://www.youtube.com/watch?v=…)."),
            code="youtube_no_video",
        )
    embed = f"https://www.youtube-nocookie.com/embed/{video_id}"
    start = _start_seconds(query.get("t", query.get("start", [""]))[0])
    if start:
        embed += "?" + urlencode({"start": start})
    return Video(VideoKind.YOUTUBE, parts.geturl(), embed_url=embed)


def _vimeo(parts) -> Video:
    segments = [s for s in parts.path.split("/") if s]
    if parts.hostname == "player.vimeo.com":
        segments = segments[1:] if segments[:1] == ["video"] else []
    elif segments[:1] == ["channels"] and len(segments) >= 3:
        segments = segments[2:]
    elif segments[:1] == ["groups"] and len(segments) >= 4 and segments[2] == "videos":
        segments = segments[3:]
    video_id = segments[0] if segments else ""
    if not VIMEO_ID.match(video_id):
        raise ValidationError(
            _("This Vimeo address does not point to one video. Copy the address of the video itself "
              "(for example https://vimeo.com/123456789)."),
            code="vimeo_no_video",
        )
    params = {}
    private_hash = parse_qs(parts.query).get("h", [""])[0] or (segments[1] if len(segments) > 1 else "")
    if private_hash:
        if not VIMEO_HASH.match(private_hash):
            raise ValidationError(_("This Vimeo address has an unreadable private link part."), code="vimeo_hash")
        params["h"] = private_hash
    params["dnt"] = "1"  # Vimeo's do-not-track: no cookies or analytics for viewers.
    return Video(VideoKind.VIMEO, parts.geturl(), embed_url=f"https://player.vimeo.com/video/{video_id}?{urlencode(params)}")


def video_validate(url: str) -> None:
    """Refuse an address that must not be shown on a page; raise ValidationError with a clear message."""
    video_parse(url)


def video_parse(url: str) -> Video:
    """Return how the archive video at `url` is shown; raise ValidationError for a refused address."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            _("Enter a web address starting with https:// (or http://)."), code="scheme"
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(_("This is not a complete web address."), code="invalid") from None
    if parts.username or parts.password:
        raise ValidationError(
            _("The address must not contain a user name or password."), code="credentials"
        )
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS or host in YOUTU_BE_HOSTS:
        return _youtube(parts)
    if host in VIMEO_HOSTS:
        return _vimeo(parts)
    content_type = VIDEO_FILE_TYPES.get(PurePosixPath(parts.path).suffix.lower())
    # A file over plain http would be blocked as mixed content on our https pages: link to it instead.
    if content_type and parts.scheme.lower() == "https":
        return Video(VideoKind.FILE, url, content_type=content_type)
    return Video(VideoKind.LINK, url)
