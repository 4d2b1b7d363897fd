from django.urls import path

from . import views

urlpatterns = [
    path("conferences/<slug:slug>/releases/", views.ReleaseList.as_view(), name="api-release-list"),
    path("conferences/<slug:slug>/schedule/", views.ScheduleDocument.as_view(), name="api-schedule"),
    path("conferences/<slug:slug>/transparency/", views.TransparencyReport.as_view(), name="api-transparency"),
    path("conferences/<slug:slug>/overrides/", views.OverrideList.as_view(), name="api-override-list"),
    path("conferences/<slug:slug>/overrides/<int:pk>/", views.OverrideDetail.as_view(), name="api-override-detail"),
    path("conferences/<slug:slug>/proposals/", views.ProposalList.as_view(), name="api-proposal-list"),
    path("conferences/<slug:slug>/proposals/compare/", views.ProposalCompare.as_view(), name="api-proposal-compare"),
    path("conferences/<slug:slug>/proposals/<int:pk>/", views.ProposalDetail.as_view(), name="api-proposal-detail"),
    path(
        "conferences/<slug:slug>/proposals/<int:pk>/cancel/", views.ProposalCancel.as_view(), name="api-proposal-cancel"
    ),
    path(
        "conferences/<slug:slug>/proposals/<int:pk>/publish/",
        views.ProposalPublish.as_view(),
        name="api-proposal-publish",
    ),
]
