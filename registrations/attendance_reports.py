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
import codecs
import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
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
    # The application the row is already known to be (an integration matched it by its own ID), else None.
    application_id: int | None = None


@dataclass(frozen=True)
class Problem:
    """A row that gives no attendance we can use, and why ("no_email", "unreadable")."""

    line: int
    email: str
    name: str
    why: str


@dataclass
class _Person:
    """One person's rows as read so far: their first row, their times joined into intervals, their minutes summed."""

    first: ReportRow
    intervals: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    minutes: Decimal | None = None


@dataclass
class Report:
    """What a report says, kept per person as it is read, so memory grows with the people, not the rows.

    A person's rows with times are joined into intervals as they come (overlaps and
    adjacent stretches once); rows with minutes only are summed. `rows` and
    `by_person` give the joined rows, which minutes_attended reads exactly as the
    rows they came from.
    """

    report_format: str
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0  # rows read with attendance (problems not counted)
    _people: dict[str, _Person] = field(default_factory=dict)
    _span: tuple[dt.datetime, dt.datetime] | None = None

    def add(self, row: ReportRow) -> None:
        """Take one row of attendance into its person's intervals or minutes."""
        self.row_count += 1
        person = self._people.setdefault(email_match_key(row.email), _Person(first=row))
        if row.joined and row.left:
            person.intervals = _joined([*person.intervals, (row.joined, row.left)])
            span = self._span or (row.joined, row.left)
            self._span = (min(span[0], row.joined), max(span[1], row.left))
        elif row.minutes is not None:
            person.minutes = (person.minutes or Decimal(0)) + row.minutes

    def by_person(self) -> dict[str, list[ReportRow]]:
        """Return each person's joined rows by email as matched (email_match_key), in the order first read."""
        return {key: _person_rows(person) for key, person in self._people.items()}

    @property
    def rows(self) -> list[ReportRow]:
        """Return every person's joined rows, each with the line, email and name of the person's first row."""
        return [row for person in self._people.values() for row in _person_rows(person)]

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Return the earliest join and the latest leave in the report, or None when it gives no times."""
        return self._span


def _joined(intervals: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Return the intervals sorted, with those that overlap or touch joined into one."""
    out: list[tuple[dt.datetime, dt.datetime]] = []
    for joined, left in sorted(intervals):
        if out and joined <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], left))
        else:
            out.append((joined, left))
    return out


def _person_rows(person: _Person) -> list[ReportRow]:
    first = person.first
    rows = [ReportRow(line=first.line, email=first.email, name=first.name, joined=joined, left=left)
            for joined, left in person.intervals]
    if person.minutes is not None:
        rows.append(ReportRow(line=first.line, email=first.email, name=first.name, minutes=person.minutes))
    return rows


def email_match_key(email: str) -> str:
    """Return an email address as compared for matching: NFKC, trimmed, lower case (as applications store it)."""
    return unicodedata.normalize("NFKC", email or "").replace("\u3002", ".").strip().lower()


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", (text or "").replace("\ufeff", ""))
    return _SPACES.sub(" ", text).strip().lower()


# The first bytes read to tell the encoding; later bytes that do not decode make the next encoding be tried.
HEAD_BYTES = 64 * 1024


def _encodings(binary: BinaryIO) -> list[str]:
    """Return the encodings to try for the file, from its first bytes; refuse an empty file or a workbook."""
    head = binary.read(HEAD_BYTES)
    binary.seek(0)
    if not head.strip():
        raise ReportRefused("empty", _("The file is empty."))
    if head[:4] == b"PK\x03\x04":
        raise ReportRefused(
            "xlsx", _("This is an Excel workbook. Download the report as CSV (or save it as CSV) and import that.")
        )
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return ["utf-16"]
    found = []
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            found.append(encoding)
    if not found:
        raise ReportRefused(
            "encoding", _("The file could not be read as text. Import a CSV file saved as UTF-8 or Shift_JIS.")
        )
    return found


