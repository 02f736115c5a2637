"""The demo year (令和8年度 / FY2026) for `manage.py load_demo`: a series with sessions dated around today.

The portal's own copy (not quoted from the office's page): one spelling, British English.
demo/ adds the office's year of work on it (applicants, attendance, responses, certificates, a draw).
"""
from .demo_content import DEMO_YOUTUBE

SERIES = {
    "slug": "customer-harassment-prevention-2026",
    "fiscal_year": 2026,
    "title_en": "Customer Harassment Prevention Seminars",
    "title_ja": "カスタマーハラスメント防止対策セミナー",
    "overview_en": (
        "As part of our efforts to prevent customer harassment, we hold seminars for HR and labour management "
        "personnel of businesses and organisations, from basic knowledge to practical case studies. Attend any "
        "of the sessions below; each is streamed live online, with an archive to watch afterwards."
    ),
    "overview_ja": (
        "カスタマーハラスメント防止対策の一環として、企業・団体の人事・労務担当者の方を対象に、基礎知識から実践的な事例"
        "まで学べるセミナーを開催します。下記のうちお好きな回にご参加いただけます。各回ともオンラインでライブ配信し、"
        "後日アーカイブ動画もご覧いただけます。"
    ),
    "audience_en": (
        "Industry organisations and business owners, as well as HR and labour management personnel based in Tokyo."
    ),
    "audience_ja": "都内の業界団体・事業者、企業・団体の人事・労務担当者の方",
    "fee_note_en": "Free of charge",
    "fee_note_ja": "無料",
    "application_rule_en": (
        "Separate registration is required for each session: apply through each session's own application form."
    ),
    "application_rule_ja": "各回ごとにお申込みが必要です。各回のページにある申込フォームからお申し込みください。",
    "contact_email": "info@customer-harassment-taisaku.metro.tokyo.lg.jp",
}

# Its sessions, dated relative to the day the demo is loaded, so every state can be seen; numbered in the
# order they are held. Offsets in days from today: (opens, closes, event day).
RELATIVE_SESSIONS = [
    {
        "number": 3,
        "slug": "demo-open-follow-up",
        "level_en": "Follow-up (demo)",
        "level_ja": "フォローアップ（デモ）",
        "title_en": "Follow-up Workshop: Building a Customer Harassment Response Manual",
        "title_ja": "フォローアップ・ワークショップ：カスタマーハラスメント対応マニュアルをつくる",
        "overview_en": (
            "A demonstration session that is open for applications now. Participants work through the structure "
            "of an in-house response manual: definitions, escalation, recording incidents and caring for staff."
        ),
        "overview_ja": (
            "現在申込みを受け付けているデモ用のセッションです。社内の対応マニュアルの構成（定義、エスカレーション、事案"
            "の記録、従業員のケア）を、実際に手を動かしながら学びます。"
        ),
        "offsets": (-7, 14, 21),
        "capacity": 100,
        "waitlist_enabled": True,
        "topics": ["Structure of a response manual", "Escalation and recording", "Caring for staff", "Q&A session"],
        "topics_ja": ["対応マニュアルの構成", "エスカレーションと記録", "従業員のケア", "質疑応答"],
        "appearances": [("tsuda-noriko", "speaker", "", ""), ("fujiki-takeshi", "moderator", "", "")],
    },
    {
        "number": 4,
        "slug": "demo-upcoming-legal-update",
        "level_en": "Legal update (demo)",
        "level_ja": "法令の動向（デモ）",
        "title_en": "Legal Update: One Year of the Tokyo Customer Harassment Ordinance",
        "title_ja": "法令の動向：東京都カスタマー・ハラスメント防止条例施行から1年",
        "overview_en": (
            "A demonstration session whose applications are not yet open: a review of the first year of the "
            "ordinance and the national law requiring employers to act."
        ),
        "overview_ja": (
            "まだ申込みの受付が始まっていないデモ用のセッションです。条例施行から1年の振り返りと、事業主に対策を義務付"
            "ける国の法律について解説します。"
        ),
        "offsets": (10, 30, 40),
        "capacity": 300,
        "waitlist_enabled": False,
        "topics": ["What the ordinance requires", "The national law and employer duties", "Q&A session"],
        "topics_ja": ["条例が求めること", "国の法律と事業主の義務", "質疑応答"],
        "appearances": [("hara-masato", "speaker", "", "")],
    },
    {
        "number": 2,
        "slug": "demo-closed-case-clinic",
        "level_en": "Case clinic (demo)",
        "level_ja": "事例検討（デモ）",
        "title_en": "Case Clinic: Reviewing Real Incidents Together",
        "title_ja": "事例検討：実際の事案を一緒に振り返る",
        "overview_en": (
            "A demonstration session whose application period has closed; it has not been held yet. More people "
            "applied than there are places, so places are given by a lottery after the period: the result and "
            "the joining details go out by mail."
        ),
        "overview_ja": (
            "申込受付期間が終了し、まだ開催されていないデモ用のセッションです。定員を超えるお申込みがあったため、受付期間"
            "の終了後に抽選で参加者を決定します。抽選結果と参加方法はメールでお送りします。"
        ),
        "offsets": (-20, -2, 3),
        "capacity": 30,
        "waitlist_enabled": True,
        "allocation": "lottery",
        "topics": ["Incident reviews", "What worked and what did not", "Q&A session"],
        "topics_ja": ["事案の振り返り", "うまくいったこと・いかなかったこと", "質疑応答"],
        "appearances": [("osabe-hiromi", "speaker", "", ""), ("inao-izumi", "speaker", "", "")],
    },
    {
        "number": 1,
        "slug": "demo-held-questions",
        "level_en": "Questions (demo)",
        "level_ja": "質問回（デモ）",
        "title_en": "Your Questions Answered: Customer Harassment in Small Businesses",
        "title_ja": "質問に答える回：小規模事業者のカスタマーハラスメント対策",
        "overview_en": (
            "A demonstration session held two weeks ago. Its archived video is for its applicants only and can "
            "be watched for a limited time through the private link in their receipt mail."
        ),
        "overview_ja": (
            "2週間前に開催したデモ用のセッションです。アーカイブ動画はお申し込みいただいた方専用で、受付完了のお知らせメール"
            "に記載の個人用リンクから期間限定でご覧いただけます。"
        ),
        "offsets": (-45, -17, -14),
        "capacity": 80,
        "waitlist_enabled": False,
        "topics": ["Questions sent in with applications", "Small teams and shared duties", "Q&A session"],
        "topics_ja": ["お申込み時に寄せられた質問", "少人数の職場と役割分担", "質疑応答"],
        "appearances": [("hara-masato", "speaker", "", ""), ("osabe-hiromi", "speaker", "", "")],
        # Days from today: published a week after the session; watchable until 30 days from today.
        "archive": {"video_url": DEMO_YOUTUBE, "access": "applicants", "published_days_after": 7, "until": 30},
    },
]
