"""Demo questionnaires: the questions Tokyo's seminars usually ask, as the series' template and per held session.

Loaded with the demo content (seminars/demo.py sends `demo_loaded`); the office never runs it.
Idempotent: the template is written again, and each held demo session without a questionnaire
gets a copy of it.
"""
import datetime as dt

from django.utils import timezone

from seminars.models import Series

from .enums import QuestionKind
from .models import Choice, Question, Questionnaire
from .selectors import questionnaire_current
from .services import questionnaire_copy

TEMPLATE = {
    "title_ja": "受講者アンケート",
    "title_en": "Participant questionnaire",
    "intro_ja": "このたびはセミナーにご参加いただき、ありがとうございました。"
                "今後のセミナーの参考とさせていただきますので、アンケートへのご協力をお願いいたします（所要時間は3分ほどです）。",
    "intro_en": "Thank you for taking part. Your answers help us plan the next seminars; the questionnaire "
                "takes about three minutes.",
    "anonymous": True,
}

def _question(key, kind, required, text_ja, text_en, *, choices=(), low=("", ""), high=("", "")) -> dict:
    return {"key": key, "kind": kind, "required": required, "text": (text_ja, text_en), "choices": list(choices),
            "low": low, "high": high}


QUESTIONS = [
    _question("satisfaction", QuestionKind.SCALE, True,
              "本セミナーの満足度をお聞かせください。", "How satisfied were you with the seminar?",
              low=("不満", "Not satisfied"), high=("満足", "Very satisfied")),
    _question("understanding", QuestionKind.SINGLE, True,
              "本セミナーの内容はご理解いただけましたか。", "How well did you understand the content?",
              choices=[("よく理解できた", "I understood it well"),
                       ("おおむね理解できた", "I understood most of it"),
                       ("あまり理解できなかった", "I did not understand much of it"),
                       ("理解できなかった", "I did not understand it")]),
    _question("useful_parts", QuestionKind.MULTIPLE, True,
              "特に参考になった内容を選んでください（複数選択可）。",
              "Which parts were most useful to you? (choose all that apply)",
              choices=[("カスタマーハラスメントの定義と判断基準",
                        "The definition of customer harassment and how to judge it"),
                       ("企業に求められる対策と法令の動向", "What businesses must do, and the law"),
                       ("事例紹介", "The case studies"),
                       ("現場での初期対応", "First response on the front line"),
                       ("従業員のケアと相談体制", "Caring for staff and where they can turn"),
                       ("質疑応答", "Questions and answers")]),
    _question("next_themes", QuestionKind.MULTIPLE, False,
              "今後取り上げてほしいテーマを選んでください（複数選択可）。",
              "Which themes would you like future seminars to cover? (choose all that apply)",
              choices=[("マニュアル・社内規程の作り方", "Writing guidelines and internal rules"),
                       ("電話・メール・SNSでの対応", "Handling calls, email and social media"),
                       ("業種別の事例", "Cases from my industry"),
                       ("管理職向けの対応研修", "Training for managers"),
                       ("警察・弁護士との連携", "Working with the police and lawyers"),
                       ("その他", "Other")]),
    _question("company_measures", QuestionKind.SINGLE, True,
              "貴社・貴団体では、カスタマーハラスメント対策に取り組んでいますか。",
              "Does your organisation have measures against customer harassment?",
              choices=[("既に取り組んでいる", "Yes, already in place"),
                       ("取組を検討中", "We are preparing them"),
                       ("取り組む予定はない", "No plans yet"),
                       ("わからない", "I don't know")]),
    _question("comments", QuestionKind.TEXT, False,
              "ご意見・ご感想をご自由にお書きください。", "Any other comments or suggestions?"),
]


def demo_template_save(series: Series) -> Questionnaire:
    """Write the series' template questionnaire with the usual questions (questions rewritten while unanswered)."""
    template, _created = Questionnaire.objects.update_or_create(series=series, session=None, defaults=TEMPLATE)
    template.questions.all().delete()
    for order, data in enumerate(QUESTIONS):
        question = Question.objects.create(
            questionnaire=template, order=order, key=data["key"], kind=data["kind"], required=data["required"],
            text_ja=data["text"][0], text_en=data["text"][1],
            scale_min_label_ja=data["low"][0], scale_min_label_en=data["low"][1],
            scale_max_label_ja=data["high"][0], scale_max_label_en=data["high"][1],
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=index, text_ja=ja, text_en=en)
            for index, (ja, en) in enumerate(data["choices"])
        )
    return template


def demo_questionnaires_load(series: Series, *, now: dt.datetime | None = None) -> int:
    """Save the template and copy it to every session of the series that has ended and has none; return copies."""
    now = now or timezone.now()
    template = demo_template_save(series)
    copies = 0
    for session in series.sessions.filter(ends_at__lte=now).order_by("number"):
        if questionnaire_current(session) is None:
            questionnaire_copy(source=template, session=session, now=now)
            copies += 1
    return copies


def demo_questionnaires_load_for(sender, *, series: Series, **kwargs) -> None:
    """Receiver of seminars.demo.demo_loaded."""
    demo_questionnaires_load(series)
