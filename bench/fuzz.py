"""Post hostile applications to the portal in production mode and count what it answers.

Prints tried / accepted (302) / refused (4xx, by status) / 5xx, the kinds of
input behind any 5xx, and then the office's XLSX export of everything accepted,
fetched through the admin's export action and opened with openpyxl (and the CSV
export parsed): the rows it holds, and how many stored applications fail the
model's own validation (which the admin's change form would then refuse to save).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seminars_bench \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/fuzz.py --applications 2000

By default it prepares the database (migrate, a series, one open session with a large
capacity and its waiting list on), starts gunicorn through bench/apply.py's launcher
(settings bench.settings, DEBUG off, APPLY_RATE_LIMIT=100000/h since every post comes
from 127.0.0.1) on a free port, and stops it at the end. Every client thread fetches the
form first and posts with its own CSRF cookie and token, as a browser does. The input is
random but reproducible (--seed): control characters, bidirectional overrides, full-width
and Japanese-domain addresses, combining marks, emoji, characters NFKC lengthens (㌀, ﷺ),
values far past their columns, invalid UTF-8, repeated and missing fields, wrong choices,
header injection in the address, the honeypot filled; invisible marks (format characters,
default-ignorable code points) in every field, choices included; IDN, full-width and marked
domains (exa\u200bmple.jp, \u00ad.jp, faß.de); and a share of posts (--unreadable) whose body
Django cannot read (charsets, too many fields or parts, no or bad boundary, too large), sent
to the form, to other pages and to URLs that do not exist. Not a test: it asserts nothing;
exit status 1 when any answer was a 5xx or the export did not open.
"""
import argparse
import csv
import io
import os
import random
import re
import socket
import sys
import threading
import time
import unicodedata
import urllib.parse
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.apply import (  # noqa: E402 - the repository must be importable first
    _csrf,
    _prepare_database,
    _request,
    _server_env,
    _start_gunicorn,
    _wait_until_up,
    database_create,
)

OFFICE_USER, OFFICE_PASSWORD = "fuzz-office", "fuzz-office-password-not-secret-2025"

VALID = {
    "name": "山田 花子", "name_reading": "ヤマダ ハナコ", "organisation": "株式会社サンプル商事",
    "department": "人事部", "position": "課長", "industry": "retail", "organisation_size": "100-299",
    "prefecture": "13", "phone": "03-1234-5678", "attendance": "online", "question": "", "consent": "on",
}
TEXT_FIELDS = ["name", "name_reading", "organisation", "department", "position", "phone", "question"]
CHOICE_FIELDS = ["industry", "organisation_size", "prefecture", "attendance", "consent"]

# One alphabet per category of hostile character.
ALPHABETS = {
    "control": [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]],
    "bidi": [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C]],
    "full-width": [chr(c) for c in range(0xFF01, 0xFFA0)],
    "combining": ["\u0301", "\u0308", "\u20dd", "\u3099", "\u309a", "\u0e49", "\u0345", "\ufe0f", "\u200d"],
    "emoji": ["🙂", "👨\u200d👩\u200d👧", "❤️", "🇯🇵", "🏳️\u200d🌈", "🧑🏽\u200d💻", "\U0001FAE0"],
    "ligature": ["㌀", "㍻", "ﷺ", "ﬃ", "⑳", "㈱", "㎏", "ｶﾞ", "\u3000", "ǅ", "ẞ"],
    "not-xml": ["\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\U000e0001"],
    "whitespace": ["\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\xa0", "\u200b", "\ufeff"],
    "japanese": list("山田花子髙﨑株式会社やまだはなこヤマダハナコー・ "),
    "markup": ["<script>alert(1)</script>", "'; DROP TABLE x; --", "%(name)s", "{0}", "${jndi:x}", "=1+1", "@SUM(A1)"],
    # Invisible marks: format characters, separators and default-ignorable code points, and the two kinds a name
    # may keep (a variation selector after a kanji, a joiner inside an emoji).
    "invisible": [
        "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u2028", "\u2029", "\u00ad",
        "\u034f", "\u180b", "\u180e", "\ufe00", "\ufe0f", "\u2060", "\u2064", "\u3164", "\uffa0", "\u115f",
        "\U000e0001", "\U000e0041", "\U000e0100", "葛\U000e0100", "👨\u200d👩",
    ],
}
# Domains as people type them, paste them, or as someone hides a second address for one mailbox in them.
HOSTILE_DOMAINS = [
    "例え.jp", "ＥＸＡＭＰＬＥ．ＪＰ", "exa\u200bmple.jp", "exa\u00admple.jp", "exa\u034fmple.jp", "exa\u180bmple.jp",
    "exa\ufe00mple.jp", "exa\ufeffmple.jp", "\u00ad.jp", "exa\u200emple.jp", "exa\u200dmple.jp", "faß.de",
    "xn--r8jz45g.jp", "-example.jp", "example-.jp", "a..jp", "ｂｕｃｈｅｒ．ｃｈ", "bücher.ch", "ドメイン。テスト",
    "xn--zz.jp", "ab--cd.jp", "\u0663\u0661.jp", "ＥＸＡ\u3000ＭＰＬＥ.jp", "example.jp.", "[127.0.0.1]",
]
# Bodies Django cannot read: (content type, body). Posted to the form, to other pages and to URLs that do not exist.
UNREADABLE_BODIES = {
    "latin1-charset": ("application/x-www-form-urlencoded; charset=latin1", b"a=%ff"),
    "shift_jis-charset": ("application/x-www-form-urlencoded; charset=shift_jis", b"name=%8E%52%93%63"),
    "utf-16-charset": ("application/x-www-form-urlencoded; charset=utf-16", "a=b".encode("utf-16")),
    "too-many-fields": ("application/x-www-form-urlencoded", b"&".join(b"f%d=1" % n for n in range(1001))),
    "empty-boundary": ("multipart/form-data; boundary=", b"--\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n"),
    "no-boundary": ("multipart/form-data", b"a=b"),
    "bad-boundary": ("multipart/form-data; boundary=\"a b\x01\"", b"--a b\r\n"),
    "too-many-parts": (
        "multipart/form-data; boundary=xyz",
        b"".join(b'--xyz\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n1\r\n' % n for n in range(1001))
        + b"--xyz--\r\n",
    ),
    "too-large": ("application/x-www-form-urlencoded", b"a=" + b"x" * (2_621_440 + 1)),
}
UNREADABLE_PATHS = ["{apply}", "/nope/", "/en/nope/", "/", "/admin/login/", "/en/applications/x/", "/static/x.css",
                    "/en/sessions/{slug}/", "/healthz"]
