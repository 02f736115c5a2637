"""The made-up applicants of the demo year: names, organisations and answers, the same on every load.

Addresses are under example.jp (RFC 2606 style, never delivered anywhere real).
"""
from dataclasses import dataclass

FAMILY = [
    ("山田", "やまだ", "yamada"), ("鈴木", "すずき", "suzuki"), ("佐藤", "さとう", "sato"),
    ("田中", "たなか", "tanaka"),
    ("伊藤", "いとう", "ito"), ("渡辺", "わたなべ", "watanabe"), ("高橋", "たかはし", "takahashi"),
    ("小林", "こばやし", "kobayashi"), ("中村", "なかむら", "nakamura"), ("加藤", "かとう", "kato"),
    ("吉田", "よしだ", "yoshida"), ("松本", "まつもと", "matsumoto"), ("井上", "いのうえ", "inoue"),
    ("木村", "きむら", "kimura"), ("林", "はやし", "hayashi"), ("清水", "しみず", "shimizu"), ("森", "もり", "mori"),
]
GIVEN = [
    ("花子", "はなこ", "hanako"), ("太郎", "たろう", "taro"), ("美咲", "みさき", "misaki"),
    ("健一", "けんいち", "kenichi"),
    ("由美", "ゆみ", "yumi"), ("大輔", "だいすけ", "daisuke"), ("直子", "なおこ", "naoko"), ("翔", "しょう", "sho"),
    ("恵", "めぐみ", "megumi"), ("誠", "まこと", "makoto"), ("裕子", "ゆうこ", "yuko"), ("隆", "たかし", "takashi"),
    ("彩", "あや", "aya"),
]
ORGANISATIONS = [
    ("株式会社サンプル商事", "retail", "100-299"), ("東京フードサービス株式会社", "food_service", "300-999"),
    ("有限会社みどり美容室", "personal_services", "1-9"), ("株式会社ひかり交通", "transport", "1000+"),
    ("さくら信用金庫", "finance", "300-999"), ("株式会社あおば不動産", "real_estate", "50-99"),
    ("株式会社東都建設", "construction", "100-299"), ("株式会社ミライ製作所", "manufacturing", "1000+"),
    ("株式会社ネクストコール", "information", "300-999"), ("社会福祉法人ひだまり会", "medical", "100-299"),
    ("学校法人みなと学園", "education", "50-99"), ("東京都美容生活衛生同業組合", "industry_body", "10-49"),
    ("ホテル銀河株式会社", "accommodation", "300-999"), ("一般社団法人東京小売業協会", "industry_body", "10-49"),
    ("株式会社まちのスーパー", "retail", "1000+"), ("株式会社コールセンター東京", "information", "100-299"),
]
DEPARTMENTS = ["人事部", "総務部", "人事労務課", "お客様相談室", "営業推進部", "事務局"]
POSITIONS = ["課長", "係長", "主任", "担当", "部長", "事務局長"]
# Mostly Tokyo (the audience), some from the neighbouring prefectures.
PREFECTURES = ["13", "13", "13", "13", "13", "14", "11", "13", "12", "13", "13", "14", "13", "19"]
QUESTIONS = [
    "従業員が一人で対応している時間帯の備え方を知りたいです。",
    "録音や録画をお客様に伝えるときの言い方を教えてください。",
    "",
    "SNSへの書き込みをほのめかされた場合の対応について伺いたいです。",
    "",
    "",
]


@dataclass(frozen=True)
class Person:
    name: str
    name_reading: str
    email: str
    organisation: str
    department: str
    position: str
    industry: str
    organisation_size: str
    prefecture: str
    phone: str
    question: str
    language: str

    def form_data(self, attendance: str) -> dict:
        """Return what the application form would hold after this person filled it in and agreed."""
        return {
            "name": self.name, "name_reading": self.name_reading, "email": self.email,
            "organisation": self.organisation, "department": self.department, "position": self.position,
            "industry": self.industry, "organisation_size": self.organisation_size,
            "prefecture": self.prefecture, "phone": self.phone, "attendance": attendance,
            "question": self.question, "consent": True,
        }


def person(index: int, *, with_email: bool = True) -> Person:
    """Return the demo's applicant number `index` (0, 1, 2…): always the same person for the same number."""
    family = FAMILY[index % len(FAMILY)]
    given = GIVEN[(index * 7 + index // len(FAMILY)) % len(GIVEN)]
    organisation, industry, size = ORGANISATIONS[(index * 5) % len(ORGANISATIONS)]
    return Person(
        name=f"{family[0]} {given[0]}",
        name_reading=f"{family[1]} {given[1]}",
        email=f"{given[2]}.{family[2]}.{index:03d}@example.jp" if with_email else "",
        organisation=organisation,
        department=DEPARTMENTS[index % len(DEPARTMENTS)],
        position=POSITIONS[(index * 3) % len(POSITIONS)],
        industry=industry,
        organisation_size=size,
        prefecture=PREFECTURES[index % len(PREFECTURES)],
        phone=f"03-5000-{1000 + index:04d}" if index % 3 == 0 or not with_email else "",
        question=QUESTIONS[index % len(QUESTIONS)],
        # A few applicants read their mail in English.
        language="en" if index % 11 == 5 else "ja",
    )