@functools.lru_cache(maxsize=2048)
def report_time(text: str, *, tz: dt.tzinfo = JAPAN) -> dt.datetime | None:
    """Return a time as these reports write it, aware (Japan time when the text has no zone); None when empty.

    Raise ValueError when the text is a time in no format we know. Cached: a
    report repeats the same times (everyone joins at the start), and strptime
    is most of the reading time.
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


def report_parse(source: bytes | BinaryIO, *, tz: dt.tzinfo = JAPAN) -> Report:
    """Return the attendance rows of an attendee report (see the module docstring); raise ReportRefused.

    `source` is the file's bytes or a seekable binary file, read as a stream: one
    row at a time through a text wrapper, so memory grows with the rows kept,
    never with a copy of the whole file.
    """
    binary = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    encodings = _encodings(binary)
    for position, encoding in enumerate(encodings):
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            return _read(csv.reader(text), tz=tz)
        except UnicodeDecodeError as exc:
            if position + 1 == len(encodings):
                raise ReportRefused("encoding", _(
                    "The file could not be read as text. Import a CSV file saved as UTF-8 or Shift_JIS."
                )) from exc
        except csv.Error as exc:
            raise ReportRefused("csv", _("The file is not a CSV file we can read.")) from exc
        finally:
            text.detach()  # the caller's file stays open
    raise AssertionError("unreachable")  # _encodings never returns an empty list


def _read(rows, *, tz) -> Report:
    """Read the rows in one pass: a plain export's header and rows, or the sections of Zoom's webinar report."""
    report: Report | None = None
    columns: dict[str, int] = {}
    section = None  # in a sectioned report: "attendee", "attendee_header" or "other"
    seen_attendees = False
    for index, row in enumerate(rows):
        # Only a row with one cell can open a section: the other rows are not normalised for it (speed).
        one_cell = sum(1 for cell in row if cell.replace("\ufeff", "").strip()) == 1
        title = _section_title([_header_key(cell) for cell in row]) if one_cell else None
        if title is not None:
            if report is None or report.report_format != ZOOM_WEBINAR:
                report = Report(ZOOM_WEBINAR)  # sections anywhere make it the webinar report
            section = "attendee_header" if title == "attendee" else "other"
            continue
        if section == "attendee_header":
            columns = _columns(row)
            if not _is_usable_header(columns):
                raise ReportRefused(
                    "columns", _("The attendee section of this report has no email column with minutes or join "
                                 "and leave times. Export the attendee report again from Zoom, with the email "
                                 "column.")
                )
            seen_attendees, section = True, "attendee"
            continue
        if section == "attendee" or (section is None and report is not None):
            _read_row(report, row, columns, line=index + 1, tz=tz)
            continue
        if section is not None:
            continue  # a host, panelist or registrant section, or the block above the sections
        keys = [_header_key(cell) for cell in row]
        if set(keys) & META_HEADERS:
            continue  # a meeting block's header; its values follow on the next line and never look like a header
        found = _columns(row)
        if _is_usable_header(found):
            is_zoom = "guest" in keys or any("(original name)" in cell or "(元の名前)" in cell for cell in keys)
            report, columns = Report(ZOOM_PARTICIPANTS if is_zoom else PLAIN), found
        elif "email" in found:
            raise ReportRefused(
                "columns",
                _("The file has an email column but neither minutes nor join and leave times. We read Zoom's "
                  "attendee report, Zoom's participants export, or a CSV with an email column and a minutes "
                  "column or join and leave time columns."),
            )
    if report is not None and report.report_format == ZOOM_WEBINAR and not seen_attendees:
        raise ReportRefused(
            "no_attendees", _("This Zoom report has no “Attendee Details” section. Export the webinar's attendee "
                              "report (Reports → Webinars → Attendee report).")
        )
    if report is None:
        raise ReportRefused(
            "unknown",
            _("This file is not an attendee report we know: no column of email addresses was found. We read "
              "Zoom's webinar attendee report, Zoom's participants export (CSV), or a CSV with an email column "
              "and a minutes column or join and leave time columns."),
        )
    return _checked(report)


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


def _read_row(report: Report, row: list[str], columns: dict[str, int], *, line: int, tz) -> None:
    def cell(name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    if not any(value.strip() for value in row):
        return
    email, name = cell("email"), cell("name")
    if "attended" in columns and _header_key(cell("attended")) not in YES:
        # Zoom lists registrants who never came with "No" and no times: they are in the report, for 0 minutes.
        if email:
            report.add(ReportRow(line=line, email=email, name=name, minutes=Decimal(0)))
        return
    if not email or email in NO_VALUE:
        report.problems.append(Problem(line=line, email="", name=name, why="no_email"))
        return
    try:
        joined, left = report_time(cell("joined"), tz=tz), report_time(cell("left"), tz=tz)
        minutes = _minutes(cell("minutes"))
    except ValueError:
        report.problems.append(Problem(line=line, email=email, name=name, why="unreadable"))
        return
    if (joined and left and left < joined) or (not (joined and left) and minutes is None):
        report.problems.append(Problem(line=line, email=email, name=name, why="unreadable"))
        return
    report.add(ReportRow(line=line, email=email, name=name, joined=joined, left=left, minutes=minutes))


def _checked(report: Report) -> Report:
    if not report.row_count and not report.problems:
        raise ReportRefused("no_rows", _("The report lists nobody: it has a header but no rows of attendees."))
    if not report.row_count:
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