# What people type, paste or get from their keyboard: a form should take most of it.
PERSON_TYPED = ["full-width", "combining", "emoji", "ligature", "whitespace", "japanese"]
# What the server must refuse without ever answering 5xx: bodies past DATA_UPLOAD_MAX_MEMORY_SIZE as well.
LONG_RUNS = [25, 26, 51, 101, 201, 255, 1001, 5000, 100_000, 400_000]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=2000, help="hostile posts in all (default 2000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--seed", type=int, default=15, help="random seed (default 15)")
    parser.add_argument("--unreadable", type=float, default=0.15,
                        help="share of posts whose body Django cannot read, to any URL (default 0.15)")
    args = parser.parse_args()

    # The office's export at the end logs in with a password alone: the second factor is another bench's matter.
    env = _server_env() | {"DEBUG": "false", "APPLY_RATE_LIMIT": "100000/h", "STAFF_SECOND_FACTOR_REQUIRED": "false"}
    os.environ.update(env)
    database_create(env["DATABASE_URL"], fresh=False)
    import django

    django.setup()
    session_pk, slug = _prepare_database(capacity=10_000_000)
    _office_user_create()
    server = _start_gunicorn(env, args.workers)
    base = server[1]
    try:
        _wait_until_up(base)
        print(f"# server {base}: gunicorn {args.workers} sync workers, bench.settings, DEBUG off; session {slug}")
        print(f"# {args.applications} hostile applications from {args.clients} clients, seed {args.seed}")
        started = time.monotonic()
        outcomes = _fuzz(base, slug, args)
        took = time.monotonic() - started
        statuses = Counter(status for status, _kind in outcomes)
        server_errors = [(status, kind) for status, kind in outcomes if not isinstance(status, int) or status >= 500]
        refused = {status: n for status, n in sorted(statuses.items(), key=str) if isinstance(status, int)
                   and 400 <= status < 500}
        print(f"tried {len(outcomes)}   accepted {statuses[302]}   refused {sum(refused.values())} {refused}   "
              f"5xx {len(server_errors)}   ({took:.1f} s)")
        for (status, kind), n in Counter(server_errors).most_common(10):
            print(f"  {status}: {n} x {kind}")
        unreadable = Counter(status for status, kind in outcomes if kind.startswith("unreadable:"))
        print(f"unreadable bodies: {sum(unreadable.values())}, answered {dict(unreadable)}")
        for (status, kind), n in sorted(Counter(
            (status, kind) for status, kind in outcomes if kind.startswith("unreadable:") and status != 400
        ).items(), key=str):
            print(f"  {status}: {n} x {kind}")
        marked = Counter(status for status, kind in outcomes if "idn-or-marked-domain" in kind)
        print(f"IDN, full-width or marked domains: {sum(marked.values())}, answered {dict(marked)}")
        export_ok = _report_export(base, slug, session_pk, statuses[302])
    finally:
        server[0].terminate()
        server[0].wait(timeout=30)
    return 0 if not server_errors and export_ok else 1


