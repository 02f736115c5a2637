"""The office's news on the public site: the list, one item, and the Atom feed."""
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from seminars.page_cache import public_page
from seminars.selectors import series_current

from .selectors import FEED_LATEST, news_shown


@public_page
def news_list(request):
    """Every news item on the site now (every year's series), newest first."""
    return render(request, "news/list.html", {"news_items": news_shown(now=timezone.now())})


@public_page
def news_detail(request, pk):
    """One news item, while it is on the site (before and after its dates it is not found)."""
    item = news_shown(now=timezone.now()).filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "news/detail.html", {"item": item})


class NewsFeed(Feed):
    """The latest news as an Atom feed, in the language of its URL (/news/feed/, /en/news/feed/)."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return series_current(now=timezone.now())

    def title(self, series):
        title = series.title if series else _("Seminar series")
        return _("%(title)s: news") % {"title": title}

    def subtitle(self, series):
        return _("News from the administrative office: changes, places, venues and cancellations.")

    def link(self, series):
        return reverse("news:list")

    def feed_url(self, series):
        return reverse("news:feed")

    def items(self, series):
        return list(news_shown(now=timezone.now())[:FEED_LATEST])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary is HTML: the office's plain text, escaped, its paragraphs kept.
        return linebreaks(item.body, autoescape=True)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


news_feed = public_page(NewsFeed())
