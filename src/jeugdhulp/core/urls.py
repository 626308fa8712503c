from django.urls import path

from jeugdhulp.core import views

urlpatterns = [path("", views.home, name="home")]
