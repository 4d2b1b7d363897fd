"""The REST API's URL table, mounted at /api/v1/. Shared pieces live in confvote/rest.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.talks.api.urls")),
    path("", include("apps.scheduling.api.urls")),
    path("", include("apps.ballots.api.urls")),
]
