"""Japanese and English end to end: the catalogue, each language's URLs, content fallback, mail language."""

import ast
import os
import re
import shutil
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from outbox.delivery import outbox_send_due
from registrations.enums import MailKind
from registrations.models import Application
from registrations.notifications import application_mail, receipts_write
from registrations.selectors import manage_token, manage_url
from registrations.services import application_cancel
from tests.conftest import REPO
from tests.factories import AppearanceFactory, SessionFactory, SpeakerFactory
from tests.languages import EnglishClient, en
from tests.registrations.conftest import applicant_data, open_session

pytestmark = pytest.mark.django_db

CATALOGUE = REPO / "locale" / "ja" / "LC_MESSAGES" / "django.po"
# The same command the catalogue is maintained with (see the header of the .po file).
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "ja",
    "--no-obsolete",
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=bench",
    "--ignore=tests",
    "--ignore=node_modules",
]


# --- reading a .po file ---


def read_po(text: str) -> list[dict]:
    """Return the entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags, where."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set(), "where": []}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):  # obsolete entry
                entry["msgid"] = None
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry["where"].extend(line[2:].split())
            elif line.startswith("#"):
                continue
            elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line):
                keyword, value = match.group(1), ast.literal_eval(match.group(2))
                if keyword.startswith("msgstr"):
                    entry["msgstr"].append(value)
                    field = ("msgstr", len(entry["msgstr"]) - 1)
                else:
                    entry[keyword] = value
                    field = keyword
            elif line.startswith('"') and field is not None:
                value = ast.literal_eval(line)
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] += value
                else:
                    entry[field] += value
        if entry["msgid"]:  # the header has an empty msgid
            entries.append(entry)
    return entries


def _describe(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return f"  {context}{entry['msgid']!r}  ({' '.join(entry['where'][:2])})"


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}", text))


# --- the catalogue ---


@pytest.fixture(scope="module")
def regenerated_catalogue(tmp_path_factory) -> list[dict]:
    """Run makemessages over a copy of the source tree and return the Japanese catalogue it leaves.

    A copy, so the checked-in .po is never touched by a test; the files git does not ignore, so a
    new template or module is covered before it is committed.
    """
    tree = tmp_path_factory.mktemp("source")
    listed = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / name)
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(tree / "var")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=tree, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return read_po((tree / "locale" / "ja" / "LC_MESSAGES" / "django.po").read_text())


def test_every_string_shown_to_people_is_translated_into_japanese(regenerated_catalogue):
    untranslated = [e for e in regenerated_catalogue if not all(e["msgstr"]) or not e["msgstr"]]
    fuzzy = [e for e in regenerated_catalogue if "fuzzy" in e["flags"]]

    assert not untranslated and not fuzzy, (
        "The Japanese catalogue is incomplete. Run\n"
        "  DEBUG=1 .venv/bin/python manage.py " + " ".join(MAKEMESSAGES) + "\n"
        "and translate these in locale/ja/LC_MESSAGES/django.po (remove the 'fuzzy' flag once checked):\n"
        + "\n".join(["Untranslated:", *map(_describe, untranslated), "Fuzzy:", *map(_describe, fuzzy)])
    )


def test_checked_in_catalogue_matches_the_source(regenerated_catalogue):
    checked_in = {(e["msgctxt"], e["msgid"]) for e in read_po(CATALOGUE.read_text())}
    in_source = {(e["msgctxt"], e["msgid"]) for e in regenerated_catalogue}

    assert in_source <= checked_in, "Missing from the checked-in catalogue:\n" + "\n".join(
        f"  {msgid!r}" for _, msgid in sorted(in_source - checked_in, key=str)
    )
    assert checked_in <= in_source, "No longer in the source (run makemessages with --no-obsolete):\n" + "\n".join(
        f"  {msgid!r}" for _, msgid in sorted(checked_in - in_source, key=str)
    )


def test_translations_keep_every_placeholder():
    entries = read_po(CATALOGUE.read_text())
    assert len(entries) > 400
    broken = [
        _describe(e)
        for e in entries
        for msgstr in e["msgstr"]
        if msgstr and _placeholders(msgstr) != _placeholders(e["msgid"]) | _placeholders(e["msgid_plural"] or "")
    ]
    assert not broken, "Placeholders differ between English and Japanese:\n" + "\n".join(broken)


def test_catalogue_declares_japanese_plural_forms():
    header = CATALOGUE.read_text().split("\n\n", 1)[0]
    assert '"Language: ja\\n"' in header
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header


# --- pages in the visitor's language ---


@pytest.fixture
def session(plain_http):
    """A session open for applications, titled in both languages, with a clean rate-limit store."""
    cache.clear()
    session = open_session(
        title_en="Basics of preventing customer harassment", title_ja="カスタマーハラスメント防止の基礎"
    )
    AppearanceFactory(session=session, speaker=SpeakerFactory(name_en="Hara Masato", name_ja="ハラ マサト"))
    return session


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _shown(response) -> str:
    """The page's HTML without the zero-width spaces that mark where a Japanese line may break."""
    return response.content.decode().replace("\u200b", "")


