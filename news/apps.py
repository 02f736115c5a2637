from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News on the site")

    def ready(self):
        # News shows on the cached public pages: a save or delete shows on the next request, and each
        # item's own publication and end are moments of the pages' clock (seminars/page_cache.py).
        from seminars.page_cache import clock_moments, content_changed

        from .models import News
        from .selectors import news_moments_after

        post_save.connect(content_changed, sender=News, dispatch_uid="public-pages-News")
        post_delete.connect(content_changed, sender=News, dispatch_uid="public-pages-News-del")
        clock_moments.connect(news_moments_after, dispatch_uid="news.news_moments_after")

        from seminars.demo import demo_loaded

        from .demo import demo_news_load_for

        demo_loaded.connect(demo_news_load_for, dispatch_uid="news-demo")