# --- the hostile input ---


def _hostile_text(rng: random.Random, categories: list[str]) -> tuple[str, str]:
    """Return (text, kind): a mix of one to three categories, sometimes far longer than any column."""
    names = rng.sample(categories, rng.randint(1, 3))
    alphabet = [character for name in names for character in ALPHABETS[name]] + ALPHABETS["japanese"]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
    kind = "+".join(names)
    if rng.random() < 0.2:
        text = rng.choice(alphabet) * rng.choice(LONG_RUNS) + text
        kind += "+over-long"
    return text, kind


def _hostile_email(rng: random.Random, number: int) -> tuple[str, str]:
    local = f"fuzz{number}.{rng.randrange(10**9)}"
    match rng.randrange(10):
        case 0:
            # As typed on a Japanese keyboard in full-width mode.
            return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in f"{local}@example.jp"), "full-width"
        case 1:
            return f"{local}@例え.jp", "japanese-domain"
        case 2:
            return f"{local}@example.jp\r\nBcc: victim@example.org", "header-injection"
        case 3:
            return f" {local}@ｅｘａｍｐｌｅ。ｊｐ\u3000", "ideographic-stop"
        case 4:
            text, kind = _hostile_text(rng, sorted(ALPHABETS))
            return f"{local}{text}@example.jp", f"email:{kind}"
        case 5:
            return f"{local}@{'a' * 250}.jp", "long-domain"
        case 6 | 7:
            domain = rng.choice(HOSTILE_DOMAINS)
            mark = rng.choice(ALPHABETS["invisible"]) if rng.random() < 0.3 else ""
            return f"{local}{mark}@{domain}", "idn-or-marked-domain"
        case _:
            return f"{local}@example.jp", "plain"


def _hostile_post(rng: random.Random, number: int) -> tuple[list[tuple[str, str]], str, bytes]:
    """Return (fields, kind, raw suffix): a form that is valid except for what the kind names.

    Two posts in five are text a person may type (full-width, emoji, ㌀...), the rest anything.
    """
    email, email_kind = _hostile_email(rng, number)
    post = VALID | {"email": email, "email_again": email}
    kinds = [email_kind] if email_kind != "plain" else []
    categories = PERSON_TYPED if rng.random() < 0.4 else sorted(ALPHABETS)
    for name in rng.sample(TEXT_FIELDS, rng.randint(1, 3)):
        post[name], kind = _hostile_text(rng, categories)
        kinds.append(f"{name}:{kind}")
    fields = list(post.items())
    raw = b""
    extra = rng.randrange(13)
    if extra == 0:
        name = rng.choice(CHOICE_FIELDS)
        fields = [(k, v) for k, v in fields if k != name] + [(name, rng.choice(["99", "", "x" * 300, "on\x00"]))]
        kinds.append(f"bad-choice:{name}")
    elif extra == 1:
        name = rng.choice([*TEXT_FIELDS, *CHOICE_FIELDS, "email"])
        fields = [(k, v) for k, v in fields if k != name]
        kinds.append(f"missing:{name}")
    elif extra == 2:
        fields.append((rng.choice(TEXT_FIELDS), "second value"))
        kinds.append("repeated-field")
    elif extra == 3:
        fields.append(("fax_extension", "123"))
        kinds.append("honeypot")
    elif extra == 4:
        # Bytes that are not UTF-8, percent-encoded as a browser would send them.
        raw = b"&name=%FF%FE%80%C0%AF"
        fields = [(k, v) for k, v in fields if k != "name"]
        kinds.append("invalid-utf8")
    elif extra == 6:
        # Katakana squared into one character: NFKC makes each two to four, past the column's 100.
        post["name_reading"] = rng.choice(["㌀", "㌔", "㌢", "㍉", "ｶﾞ"]) * rng.randint(20, 120)
        fields = list(post.items())
        kinds.append("name-reading-lengthens")
    elif extra == 5:
        fields.append(("email_again", unicodedata.normalize("NFKD", email).upper()))
        kinds.append("email-again-differs")
    elif extra == 7:
        # An invisible mark in a choice too.
        name = rng.choice(CHOICE_FIELDS)
        fields = [(k, rng.choice(ALPHABETS["invisible"]) + v if k == name else v) for k, v in fields]
        kinds.append(f"marked-choice:{name}")
    return fields, " ".join(kinds) or "plain", raw


