"""factory_boy factories for real model instances."""
import datetime as dt

import factory

from seminars.models import TOKYO, Material, Series, Session, Topic
from speakers.models import Appearance, Speaker


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ("slug",)

    slug = "test-series"
    fiscal_year = 2025  # the sessions below are in FY2025
    title_en = "Customer Harassment Prevention Seminars"
    overview_en = "Seminars for HR and labour-management staff."
    audience_en = "HR and labour-management staff based in Tokyo."
    fee_note_en = "Free of charge"
    application_rule_en = "Separate registration is required for each session."
    contact_email = "office@example.org"


class SessionFactory(factory.django.DjangoModelFactory):
    """A session held on 2025-07-31 14:00-16:00 Tokyo, applications 2025-06-30 to 2025-07-28."""

    class Meta:
        model = Session

    series = factory.SubFactory(SeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"session-{n + 1}")
    level_en = "Basic Session"
    title_en = factory.Sequence(lambda n: f"Session title {n + 1}")
    overview_en = "What participants will learn."
    starts_at = dt.datetime(2025, 7, 31, 14, 0, tzinfo=TOKYO)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    applications_open_on = dt.date(2025, 6, 30)
    applications_close_on = dt.date(2025, 7, 28)
    joining_url = "https://meet.example.org/j/secret-joining-link-123"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    session = factory.SubFactory(SessionFactory)
    text_en = factory.Sequence(lambda n: f"Topic {n}")
    order = factory.Sequence(lambda n: n)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    slug = factory.Sequence(lambda n: f"speaker-{n}")
    name_en = factory.Sequence(lambda n: f"Speaker {n}")
    affiliation_en = "Seikei University"
    position_en = "Professor"
    biography_en = "A biography."


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    session = factory.SubFactory(SessionFactory)
    title_en = "Slides"
    url = "https://example.org/slides.pdf"
    notice_en = "The copyrights to these materials belong to the lecturer."


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A confirmed application; build through the services when the rules matter."""

    class Meta:
        model = "registrations.Application"

    session = factory.SubFactory(SessionFactory)
    reference = factory.Sequence(lambda n: f"T{n:07d}")
    manage_secret = factory.Sequence(lambda n: f"secret-{n:08d}")
    name = "山田 花子"
    name_reading = "ヤマダ ハナコ"
    email = factory.Sequence(lambda n: f"applicant{n}@example.jp")
    organisation = "株式会社サンプル"
    department = "人事部"
    position = "課長"
    industry = "retail"
    organisation_size = "100-299"
    prefecture = "13"
    consented_at = factory.LazyFunction(lambda: dt.datetime(2025, 7, 1, 10, 0, tzinfo=TOKYO))
    privacy_notice_version = "2025-06"
    language = "ja"


class ArchivedSessionFactory(SessionFactory):
    """A held session (2025-07-31) whose public YouTube archive was published on 2025-08-10."""

    archive_video_url = "https://www.youtube.com/watch?v=M7lc1UVf-VE"
    archive_published_at = dt.datetime(2025, 8, 10, 10, 0, tzinfo=TOKYO)
