from django.urls import path

from . import views

urlpatterns = [
    path("conferences/", views.ConferenceList.as_view(), name="api-conference-list"),
    path("conferences/<slug:slug>/", views.ConferenceDetail.as_view(), name="api-conference-detail"),
    path("conferences/<slug:slug>/talks/", views.TalkList.as_view(), name="api-talk-list"),
    path("conferences/<slug:slug>/imports/talks/", views.TalkImport.as_view(), name="api-talk-import"),
]