def _fuzz(base: str, slug: str, args) -> list[tuple[object, str]]:
    path = f"/sessions/{slug}/apply/"
    outcomes, lock = [], threading.Lock()
    numbers = iter(range(args.applications))

    def client(index: int):
        rng = random.Random(args.seed * 1000 + index)
        cookie, token = _csrf(base, slug)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "ja"}
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            if rng.random() < args.unreadable:
                shape = rng.choice(sorted(UNREADABLE_BODIES))
                content_type, body = UNREADABLE_BODIES[shape]
                target = rng.choice(UNREADABLE_PATHS).format(apply=path, slug=slug)
                request_headers = headers | {"Content-Type": content_type}
                kind = f"unreadable:{shape} {target}"
            else:
                fields, kind, raw = _hostile_post(rng, number)
                body = urllib.parse.urlencode([("csrfmiddlewaretoken", token), *fields]).encode() + raw
                target, request_headers = path, headers
            try:
                status = _post(base, target, body, request_headers)
            except OSError as error:
                status = type(error).__name__
            with lock:
                outcomes.append((status, kind))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _post(base: str, path: str, body: bytes, headers: dict) -> int:
    """POST and return the status; also when the server answers and closes before reading all of a large body."""
    parts = urllib.parse.urlsplit(base)
    lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # The server may refuse a body past its limit before reading it: its answer is what counts.
        head = b""
        try:
            while b"\r\n" not in head and (chunk := sock.recv(65536)):
                head += chunk
        except ConnectionResetError:
            pass
    if not head.startswith(b"HTTP/"):
        raise ConnectionAbortedError("no answer")
    return int(head.split(b" ", 2)[1])


# --- what the office gets: the export of everything accepted ---


def _office_user_create() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    if not get_user_model().objects.filter(username=OFFICE_USER).exists():
        call_command("create_office_user", OFFICE_USER, "office@example.org", password=OFFICE_PASSWORD,
                     stdout=io.StringIO())


def _cookie(cookies: str, name: str) -> str | None:
    found = re.search(rf"(?:^|; ){name}=([^;]+)", cookies)
    return found.group(1) if found else None


def _admin_export(base: str, session_pk: int, file_format: str) -> tuple[int, bytes]:
    """Log in as the office and run the admin's export action on every application of the session."""
    status, cookies, body = _request(base, "GET", "/admin/login/")
    csrf = _cookie(cookies, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "username": OFFICE_USER, "password": OFFICE_PASSWORD, "next": "/admin/",
    }).encode()
    headers = {"Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"}
    status, cookies, _body = _request(base, "POST", "/admin/login/", form, headers)
    session_cookie = _cookie(cookies, "sessionid")
    if status != 302 or not session_cookie:
        raise SystemExit(f"the office could not log in to the admin (HTTP {status})")
    csrf = _cookie(cookies, "csrftoken") or csrf
    changelist = f"/admin/registrations/application/?session__id__exact={session_pk}"
    headers = {"Cookie": f"csrftoken={csrf}; sessionid={session_cookie}", "Accept-Language": "ja"}
    status, _cookies, body = _request(base, "GET", changelist, headers=headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "action": f"export_{file_format}", "select_across": "1", "index": "0",
        "_selected_action": "0",
    }).encode()
    status, _cookies, body = _request(
        base, "POST", changelist, form, headers | {"Content-Type": "application/x-www-form-urlencoded"}
    )
    return status, body


def _report_export(base: str, slug: str, session_pk: int, accepted: int) -> bool:
    import openpyxl
    from django.core.exceptions import ValidationError

    from registrations.models import Application

    stored = Application.objects.filter(session_id=session_pk)
    invalid = 0
    for application in stored.iterator():
        try:
            application.full_clean(validate_constraints=False)
        except ValidationError:
            invalid += 1
    print(f"stored applications of {slug}: {stored.count()} (accepted {accepted}); "
          f"failing the model's validation: {invalid}")
    ok = invalid == 0
    for file_format in ("xlsx", "csv"):
        status, body = _admin_export(base, session_pk, file_format)
        try:
            if status != 200:
                raise ValueError(f"HTTP {status}")
            if file_format == "xlsx":
                rows = list(openpyxl.load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
            else:
                rows = list(csv.reader(io.StringIO(body.decode("utf-8").removeprefix("\ufeff"), newline="")))
        except Exception as error:  # noqa: BLE001 - a figure to print, whatever went wrong
            print(f"admin export {file_format}: FAILED ({type(error).__name__}: {str(error)[:200]!r})")
            ok = False
            continue
        print(f"admin export {file_format}: HTTP {status}, {len(body):,} bytes, opened: {len(rows) - 1} rows "
              f"(+ header), {len(rows[0])} columns")
        ok = ok and len(rows) - 1 == stored.count()
    return ok


if __name__ == "__main__":
    sys.exit(main())
