"""The portal's URLs plus /bench/ceiling/: a POST that inserts one row, the most a request can do faster."""
from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as portal_urlpatterns


@require_POST
def ceiling(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ceiling (email) VALUES (%s)", [request.POST.get("email", "")])
    return HttpResponseRedirect("/")


urlpatterns = [*portal_urlpatterns, path("bench/ceiling/", ceiling)]
