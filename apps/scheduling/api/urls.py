from django.urls import path

from . import views

urlpatterns = [
    path("conferences/<slug:slug>/releases/", views.ReleaseList.as_view(), name="api-release-list"),
    path("conferences/<slug:slug>/schedule/", views.ScheduleDocument.as_view(), name="api-schedule"),
    path("conferences/<slug:slug>/overrides/", views.OverrideList.as_view(), name="api-override-list"),
    path("conferences/<slug:slug>/overrides/<int:pk>/", views.OverrideDetail.as_view(), name="api-override-detail"),
]
