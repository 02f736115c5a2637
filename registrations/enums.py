"""Choices and allowed transitions for applications and their mail."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    # Sessions that give places by lottery: applied within the window, waiting for the draw.
    AWAITING_DRAW = "awaiting_draw", _("Awaiting the draw")
    # Not drawn, and the session keeps no waiting list.
    NOT_DRAWN = "not_drawn", _("Not drawn")


# from-status -> statuses it may move to; one service owns each move.
APPLICATION_TRANSITIONS = {
    ApplicationStatus.CONFIRMED: {ApplicationStatus.CANCELLED},
    ApplicationStatus.WAITLISTED: {ApplicationStatus.CONFIRMED, ApplicationStatus.CANCELLED},
    ApplicationStatus.AWAITING_DRAW: {
        ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED, ApplicationStatus.NOT_DRAWN,
        ApplicationStatus.CANCELLED,
    },
    ApplicationStatus.NOT_DRAWN: set(),
    ApplicationStatus.CANCELLED: set(),
}


class ApplicationOrigin(models.TextChoices):
    """How an application reached us; the office enters all but the web ones, consent given the same way."""

    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone")
    FAX = "fax", _("Fax")
    PAPER = "paper", _("Paper form")


class Attendance(models.TextChoices):
    ONLINE = "online", _("Online (live stream)")
    VENUE = "venue", _("At the venue")


class Industry(models.TextChoices):
    RETAIL = "retail", _("Retail and wholesale")
    FOOD_SERVICE = "food_service", _("Restaurants and food service")
    ACCOMMODATION = "accommodation", _("Accommodation and tourism")
    PERSONAL_SERVICES = "personal_services", _("Beauty and personal services")
    TRANSPORT = "transport", _("Transport and logistics")
    FINANCE = "finance", _("Finance and insurance")
    REAL_ESTATE = "real_estate", _("Real estate")
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    INFORMATION = "information", _("Information and communications")
    MEDICAL = "medical", _("Medical care and welfare")
    EDUCATION = "education", _("Education")
    UTILITIES = "utilities", _("Electricity, gas and water")
    PUBLIC = "public", _("Public service and government")
    INDUSTRY_BODY = "industry_body", _("Industry organisation")
    OTHER = "other", pgettext_lazy("industry", "Other")


class OrganisationSize(models.TextChoices):
    UP_TO_9 = "1-9", _("1–9 employees")
    UP_TO_49 = "10-49", _("10–49 employees")
    UP_TO_99 = "50-99", _("50–99 employees")
    UP_TO_299 = "100-299", _("100–299 employees")
    UP_TO_999 = "300-999", _("300–999 employees")
    FROM_1000 = "1000+", _("1,000 employees or more")


class Prefecture(models.TextChoices):
    """All 47 prefectures; Tokyo first, as most applicants work there."""

    TOKYO = "13", _("Tokyo")
    HOKKAIDO = "01", _("Hokkaido")
    AOMORI = "02", _("Aomori")
    IWATE = "03", _("Iwate")
    MIYAGI = "04", _("Miyagi")
    AKITA = "05", _("Akita")
    YAMAGATA = "06", _("Yamagata")
    FUKUSHIMA = "07", _("Fukushima")
    IBARAKI = "08", _("Ibaraki")
    TOCHIGI = "09", _("Tochigi")
    GUNMA = "10", _("Gunma")
    SAITAMA = "11", _("Saitama")
    CHIBA = "12", _("Chiba")
    KANAGAWA = "14", _("Kanagawa")
    NIIGATA = "15", _("Niigata")
    TOYAMA = "16", _("Toyama")
    ISHIKAWA = "17", _("Ishikawa")
    FUKUI = "18", _("Fukui")
    YAMANASHI = "19", _("Yamanashi")
    NAGANO = "20", _("Nagano")
    GIFU = "21", _("Gifu")
    SHIZUOKA = "22", _("Shizuoka")
    AICHI = "23", _("Aichi")
    MIE = "24", _("Mie")
    SHIGA = "25", _("Shiga")
    KYOTO = "26", _("Kyoto")
    OSAKA = "27", _("Osaka")
    HYOGO = "28", _("Hyogo")
    NARA = "29", _("Nara")
    WAKAYAMA = "30", _("Wakayama")
    TOTTORI = "31", _("Tottori")
    SHIMANE = "32", _("Shimane")
    OKAYAMA = "33", _("Okayama")
    HIROSHIMA = "34", _("Hiroshima")
    YAMAGUCHI = "35", _("Yamaguchi")
    TOKUSHIMA = "36", _("Tokushima")
    KAGAWA = "37", _("Kagawa")
    EHIME = "38", _("Ehime")
    KOCHI = "39", _("Kochi")
    FUKUOKA = "40", _("Fukuoka")
    SAGA = "41", _("Saga")
    NAGASAKI = "42", _("Nagasaki")
    KUMAMOTO = "43", _("Kumamoto")
    OITA = "44", _("Oita")
    MIYAZAKI = "45", _("Miyazaki")
    KAGOSHIMA = "46", _("Kagoshima")
    OKINAWA = "47", _("Okinawa")


class MailKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    CONFIRMATION = "confirmation", _("Confirmation with joining details")
    REMINDER = "reminder", _("Reminder")
    CHANGE = "change", _("Change notice")
    CANCELLATION = "cancellation", _("Cancellation notice")
    PROMOTION = "promotion", _("Waiting-list promotion")
    ARCHIVE = "archive", _("Archive video")
    MANAGE_LINK = "manage_link", _("Your private link again")
    FOLLOW_UP = "follow_up", _("Thanks and certificate of attendance")
    # The office's message to a session's applicants (office app); one per announcement and application.
    ANNOUNCEMENT = "announcement", _("Announcement from the office")
    DRAW_RESULT = "draw_result", _("Result of the draw")


class AttendanceStatus(models.TextChoices):
    """Whether a person came to a session; "not recorded" is the absence of an AttendanceRecord."""

    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class AttendanceSource(models.TextChoices):
    REPORT = "report", _("Attendee report (file)")
    OFFICE = "office", _("Recorded by the office")
    CHECK_IN = "check_in", _("Checked in at the venue")
    WEBINAR = "webinar", _("Webinar integration")
