"""Cached public pages never outlive what they show: the office's saves and the sessions' clock."""
import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import AppearanceFactory, SessionFactory
from tests.seminars.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_pages(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def _shown(response) -> str:
    return response.content.decode().replace("\u200b", "")


def test_a_page_is_served_from_the_cache_until_something_changes(client, cached_pages, django_assert_num_queries):
    session = SessionFactory()
    client.get(session.get_absolute_url())

    # The generation's state and the page both come from the cache: no query at all.
    with django_assert_num_queries(0):
        again = client.get(session.get_absolute_url())

    assert again.status_code == 200


@pytest.mark.parametrize("what", ["session", "series", "speaker"])
def test_what_the_office_saves_in_admin_shows_on_the_next_request(
    admin_client, client, cached_pages, django_capture_on_commit_callbacks, what
):
    session = SessionFactory(title_ja="元の題名", title_en="Old title")
    speaker = AppearanceFactory(session=session, speaker__name_ja="山田 太郎").speaker
    target, field, new = {
        "session": (session, "title_ja", "新しい題名"),
        "series": (session.series, "title_ja", "新しいシリーズ名"),
        "speaker": (speaker, "name_ja", "山田 次郎"),
    }[what]
    before = _shown(client.get(session.get_absolute_url()))
    assert new not in before

    change_url = f"/admin/{target._meta.app_label}/{target._meta.model_name}/{target.pk}/change/"
    data = change_form_data(admin_client, change_url)
    # The factories fill the English texts only; the admin requires the Japanese ones too.
    data |= {name: data[name[:-3] + "_en"] for name, value in data.items()
             if name.endswith("_ja") and value == "" and isinstance(data.get(name[:-3] + "_en"), str)}
    data[field] = new
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(change_url, data)

    assert saved.status_code == 302
    assert new in _shown(client.get(session.get_absolute_url()))


def test_a_deleted_material_disappears_at_once(client, cached_pages, django_capture_on_commit_callbacks):
    from tests.factories import MaterialFactory

    material = MaterialFactory(title_ja="配布資料その一")
    url = material.session.get_absolute_url()
    assert "配布資料その一" in _shown(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        material.delete()

    assert "配布資料その一" not in _shown(client.get(url))


def test_a_page_cached_before_a_session_ends_is_not_served_after_it(client, cached_pages):
    now = timezone.now()
    session = SessionFactory(
        applications_open_on=timezone.localdate() - dt.timedelta(days=10),
        applications_close_on=timezone.localdate() - dt.timedelta(days=1),
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(seconds=3),
    )
    during = _shown(client.get(session.get_absolute_url()))
    assert "受付終了" in during and "開催済み" not in during

    time.sleep(max(0, (session.ends_at - timezone.now()).total_seconds()) + 0.2)
    after = _shown(client.get(session.get_absolute_url()))

    assert "開催済み" in after


def test_browsers_are_told_to_ask_again_each_time(client, cached_pages):
    session = SessionFactory()

    for path in ("/", session.get_absolute_url(), "/archive/", "/en/", "/en" + session.get_absolute_url()):
        first, second = client.get(path), client.get(path)

        assert first["Cache-Control"] == "no-cache", path
        assert second["Cache-Control"] == "no-cache", path
        assert "Expires" not in second, path


def test_a_browser_asking_again_for_an_unchanged_page_gets_not_modified(client, cached_pages):
    session = SessionFactory()
    first = client.get(session.get_absolute_url())

    again = client.get(session.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304 and again.content == b""
