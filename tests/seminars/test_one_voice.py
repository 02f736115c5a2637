"""One voice across pages and mail: how to cancel and change, dates, lists and spelling.

What an applicant reads on the home page, in every footer, in the receipt and on the manage
page says the same thing: cancel with the private link, any other change through the office.
Every date is written one way per language, lists in Japanese use 「、」, and English writes
"organisation" (British English, the house style) everywhere.
"""
import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from registrations.enums import MailKind
from registrations.notifications import mail_render
from registrations.selectors import manage_url
from registrations.services import application_cancel
from seminars.demo import demo_load
from seminars.formatting import format_list, format_moment
from tests.conftest import tokyo
from tests.factories import AppearanceFactory, ApplicationFactory, SpeakerFactory
from tests.registrations.conftest import open_session

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SELF_SERVICE = "private link"
OFFICE = "contact the administrative office"
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _manage_path(application, language: str) -> str:
    with translation.override(language):
        return manage_url(application)


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _footer(html: str) -> str:
    return html.split("<footer", 1)[1]


def test_home_and_footer_say_cancel_with_the_link_and_change_through_the_office(client, plain_http):
    demo_load(today=timezone.localdate())

    html = client.get("/en/").content.decode()
    session_page = client.get("/en/sessions/session-2-advanced/").content.decode()

    changes = re.search(r"<dt>Changes and cancellations</dt><dd>(.*?)</dd>", html, re.DOTALL).group(1)
    for text in (changes, _footer(session_page)):
        assert SELF_SERVICE in text and OFFICE in text
    # The home page says it once: in its facts, not again in its footer.
    assert SELF_SERVICE not in _footer(html)
    japanese = client.get("/").content.decode()
    assert "受付完了のお知らせメールに記載の個人用リンク" in _main(japanese).replace("\u200b", "")


def test_every_page_footer_says_the_same(client, plain_http):
    demo_load(today=timezone.localdate())
    # Every page but the series' pages (the home page), which say it once in their facts.
    paths = ["/en/archive/", "/en/sessions/session-2-advanced/", "/en/speakers/tsuda-noriko/",
             "/en/accessibility/", "/en/privacy/"]
    footers = {_footer(client.get(path).content.decode()).split("<ul", 1)[0] for path in paths}

    assert len(footers) == 1
    assert SELF_SERVICE in footers.pop()


def test_receipt_mail_offers_the_link_and_the_office():
    application = ApplicationFactory(language="en")

    rendered = mail_render(application, MailKind.RECEIPT, data={"status": "confirmed"}, now=tokyo(2025, 7, 10))

    for body in (rendered["body_text"], rendered["body_html"]):
        assert "cancel your application yourself with the private link below" in body
        assert "For any other change, or a question, contact the administrative office:" in body
        assert "personal link" not in body


def _cancelled_application(language: str):
    session = open_session(title_ja="カスタマーハラスメントの基礎知識")
    application = ApplicationFactory(session=session, language=language)
    application_cancel(application=application, actor_label="applicant", now=tokyo(2026, 11, 26, 15, 4))
    return application


def test_manage_page_writes_dates_as_the_rest_of_the_page_in_japanese(client, plain_http):
    application = _cancelled_application("ja")

    html = _main(client.get(_manage_path(application, "ja")).content.decode())

    assert not ISO_DATE.search(html), ISO_DATE.search(html)
    assert "2026年11月26日（木）15:04" in html
    assert "株式会社サンプル、人事部" in html
    assert "株式会社サンプル, 人事部" not in html


def test_manage_page_link_expiry_is_a_date_with_its_weekday(client, plain_http):
    session = open_session()
    application = ApplicationFactory(session=session)
    expires = timezone.localdate(session.ends_at) + dt.timedelta(days=90)

    html = _main(client.get(_manage_path(application, "en")).content.decode())

    assert not ISO_DATE.search(html), ISO_DATE.search(html)
    assert f"{expires:%B} {expires.day}, {expires.year} (" in html
    assert "株式会社サンプル, 人事部" in html  # English joins with a comma


def test_moment_and_list_in_each_language():
    moment = tokyo(2026, 11, 26, 15, 4)

    assert format_moment(moment, "ja") == "2026年11月26日（木）15:04"
    assert format_moment(moment, "en") == "November 26, 2026 (Thu.), 3:04 PM"
    assert format_list(["ハラ マサト", "イナオ イズミ"], "ja") == "ハラ マサト、イナオ イズミ"
    assert format_list(["Hara Masato", "Inao Izumi"], "en") == "Hara Masato, Inao Izumi"


