"""Demo news for the demo year (loaded with the demo content: seminars/demo.py sends `demo_loaded`).

Made as the office makes it (the model's own save, as in admin); loading twice changes nothing.
The seed series keeps only what the office's real page says: no made-up news there.
"""
import datetime as dt

from seminars.models import TOKYO, Series

from .models import News

DEMO_SERIES = "customer-harassment-prevention-2026"


def demo_news_load_for(sender, *, series: Series, today: dt.date, **kwargs) -> None:
    """Receiver of seminars.demo.demo_loaded: three news items of the demo year, one of them for a session."""
    if series.slug != DEMO_SERIES:
        return
    sessions = {session.slug: session for session in series.sessions.all()}
    items = [
        (None, -20, "令和8年度のセミナーの申込受付を開始しました", "Applications for this year's seminars are open",
         "各回のページにある申込フォームから、回ごとにお申し込みください。",
         "Apply on each session's own page: each session needs its own application."),
        ("demo-closed-case-clinic", -2, "申込受付を終了しました（抽選を行います）",
         "Applications have closed: places will be drawn by lot",
         "定員を超えるお申込みをいただいたため、抽選により参加者を決定します。結果はお申込みの皆さまにお知らせします。"
         "アーカイブ配信も予定しています。",
         "More people applied than there are places, so places will be drawn by lot; everyone who applied "
         "is told the result. An archive video is planned too."),
        ("demo-open-follow-up", -1, "会場が変更になりました", "The venue has changed",
         "会場参加の方は、都庁第一本庁舎5階の大会議室にお越しください。オンライン配信に変更はありません。",
         "Those attending in person: please come to the large meeting room on the 5th floor. The live stream is "
         "unchanged."),
    ]
    for slug, days, title_ja, title_en, body_ja, body_en in items:
        session = sessions.get(slug) if slug else None
        if slug and session is None:
            continue
        News.objects.get_or_create(series=series, title_ja=title_ja, defaults={
            "session": session, "title_en": title_en, "body_ja": body_ja, "body_en": body_en,
            "published_at": dt.datetime.combine(today + dt.timedelta(days=days), dt.time(10, 0), tzinfo=TOKYO),
        })
