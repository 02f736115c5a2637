"""HTML mail breaks Japanese headings, session titles and labels between phrases, as the pages do.

A mail client may strip classes and style sheets, so the rule (keep-all) is inline on each span.
"""
import re

import pytest

from registrations.enums import MailKind
from registrations.notifications import mail_render
from seminars.templatetags.seminar_tags import MAIL_PHRASES_STYLE, phrase_split
from tests.conftest import tokyo
from tests.factories import ApplicationFactory, MaterialFactory, SessionFactory

pytestmark = pytest.mark.django_db

LONG_TITLE = "訪問の場面におけるカスタマーハラスメントへの対応策とセッションの進め方"
ZWSP = "\u200b"


def _spans(html: str) -> list[str]:
    """Return the text of every phrase span in the mail (the spans carry the inline rule)."""
    return re.findall(rf'<span style="{re.escape(MAIL_PHRASES_STYLE)}">(.*?)</span>', html)


def _japanese_application(**session_fields):
    session = SessionFactory(title_ja=LONG_TITLE, **session_fields)
    return ApplicationFactory(session=session, language="ja")


@pytest.mark.parametrize("kind", [MailKind.RECEIPT, MailKind.CONFIRMATION, MailKind.REMINDER])
def test_session_title_in_html_mail_breaks_between_phrases_only(kind):
    application = _japanese_application()

    html = mail_render(application, kind, data={"status": "confirmed"}, now=tokyo(2025, 7, 30, 10))["body_html"]

    # The details table: "第1回「…」", cut by BudouX, a break opportunity (U+200B) between phrases.
    title = next(span for span in _spans(html) if LONG_TITLE in span.replace(ZWSP, ""))
    pieces = title.split(ZWSP)
    assert len(pieces) > 3
    assert pieces == phrase_split(title.replace(ZWSP, ""))
    # None inside words a narrow screen could otherwise split (セッショ／ン, 対／策).
    for word in ("セッション", "カスタマーハラスメント", "対応策"):
        assert any(word in piece for piece in pieces), word
    # The heading and the labels of the details table get the same treatment.
    labels = [span.replace(ZWSP, "") for span in _spans(html)]
    assert {"お申込みの内容", "受付番号", "セッション", "日時（日本時間）"} <= set(labels)


def test_html_mail_keeps_the_rule_inline_and_the_text_version_plain():
    application = _japanese_application()

    rendered = mail_render(application, MailKind.RECEIPT, data={"status": "confirmed"}, now=tokyo(2025, 7, 10))

    assert 'class="phrases"' not in rendered["body_html"]
    assert "word-break: keep-all" in rendered["body_html"]
    assert ZWSP not in rendered["body_text"]
    assert ZWSP not in rendered["subject"]
    assert LONG_TITLE in rendered["body_text"]


def test_archive_mail_material_titles_and_end_date_in_the_applicants_format():
    application = _japanese_application()
    session = application.session
    session.archive_available_until = tokyo(2025, 9, 30).date()
    session.save()
    MaterialFactory(session=session, title_ja="講演資料（前半）：カスタマーハラスメントを受ける側の心理")

    html = mail_render(application, MailKind.ARCHIVE, data={}, now=tokyo(2025, 8, 10))["body_html"]

    assert "2025年9月30日（火）" in html
    material = next(s for s in _spans(html) if "講演資料" in s)
    assert ZWSP in material


def test_english_mail_has_no_break_marks():
    application = ApplicationFactory(language="en")

    html = mail_render(application, MailKind.RECEIPT, data={"status": "confirmed"}, now=tokyo(2025, 7, 10))["body_html"]

    assert ZWSP not in html