def _h1(response) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", _shown(response), re.S).group(1)).strip()


def test_japanese_is_the_first_language(client, session):
    response = client.get("/")

    assert _lang(response) == "ja"
    assert "カスタマーハラスメント防止の基礎" in _shown(response)
    assert "受付中" in re.sub(r"<[^>]+>", "", _shown(response))
    assert "セッション一覧" in response.content.decode()


def _switcher(response) -> list[str]:
    """The links of the language switcher, as written in the page."""
    nav = re.search(r'<nav class="lang-switch".*?</nav>', response.content.decode(), re.S).group(0)
    return re.findall(r"<a [^>]*>", nav)


def _alternates(response) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()))


def test_language_switcher_links_the_same_page_in_the_other_language(client, session):
    path = session.get_absolute_url()

    japanese = client.get(path)
    english = client.get(en(path))

    assert _switcher(japanese) == [f'<a href="{en(path)}" hreflang="en" lang="en" class="btn btn-small">']
    assert _switcher(english) == [f'<a href="{path}" hreflang="ja" lang="ja" class="btn btn-small">']
    assert _lang(english) == "en"
    assert "Basics of preventing customer harassment" in english.content.decode()
    for page in (japanese, english):
        assert _alternates(page) == {
            "ja": f"http://testserver{path}",
            "en": f"http://testserver{en(path)}",
            "x-default": f"http://testserver{path}",
        }
    # Every page linked from an English page is English too: the choice is kept in the URL, not a cookie.
    assert '<a class="site-title" href="/en/">' in english.content.decode()
    assert '<a href="/en/archive/">' in english.content.decode()
    assert not english.cookies and not client.cookies
    english_home = client.get("/en/")
    assert _lang(english_home) == "en"
    assert ">Open for applications</span>" in english_home.content.decode()


def test_the_browser_language_does_not_choose_the_language_of_a_page(client, session):
    at_the_root = client.get("/", headers={"accept-language": "en"})
    under_en = client.get("/en/", headers={"accept-language": "ja"})

    assert _lang(at_the_root) == "ja"
    assert "カスタマーハラスメント防止の基礎" in _shown(at_the_root)
    assert _lang(under_en) == "en"
    assert "Basics of preventing customer harassment" in under_en.content.decode()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_html_lang_matches_the_language_on_every_page(session, language):
    client = EnglishClient() if language == "en" else Client()
    applied = client.post(reverse("registrations:apply", kwargs={"slug": session.slug}), applicant_data())
    application = Application.objects.get()
    pages = [
        "/",
        session.get_absolute_url(),
        reverse("registrations:apply", kwargs={"slug": session.slug}),
        applied["Location"],
        manage_url(application),
        reverse("registrations:cancel", kwargs={"token": manage_token(application)}),
        reverse("registrations:privacy"),
        reverse("seminars:archive"),
        session.appearances.get().speaker.get_absolute_url(),
        "/no-such-page/",
    ]

    for path in pages:
        response = client.get(path)
        assert response.status_code == (404 if path == "/no-such-page/" else 200), path
        assert _lang(response) == language, path
    assert application.language == language


def test_the_manage_link_works_in_either_language(client, session):
    path = f"/applications/{manage_token(_apply(client, session, 'en'))}/"  # as a Japanese mail gives it

    japanese, english = client.get(path), client.get(en(path))

    assert (japanese.status_code, english.status_code) == (200, 200)
    assert (_lang(japanese), _lang(english)) == ("ja", "en")


