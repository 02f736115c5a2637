"""The office's year of work on the demo year's sessions, done through the services the office uses.

Each step calls the service the office's page (or beat) calls, with the moment it would have
happened (`now`), so the rows, audit entries and mail are what the portal itself writes:
applications from the web form and by phone or fax, moves and cancellations, the confirmation
and reminder waves, a walk-in added after the session, the attendance report imported, the
certificates, the follow-up mail, questionnaire responses, an office note, an announcement
(the news app adds the demo year's news on `seminars.demo.demo_loaded`).
The lottery session is left closed with its applications awaiting the draw, for the office to run.
"""
import csv
import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db import transaction

from certificates.services import certificate_issue_for_session, course_attendance_sync
from office.models import Announcement
from office.services import announcement_send, note_add
from questionnaires.enums import QuestionKind
from questionnaires.selectors import questionnaire_current, session_questionnaire_in_follow_up
from questionnaires.services import response_submit
from registrations.attendance import attendance_import, attendance_mark
from registrations.enums import ApplicationOrigin, ApplicationStatus, AttendanceStatus
from registrations.models import Application
from registrations.notifications import (
    archive_mail_wave,
    confirmation_wave,
    follow_up_wave,
    receipts_write,
    reminder_at,
    reminder_wave,
)
from registrations.office_changes import application_move
from registrations.selectors import attendance_options
from registrations.services import application_cancel, application_create
from seminars.models import TOKYO, Series, Session

from .people import person

DEMO_USERNAME = "demo-office"
HELD, LOTTERY, OPEN = "demo-held-questions", "demo-closed-case-clinic", "demo-open-follow-up"
# Applicants 0-33 apply to the held session on the web, 34-36 by phone, fax (and one by phone without an
# address), 40-81 to the lottery session, 90-101 to the open one.
HELD_WEB, HELD_OFFICE, LOTTERY_WEB, OPEN_WEB = range(0, 34), (34, 35, 36), range(40, 82), range(90, 102)
MOVED = (40, 41, 42)  # applied to the lottery session, then asked the office to move them to the held one
CANCELLED = (3, 17, 29)
SHORT_STAY = (5, 12, 22, 31)  # in the webinar report, but not long enough to count as attended
NOT_IN_REPORT = (8, 19, 26, 35)  # never joined
NO_RESPONSE = (2, 9, 14, 24, 33)  # attended, never answered the questionnaire
WALK_IN = 37


def demo_office_user():
    """Return the demo's office user who takes the actions (no password: nobody signs in as it)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "office-demo@example.org"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _index(application: Application) -> int:
    """Return the demo applicant's number, read back from their address (-1 without one)."""
    return int(application.email.split("@")[0].rsplit(".", 1)[-1]) if application.email else -1


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


def _apply(session: Session, index: int, when: dt.datetime, *, origin=ApplicationOrigin.WEB, by=None,
           reason: str = "", with_email: bool = True) -> Application:
    someone = person(index, with_email=with_email)
    application = application_create(
        session=session, data=someone.form_data(attendance_options(session)[0]), language=someone.language,
        now=when, origin=origin, consent_recorded_by=by, window_override_reason=reason,
    )
    receipts_write(now=when)  # what beat does within seconds
    return application


