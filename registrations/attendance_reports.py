"""Reading attendee reports of webinar tools into minutes per email address (pure: no models, no database).

Three kinds of CSV are read, told apart by their rows, never by the file name:

- Zoom's webinar attendee report: a header block (report name, topic, webinar ID,
  actual start time…), then sections ("Host Details", "Panelist Details",
  "Attendee Details", "Other Attended"…), each a title row and its own header row.
  Only the attendee section counts: hosts and panelists are staff, not applicants.
- Zoom's participants export: one header row (`Name (Original Name), User Email,
  Join Time, Leave Time, Duration (Minutes), Guest`), sometimes under a meeting
  block (`Meeting ID, Topic, Start Time…`) that is skipped.
- A plain CSV with an email column and either minutes or join and leave times.

Headers are matched in English and Japanese after NFKC (so （分） and (分) are the
same). Files are UTF-8 with or without a BOM, or cp932 (Japanese Excel). Times
without a zone are Japan time. One person's rows are joined: overlapping
intervals count once, and rows that only give minutes are added. Anything else
is refused with a ReportRefused whose message says what was expected.
"""
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

JAPAN = ZoneInfo("Asia/Tokyo")

ZOOM_WEBINAR, ZOOM_PARTICIPANTS, PLAIN = "zoom_webinar", "zoom_participants", "plain"
REPORT_FORMATS = {
    ZOOM_WEBINAR: _("Zoom webinar attendee report"),
    ZOOM_PARTICIPANTS: _("Zoom participants export"),
    PLAIN: _("CSV with email addresses"),
}

# Header names after _header_key(): NFKC, lower case, single spaces, no BOM.
COLUMNS = {
    "email": {
        "email", "e-mail", "email address", "user email", "mail", "メール", "メールアドレス", "ユーザーメール",
        "ユーザーのメールアドレス", "電子メール", "eメール",
    },
    "name": {
        "user name (original name)", "name (original name)", "user name", "name", "display name",
        "ユーザー名(元の名前)", "名前(元の名前)", "ユーザー名", "名前", "氏名", "表示名",
    },
    "joined": {"join time", "join", "joined at", "参加時間", "参加時刻", "入室時間", "入室時刻", "参加日時"},
    "left": {"leave time", "leave", "left at", "退出時間", "退出時刻", "退室時間", "退室時刻", "退出日時"},
    "minutes": {
        "time in session (minutes)", "duration (minutes)", "duration", "minutes", "attended minutes",
        "出席時間(分)", "期間(分)", "セッション時間(分)", "視聴時間(分)", "滞在時間(分)", "時間(分)", "分",
        "参加時間(分)",
    },
    "attended": {"attended", "出席済み", "出席"},
}
# Rows that name a section of Zoom's webinar report; only the attendee section is read.
ATTENDEE_SECTIONS = {
    "attendee details", "出席者の詳細", "出席者詳細", "参加者の詳細", "other attended", "その他の出席者",
}
OTHER_SECTIONS = {
    "host details", "panelist details", "ホストの詳細", "ホスト詳細", "パネリストの詳細", "パネリスト詳細",
    "registrant details", "登録者の詳細",
}
# A header block above the participants' own header (meeting or webinar details), skipped with its values.
META_HEADERS = {"meeting id", "webinar id", "topic", "ミーティングid", "ウェビナーid", "トピック"}
NO_VALUE = {"", "--", "-", "—"}
YES = {"yes", "はい", "true", "1", "y"}

TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %I:%M %p",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
    "%b %d, %Y %I:%M:%S %p", "%b %d, %Y %I:%M %p", "%b %d, %Y %H:%M:%S", "%b %d, %Y %H:%M",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
)
_SPACES = re.compile(r"\s+")
_JAPANESE_AM_PM = {"午前": "AM", "午後": "PM"}


class ReportRefused(Exception):
    """The file is not an attendee report we read; `message` tells the office what we expected."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ReportRow:
    """One row of attendance: who (email as written, name as typed) and when or how long."""

    line: int
    email: str
    name: str
    joined: dt.datetime | None = None
    left: dt.datetime | None = None
    minutes: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    """A row that gives no attendance we can use, and why ("no_email", "unreadable")."""

    line: int
    email: str
    name: str
    why: str


@dataclass
class Report:
    report_format: str
    rows: list[ReportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_person(self) -> dict[str, list[ReportRow]]:
        """Return the rows grouped by email as matched (email_match_key), in file order."""
        people: dict[str, list[ReportRow]] = {}
        for row in self.rows:
            people.setdefault(email_match_key(row.email), []).append(row)
        return people

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Return the earliest join and the latest leave in the report, or None when it gives no times."""
        times = [(row.joined, row.left) for row in self.rows if row.joined and row.left]
        if not times:
            return None
        return min(joined for joined, _left in times), max(left for _joined, left in times)