def test_error_pages_are_in_the_visitors_language(client, session):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert _lang(response) == "ja"
    assert "ページが見つかりません" in response.content.decode()


def test_forms_and_their_errors_are_in_japanese(client, session):
    response = client.post(
        reverse("registrations:apply", kwargs={"slug": session.slug}),
        applicant_data(email_again="other@example.jp", consent=""),
    )

    content = response.content.decode()
    assert "お申込みはまだ送信されていません" in content
    assert "確認用のメールアドレスが一致しません。" in content
    assert "勤務先の都道府県" in content
    assert ">東京都</option>" in content
    assert "このセッションに申し込む" in client.get(session.get_absolute_url()).content.decode()


# --- content: a missing translation falls back to the other language ---


def test_english_only_title_is_shown_on_a_japanese_page(client, plain_http):
    session = SessionFactory(title_en="Only in English", title_ja="", overview_en="English overview", overview_ja="")

    response = client.get(session.get_absolute_url())

    assert _lang(response) == "ja"
    assert _h1(response) == "Only in English"
    assert "English overview" in response.content.decode()
    assert "Only in English" in client.get("/").content.decode()


def test_japanese_only_title_is_shown_on_an_english_page(client, plain_http):
    session = SessionFactory(title_en="", title_ja="日本語のみのタイトル", overview_en="", overview_ja="日本語の概要")

    response = client.get(en(session.get_absolute_url()))

    assert _lang(response) == "en"
    assert _h1(response) == "日本語のみのタイトル"
    assert "日本語の概要" in response.content.decode()


def test_speaker_name_falls_back_to_the_other_language(client, plain_http):
    speaker = SpeakerFactory(name_en="Tsuda Noriko", name_ja="")
    AppearanceFactory(speaker=speaker)

    response = client.get(speaker.get_absolute_url())

    assert _h1(response) == "Tsuda Noriko"


# --- mail in the language the person applied in ---


def _apply(client, session, language: str) -> Application:
    """Apply on the form in `language`: the Japanese one at the root, the English one under /en/."""
    path = reverse("registrations:apply", kwargs={"slug": session.slug})
    response = client.post(
        en(path) if language == "en" else path,
        applicant_data(email=f"{language}@example.jp", email_again=f"{language}@example.jp"),
    )
    assert response.status_code == 302
    return Application.objects.get(email=f"{language}@example.jp")


def _mail_to(address: str, kind: str) -> tuple:
    """Write the receipts and deliver what is due, as the worker does; return (the row as the office sees it,
    the mail as the person gets it)."""
    receipts_write()
    outbox_send_due()
    row = application_mail(Application.objects.get(email=address)).get(kind=kind)
    [sent] = [m for m in mail.outbox if m.to == [address] and m.subject == row.subject]
    return row, sent


def test_person_who_applied_in_japanese_gets_japanese_mail(client, session):
    application = _apply(client, session, "ja")
    row, sent = _mail_to("ja@example.jp", MailKind.RECEIPT)

    assert application.language == "ja"
    assert sent.subject == f"受付完了（参加確定）のお知らせ：第{session.number}回「カスタマーハラスメント防止の基礎」"
    assert sent.body.startswith("山田 花子 様")
    assert "お申込みいただき、ありがとうございます。お申込みを受け付けました。" in sent.body
    assert "参加が確定しました。" in sent.body
    assert "日時（日本時間）" in sent.body
    assert row.body_text == sent.body


def test_person_who_applied_in_english_gets_english_mail(client, session):
    application = _apply(client, session, "en")
    _, sent = _mail_to("en@example.jp", MailKind.RECEIPT)

    assert application.language == "en"
    assert sent.subject == (
        f"Application received – your place is confirmed: Session {session.number}: "
        "Basics of preventing customer harassment"
    )
    assert "Thank you for applying. We have received your application." in sent.body
    assert "Date and time (Japan time)" in sent.body


def test_later_mail_keeps_the_applicants_language_whatever_the_office_uses(client, session):
    application = _apply(client, session, "ja")

    with translation.override("en"):  # the office works in English
        application_cancel(application=application, actor_label="office", reason="ご本人からのご依頼")
        _, sent = _mail_to("ja@example.jp", MailKind.CANCELLATION)

    assert sent.subject.startswith("お申込み取消しのお知らせ：")
    assert "へのお申込みを取り消しました。" in sent.body