@transaction.atomic
def demo_office_year_load(series: Series) -> bool:
    """Do the office's work on the demo year's sessions, once; return False when it had been done already.

    Loading twice changes nothing: a demo year whose sessions have applications is left as it is.
    """
    if Application.objects.filter(session__series=series).exists():
        return False
    by = demo_office_user()
    sessions = {session.slug: session for session in series.sessions.all()}
    held, lottery, open_session = sessions[HELD], sessions[LOTTERY], sessions[OPEN]
    opened, closed = held.applications_open_on, held.applications_close_on
    event = held.starts_at.astimezone(TOKYO).date()

    # Applications to the session since held, over its application period.
    span = (closed - opened).days
    by_index = {}
    for position, index in enumerate(HELD_WEB):
        day = opened + dt.timedelta(days=position * span // len(HELD_WEB))
        by_index[index] = _apply(held, index, _at(day, 9 + position % 9, (position * 13) % 60))
    for index, origin, days_before_close in zip(HELD_OFFICE, ("phone", "fax", "phone"), (12, 8, 3), strict=True):
        by_index[index] = _apply(held, index, _at(closed - dt.timedelta(days=days_before_close), 11), origin=origin,
                                 by=by, with_email=index != HELD_OFFICE[-1])
    note_add(application=by_index[HELD_OFFICE[-1]], by=by, now=_at(closed - dt.timedelta(days=3), 11, 10),
             text="電話での申込み。メールアドレスなし。受付票を郵送済み、参加方法は開催前日に電話で伝える。")

    # The lottery session: applications await the draw; three of them ask to attend the earlier session instead.
    lottery_opened, lottery_closed = lottery.applications_open_on, lottery.applications_close_on
    lottery_span = (lottery_closed - lottery_opened).days
    for position, index in enumerate(LOTTERY_WEB):
        day = lottery_opened + dt.timedelta(days=position * lottery_span // len(LOTTERY_WEB))
        by_index[index] = _apply(lottery, index, _at(day, 10 + position % 8, (position * 7) % 60))
    move_at = min(_at(closed, 15), held.starts_at - dt.timedelta(hours=1))
    for index in MOVED:
        application_move(application=by_index[index], to_session=held, by=by, now=move_at,
                         reason="電話で依頼あり：事例検討の回ではなく質問回に参加したい。")

    # After the period closes: a few cancel, the confirmation and the reminder go out (beat's waves).
    after_close = _at(closed + dt.timedelta(days=1), 9)
    confirmation_wave(held, now=after_close)
    for index in CANCELLED:
        application_cancel(application=by_index[index], by=by, actor_label=by.get_username(), now=after_close,
                           reason="本人から電話で取消しの連絡（業務都合）")
    reminder_wave(held, now=reminder_at(held) + dt.timedelta(minutes=1))

    # The day after: a late phone call from someone who watched with a colleague's link, added with the reason.
    day_after = event + dt.timedelta(days=1)
    walk_in = _apply(held, WALK_IN, _at(day_after, 10), origin=ApplicationOrigin.PHONE, by=by,
                     reason="同僚の案内で当日視聴。翌日電話で申出があり、受講記録のため追加。")
    note_add(application=walk_in, by=by, now=_at(day_after, 10, 5),
             text="当日は同僚の参加用リンクで視聴（本人申告、約110分）。出席は事務局で記録。")

    # Attendance: the webinar's attendee report, then the walk-in by the office's word.
    attendance_import(session=held, file=_attendee_report(held), filename="webinar-attendee-report.csv",
                      by=by, now=_at(day_after, 11))
    attendance_mark(applications=[walk_in], status=AttendanceStatus.ATTENDED, by=by, now=_at(day_after, 11, 30))
    course_attendance_sync(now=_at(day_after, 12))
    attended = list(
        Application.objects.filter(session=held, attendance_record__status=AttendanceStatus.ATTENDED).order_by("pk")
    )
    for application in attended:
        certificate_issue_for_session(application=application, now=_at(day_after, 12))
    follow_up_at = _at(day_after, 14)
    data = {"questionnaire": True} if session_questionnaire_in_follow_up(held, now=follow_up_at) else {}
    follow_up_wave(held, data=data, now=follow_up_at)
    _responses(held, attended, first_day=day_after)
    archive_mail_wave(held, now=held.archive_published_at or held.ends_at)

    announcement, _created = Announcement.objects.get_or_create(
        session=held, subject_ja="【質問回】当日いただいたご質問への回答を掲載しました",
        defaults={
            "body_ja": "先日はご参加ありがとうございました。当日時間内にお答えできなかったご質問への回答を、"
                       "アーカイブ動画のページに掲載しました。個人用リンクからご覧ください。",
            "subject_en": "[Q&A session] Answers to the questions we ran out of time for",
            "body_en": "Thank you for joining us. The answers to the questions we could not take during the "
                       "session are now on the archive page: open it through your private link.",
            "created_by": by, "created_at": _at(day_after + dt.timedelta(days=6), 9),
        },
    )
    announcement_send(announcement=announcement, by=by, now=_at(day_after + dt.timedelta(days=6), 10))

    # The open session: applications so far, one a day or so.
    for position, index in enumerate(OPEN_WEB):
        day = open_session.applications_open_on + dt.timedelta(days=position // 2)
        _apply(open_session, index, _at(day, 8 + position % 10, 20))
    return True


def _attendee_report(session: Session) -> bytes:
    """Return the session's webinar attendee report (Zoom's CSV), as the office downloads it after the session."""
    start = session.starts_at.astimezone(TOKYO)
    stamp = "%m/%d/%Y %I:%M:%S %p"
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["Attendee Report", ""])
    rows.writerow(["Topic", "Webinar ID", "Actual Start Time", "Actual Duration (minutes)"])
    rows.writerow([session.title_en, "812 0000 0001", start.strftime("%b %d, %Y %I:%M %p"), 121])
    rows.writerow(["Attendee Details", ""])
    rows.writerow(["Attended", "User Name (Original Name)", "Email", "Join Time", "Leave Time",
                   "Time in Session (minutes)", "Is Guest", "Country/Region Name"])
    applications = Application.objects.filter(session=session, status=ApplicationStatus.CONFIRMED).order_by("pk")
    for position, application in enumerate(applications):
        index = _index(application)
        if not application.email or index in NOT_IN_REPORT or index == WALK_IN:
            continue
        joined = start + dt.timedelta(minutes=position % 6)
        minutes = 25 if index in SHORT_STAY else 118 - position % 6 - (position % 4) * 3
        rows.writerow(["Yes", application.name, application.email, joined.strftime(stamp),
                       (joined + dt.timedelta(minutes=minutes)).strftime(stamp), minutes, "No", "Japan"])
    # Someone who joined with an address nobody applied with: the import lists them as not matched.
    guest = start + dt.timedelta(minutes=3)
    rows.writerow(["Yes", "guest", "guest.viewer@example.com", guest.strftime(stamp),
                   (guest + dt.timedelta(minutes=95)).strftime(stamp), 95, "Yes", "Japan"])
    return out.getvalue().encode("utf-8")


def _responses(session: Session, attended: list[Application], *, first_day: dt.date) -> None:
    """Answer the session's questionnaire for most attendees, over the days after the follow-up mail."""
    questionnaire = questionnaire_current(session)
    if questionnaire is None:
        return
    questions = list(questionnaire.questions.prefetch_related("choices"))
    comments = ["録音の伝え方の例が具体的で、すぐに使えそうです。", "小規模な職場での役割分担の話が参考になりました。",
                "", "事例をもう少し多く聞きたかったです。", "", "社内研修でも紹介したいと思います。"]
    for position, application in enumerate(attended):
        if _index(application) in NO_RESPONSE:
            continue
        values = {}
        for question in questions:
            choices = [choice.pk for choice in question.choices.all()]
            if question.kind == QuestionKind.SCALE:
                values[question.pk] = (5, 4, 4, 5, 3, 4, 5, 2)[position % 8]
            elif question.kind == QuestionKind.SINGLE and choices:
                # Mostly the first answers (understood well, measures in place), a few further down.
                values[question.pk] = choices[min((0, 0, 1, 0, 1, 0, 2, 0, 1, 3)[position % 10], len(choices) - 1)]
            elif question.kind == QuestionKind.MULTIPLE and choices:
                values[question.pk] = sorted({choices[position % len(choices)], choices[(position * 5) % len(choices)]})
            elif question.kind == QuestionKind.TEXT:
                values[question.pk] = comments[position % len(comments)]
        when = _at(first_day + dt.timedelta(days=position % 5), 9 + position % 10, (position * 11) % 60)
        response_submit(questionnaire=questionnaire, application=application, values=values, now=when)
