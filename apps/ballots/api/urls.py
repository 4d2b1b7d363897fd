from django.urls import path

from . import blocs, mine, organisations, promotions, publications, tally

urlpatterns = [
    path("conferences/<slug:slug>/blocs/", blocs.BlocList.as_view(), name="api-bloc-list"),
    path("conferences/<slug:slug>/blocs/export.csv", blocs.BlocExport.as_view(), name="api-bloc-export"),
    path("conferences/<slug:slug>/blocs/<int:pk>/decide/", blocs.BlocDecide.as_view(), name="api-bloc-decide"),
    path("conferences/<slug:slug>/blocs/runs/", blocs.BlocRunList.as_view(), name="api-bloc-run-list"),
    path("conferences/<slug:slug>/blocs/runs/<int:pk>/", blocs.BlocRunDetail.as_view(), name="api-bloc-run-detail"),
    path("conferences/<slug:slug>/promotions/", promotions.PromotionList.as_view(), name="api-promotion-list"),
    path(
        "conferences/<slug:slug>/promotions/suggestions/",
        promotions.PromotionSuggestionList.as_view(),
        name="api-promotion-suggestion-list",
    ),
    path(
        "conferences/<slug:slug>/promotions/<int:pk>/",
        promotions.PromotionDetail.as_view(),
        name="api-promotion-detail",
    ),
    path(
        "conferences/<slug:slug>/organisations/",
        organisations.OrganisationList.as_view(),
        name="api-organisation-list",
    ),
    path(
        "conferences/<slug:slug>/organisations/suggestions/",
        organisations.OrganisationSuggestionList.as_view(),
        name="api-organisation-suggestion-list",
    ),
    path(
        "conferences/<slug:slug>/organisations/<int:pk>/",
        organisations.OrganisationDetail.as_view(),
        name="api-organisation-detail",
    ),
    path("conferences/<slug:slug>/me/ballot/", mine.MyBallot.as_view(), name="api-my-ballot"),
    path("conferences/<slug:slug>/me/votes/<int:talk_id>/", mine.MyVote.as_view(), name="api-my-vote"),
    path("conferences/<slug:slug>/me/receipts/", mine.MyReceipts.as_view(), name="api-my-receipts"),
    path("conferences/<slug:slug>/me/ticket/", mine.MyTicket.as_view(), name="api-my-ticket"),
    path("conferences/<slug:slug>/me/pledge/", mine.MyPledge.as_view(), name="api-my-pledge"),
    path("conferences/<slug:slug>/tally/", tally.Tally.as_view(), name="api-tally"),
    path("conferences/<slug:slug>/tally/recompute/", tally.TallyRecompute.as_view(), name="api-tally-recompute"),
    path(
        "conferences/<slug:slug>/tally/publications/",
        publications.PublicationRunList.as_view(),
        name="api-publication-run-list",
    ),
    path(
        "conferences/<slug:slug>/tally/publications/<int:pk>/",
        publications.PublicationRunDetail.as_view(),
        name="api-publication-run-detail",
    ),
    path("conferences/<slug:slug>/imports/votes/", tally.VoteImport.as_view(), name="api-vote-import"),
    path("conferences/<slug:slug>/imports/tickets/", tally.TicketImport.as_view(), name="api-ticket-import"),
    path("conferences/<slug:slug>/bulletin/", tally.Bulletin.as_view(), name="api-bulletin"),
]