def test_speakers_on_cards_are_listed_with_the_japanese_comma(client, plain_http):
    demo_load(today=timezone.localdate())

    # The seed's year, where session 1 has two speakers.
    japanese = _main(client.get("/series/customer-harassment-prevention/").content.decode())
    english = _main(client.get("/en/series/customer-harassment-prevention/").content.decode())

    assert "ハラ マサト、イナオ イズミ" in japanese
    assert "ハラ マサト, " not in japanese
    assert "Hara Masato, Inao Izumi" in english


def test_change_mail_lists_the_changed_fields_with_the_japanese_comma():
    application = ApplicationFactory(language="ja")

    html = mail_render(application, MailKind.CHANGE, data={"fields": ["氏名", "所属"]}, now=tokyo(2025, 7, 10))

    assert "氏名、所属" in html["body_html"] and "氏名、所属" in html["body_text"]


def test_series_intro_does_not_say_the_schedule_is_to_be_announced(client, plain_http):
    demo_load(today=timezone.localdate())

    # The seed's year, whose overview is the office's page made current.
    english = _main(client.get("/en/series/customer-harassment-prevention/").content.decode())
    japanese = _main(client.get("/series/customer-harassment-prevention/").content.decode())

    assert "announced progressively" not in english and "listed below" in english
    assert "決まり次第" not in japanese


def test_demo_content_in_english_writes_organisation():
    """The portal's own copy spells it one way; titles and biographies quoted from the office's page stay verbatim."""
    demo_load(today=timezone.localdate())
    from seminars import demo_content, demo_year_content

    quoted = {"FUJIKI_BIO", "TSUDA_BIO"}
    own = {name: value for name, value in vars(demo_content).items() if name not in quoted}
    own["SESSIONS"] = [{k: v for k, v in each.items() if k != "title_en"} for each in demo_content.SESSIONS]
    own["SPEAKERS"] = [{k: v for k, v in each.items() if k != "biography_en"} for each in demo_content.SPEAKERS]
    assert not re.search(r"organiz", repr(own), re.IGNORECASE)
    assert not re.search(r"organiz", repr(vars(demo_year_content)), re.IGNORECASE)


def test_user_visible_english_writes_organisation_not_organization():
    """Every msgid in code and templates spells it one way (HTML's autocomplete tokens are not text)."""
    sources = [*REPO.glob("templates/**/*.html"), *REPO.glob("templates/**/*.txt")]
    for app in ("seminars", "registrations", "speakers", "outbox", "certificates", "config"):
        sources += [p for p in (REPO / app).rglob("*.py") if "migrations" not in p.parts]
    # The seed's titles and biographies are quoted verbatim there (the test above checks the rest of it).
    sources = [p for p in sources if p != REPO / "seminars" / "demo_content.py"]
    found = []
    for path in sources:
        text = re.sub(r'"autocomplete":\s*"organization(-title)?"', "", path.read_text())
        if re.search(r"organiz", text, re.IGNORECASE):
            found.append(str(path.relative_to(REPO)))
    assert not found, found


def test_speakers_of_one_session_in_japanese_without_a_comma_and_space(client, plain_http):
    session = open_session()
    AppearanceFactory(session=session, speaker=SpeakerFactory(name_ja="ハラ マサト"), order=0)
    AppearanceFactory(session=session, speaker=SpeakerFactory(name_ja="ツダ ノリコ"), order=1)

    html = _main(client.get("/").content.decode())

    assert "ハラ マサト、ツダ ノリコ" in html


def test_manage_page_says_what_happens_next_only_while_the_application_period_runs(client, plain_http):
    demo_load(today=timezone.localdate())
    from seminars.models import Session

    coming = ApplicationFactory(session=Session.objects.get(slug="demo-open-follow-up"))
    held = ApplicationFactory(session=Session.objects.get(slug="demo-held-questions"))

    assert "What happens next" in client.get(_manage_path(coming, "en")).content.decode()
    page = client.get(_manage_path(held, "en")).content.decode()
    assert "What happens next" not in page
    # The applicants-only demo archive is shown to its applicant, with its end date written out.
    assert "Available until" in page and "youtube-nocookie.com/embed/" in page


def test_archive_card_says_until_when_an_archive_can_be_watched(client, plain_http):
    demo_load(today=timezone.localdate())
    until = timezone.localdate() + dt.timedelta(days=30)

    html = _main(client.get("/en/archive/").content.decode())

    assert f"Available until {until:%B} {until.day}, {until.year} (" in html
    assert html.count("Available until") == 1  # the public demo archives have no end date
