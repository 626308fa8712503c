"""The platform's URLs plus one view that fails, for the test of the 500 page."""

from django.urls import path

from jeugdhulp.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*urlpatterns, path("kapot/", broken)]
