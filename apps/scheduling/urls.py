from django.urls import path, re_path

from . import views

FORMATS = r"(?P<fmt>schedule\.(?:json|xml|ics))"

urlpatterns = [
    re_path(rf"^c/(?P<slug>[-\w]+)/{FORMATS}$", views.schedule_export, name="schedule_export"),
    re_path(
        rf"^c/(?P<slug>[-\w]+)/v/(?P<version>[0-9]+)/{FORMATS}$", views.schedule_export, name="schedule_export_version"
    ),
    path("c/<slug:slug>/schedule/", views.schedule_grid, name="schedule_grid"),
    path("c/<slug:slug>/transparency/", views.transparency, name="transparency"),
    path("c/<slug:slug>/talk/<int:talk_id>.ics", views.talk_ical, name="talk_ical"),
    path("c/<slug:slug>/my-schedule/<str:token>.ics", views.my_schedule_ical, name="my_schedule_ical"),
]
