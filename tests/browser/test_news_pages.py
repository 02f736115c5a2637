"""The home page and a session's page with the office's news, on a phone and a desktop, in both languages."""
import datetime as dt

import pytest
from django.utils import timezone

from news.models import News
from tests.languages import en
from tests.registrations.conftest import open_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_home_and_session_pages_show_the_news_and_fit_the_screen(page, server, screenshot_dir, axe_check, size,
                                                                 language):
    session = open_session(title_ja="カスタマーハラスメント対策の基本",
                           title_en="Basics of preventing customer harassment")
    now = timezone.now()
    News.objects.create(
        series=session.series, session=session, published_at=now - dt.timedelta(hours=2),
        title_ja="第1回の会場が変更になりました", title_en="Session 1 has moved to another room",
        body_ja="会場は都庁第一本庁舎5階の大会議室に変わりました。オンライン配信に変更はありません。",
        body_en="The session is now in the large meeting room on the 5th floor. The live stream is unchanged.",
    )
    News.objects.create(
        series=session.series, published_at=now - dt.timedelta(days=3),
        title_ja="令和8年度のセミナーの申込受付を開始しました",
        title_en="Applications for this year's seminars are open",
        body_ja="各回のページからお申し込みください。", body_en="Apply on each session's page.",
    )
    page.set_viewport_size(VIEWPORTS[size])

    for name, path in (("home", "/"), ("session", session.get_absolute_url())):
        page.goto(server.url + (en(path) if language == "en" else path))
        news = page.locator("section.news")
        assert news.is_visible(), path
        expected = "Session 1 has moved to another room" if language == "en" else "第1回の会場が変更になりました"
        assert expected in news.inner_text().replace("\u200b", "")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=str(screenshot_dir / f"news-{name}-{language}-{size}.png"), full_page=True)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        axe_check(page)