def email_match_key(email: str) -> str:
    """Return an email address as compared for matching: NFKC, trimmed, lower case (as applications store it)."""
    return unicodedata.normalize("NFKC", email or "").replace("\u3002", ".").strip().lower()


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", (text or "").replace("\ufeff", ""))
    return _SPACES.sub(" ", text).strip().lower()


def report_decode(file_bytes: bytes) -> str:
    """Return the file as text: UTF-8 (with or without BOM), else cp932; refuse anything else."""
    if not file_bytes.strip():
        raise ReportRefused("empty", _("The file is empty."))
    if file_bytes[:4] == b"PK\x03\x04":
        raise ReportRefused(
            "xlsx", _("This is an Excel workbook. Download the report as CSV (or save it as CSV) and import that.")
        )
    if file_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return file_bytes.decode("utf-16")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = file_bytes.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ReportRefused(
        "encoding", _("The file could not be read as text. Import a CSV file saved as UTF-8 or Shift_JIS.")
    )


def report_time(text: str, *, tz: dt.tzinfo = JAPAN) -> dt.datetime | None:
    """Return a time as these reports write it, aware (Japan time when the text has no zone); None when empty.

    Raise ValueError when the text is a time in no format we know.
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text in NO_VALUE:
        return None
    for japanese, latin in _JAPANESE_AM_PM.items():
        if japanese in text:  # "2026/12/17 午後 2:00:00"
            text = f"{text.replace(japanese, '').strip()} {latin}"
    text = _SPACES.sub(" ", text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None:
        for time_format in TIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, time_format)
                break
            except ValueError:
                continue
    if moment is None:
        raise ValueError(text)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _minutes(text: str) -> Decimal | None:
    text = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if text in NO_VALUE:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if value < 0 or not value.is_finite():
        raise ValueError(text)
    return value


def _columns(header: list[str]) -> dict[str, int]:
    """Return where each column we read sits in a header row (the first of each kind)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for name, spellings in COLUMNS.items():
            if key in spellings and name not in found:
                found[name] = index
    return found


def _is_usable_header(columns: dict[str, int]) -> bool:
    return "email" in columns and ("minutes" in columns or {"joined", "left"} <= columns.keys())


def report_parse(file_bytes: bytes, *, tz: dt.tzinfo = JAPAN) -> Report:
    """Return the attendance rows of an attendee report (see the module docstring); raise ReportRefused."""
    text = report_decode(file_bytes)
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ReportRefused("csv", _("The file is not a CSV file we can read.")) from exc
    keys = [[_header_key(cell) for cell in row] for row in lines]
    sectioned = any(_section_title(row) is not None for row in keys)
    if sectioned:
        return _read_sections(lines, keys, tz=tz)
    for index, row in enumerate(keys):
        if set(row) & META_HEADERS:
            continue  # a meeting block's header; its values follow on the next line and never look like a header
        columns = _columns(lines[index])
        if _is_usable_header(columns):
            is_zoom = "guest" in row or any("(original name)" in cell or "(元の名前)" in cell for cell in row)
            report = Report(ZOOM_PARTICIPANTS if is_zoom else PLAIN)
            _read_rows(report, lines, columns, start=index + 1, stop=len(lines), tz=tz)
            return _checked(report)
        if "email" in columns:
            raise ReportRefused(
                "columns",
                _("The file has an email column but neither minutes nor join and leave times. We read Zoom's "
                  "attendee report, Zoom's participants export, or a CSV with an email column and a minutes "
                  "column or join and leave time columns."),
            )
    raise ReportRefused(
        "unknown",
        _("This file is not an attendee report we know: no column of email addresses was found. We read Zoom's "
          "webinar attendee report, Zoom's participants export (CSV), or a CSV with an email column and a "
          "minutes column or join and leave time columns."),
    )


