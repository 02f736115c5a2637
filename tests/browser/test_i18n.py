"""A visitor on a phone reading the English pages switches to Japanese, reads the series and a session, and applies."""
import re

import pytest
from django.utils import timezone

from registrations.models import Application
from seminars.demo import demo_load
from tests.browser.conftest import required

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OPEN_SESSION = "/sessions/demo-open-follow-up/"


def _check_page(page, screenshot_dir, axe_check, name):
    assert page.locator("html").get_attribute("lang") == "ja"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    page.screenshot(path=str(screenshot_dir / f"ja-{name}-phone.png"), full_page=True)
    axe_check(page)


def test_visitor_switches_to_japanese_and_applies_on_a_phone(page, server, screenshot_dir, axe_check):
    demo_load(today=timezone.localdate())
    page.set_viewport_size(PHONE)
    # The browser asks for English, and the visitor starts on the English pages; the switcher's link
    # leads to the same page in Japanese, whatever the browser asks for.
    page.set_extra_http_headers({"Accept-Language": "en"})

    page.goto(f"{server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="日本語").click()

    page.wait_for_url(f"{server.url}/")
    page.wait_for_selector('html[lang="ja"]')
    assert page.locator("h1").inner_text() == "カスタマーハラスメント防止対策セミナー"
    assert page.get_by_role("heading", name="セッション一覧").is_visible()
    assert page.get_by_text("受付中", exact=True).first.is_visible()
    # The current year's series (the demo year, around today), with its count from the data.
    assert page.get_by_text("令和8年度（2026年度）", exact=True).is_visible()
    assert page.get_by_text("全4回", exact=True).is_visible()
    _check_page(page, screenshot_dir, axe_check, "home")

    # The Japanese pages link to Japanese pages: the choice is kept in the URL.
    page.locator(f"main a[href='{OPEN_SESSION}']").first.click()
    page.wait_for_url(f"{server.url}{OPEN_SESSION}")
    assert "マニュアル" in page.locator("h1").inner_text()
    assert page.get_by_text("ツダ ノリコ").first.is_visible()
    _check_page(page, screenshot_dir, axe_check, "session")

    page.get_by_role("link", name="このセッションに申し込む").click()
    page.wait_for_url(re.compile(r"/apply/$"))
    assert page.locator("h1").inner_text().startswith("「")
    page.get_by_label(required("氏名")).fill("山田 花子")
    page.get_by_label(required("メールアドレス")).fill("hanako@example.jp")
    page.get_by_label("メールアドレス（確認用）").fill("hanako@example.jp")
    page.get_by_label(required("会社・団体名")).fill("株式会社サンプル商事")
    page.get_by_label(required("部署名")).fill("人事部")
    page.get_by_label(required("役職")).fill("課長")
    page.get_by_label("業種").select_option("retail")
    page.get_by_label("従業員数").select_option("100-299")
    page.get_by_label("勤務先の都道府県").select_option(label="東京都")
    page.get_by_label("個人情報の取扱いについて確認し、同意します。").check()
    assert page.get_by_role("link", name="「個人情報の取扱いについて」").is_visible()
    _check_page(page, screenshot_dir, axe_check, "apply")
    page.get_by_role("button", name="申し込む").click()

    page.wait_for_url(re.compile(r"/applications/[^/]+/received/$"))
    assert page.locator("h1").inner_text() == "お申込みを受け付けました"
    assert "参加が確定しました。" in page.content()
    _check_page(page, screenshot_dir, axe_check, "applied")
    assert Application.objects.get().language == "ja"