def _section_title(row_keys: list[str]) -> str | None:
    """Return the section a row opens ("attendee" or "other"), or None when it is no section title."""
    cells = [cell for cell in row_keys if cell]
    if len(cells) != 1:
        return None
    if cells[0] in ATTENDEE_SECTIONS:
        return "attendee"
    if cells[0] in OTHER_SECTIONS:
        return "other"
    return None


def _read_sections(lines, keys, *, tz) -> Report:
    report = Report(ZOOM_WEBINAR)
    titles = [(index, kind) for index, row in enumerate(keys) if (kind := _section_title(row)) is not None]
    seen_attendees = False
    for position, (index, kind) in enumerate(titles):
        stop = titles[position + 1][0] if position + 1 < len(titles) else len(lines)
        if kind != "attendee" or index + 1 >= stop:
            continue
        columns = _columns(lines[index + 1])
        if not _is_usable_header(columns):
            raise ReportRefused(
                "columns", _("The attendee section of this report has no email column with minutes or join and "
                             "leave times. Export the attendee report again from Zoom, with the email column.")
            )
        seen_attendees = True
        _read_rows(report, lines, columns, start=index + 2, stop=stop, tz=tz)
    if not seen_attendees:
        raise ReportRefused(
            "no_attendees", _("This Zoom report has no “Attendee Details” section. Export the webinar's attendee "
                              "report (Reports → Webinars → Attendee report).")
        )
    return _checked(report)


def _read_rows(report: Report, lines, columns: dict[str, int], *, start: int, stop: int, tz) -> None:
    def cell(row, name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for index in range(start, stop):
        row = lines[index]
        if not any(value.strip() for value in row):
            continue
        line = index + 1
        email, name = cell(row, "email"), cell(row, "name")
        if "attended" in columns and _header_key(cell(row, "attended")) not in YES:
            # Zoom lists registrants who never came with "No" and no times: they are in the report, for 0 minutes.
            if email:
                report.rows.append(ReportRow(line=line, email=email, name=name, minutes=Decimal(0)))
            continue
        if not email or email in NO_VALUE:
            report.problems.append(Problem(line=line, email="", name=name, why="no_email"))
            continue
        try:
            joined, left = report_time(cell(row, "joined"), tz=tz), report_time(cell(row, "left"), tz=tz)
            minutes = _minutes(cell(row, "minutes"))
        except ValueError:
            report.problems.append(Problem(line=line, email=email, name=name, why="unreadable"))
            continue
        if joined and left and left < joined:
            report.problems.append(Problem(line=line, email=email, name=name, why="unreadable"))
            continue
        if not (joined and left) and minutes is None:
            report.problems.append(Problem(line=line, email=email, name=name, why="unreadable"))
            continue
        report.rows.append(ReportRow(line=line, email=email, name=name, joined=joined, left=left, minutes=minutes))


def _checked(report: Report) -> Report:
    if not report.rows and not report.problems:
        raise ReportRefused("no_rows", _("The report lists nobody: it has a header but no rows of attendees."))
    if not report.rows:
        raise ReportRefused(
            "no_usable_rows", _("No row of this report could be read: each lacks an email address or has times or "
                                "minutes in a form we do not know.")
        )
    return report


def minutes_attended(rows: list[ReportRow], *, window: tuple[dt.datetime, dt.datetime] | None = None) -> int:
    """Return the minutes one person attended, from their rows.

    Rows with join and leave times are joined as intervals, each clipped to
    `window` (the session's start and end) when given, so overlapping rows (two
    devices, a rejoin before the old connection timed out) count once. Rows with
    minutes only are added to that, and the total never exceeds the window's
    length. Seconds are rounded to the nearest minute.
    """
    intervals, seconds = [], 0
    for row in rows:
        if row.joined and row.left:
            joined, left = row.joined, row.left
            if window:
                joined, left = max(joined, window[0]), min(left, window[1])
            if left > joined:
                intervals.append((joined, left))
        elif row.minutes:
            seconds += int(row.minutes * 60)
    intervals.sort()
    current_start = current_end = None
    for joined, left in intervals:
        if current_end is None or joined > current_end:
            if current_end is not None:
                seconds += (current_end - current_start).total_seconds()
            current_start, current_end = joined, left
        else:
            current_end = max(current_end, left)
    if current_end is not None:
        seconds += (current_end - current_start).total_seconds()
    if window:
        seconds = min(seconds, (window[1] - window[0]).total_seconds())
    return int((seconds + 30) // 60)
